"""Warm kernels: a run's notebooks execute one after another in kernels started once.

A kernel costs a Python start and, above all, the import of great-expectations (about 4 s
here). A run starts its kernels first, and each imports what the notebooks use while the
caller does other work (the preflight); then papermill executes each notebook in the next
free kernel, its user namespace cleared first so that a notebook sees no variable of the
one before. What the modules keep stays: the opened audit of the run, with each dataset's
columns read once and its profile computed once (:func:`audit.notebook.open_audit`).

papermill runs each notebook through the engine ``audit-warm`` (:class:`WarmEngine`), which
reuses this thread's client of the kernel instead of connecting a new one (0.2 s each).
A kernel that died (killed, out of memory) is replaced before its next notebook, and so is
one that dies before it answers its first request.

A kernel listens on Unix sockets in a private folder of its own (:mod:`audit.scratch`), not
on TCP ports: jupyter picks a kernel's ports by opening and closing them, and another process
(a second run at the same time, a database, Spark) could take one before the kernel opens it
again; the kernel then stopped at its start, and the run waited ten minutes for its answer.
Where that folder's path is too long for a Unix socket, or off POSIX, the kernel uses TCP.
"""

from __future__ import annotations

import gc
import json
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import scratch
from .errors import KernelFailed

if TYPE_CHECKING:
    from .config import AuditConfig

#: what every notebook imports, run in each kernel as soon as it starts
WARM = (
    "import os\n"
    "os.environ.setdefault('GX_ANALYTICS_ENABLED', 'false')\n"
    "import audit.memory\n"
    "audit.memory.keep_freed()\n"
    "import audit.notebook, audit.report\n"
)
#: the user namespace emptied between notebooks (IPython's own ``%reset`` also collects
#: garbage, 0.4 s after a notebook here; the names are what a notebook could read by mistake)
CLEAR = (
    "_ip = get_ipython()\n"
    "for _k in [k for k in _ip.user_ns if k not in _ip.user_ns_hidden and not k.startswith('_')]:\n"
    "    del _ip.user_ns[_k]\n"
    "del _ip, _k\n"
)
ENGINE = "audit-warm"
#: the project's kernel (:func:`ensure_kernel`)
KERNEL = "spectra-audit"
_QUIET = "--IPKernelApp.log_level=ERROR"
#: a run's kernels keep no IPython history: each cell written to a database that every
#: kernel on the machine shares took 0.2 s of a sample run (an analyst's kernel keeps it)
NO_HISTORY = "--HistoryManager.enabled=False"
#: how a kernel's folder of sockets is named (:mod:`audit.scratch`)
SOCKETS = "audit-kernel-"
#: the longest path a Unix socket can have (``sun_path`` holds 108 bytes with its end)
UNIX_PATH_MAX = 107
#: how long a live kernel may take to answer its first request (the warm-up imports)
ANSWER_S = 600
#: how many kernels in a row may die before they answer, before the run gives up
STARTS = 3


def ensure_kernel() -> str:
    """Install the project's kernel for this Python if it is missing or points elsewhere.

    Scheduled runs (cron, Airflow) resolve a bare ``python3`` kernel to whatever Python they
    find; a named kernel bound to this interpreter runs the notebooks where ``audit`` lives.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL)
        if (
            spec.argv
            and Path(spec.argv[0]).resolve() == Path(sys.executable).resolve()
            and _QUIET in spec.argv
        ):
            return KERNEL
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    folder = Path(
        install(kernel_name=KERNEL, display_name="SPECTRA audit (Python 3)", prefix=sys.prefix)
    )
    spec_file = folder / "kernel.json"
    data = json.loads(spec_file.read_text())
    data["argv"] = [*data["argv"], _QUIET]
    spec_file.write_text(json.dumps(data, indent=1))
    return KERNEL


def start_kernels(cfg: AuditConfig, workers: int, notebooks: int) -> Kernels:
    """The kernels of a run of ``cfg`` (``workers``, at most one per notebook), started and
    warming up in the background while the caller does other work. With a Spark source,
    each is shut down gracefully (its Spark application then ends)."""
    ensure_kernel()
    spark = any(s.kind == "spark" for s in cfg.sources.values())
    return Kernels(max(1, min(workers, notebooks)), KERNEL, graceful=spark)


class Kernels:
    """``n`` kernels of ``kernel_name``, started at once and warmed in the background."""

    def __init__(self, n: int, kernel_name: str, graceful: bool = False) -> None:
        self.kernel_name = kernel_name
        #: shut down by request, so that the kernel's exit hooks run (a Spark application
        #: then ends as finished, not lost), or at once
        self.graceful = graceful
        self._free: queue.Queue[Any] = queue.Queue()
        self._all: list[Any] = []
        self._clients: list[tuple[int, Any]] = []  # (id of kernel, client), every thread's
        self._local = threading.local()
        self._lock = threading.Lock()
        #: why the run's kernels failed (no later notebook starts or waits for one again)
        self._failed: KernelFailed | None = None
        for _ in range(max(1, n)):
            self._add()
        _register_engine()  # papermill's import, while the kernels start

    def _add(self, offer: bool = True) -> Any:
        km = _manager(self.kernel_name)
        km.start_kernel(extra_arguments=[NO_HISTORY])
        self.client(km).execute(WARM, silent=True, store_history=False)  # runs meanwhile
        with self._lock:
            self._all.append(km)
        if offer:
            self._free.put(km)
        return km

    def client(self, km: Any) -> Any:
        """This thread's client of kernel ``km`` (a client's sockets serve the thread that
        made them), connected once."""
        mine: dict[int, Any] = self._local.__dict__.setdefault("clients", {})
        kc = mine.get(id(km))
        if kc is None:
            kc = mine[id(km)] = km.client()
            kc.start_channels()
            with self._lock:
                self._clients.append((id(km), kc))
        return kc

    def __len__(self) -> int:
        return len(self._all)

    def keep(self, n: int) -> None:
        """Shut down all but ``n`` kernels (a Spark cluster with room for fewer)."""
        while len(self._all) > max(1, n):
            self._drop(self._free.get())

    def _drop(self, km: Any) -> None:
        """Shut kernel ``km`` down, with its clients and its folder of sockets."""
        with self._lock:
            self._all.remove(km)
            clients = [kc for k, kc in self._clients if k == id(km)]
            self._clients = [(k, kc) for k, kc in self._clients if k != id(km)]
        for kc in clients:
            with suppress(Exception):
                kc.stop_channels()
            if getattr(kc, "_created_context", False):  # its own zmq context: an IO thread
                with suppress(Exception):
                    kc.context.destroy(linger=0)
        with suppress(Exception):
            km.shutdown_kernel(now=not self.graceful)
        if km.folder is not None:
            scratch.remove(km.folder)

    @contextmanager
    def kernel(self) -> Iterator[tuple[Any, Any]]:
        """The next free kernel, alive, warm and with an empty user namespace, and this
        thread's client of it (for :func:`audit.runner.execute`). One that died, or dies
        before it answers, is replaced; KernelFailed when :data:`STARTS` in a row do, or
        one lives but does not answer, and from then on at once for every later request."""
        if self._failed is not None:
            raise self._failed
        km = self._free.get()
        try:
            for _ in range(STARTS):
                if km is None:
                    km = self._add(offer=False)
                if km.is_alive():
                    kc = self.client(km)
                    # the reply comes after the warm-up's: the kernel runs requests in turn
                    if _answered(km, kc, kc.execute(CLEAR, silent=True, store_history=False)):
                        break
                self._drop(km)  # killed, out of memory, or it could not open its sockets
                km = None
            else:
                raise KernelFailed(
                    f"the notebooks' kernel stopped before it answered, {STARTS} times in a row "
                    "(its own messages, if it wrote any, are above); check that "
                    f"`{sys.executable} -m ipykernel_launcher --help` runs"
                )
            yield km, kc
        except KernelFailed as e:
            self._failed = e
            raise
        finally:
            if km is not None:
                self._free.put(km)

    def map(self, work: Callable[[Any, Any, str], None], names: list[str]) -> None:
        """``work(kernel, client, name)`` for every name, as many at once as there are
        kernels."""
        from concurrent.futures import ThreadPoolExecutor

        def one(name: str) -> None:
            with self.kernel() as (km, kc):
                work(km, kc, name)

        with ThreadPoolExecutor(max_workers=len(self._all)) as pool:
            list(pool.map(one, names))

    def close(self) -> None:
        """Shut every kernel down (at once: a graceful shutdown takes a second each)."""
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=max(1, len(self._all))) as pool:
            list(pool.map(self._drop, list(self._all)))
        # clients and channels refer to each other: collect them now, with their sockets and
        # zmq contexts, not whenever the collector next runs (a process that runs many
        # audits, a test session, ran out of file descriptors waiting for it)
        gc.collect()


def _answered(km: Any, kc: Any, sent: str) -> bool:
    """Whether the kernel answered request ``sent`` (False: it stopped first); KernelFailed
    when it lives but has not answered in :data:`ANSWER_S` seconds."""
    deadline = time.monotonic() + ANSWER_S
    while time.monotonic() < deadline:
        try:
            reply = kc.get_shell_msg(timeout=1)
        except queue.Empty:
            if not km.is_alive():
                return False
            continue
        if reply["parent_header"].get("msg_id") == sent:
            return True
    raise KernelFailed(
        f"the notebooks' kernel did not answer in {ANSWER_S} s; re-run, or look for what holds "
        "the machine's processors or memory"
    )


def _manager(kernel_name: str) -> Any:
    """A kernel manager whose kernel listens on Unix sockets in a private folder, where the
    platform and the folder's path allow (else on TCP ports), and whose every client has a
    session of its own.

    A client's sockets take their session's id as their identity, and the kernel's shell
    socket drops messages from a second peer with the identity of one still connected: the
    clients of two threads would share the manager's session, and a request could be lost
    (seen here: a request waiting forever for its reply)."""
    from jupyter_client.manager import KernelManager
    from jupyter_client.session import Session

    class Manager(KernelManager):
        #: the kernel's private folder of sockets, or None on TCP
        folder: Path | None = None

        def client(self, **kwargs: Any) -> Any:
            own = Session(
                key=self.session.key,
                signature_scheme=self.session.signature_scheme,
                username=self.session.username,
            )
            return super().client(session=own, **kwargs)

    km = Manager(kernel_name=kernel_name)
    if os.name != "posix":
        return km
    folder = scratch.make(SOCKETS)
    sockets = folder / "k"  # jupyter names them k-1 to k-5
    if len(os.fsencode(f"{sockets}-99")) > UNIX_PATH_MAX:
        scratch.remove(folder)
        return km
    km.folder = folder
    km.transport = "ipc"
    km.ip = str(sockets)
    km.connection_file = str(folder / "kernel.json")
    return km


_registered = threading.Lock()


def _register_engine() -> None:
    """papermill's engine ``audit-warm``: its NBClient engine, given the client to use."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    with _registered:
        if ENGINE in papermill_engines._engines:
            return

        class Client(PapermillNotebookClient):
            def __init__(self, nb_man: Any, km: Any = None, kc: Any = None, **kw: Any) -> None:
                super().__init__(nb_man, km=km, **kw)
                self.kc = kc  # connected: no new client, no wait for the kernel
                if kc is not None:
                    kc.allow_stdin = False

        class WarmEngine(NBClientEngine):
            @classmethod
            def execute_managed_notebook(
                cls,
                nb_man: Any,
                kernel_name: str,
                log_output: bool = False,
                stdout_file: Any = None,
                stderr_file: Any = None,
                start_timeout: int = 60,
                execution_timeout: int | None = None,
                **kwargs: Any,
            ) -> Any:
                kwargs = remove_args(["input_path"], **kwargs)
                safe = remove_args(["timeout", "startup_timeout"], **kwargs)
                final = merge_kwargs(
                    safe,
                    timeout=execution_timeout or kwargs.get("timeout"),
                    startup_timeout=start_timeout,
                    kernel_name=kernel_name,
                    log=logger,
                    log_output=log_output,
                    stdout_file=stdout_file,
                    stderr_file=stderr_file,
                )
                return Client(nb_man, **final).execute()

        papermill_engines.register(ENGINE, WarmEngine)
