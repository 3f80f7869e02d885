"""Browser fixtures: Debian's chromium driven by Playwright against the live server (tests/live_server.py).

Every flow runs with JavaScript off, since every page must work without it. With it on, the browser
would run nothing more: no page of the app has a script (tests/security/test_escaping.py sweeps every
page for every role) and every response's Content-Security-Policy forbids one, so the flow would take
the same steps over the same markup. Pages with scripting on are still rendered and checked by the
tour's scan (tests/e2e/test_accessibility.py), and the SCORM package, the one part with a script, has
its runtime tests (tests/e2e/scorm/). Without chromium or npm the tests are skipped on a workstation
and fail in CI (CI=true), so that a missing package cannot pass for a green run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from elearn.config import PROJECT_ROOT
from tests.e2e.organisation import Showcase, Site, seed_demo_organisation, seed_showcase
from tests.e2e.pages import DESKTOP, TIMEOUT_MS
from tests.live_server import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_FOLDER = PROJECT_ROOT / ".cache" / "axe"
AXE_SOURCE = AXE_FOLDER / "node_modules" / "axe-core" / "axe.min.js"
AXE_PACKAGE = "axe-core@4"  # the same as the Makefile's

# One worker rather than the fixture's four: the tests wait for each page before the next step, and
# every worker imports the whole app at start, for every test. Several workers are tested in
# tests/reliability, where requests do arrive at once.
WORKERS = 1


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def unavailable(reason: str) -> None:
    """Skip on a workstation; fail in CI, where the browser tests must run."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: the browser tests must not be skipped)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium fonts-noto-cjk)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's source, installed from the npm registry into .cache/axe when missing."""
    if not AXE_SOURCE.exists():
        npm = shutil.which("npm")
        if npm is None:
            unavailable("npm is missing: cannot install axe-core (apt-get install npm)")
        subprocess.run(
            [npm, "install", "--prefix", str(AXE_FOLDER), "--no-audit", "--no-fund", AXE_PACKAGE],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return AXE_SOURCE.read_text(encoding="utf-8")


@contextmanager
def serving(
    database_url: str,
    folder: Path,
    environ: dict[str, str] | None = None,
    content_root: Path = PROJECT_ROOT,
) -> Iterator[Site]:
    """gunicorn on loopback serving the database; any traceback it logged fails the test."""
    server = LiveServer(database_url, folder, workers=WORKERS, environ=environ, content_root=content_root)
    server.start()
    try:
        yield Site(server)
        # Read before stopping: a worker still booting when told to quit logs a traceback of its own.
        errors = server.server_errors()
    finally:
        server.stop()
    assert errors == [], server.output()


@pytest.fixture(scope="session")
def demo_template(dbs, content_template) -> str:
    """The content and the demo organisation, seeded once (passwords take a while to hash) and copied
    for each test."""
    url = dbs.create("demo", content_template)
    seed_demo_organisation(url)
    return url


@pytest.fixture
def site(dbs, demo_template, tmp_path) -> Iterator[Site]:
    """A live server of the test's own, on a fresh copy of the demo organisation."""
    url = dbs.fresh(demo_template)
    try:
        with serving(url, tmp_path) as running:
            yield running
    finally:
        dbs.drop(url)


@pytest.fixture
def open_tab(browser: Browser, site: Site) -> Iterator[Callable[[], Page]]:
    """Opens a tab in a browser of its own (own cookies): one per person in the test."""
    contexts = []

    def open_new() -> Page:
        context = browser.new_context(
            base_url=site.url, java_script_enabled=False, locale="ja-JP", viewport=DESKTOP
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_new
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def showcase(dbs, demo_template, tmp_path_factory) -> Iterator[tuple[Site, Showcase]]:
    """A live server on the demo organisation some months into the year, for the tour of every page.
    Only looked at, never changed: the scan and the screenshots share it."""
    url = dbs.create("showcase", demo_template)
    records = seed_showcase(url)
    try:
        with serving(url, tmp_path_factory.mktemp("showcase")) as running:
            yield running, records
    finally:
        dbs.drop(url)
