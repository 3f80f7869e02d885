"""A stand-in LMS for the exported package: scorm-again's SCORM 1.2 runtime in a parent page, the
package in a frame, both served over loopback HTTP from one folder (one origin, as in an LMS)."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
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
from tests.scorm.packages import files, package_course

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


@contextmanager
def serving(files: dict[str, bytes], scorm_again: Path, folder: Path) -> Iterator[str]:
    """The stand-in LMS with this package, served over loopback HTTP while the block runs."""
    for path, data in files.items():
        (folder / "package" / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / "package" / path).write_bytes(data)
    shutil.copy(LMS_PAGE, folder / "lms.html")
    shutil.copy(scorm_again, folder / "scorm12.js")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def lms_url(app, scorm_again, quiz_changes, tmp_path) -> Iterator[str]:
    """The URL of the stand-in LMS, serving the package exported from the test database."""
    with app.app_context():
        version = db.session.scalar(select(Course).where(Course.key == COURSE)).current
        version.quiz_rules = {**version.quiz_rules, **quiz_changes}
        db.session.commit()
        package = export_scorm(Actor.command_line(), COURSE)
    with zipfile.ZipFile(io.BytesIO(package.data)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    with serving(files, scorm_again, tmp_path) as url:
        yield url


@pytest.fixture
def course_lms(scorm_again, tmp_path) -> Iterator[Callable[..., str]]:
    """Serves the package of the course as written in the repository with some of its rules changed
    (review, completion, quiz_after_lessons: rules the database does not keep yet); returns its URL."""
    with ExitStack() as servers:

        def serve(**changes: object) -> str:
            folder = Path(tempfile.mkdtemp(dir=tmp_path))
            return servers.enter_context(serving(files(package_course(**changes)), scorm_again, folder))

        yield serve
