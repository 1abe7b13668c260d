"""A throwaway MariaDB server for the tests, run as the ``mysql`` user on a Unix socket.

``mariadbd`` refuses to run as root unless told to, and tests and CI run as root: the data
directory lives in a temporary folder owned by ``mysql``, the server listens only on a
socket (no TCP), and it is stopped and removed at the end of the session. The tests connect
as the server's root through the socket (``unix_socket`` authentication: the test process
is root), and each test database gets a read-only user ``audit`` the audit connects as.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

MARIADBD = Path("/usr/sbin/mariadbd")
INSTALL_DB = Path("/usr/bin/mariadb-install-db")


def available() -> str | None:
    """Why a server cannot be started here, or None when it can."""
    if not (MARIADBD.is_file() and INSTALL_DB.is_file()):
        return "MariaDB server not found (Debian: apt-get install mariadb-server)"
    try:
        pwd.getpwnam("mysql")
    except KeyError:
        return "no 'mysql' user to run the server as"
    return None


class Server:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="audit-mariadb-"))
        self.data, self.sock = self.root / "data", self.root / "mysqld.sock"
        if os.geteuid() == 0:
            shutil.chown(self.root, "mysql")
        subprocess.run(
            [
                str(INSTALL_DB),
                "--user=mysql",
                f"--datadir={self.data}",
                "--auth-root-authentication-method=socket",
                "--skip-test-db",
                "--no-defaults",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        self.proc = subprocess.Popen(
            [
                str(MARIADBD),
                "--no-defaults",
                "--user=mysql",
                f"--datadir={self.data}",
                f"--socket={self.sock}",
                f"--pid-file={self.root / 'mysqld.pid'}",
                "--skip-networking",
                "--innodb-buffer-pool-size=128M",
                "--innodb-flush-log-at-trx-commit=0",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_general_ci",  # case-insensitive, as most are
                "--default-time-zone=+02:00",  # not UTC, on purpose
                f"--log-error={self.root / 'error.log'}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(300):
            if self.sock.exists():
                try:
                    self._admin("SELECT 1")
                    break
                except Exception:
                    pass
            time.sleep(0.1)
        else:
            self.stop()
            raise RuntimeError(f"MariaDB did not start: see {self.root / 'error.log'}")

    def _admin(self, *statements: str, db: str | None = None) -> None:
        import pymysql

        con = pymysql.connect(unix_socket=str(self.sock), user="root", database=db, autocommit=True)
        try:
            with con.cursor() as cur:
                for s in statements:
                    cur.execute(s)
        finally:
            con.close()

    def url(self, db: str, user: str = "audit") -> str:
        """A SQLAlchemy URL on the socket."""
        return f"mysql+pymysql://{user}@localhost/{db}?unix_socket={self.sock}&charset=utf8mb4"

    def create_db(self, name: str) -> str:
        """A fresh database; returns the root's URL to load it (the read-only user ``audit``
        may read it: :meth:`url`)."""
        self._admin(
            f"DROP DATABASE IF EXISTS `{name}`",
            f"CREATE DATABASE `{name}`",
            "CREATE USER IF NOT EXISTS 'audit'@'localhost'",
            f"GRANT SELECT, SHOW VIEW ON `{name}`.* TO 'audit'@'localhost'",
        )
        return self.url(name, user="root")

    def stop(self) -> None:
        try:
            self.proc.terminate()
            self.proc.wait(timeout=30)
        except Exception:
            self.proc.kill()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
