"""The README's screenshots are pages of the tour that `make screenshots` writes (screenshots.py)."""

from __future__ import annotations

import re

from elearn.config import PROJECT_ROOT
from tests.e2e.screenshots import FOLDER, SCREENSHOTS, WIDTHS
from tests.e2e.tour import TOUR


def test_every_screenshot_is_of_a_stop_on_the_tour():
    assert set(SCREENSHOTS.values()) <= {stop.name for stop in TOUR}


def test_the_readme_shows_screenshots_that_are_written_and_committed():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"docs/screenshots/([\w-]+\.png)", readme))
    written = {f"{name}-{device}.png" for name in SCREENSHOTS for device in WIDTHS}
    assert shown and shown <= written
    assert sorted(name for name in written if not (FOLDER / name).is_file()) == []
