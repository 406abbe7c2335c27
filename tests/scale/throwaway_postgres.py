"""A PostgreSQL server of a test's own: `initdb` into a temporary folder, `pg_ctl` on a free port, and gone at
the end. Tests that stop, freeze or kill the database use it, never the machine's shared cluster
(127.0.0.1:5432), which other suites and other people are using.

initdb refuses to run as root: when the tests run as root, the server runs as an unprivileged user (`postgres`,
else `nobody`) through `runuser`, in a folder that user owns. When that is impossible (no binaries, no such
user, no runuser), `ThrowawayUnavailable` says why, and the fixture skips with that reason."""
from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from tests.conftest_server import free_port

START_TIMEOUT_SECONDS = 60


class ThrowawayUnavailable(RuntimeError):
    pass


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda path: [int(part) if part.isdigit() else part for part in Path(path).parts])
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise ThrowawayUnavailable("no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin")


def _run_as() -> str | None:
    """The user the server runs as: None for the current user, or an unprivileged one when we are root."""
    if os.geteuid() != 0:
        return None
    if shutil.which("runuser") is None:
        raise ThrowawayUnavailable("running as root and runuser is missing: initdb refuses to run as root")
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise ThrowawayUnavailable("running as root and neither a postgres nor a nobody user exists to run initdb as")


@dataclass
class ThrowawayPostgres:
    bin: Path
    directory: Path
    port: int
    user: str | None

    @property
    def data(self) -> Path:
        return self.directory / "data"

    @property
    def log(self) -> Path:
        return self.directory / "server.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _command(self, *args: str, timeout: float = START_TIMEOUT_SECONDS) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=self.directory)

    def init(self) -> None:
        done = self._command("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                             "--locale=C", "--no-sync")
        if done.returncode != 0:
            raise ThrowawayUnavailable(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")

    def start(self) -> None:
        # its own port and socket folder: nothing it does can reach the machine's cluster on 5432
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} -c fsync=off "
                   "-c full_page_writes=off -c synchronous_commit=off")
        done = self._command("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
                             "-t", str(START_TIMEOUT_SECONDS), "start")
        if done.returncode != 0:
            raise RuntimeError(f"pg_ctl start failed: {done.stderr}\n{self.log.read_text(errors='replace')}")

    def stop(self, mode: str = "fast") -> None:
        self._command("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    binaries = _binaries()
    user = _run_as()
    directory = Path(tempfile.mkdtemp(prefix="mra-throwaway-pg-"))
    try:
        if user is not None:
            record = pwd.getpwnam(user)
            os.chown(directory, record.pw_uid, record.pw_gid)
        directory.chmod(0o700)
        server = ThrowawayPostgres(binaries, directory, free_port(), user)
        server.init()
        server.start()
        try:
            deadline = time.monotonic() + START_TIMEOUT_SECONDS
            while server._command("pg_isready", "-h", "127.0.0.1", "-p", str(server.port)).returncode != 0:
                if time.monotonic() > deadline:
                    raise RuntimeError("the throwaway PostgreSQL did not become ready")
                time.sleep(0.1)
            yield server
        finally:
            server.stop("immediate")
    finally:
        shutil.rmtree(directory, ignore_errors=True)
