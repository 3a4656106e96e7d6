"""A throwaway PostgreSQL server for the test suite.

Debian's `postgresql` package (installed by `packaging/setup-debian.sh --dev`) ships the server
binaries outside PATH; this finds them, makes a cluster in a temporary folder with `initdb`,
and starts it listening on loopback only, on a free port, with no Unix socket. PostgreSQL
refuses to run as root, so under root (CI containers) the cluster belongs to the `postgres`
user the package creates.

Each test gets its own database, cloned from a migrated template with CREATE DATABASE ...
TEMPLATE, which takes milliseconds.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, text

SUPERUSER = "rightsdesk"


class PostgresUnavailable(RuntimeError):
    pass


def _binaries() -> Path:
    for found in sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True):
        return Path(found).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    raise PostgresUnavailable(
        "PostgreSQL's server is not installed; the tests run against it as well as SQLite. "
        "Install it with: bash packaging/setup-debian.sh --dev")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    def __init__(self) -> None:
        self.bin = _binaries()
        self.folder = Path(tempfile.mkdtemp(prefix="rightsdesk-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self._as: list[str] = []
        self._admin: Engine | None = None
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError as missing:
                raise PostgresUnavailable("running as root needs the 'postgres' user Debian's package creates") from missing
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *command: str) -> None:
        done = subprocess.run([*self._as, *command], capture_output=True, text=True, cwd=self.folder)
        if done.returncode:
            raise PostgresUnavailable(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")

    def start(self) -> PostgresServer:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        # Loopback only, no socket file; fsync off because a test cluster is thrown away.
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories='' "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"),
                  "-o", options, "-w", "start")
        return self

    def stop(self) -> None:
        if self._admin is not None:
            self._admin.dispose()
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> URL:
        return URL.create("postgresql+psycopg", username=SUPERUSER, host="127.0.0.1", port=self.port,
                          database=database)

    def execute(self, statement: str) -> None:
        """One statement outside a transaction (CREATE/DROP DATABASE need that), on one
        connection pool kept for the server's life rather than one per clone."""
        if self._admin is None:
            self._admin = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with self._admin.connect() as connection:
            connection.execute(text(statement))

    def create_database(self, name: str, template: str | None = None) -> URL:
        # FILE_COPY: a straight copy of the template's files, six times faster than the default
        # for these small databases (the checkpoint it needs is cheap with fsync off).
        self.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
