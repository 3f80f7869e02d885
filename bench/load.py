"""Load on a server: wrk at full speed over prepared requests, or simulated users pausing between them."""

from __future__ import annotations

import itertools
import json
import math
import random
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.endpoints import Endpoint, send_line

REPLAY_SCRIPT = Path(__file__).resolve().parent / "wrk" / "replay.lua"


@dataclass(frozen=True)
class Load:
    """What one wrk run measured."""

    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    repeated: bool  # a request meant to be sent once was sent again
    server_cpu_ms: float = 0.0  # CPU time of the server's processes per request

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run_wrk(
    base_url: str, lines_file: Path, seconds: float, connections: int, threads: int, once: bool = False
) -> Load:
    """One wrk run over the prepared requests; its Lua script prints the figures as JSON."""
    command = [
        "wrk", f"--threads={threads}", f"--connections={connections}",
        f"--duration={max(1, round(seconds))}s", "--timeout=30s", f"--script={REPLAY_SCRIPT}", base_url,
        "--", str(lines_file), str(threads), "once" if once else "cycle",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 120)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return Load(
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        p50_ms=figures["p50_us"] / 1000,
        p95_ms=figures["p95_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        errors=sum(figures[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors"))
        + figures["timeouts"],
        repeated=once and figures["threads_repeated"] > 0,
    )


def run_users(
    base_url: str, lines: Sequence[str], seconds: float, users: int, think_ms: int, endpoint: Endpoint
) -> Load:
    """``users`` simulated users, each pausing a random 0.5 to 1.5 times ``think_ms`` before each request.

    Not wrk: wrk opens the next connection before pausing, and gunicorn's sync workers (made to sit
    behind a buffering proxy) would each wait on an idle connection. A user here connects when they
    click, as through the proxy; a thread per user is plenty at this pace (a few dozen requests/s).
    """
    queue = iter(lines) if endpoint.once else itertools.cycle(lines)
    lock = threading.Lock()
    latencies: list[float] = []
    errors = repeated = 0
    deadline = time.monotonic() + seconds

    def user(number: int) -> None:
        nonlocal errors, repeated
        rng = random.Random(number)
        while True:
            time.sleep(rng.uniform(0.5, 1.5) * think_ms / 1000)
            if time.monotonic() >= deadline:
                return
            with lock:
                request_line = next(queue, None)
            if request_line is None:
                with lock:
                    repeated += 1
                return
            start = time.perf_counter()
            try:
                status, _, location = send_line(base_url, request_line)
                ok = status == endpoint.status and "/login" not in location
            except OSError:
                ok = False
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                errors += not ok

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ranked = sorted(latencies) or [0.0]

    def percentile(p: float) -> float:
        return 1000 * ranked[min(len(ranked) - 1, math.ceil(p / 100 * len(ranked)) - 1)]

    return Load(
        requests=len(latencies),
        seconds=seconds,  # requests are sent until the deadline; the last answers may come after it
        p50_ms=percentile(50),
        p95_ms=percentile(95),
        p99_ms=percentile(99),
        errors=errors,
        repeated=repeated > 0,
    )
