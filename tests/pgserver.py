"""A throwaway PostgreSQL 15 server for the tests, run as the ``postgres`` user.

``initdb`` and ``postgres`` refuse to run as root, and tests and CI run as root: the cluster
lives in a temporary folder owned by ``postgres``, listens only on a Unix socket, and is
stopped and removed at the end of the session.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

BIN = Path("/usr/lib/postgresql/15/bin")


def available() -> str | None:
    """Why a server cannot be started here, or None when it can."""
    if not (BIN / "initdb").is_file():
        return "PostgreSQL 15 server binaries not found (Debian: apt-get install postgresql-15)"
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "no 'postgres' user to run the server as"
    return None


def _as_postgres(args: list[str], **kw) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


class Server:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="audit-pg-"))
        self.data, self.sock = self.root / "data", self.root / "sock"
        self.sock.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.sock, "postgres")
        self.port = 54329 + os.getpid() % 500
        _as_postgres(
            [
                str(BIN / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
            ]
        )
        _as_postgres(
            [
                str(BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-w",
                "-l",
                str(self.root / "log"),
                "-o",
                f"-p {self.port} -k {self.sock} -c listen_addresses='' -c fsync=off -c TimeZone=Europe/Berlin",
                "start",
            ]
        )
        for _ in range(50):
            if (self.sock / f".s.PGSQL.{self.port}").exists():
                break
            time.sleep(0.1)

    def url(self, db: str = "postgres") -> str:
        """A SQLAlchemy URL (the server's own time zone is deliberately not UTC)."""
        return f"postgresql+psycopg://postgres@/{db}?host={self.sock}&port={self.port}"

    def create_db(self, name: str) -> str:
        import psycopg

        with psycopg.connect(
            host=str(self.sock), port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}"')
            c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            _as_postgres([str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"])
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
