"""Every page against WCAG 2.1 AA (the basis of JIS X 8341-3) in a real browser: scanned by axe-core,
and checked for reflow at 320 px, which axe does not test.

The app's Content-Security-Policy allows no script, so the scan's browser bypasses it to inject axe;
nothing else runs with it bypassed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import make_app
from tests.e2e.pages import DESKTOP
from tests.e2e.tour import NOT_PAGES, TOUR, Guide, Stop

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
REFLOW_WIDTH = 320  # CSS px: WCAG 2.1 SC 1.4.10, a 1280 px screen zoomed to 400 %
RUN_AXE = """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})"""


@pytest.fixture(scope="module")
def scanner(browser, showcase) -> Iterator[Guide]:
    site, records = showcase
    guide = Guide(browser, site, records, bypass_csp=True, viewport=DESKTOP)
    yield guide
    guide.close()


@pytest.fixture(scope="module")
def phone(browser, showcase) -> Iterator[Guide]:
    site, records = showcase
    guide = Guide(browser, site, records, viewport={"width": REFLOW_WIDTH, "height": 640})
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


# In parallel runs the scan and the reflow check each stay in one process, signing its people in once.
@pytest.mark.xdist_group("tour-scan")
@pytest.mark.parametrize("stop", TOUR, ids=lambda stop: stop.name)
def test_page_has_no_serious_or_critical_wcag_violation(stop: Stop, scanner, axe_source):
    page = scanner.show(stop)
    page.evaluate(axe_source)
    violations = page.evaluate(RUN_AXE, WCAG_21_AA)["violations"]
    assert [v for v in violations if v["impact"] in BLOCKING] == [], describe(violations)


@pytest.mark.xdist_group("tour-reflow")
@pytest.mark.parametrize("stop", TOUR, ids=lambda stop: stop.name)
def test_page_reflows_at_320_px_without_scrolling_sideways(stop: Stop, phone):
    page = phone.show(stop)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= REFLOW_WIDTH, f"{stop.name} is {width} px wide: wrap wide content in a scroll_box"
