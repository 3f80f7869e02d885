"""gunicorn serving an app on a free loopback port for the benchmarks, as production would run it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bench.generate import SECRET_KEY

PROJECT_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0


class GunicornServer:
    """gunicorn serving ``app`` on a free loopback port, in a process group of its own."""

    def __init__(
        self, app: str, environ: dict[str, str], workers: int, log: Path, root: Path = PROJECT_ROOT
    ) -> None:
        self.app = app
        self.root = root
        # The app's own tree first, so that another checkout (--app-root) is what gets imported.
        self.environ = {**environ, "PYTHONPATH": str(root)}
        self.workers = workers
        self.log = log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            sys.executable, "-m", "gunicorn",
            "--workers", str(self.workers),
            "--bind", f"127.0.0.1:{self.port}",
            "--chdir", str(self.root),
            "--timeout", "120",
            "--graceful-timeout", "5",
            self.app,
        ]  # fmt: skip
        self.check_imports()
        with self.log.open("ab") as log:
            # Started in the app's tree: ``python -m`` puts the working directory first on sys.path,
            # before PYTHONPATH, and the project's editable install would then serve this checkout.
            self.process = subprocess.Popen(
                command,
                cwd=self.root,
                env=self.environ,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.app} exited at start:\n{self.log.read_text(errors='replace')}")
            with contextlib.suppress(OSError):
                if http_status(f"{self.url}/healthz") == 200:
                    return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.app} did not answer /healthz within {START_TIMEOUT:.0f} s")

    def check_imports(self) -> None:
        """Refuse to measure another checkout's code than the one asked for."""
        found = subprocess.run(
            [sys.executable, "-c", "import elearn; print(elearn.__file__)"],
            cwd=self.root,
            env=self.environ,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if not Path(found).resolve().is_relative_to(self.root.resolve()):
            raise RuntimeError(f"the server would import elearn from {found}, not from {self.root}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and its workers (from /proc, Linux only)."""
        if self.process is None:
            return 0.0
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        ticks = 0
        for pid in [master, *map(int, children)]:
            with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])  # utime and stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def errors(self) -> list[str]:
        lines = self.log.read_text(errors="replace").splitlines() if self.log.exists() else []
        return [line for line in lines if "Traceback" in line or "[ERROR]" in line]


@contextlib.contextmanager
def serving(
    app: str, environ: dict[str, str], workers: int, log: Path, root: Path = PROJECT_ROOT
) -> Iterator[GunicornServer]:
    server = GunicornServer(app, environ, workers, log, root)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_status(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status


def server_environment(database_url: str, folder: Path) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("ELEARN_", "DATABASE_URL"))}
    environ.update(
        DATABASE_URL=database_url,
        SECRET_KEY=SECRET_KEY,
        ELEARN_ENV="production",
        ELEARN_INSTANCE_PATH=str(folder / "instance"),
        ELEARN_CONTENT_ROOT=str(PROJECT_ROOT),
    )
    return environ
