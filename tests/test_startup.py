"""What a process loads at start. Every gunicorn worker and every `elearn` command imports the whole
app before it does anything, so the libraries of a single feature load with that feature's first use:
openpyxl with the first spreadsheet, markdownify (and BeautifulSoup) with the first content export.
That they work when used is tested with the features (tests/services/test_exports.py,
tests/content/test_export.py)."""

from __future__ import annotations

import os
import subprocess
import sys

from elearn.config import PROJECT_ROOT

LOADED_ON_FIRST_USE = ["openpyxl", "markdownify", "bs4"]
# Prints the names of those (given as arguments) that importing the app loaded.
LOADED_AT_START = "import sys, wsgi; print(*{name.split('.')[0] for name in sys.modules} & set(sys.argv[1:]))"


def test_starting_the_app_loads_no_library_that_only_one_feature_uses(tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("ELEARN_", "DATABASE_URL"))}
    environ.update(DATABASE_URL=f"sqlite:///{tmp_path / 'app.db'}", ELEARN_INSTANCE_PATH=str(tmp_path))
    started = subprocess.run(
        [sys.executable, "-c", LOADED_AT_START, *LOADED_ON_FIRST_USE],
        cwd=PROJECT_ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert started.stdout.split() == []
