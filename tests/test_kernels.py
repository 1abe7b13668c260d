"""The run's warm kernels: where they listen, and a kernel that stops before it answers.

CI caught a run that waited ten minutes: jupyter picks a kernel's TCP ports by opening and
closing them, another process took one in between, the kernel stopped at its start, and the
run waited for its answer. Kernels now listen on Unix sockets in a private folder, and one
that stops before it answers is replaced.
"""

from __future__ import annotations

import socket
import stat
import time
from pathlib import Path
from typing import Any

import pytest

from audit import kernels
from audit.errors import KernelFailed
from audit.kernels import Kernels, ensure_kernel


@pytest.fixture(scope="module")
def kernel_name() -> str:
    return ensure_kernel()


def _ask(kc: Any, code: str) -> str:
    """What the kernel prints for ``code``."""
    kc.execute(code)
    while True:
        msg = kc.get_iopub_msg(timeout=60)
        if msg["msg_type"] == "stream":
            return str(msg["content"]["text"]).strip()


def test_a_run_kernel_listens_on_unix_sockets_in_a_private_folder_and_keeps_no_history(
    kernel_name,
):
    k = Kernels(1, kernel_name)
    try:
        with k.kernel() as (km, kc):
            info = km.get_connection_info()
            folder = km.folder
            assert info["transport"] == "ipc"
            assert Path(info["ip"]).parent == folder
            assert folder.stat().st_mode & 0o777 == 0o700  # (jupyter adds the sticky bit)
            sockets = [p for p in folder.iterdir() if stat.S_ISSOCK(p.stat().st_mode)]
            assert len(sockets) == 5, sorted(p.name for p in folder.iterdir())
            assert _ask(kc, "print(6 * 7)") == "42"
            # a run's cells go into no history database shared with every other kernel
            assert _ask(kc, "print(get_ipython().history_manager.enabled)") == "False"
    finally:
        k.close()
    assert not folder.exists()


def test_a_kernel_that_stops_before_it_answers_is_replaced(kernel_name, monkeypatch):
    """The first kernel is given a TCP port another process holds, as in the race: it stops
    at its start, after the run has handed it its first request."""
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    made = []
    own = kernels._manager

    def racing(name: str) -> Any:
        km = own(name)
        if not made:  # the first kernel only
            if km.folder is not None:
                kernels.scratch.remove(km.folder)
                km.folder = None
            km.transport, km.ip, km.cache_ports = "tcp", "127.0.0.1", False
            km.connection_file = ""  # in jupyter's own folder
            km.shell_port = taken.getsockname()[1]
        made.append(km)
        return km

    monkeypatch.setattr(kernels, "_manager", racing)
    t0 = time.monotonic()
    k = Kernels(1, kernel_name)
    try:
        with k.kernel() as (km, kc):
            assert km is not made[0] and len(made) == 2
            assert _ask(kc, "print(6 * 7)") == "42"
        assert time.monotonic() - t0 < 120  # not the ten minutes of an answer never coming
    finally:
        k.close()
        taken.close()


def test_kernels_that_keep_stopping_end_the_run_with_a_reason(kernel_name, monkeypatch):
    monkeypatch.setattr(kernels, "STARTS", 2)
    started = []
    own = kernels._manager
    monkeypatch.setattr(kernels, "_manager", lambda name: started.append(name) or own(name))
    k = Kernels(1, kernel_name)
    answered = kernels._answered  # each kernel answers; the test says it stopped first
    monkeypatch.setattr(kernels, "_answered", lambda km, kc, sent: not answered(km, kc, sent))
    try:
        with (
            pytest.raises(KernelFailed, match="stopped before it answered, 2 times in a row"),
            k.kernel(),
        ):
            pass
        assert len(started) == 2  # the first and one more: none started after the last
        # the next notebook of the run neither starts a kernel nor waits for one
        with pytest.raises(KernelFailed, match="2 times in a row"), k.kernel():
            pass
        assert len(started) == 2
    finally:
        k.close()


def test_a_run_whose_kernel_keeps_stopping_ends_with_one_line_and_publishes_nothing(
    tmp_path, monkeypatch, capsys
):
    from audit.cli import main

    from .conftest import REPO

    monkeypatch.setattr(kernels, "STARTS", 1)
    monkeypatch.setattr(kernels, "_answered", lambda km, kc, sent: False)
    out = tmp_path / "reports"
    cfg = str(REPO / "data_samples" / "audit.yml")
    assert main(["run", "--config", cfg, "--out", str(out), "--only", "minors"]) == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("audit: the notebooks' kernel stopped before it answered, 1 times")
    assert "ipykernel_launcher --help" in last
    assert not [p for p in out.iterdir() if not p.name.startswith(".")]  # nothing published
    assert not (out / "index.html").exists()
