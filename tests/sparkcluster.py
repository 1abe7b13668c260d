"""A throwaway Spark standalone cluster on 127.0.0.1: a master and workers started with the
``spark-class`` script of the pyspark wheel (Java from Debian), stopped whatever happens."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from .conftest import JVM_OPTIONS


def spark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).resolve().parent


def available() -> str | None:
    """Why a cluster cannot start here, or None."""
    from audit import spark

    why = spark.available()
    if why:
        return why
    if not (spark_home() / "bin" / "spark-class").is_file():
        return "the pyspark wheel has no bin/spark-class"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """``Cluster()`` starts a master; :meth:`add_worker` a worker with some cores."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="sparkcluster-"))
        self.port, self.ui = _free_port(), _free_port()
        self.master = f"spark://127.0.0.1:{self.port}"
        self.procs: list[subprocess.Popen[bytes]] = []
        self.env = {
            **os.environ,
            "SPARK_HOME": str(spark_home()),
            "SPARK_LOCAL_IP": "127.0.0.1",
            "SPARK_LOG_DIR": str(self.dir / "logs"),
            "SPARK_WORKER_DIR": str(self.dir / "work"),
            "SPARK_DAEMON_JAVA_OPTS": JVM_OPTIONS,
        }
        try:
            self._start("master", "org.apache.spark.deploy.master.Master",
                        "--host", "127.0.0.1", "--port", str(self.port),
                        "--webui-port", str(self.ui))  # fmt: skip
            self._until(lambda s: s.get("status") == "ALIVE", "the master to start")
        except BaseException:
            self.stop()
            raise

    def _start(self, name: str, cls: str, *args: str) -> None:
        script = spark_home() / "bin" / "spark-class"
        log = open(self.dir / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        self.procs.append(
            subprocess.Popen(
                [str(script), cls, *args],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # spark-class execs java: stop the whole group
            )
        )

    def status(self) -> dict:
        """The master's own JSON status (workers, cores, applications)."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.ui}/json/", timeout=5) as r:
            return json.loads(r.read())

    def _until(self, ok, what: str, limit: float = 90) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                if ok(self.status()):
                    return
            except OSError:
                pass
            time.sleep(0.5)
        logs = "\n".join(p.read_text(errors="replace")[-2000:] for p in self.dir.glob("*.log"))
        raise RuntimeError(f"waited {limit} s for {what}\n{logs}")

    def add_worker(self, cores: int, memory: str = "2g") -> None:
        n = len(self.procs)
        self._start(f"worker{n}", "org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1", "--cores", str(cores), "--memory", memory,
                    "--webui-port", str(_free_port()), "--work-dir", str(self.dir / f"work{n}"),
                    self.master)  # fmt: skip
        self._until(lambda s: s.get("aliveworkers", 0) >= n, f"worker {n} to register")

    def stop(self) -> None:
        for p in reversed(self.procs):
            if p.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(p.pid, signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        shutil.rmtree(self.dir, ignore_errors=True)
