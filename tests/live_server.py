"""A real server for tests: gunicorn with several worker processes on loopback, configured only through
the environment as in production, on a fresh database of the session's backend (SQLite or PostgreSQL).

    def test_something(live_server):
        live_server.url          # http://127.0.0.1:<port>
        live_server.database_url # the database it serves, for the test to prepare and inspect
        live_server.kill()       # SIGKILL to the master and every worker, mid-request if need be
        live_server.start()      # again, on the same database
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from elearn.config import PROJECT_ROOT
from tests.conftest import SECRET

WORKERS = 4
START_TIMEOUT = 120.0  # seconds for the workers to boot and /healthz to answer (a guard, not a timing)
STOP_TIMEOUT = 10.0
PORT_TRIES = 3


class PortTaken(RuntimeError):
    """gunicorn could not bind its port: another process has it."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """One gunicorn master and its workers, in a process group of their own."""

    def __init__(
        self,
        database_url: str,
        folder: Path,
        workers: int = WORKERS,
        environ: dict[str, str] | None = None,
        content_root: Path = PROJECT_ROOT,
    ) -> None:
        self.database_url = database_url
        self.extra_environ = environ or {}  # e.g. a test's mail server
        self.content_root = content_root
        self.folder = folder
        self.workers = workers
        self.port = free_port()
        self.log = folder / "gunicorn.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        environ = {k: v for k, v in os.environ.items() if not k.startswith(("ELEARN_", "DATABASE_URL"))}
        environ.update(
            DATABASE_URL=self.database_url,
            SECRET_KEY=SECRET,
            ELEARN_ENV="development",  # plain HTTP on loopback: production's cookies need HTTPS
            ELEARN_INSTANCE_PATH=str(self.folder / "instance"),
            ELEARN_CONTENT_ROOT=str(self.content_root),
        )
        environ.update(self.extra_environ)
        return environ

    def start(self) -> None:
        """Start, and wait until /healthz answers. A port that another process took between free_port()
        and gunicorn's bind (tests run in parallel) is given up for another, once or twice."""
        for _ in range(PORT_TRIES - 1):
            try:
                return self._start()
            except PortTaken:
                self.log.rename(self.log.with_name(f"gunicorn-port-{self.port}-taken.log"))
                self.port = free_port()
        return self._start()

    def _start(self) -> None:
        command = [
            sys.executable, "-m", "gunicorn",
            "--workers", str(self.workers),
            "--bind", f"127.0.0.1:{self.port}",
            "--chdir", str(PROJECT_ROOT),
            "--graceful-timeout", "5",
            "--timeout", "60",
            "wsgi:app",
        ]  # fmt: skip
        since = self.log.stat().st_size if self.log.exists() else 0  # a restart appends to the log
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, env=self.environment(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            self._wait_until_healthy(since)
        except BaseException:
            self.kill()
            raise

    def _wait_until_healthy(self, since: int) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                if "Connection in use" in self.output(since):
                    raise PortTaken(self.port)
                raise RuntimeError(f"gunicorn exited at start:\n{self.output()}")
            # Connections queue up while the workers boot: a slow answer is no answer yet. Until gunicorn
            # says it listens, an answer could come from another test's server that holds the port.
            listening = "Listening at:" in self.output(since)
            with contextlib.suppress(requests.RequestException):
                if listening and requests.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer /healthz within {START_TIMEOUT} s:\n{self.output()}")

    def kill(self) -> None:
        """SIGKILL to the whole process group: no worker gets to finish what it was doing."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=STOP_TIMEOUT)
        self.process = None

    def stop(self) -> None:
        """A quick stop (SIGQUIT to the master: workers end at once), SIGKILL if it takes too long."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGQUIT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=STOP_TIMEOUT)
        self.kill()  # the workers too, should any have outlived the master

    def output(self, since: int = 0) -> str:
        """What gunicorn and the app logged (from byte ``since`` of the log on)."""
        if not self.log.exists():
            return ""
        with self.log.open("rb") as log:
            log.seek(since)
            return log.read().decode(errors="replace")

    def server_errors(self) -> list[str]:
        """Tracebacks and errors gunicorn or the app logged."""
        return [line for line in self.output().splitlines() if "Traceback" in line or "[ERROR]" in line]


@pytest.fixture
def live_server(dbs, content_template, tmp_path) -> Iterator[LiveServer]:
    """gunicorn serving a fresh database with the content loaded and no people."""
    database_url = dbs.fresh(content_template)
    server = LiveServer(database_url, tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        dbs.drop(database_url)
