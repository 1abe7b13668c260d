"""Run a command and measure it: wall time, CPU time and peak memory of its process tree.

Peak memory is the largest sum of resident set sizes over the command and all its
descendants (notebook kernels, Spark's JVM), sampled every 50 ms from ``/proc``.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measured:
    wall_s: float
    cpu_s: float
    peak_mb: float
    returncode: int
    stdout: str


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            stat = (p / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(p.name))
    return tree


def tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and all its descendants now."""
    tree, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        with contextlib.suppress(OSError, IndexError, ValueError):
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
        todo.extend(tree.get(pid, []))
    return total


def run(cmd: list[str], env: dict[str, str] | None = None) -> Measured:
    """Run ``cmd`` to its end and measure it; stdout is captured, stderr discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    # children the command waited for (kernels) are in its own rusage
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(wall, cpu, peak / 2**20, proc.returncode, out)
