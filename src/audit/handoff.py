"""The runner's share of the reading: while the kernels start and import great-expectations,
the runner reads and profiles the datasets (the inventory's work, :mod:`audit.inventory`),
and hands each dataset over as soon as it is done, so a run reads, parses and profiles each
dataset once.

Runner and kernels share a private temporary folder (mode 0700) named after the run folder:
it holds raw values, so it is never inside the report; it is removed when the run ends, and
one left by a killed run is swept by the next run on the machine. Each dataset is profiled
by whoever claims it first (a claim file, hard-linked into place with its owner already
written in it): a kernel that comes to a dataset the runner is on takes on the next one
nobody has claimed, and waits only when all that is left is the runner's; the runner stops
claiming when the run's notebooks are done. What the runner hands over per dataset:

- its inventory entries (categories and profiles, no values) and the rows per month of its
  time columns, as JSON;
- for a file dataset, the columns it read, as it parsed them, in one Arrow IPC file that
  the kernels memory-map. Columns of Python objects (JSON lines of mixed types) are left
  out: Arrow would retype them; the kernel reads those itself.
- then, for each file dataset, the candidate values of the scans every run makes (card
  numbers, secrets: :mod:`audit.candidates`), as positions, found in the columns it handed
  over while the kernel runs the first notebooks; a kernel that comes to a scan the runner
  has not claimed finds them itself.

A dataset whose profile fails in the runner is marked failed and left to the kernel, which
profiles it and reports the problem as without a handoff. Spark configs get no handoff (the
runner starts no Spark application). A notebook run by hand has no handoff.

>>> folder_for(Path("/reports/.2026-11-26_x.tmp")).name.startswith("audit-handoff-")
True
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from . import scratch
from .candidates import Filter, positions, run_scans
from .config import AuditConfig
from .inventory import (
    CONFIGURED,
    UNMAPPED,
    ColumnEntry,
    all_months,
    configured_profile,
    discover_unmapped,
    months_of,
    time_columns,
    unmapped_profile,
)
from .memory import give_back
from .reader import Reader
from .sources import Opened, preflight, read_frame

#: a column's distinct values per value below which each distinct value is tested once
FEW = 0.05
#: the part of the handoff that holds the scans' candidate positions
CANDIDATES = "candidates"
#: who claimed a dataset: the runner hands its work over; a kernel keeps its own
RUNNER = "runner"
#: how a handoff folder's name starts (:mod:`audit.scratch`)
PREFIX = "audit-handoff-"
#: how often a kernel looks for a dataset the runner is profiling
POLL_S = 0.01


def folder_for(run_tmp: Path) -> Path:
    """The handoff folder of a run (its temporary run folder names it)."""
    return Path(tempfile.gettempdir()) / f"{PREFIX}{_digest(run_tmp)}"


def _digest(run_tmp: Path) -> str:
    """What names a run's handoff folder: a digest of its temporary run folder's path."""
    return hashlib.sha256(str(run_tmp.resolve()).encode()).hexdigest()[:20]


class Handoff:
    """A run's handoff folder, as the runner and the kernels share it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def create(cls, run_tmp: Path) -> Handoff:
        """A fresh, private handoff folder for a run (the runner's). Handoffs of runs whose
        process is gone (killed before it could remove them) are removed first."""
        return cls(scratch.make(PREFIX, _digest(run_tmp)))

    @classmethod
    def find(cls, run_tmp: Path) -> Handoff | None:
        """The handoff of a run, or None when the runner made none (a kernel's)."""
        folder = folder_for(run_tmp)
        return cls(folder) if folder.is_dir() else None

    def _path(self, part: str, name: str, suffix: str) -> Path:
        key = hashlib.sha256(f"{part}\0{name}".encode()).hexdigest()[:24]
        return self.folder / f"{key}{suffix}"

    def claim(self, part: str, name: str, owner: str) -> bool:
        """Whether ``owner`` is the first to claim the dataset (then it profiles it). The
        claim appears with its owner written in it, never empty."""
        mine = self._path(part, name, f".{os.getpid()}.{threading.get_ident()}")
        mine.write_text(owner)
        try:
            os.link(mine, self._path(part, name, ".claim"))
        except FileExistsError:
            return False
        finally:
            mine.unlink()
        return True

    def publish(self, part: str, name: str, result: dict[str, Any]) -> None:
        """The runner's result for a dataset it claimed (``{"failed": true}`` when its
        profile failed), written whole or not at all."""
        tmp = self._path(part, name, ".json.part")
        tmp.write_text(json.dumps(result))
        os.replace(tmp, self._path(part, name, ".json"))

    def pending(self, part: str, name: str) -> bool:
        """Whether the runner is profiling the dataset now (claimed, not handed over yet)."""
        if self._path(part, name, ".json").exists():
            return False
        try:
            return self._path(part, name, ".claim").read_text() == RUNNER
        except FileNotFoundError:
            return False

    def _result(self, part: str, name: str) -> dict[str, Any] | None:
        """The runner's result for a dataset, waiting while the runner profiles it; None when
        the runner did not claim it, or its profile failed."""
        while self.pending(part, name):
            time.sleep(POLL_S)
        done = self._path(part, name, ".json")
        if not done.exists():
            return None
        result: dict[str, Any] = json.loads(done.read_text())
        return None if result.get("failed") else result

    def take(self, part: str, name: str) -> list[ColumnEntry] | None:
        """A kernel's turn at a dataset: the runner's entries (waiting for them while it
        profiles the dataset), or None when this kernel is to profile it itself."""
        if self.claim(part, name, f"kernel {os.getpid()}"):
            return None
        return self.entries(part, name)

    def entries(self, part: str, name: str) -> list[ColumnEntry] | None:
        """The runner's entries for a dataset (waiting while it profiles it), without
        claiming it: None when the runner did not claim it, or its profile failed."""
        result = self._result(part, name)
        return None if result is None else [ColumnEntry(**e) for e in result["entries"]]

    def months(self, dataset: str, column: str) -> pd.Series | None:
        """Rows per month of a time column, as the runner counted them, or None."""
        result = self._result(CONFIGURED, dataset)
        months = (result or {}).get("months", {}).get(column)
        if months is None:
            return None
        return pd.Series(list(months.values()), index=list(months), dtype="int64")

    def columns(self, dataset: str, wanted: list[str]) -> dict[str, pd.Series]:
        """The ``wanted`` columns of a file dataset that the runner read, memory-mapped."""
        result = self._result(CONFIGURED, dataset)
        frame = (result or {}).get("frame") or {}
        cols = [c for c in wanted if c in frame.get("columns", [])]
        if not cols:
            return {}
        # the map stays open while the columns refer to it (closed when they go)
        source = pa.memory_map(str(self.folder / frame["file"]))
        df = pa.ipc.open_file(source).read_all().select(cols).to_pandas()
        return {c: df[c] for c in cols}

    def candidates(self, dataset: str, key: str) -> dict[str, np.ndarray] | None:
        """A kernel's turn at a scan of a dataset (``key``: its filter's): the candidate
        positions of each column as the runner found them (waiting while it does), or None
        when this kernel is to find them itself. A column the runner did not hand over is
        missing: the kernel finds its candidates."""
        name = f"{dataset}\0{key}"
        if self.claim(CANDIDATES, name, f"kernel {os.getpid()}"):
            return None
        result = self._result(CANDIDATES, name)
        if result is None:
            return None
        return {c: np.load(self._positions(name, c)) for c in result["columns"]}

    def _positions(self, scan: str, column: str) -> Path:
        """The file of a scanned column's candidate positions."""
        return self._path(CANDIDATES, f"{scan}\0{column}", ".npy")

    def remove(self) -> None:
        """Delete the handoff (raw values: it never outlives the run)."""
        scratch.remove(self.folder)


def hand_over(
    cfg: AuditConfig,
    handoff: Handoff,
    stop: threading.Event | None = None,
    opened: dict[str, Opened] | None = None,
) -> tuple[int, int]:
    """The runner's share: every dataset nobody has claimed yet, profiled and handed over
    in the order the inventory reads them, until ``stop`` is set; (datasets handed over,
    datasets left to the kernels). ``opened``: the datasets as the run's preflight opened
    them (opened here when not given)."""
    reader = Reader(cfg, opened if opened is not None else preflight(cfg))
    done = left = 0

    def one(part: str, name: str, profile: Any) -> None:
        nonlocal done, left
        if (stop is not None and stop.is_set()) or not handoff.claim(part, name, RUNNER):
            left += 1
            return
        result: dict[str, Any] = {"failed": True}
        try:
            result = {"entries": [e.to_json() for e in profile()]}
            if part == CONFIGURED:  # counted beside the profile, where they can be (cached)
                result["months"] = _months(reader, reader.opened[name])
            have = reader.release(name) if part == CONFIGURED else None
            if have:
                result["frame"] = _write_frame(handoff._path(part, name, ".arrow"), have)
            done += 1
        except Exception:  # noqa: BLE001 - the kernel profiles it again and reports why
            left += 1
        finally:
            handoff.publish(part, name, result)

    for name, ds in reader.opened.items():
        one(
            CONFIGURED,
            name,
            partial(configured_profile, reader, ds, partial(all_months, reader, ds)),
        )
    unmapped, _ = discover_unmapped(reader)
    for name, ds in unmapped.items():
        one(UNMAPPED, name, lambda ds=ds: unmapped_profile(reader, ds))
    # file datasets (one with unreadable files fails in the kernel, which reports it)
    files = [d for d in reader.opened.values() if d.engine == "pandas" and not d.unreadable_files]
    for ds, flt, columns in run_scans(cfg, files):
        if stop is None or not stop.is_set():
            _find_candidates(handoff, ds, flt, columns)
    return done, left


def _find_candidates(handoff: Handoff, ds: Opened, flt: Filter, columns: list[str]) -> None:
    """The candidate positions of a scan of a dataset's columns, found one column at a time
    in the columns handed over (memory-mapped), or read again where the runner handed none
    over (a dataset a kernel profiled), and published, unless a kernel claimed the scan."""
    name = f"{ds.name}\0{flt.key}"
    if not handoff.claim(CANDIDATES, name, RUNNER):
        return
    result: dict[str, Any] = {"failed": True}
    try:
        # the profile tells the columns of few distinct values (each tested once)
        few = {
            e.column for e in handoff.entries(CONFIGURED, ds.name) or [] if e.distinct_share <= FEW
        }
        for column in columns:
            got = handoff.columns(ds.name, [column]) or read_frame(ds, [column])
            np.save(handoff._positions(name, column), positions(got[column], flt, column in few))
            del got
        result = {"columns": columns}
    except Exception:  # noqa: BLE001, S110 - the kernel finds them itself
        pass
    finally:
        handoff.publish(CANDIDATES, name, result)


def _months(reader: Reader, ds: Opened) -> dict[str, dict[str, int]]:
    """Rows per month of each time column (the inventory's charts): on a database server,
    as counted beside the profile (:func:`audit.inventory.all_months`, cached); from files,
    from the columns just read. A column that cannot be counted here is left to the kernel."""
    out = {}
    for col in time_columns(ds):
        try:
            months = months_of(reader, ds, col)
        except Exception:  # noqa: BLE001, S112 - counted, or reported, by the kernel
            continue
        out[col] = {str(m): int(n) for m, n in months.items()}
    return out


def _write_frame(path: Path, columns: dict[str, pd.Series]) -> dict[str, Any] | None:
    """The columns Arrow keeps as they are, in one IPC file: its name and those columns."""
    kept = {c: s for c, s in columns.items() if s.dtype != object}
    if not kept:
        return None
    table = pa.Table.from_pandas(pd.DataFrame(kept, copy=False), preserve_index=False)
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return {"file": path.name, "columns": list(kept)}


class Share:
    """The runner's share of a run, in a thread of its own (:func:`start`)."""

    def __init__(
        self,
        cfg: AuditConfig,
        run_tmp: Path,
        log: Callable[[str], None],
        opened: dict[str, Opened] | None = None,
    ) -> None:
        self.handoff = Handoff.create(run_tmp)
        self._opened = opened
        self._stop = threading.Event()
        self._log = log
        self._cfg = cfg
        self.thread = threading.Thread(target=self._work, name="audit-handoff", daemon=True)
        self.thread.start()

    def _work(self) -> None:
        t0 = time.monotonic()
        try:
            done, left = hand_over(self._cfg, self.handoff, self._stop, self._opened)
        except Exception as e:  # noqa: BLE001 - the kernels meet and report the same problem
            self._log(f"audit: handoff: stopped ({type(e).__name__}); the notebooks read the rest")
            return
        finally:
            give_back()  # the runner's share is done: what it read is the kernels' now
        self._log(
            f"audit: handoff: {done} dataset(s) read and profiled, and the scans' candidates "
            f"found, for the notebooks in {time.monotonic() - t0:.1f}s ({left} by the notebooks)"
        )

    def close(self, wait: bool = True) -> None:
        """Claim no more datasets; ``wait`` for the one being profiled (a run that stops
        early does not), then delete the handoff."""
        self._stop.set()
        if wait:
            self.thread.join()
        self.handoff.remove()


def start(
    cfg: AuditConfig,
    run_tmp: Path,
    log: Callable[[str], None],
    opened: dict[str, Opened] | None = None,
) -> Share | None:
    """Start the runner's share (on the datasets the run's preflight ``opened``, where
    given); None for a Spark config (no handoff)."""
    if any(src.engine == "spark" for src in cfg.sources.values()):
        return None
    return Share(cfg, run_tmp, log, opened)
