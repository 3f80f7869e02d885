"""A stand-in LMS for the exported package: scorm-again's SCORM 1.2 runtime in a parent page, the
package in a frame, both served over loopback HTTP from one folder (one origin, as in an LMS)."""

from __future__ import annotations

import io
import shutil
import subprocess
import threading
import zipfile
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from elearn.config import PROJECT_ROOT
from elearn.extensions import db
from elearn.models import Course
from elearn.services.audit import Actor
from elearn.services.scorm_export import export_scorm
from tests.e2e.conftest import unavailable

SCORM_AGAIN_FOLDER = PROJECT_ROOT / ".cache" / "scorm-again"
SCORM_AGAIN = SCORM_AGAIN_FOLDER / "node_modules" / "scorm-again" / "dist" / "scorm12.js"
SCORM_AGAIN_PACKAGE = "scorm-again@2"  # the same as the Makefile's
LMS_PAGE = Path(__file__).with_name("lms.html")
COURSE = "kihon-houshin"


@pytest.fixture(scope="session")
def scorm_again() -> Path:
    """scorm-again's SCORM 1.2 build, installed from the npm registry into .cache/ when missing."""
    if not SCORM_AGAIN.exists():
        npm = shutil.which("npm")
        if npm is None:
            unavailable("npm is missing: cannot install scorm-again (apt-get install npm)")
        subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                str(SCORM_AGAIN_FOLDER),
                "--no-audit",
                "--no-fund",
                SCORM_AGAIN_PACKAGE,
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return SCORM_AGAIN


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def quiz_changes() -> dict[str, object]:
    """Changes to the course's quiz rules before the export (a test parametrizes it)."""
    return {}


@pytest.fixture
def lms_url(app, scorm_again, quiz_changes, tmp_path) -> Iterator[str]:
    """The URL of the stand-in LMS, serving the package exported from the test database."""
    with app.app_context():
        version = db.session.scalar(select(Course).where(Course.key == COURSE)).current
        version.quiz_rules = {**version.quiz_rules, **quiz_changes}
        db.session.commit()
        package = export_scorm(Actor.command_line(), COURSE)
    zipfile.ZipFile(io.BytesIO(package.data)).extractall(tmp_path / "package")
    shutil.copy(LMS_PAGE, tmp_path / "lms.html")
    shutil.copy(scorm_again, tmp_path / "scorm12.js")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
