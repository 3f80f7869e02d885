"""Screenshots of the main pages at desktop and phone width, for reviewers who do not run the app.

`make screenshots` writes them to docs/screenshots/ (the README shows some of them); run it and commit
them when the pages change. `make test` does not: every page here is a stop of the tour, which
test_accessibility.py loads and checks at desktop width and at 320 px, so a test run would add only
the pictures, rewritten in the working tree. test_screenshot_list.py checks that the README shows
only pictures this writes.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from elearn.config import PROJECT_ROOT
from tests.e2e.tour import Guide, stop

FOLDER = PROJECT_ROOT / "docs" / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 375}
VIEWPORT_HEIGHT = {"desktop": 800, "phone": 812}
MAX_HEIGHT = {"desktop": 1200, "phone": 1400}  # px: long pages are cut, to keep the files small

# File name -> the stop of the tour it shows.
SCREENSHOTS = {
    "login": "login",
    "my-training": "my-training",
    "lesson": "lesson-kihon-houshin-02-teigi",
    "quiz-question": "quiz-question",
    "result": "result",
    "certificate": "certificate",
    "self-check": "self-check",
    "hr-dashboard": "hr-dashboard",
    "roster-preview": "roster-preview",
    "item-analysis": "item-analysis",
    "manager-view": "manager-view",
    "trainer-preview": "trainer-preview",
}


@pytest.fixture(scope="module", params=list(WIDTHS))
def photographer(request, browser, showcase) -> Iterator[tuple[str, Guide]]:
    site, records = showcase
    device = request.param
    viewport = {"width": WIDTHS[device], "height": VIEWPORT_HEIGHT[device]}
    guide = Guide(browser, site, records, viewport=viewport)
    yield device, guide
    guide.close()


@pytest.mark.parametrize("name", list(SCREENSHOTS))
def test_screenshot_of_main_page(name, photographer):
    device, guide = photographer
    page = guide.show(stop(SCREENSHOTS[name]))
    height = page.evaluate("document.documentElement.scrollHeight")
    FOLDER.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=FOLDER / f"{name}-{device}.png",
        full_page=True,
        clip={"x": 0, "y": 0, "width": WIDTHS[device], "height": min(height, MAX_HEIGHT[device])},
        animations="disabled",
        caret="hide",
    )
