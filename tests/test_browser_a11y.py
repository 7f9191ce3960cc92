"""Accessibility with axe-core (the copy bundled in axe-playwright-python, injected into the page, so
nothing is fetched): no serious or critical violation on the key pages, in light and dark mode.
Also saves screenshots of the key pages, light and dark, to test-artifacts/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ROOT
from .test_browser_offline import Recorder

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

KEY_PAGES = {
    "home": "/",
    "layer-index": "/compute/",
    "note": "/data/running-out-of-data/",
    "chart": "/charts/training-compute/",
    "slider-chart": "/charts/data-exhaustion/",
    "gallery": "/charts/",
    "dataset": "/datasets/ml-hardware/",
    "table": "/tables/gpt3-training-energy/",
}
AXE_PAGES = ("home", "layer-index", "note", "chart", "gallery", "table")


def axe_script() -> str:
    from axe_playwright_python.base import AXE_FILE_PATH

    return Path(AXE_FILE_PATH).read_text(encoding="utf-8")


@pytest.fixture(scope="module", params=["light", "dark"])
def scheme_page(request, browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=request.param)
    recorder = Recorder()
    recorder.attach(context)
    page = context.new_page()
    recorder.watch(page)

    def open_(name: str):
        recorder.label(page, name)
        page.goto(site_url + KEY_PAGES[name], wait_until="load")
        if page.locator(".lc-chart__view").count():
            page.wait_for_selector(".lc-chart--live .lc-chart__view svg", timeout=20000)
        recorder.settle(page)
        return page

    yield request.param, open_, recorder
    context.close()


def _describe(violation: dict) -> str:
    targets = [" ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"]) for node in violation["nodes"][:3]]
    return f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}"


@pytest.mark.parametrize("name", AXE_PAGES)
def test_no_serious_accessibility_violation(scheme_page, name):
    scheme, open_, recorder = scheme_page
    page = open_(name)
    assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == ("slate" if scheme == "dark" else "default")
    page.evaluate(axe_script())
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    serious = [_describe(v) for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], f"{name} ({scheme}):\n" + "\n".join(serious)
    assert recorder.problems() == []


@pytest.mark.parametrize("name", sorted(KEY_PAGES))
def test_screenshots_of_key_pages(scheme_page, name):
    scheme, open_, recorder = scheme_page
    page = open_(name)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{scheme}.png"
    page.screenshot(path=str(path), full_page=name in ("home", "chart", "slider-chart", "note"))
    assert path.stat().st_size > 10_000
    figure = page.locator("figure.lc-chart").first
    if figure.count():
        figure.scroll_into_view_if_needed()
        figure.screenshot(path=str(SCREENSHOTS / f"{name}-figure-{scheme}.png"))
        # The chart fits its column: nothing drawn wider than the figure.
        widths = page.evaluate(
            "() => { const f = document.querySelector('figure.lc-chart'); const s = f.querySelector('.lc-chart__view svg');"
            " return [f.getBoundingClientRect().width, s ? s.getBoundingClientRect().width : 0]; }"
        )
        assert widths[1] <= widths[0] + 1, f"{name}: chart {widths[1]}px wider than its figure {widths[0]}px"
    assert recorder.problems() == []
