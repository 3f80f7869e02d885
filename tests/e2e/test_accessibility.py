"""Every page against WCAG 2.1 AA (the basis of JIS X 8341-3) in a real browser: scanned by axe-core,
and checked for reflow at 320 px, which axe does not test. Each page is loaded once, at desktop width,
and then narrowed to 320 px, as zooming a 1280 px window to 400 % does.

The app's Content-Security-Policy allows no script, so the scan's browser bypasses it to inject axe;
nothing else runs with it bypassed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from tests.conftest import make_app
from tests.e2e.pages import DESKTOP
from tests.e2e.tour import NOT_PAGES, TOUR, Guide, Stop

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
REFLOW_WIDTH = 320  # CSS px: WCAG 2.1 SC 1.4.10, a 1280 px screen zoomed to 400 %
PHONE = {"width": REFLOW_WIDTH, "height": 640}
RUN_AXE = """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})"""


@pytest.fixture(scope="module")
def scanner(browser, showcase) -> Iterator[Guide]:
    site, records = showcase
    guide = Guide(browser, site, records, bypass_csp=True, viewport=DESKTOP)
    yield guide
    guide.close()


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['impact']}: {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        lines.extend(f"    {node['target']}: {node['html'][:160]}" for node in violation["nodes"][:5])
    return "\n".join(lines)


def test_the_tour_covers_every_page_of_the_app():
    app = make_app("sqlite://")
    pages = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())} - NOT_PAGES
    toured = {stop.endpoint for stop in TOUR if stop.endpoint}
    assert sorted(pages - toured) == [], "pages nobody scans: add them to tests/e2e/tour.py"
    assert sorted(toured - pages) == [], "tour stops for routes that are gone"


def assert_accessible(page: Page, axe_source: str, name: str) -> None:
    """The page as loaded (at desktop width) passes axe, then still fits when narrowed to 320 px."""
    page.evaluate(axe_source)
    violations = page.evaluate(RUN_AXE, WCAG_21_AA)["violations"]
    assert [v for v in violations if v["impact"] in BLOCKING] == [], describe(violations)
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= REFLOW_WIDTH, f"{name} is {width} px wide: wrap wide content in a scroll_box"
    page.set_viewport_size(DESKTOP)


# In parallel runs the tour stays in one process, signing its people in once.
@pytest.mark.xdist_group("tour")
@pytest.mark.parametrize("stop", TOUR, ids=lambda stop: stop.name)
def test_page_meets_wcag_2_1_aa_and_reflows_at_320_px(stop: Stop, scanner, axe_source):
    assert_accessible(scanner.show(stop), axe_source, stop.name)
