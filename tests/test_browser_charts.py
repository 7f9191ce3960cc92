"""Charts in Debian's Chromium: the static SVG without JavaScript; the interactive view with a tooltip;
downloads holding the rows drawn; dark mode; the slider of charts/data-exhaustion.yaml; every chart page
at a phone width (390 px, device scale 2) and a desktop one (1,400 px)."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import urljoin

import pytest

from .test_browser_offline import Recorder

pytestmark = pytest.mark.browser

CHART = "training-compute"  # a scatter chart with tooltips and trend lines
SLIDER_CHART = "data-exhaustion"  # has the `growth` param
LIVE_SVG = ".lc-chart--live .lc-chart__view svg"


@pytest.fixture
def open_page(browser, site_url):
    """open_page(path, **context options) -> (page, recorder); every context is closed afterwards."""
    contexts = []

    def opener(path: str, **options):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
        contexts.append(context)
        recorder = Recorder()
        recorder.attach(context)
        page = context.new_page()
        recorder.watch(page, path)
        page.goto(site_url + path, wait_until="load")
        return page, recorder

    yield opener
    for context in contexts:
        context.close()


def test_static_svg_is_visible_without_javascript(open_page):
    for path in (f"/charts/{CHART}/", "/data/running-out-of-data/", "/charts/"):
        page, recorder = open_page(path, java_script_enabled=False)
        image = page.locator("img.lc-chart__img--light").first
        assert image.is_visible(), path
        assert page.locator("img.lc-chart__img--dark").first.is_hidden(), path
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), f"{path}: static SVG did not load"
        assert image.get_attribute("alt").strip(), f"{path}: static SVG has no text alternative"
        if page.locator(".lc-chart__view").count():
            assert page.locator(".lc-chart__view").first.is_hidden()
        assert recorder.problems() == []


def test_static_svg_files_carry_a_title_and_description(built_site):
    for svg in sorted((built_site / "charts" / "assets").glob("*.svg")):
        head = svg.read_text(encoding="utf-8")[:4000]
        root = re.search(r"<svg\b[^>]*>", head).group(0)
        assert 'role="img"' in root and re.search(r'aria-label="[^"]{20,}"', root), f"{svg.name}: no role/aria-label"


def test_chart_pages_give_a_text_description(built_site):
    for page in sorted((built_site / "charts").glob("*/index.html")):
        html = page.read_text(encoding="utf-8")
        assert "Text description:" in html, page
        assert re.search(r'<figure class="lc-chart"[^>]*aria-labelledby="[^"]+"', html) or "<figcaption>" in html, page


def test_interactive_view_renders_and_shows_a_tooltip(open_page):
    page, recorder = open_page(f"/charts/{CHART}/")
    page.wait_for_selector(LIVE_SVG, timeout=20000)
    assert page.locator(".lc-chart__static").first.is_hidden(), "static SVG still shown beside the live chart"
    first_point = page.locator(".lc-chart__view g.mark-symbol.role-mark path").first
    first_point.hover(force=True)
    tooltip = page.locator("#vg-tooltip-element.visible")
    tooltip.wait_for(timeout=5000)
    text = tooltip.inner_text()
    rows = json.loads(page.request.get(urljoin(page.url, f"../assets/{CHART}.json")).text())["layers"][0]["rows"]
    assert any(row["model"] in text for row in rows), f"tooltip shows no model name: {text!r}"
    recorder.settle(page)
    assert recorder.problems() == []


def _drawn_counts(page) -> list[int]:
    """Per layer of the chart page's Method section: 'N rows drawn'."""
    method = page.locator("h2#method + ul").inner_text()
    return [int(n) for n in re.findall(r"(\d+) rows drawn", method)]


@pytest.mark.parametrize("chart", [CHART, SLIDER_CHART])
def test_downloads_hold_the_rows_drawn(open_page, chart):
    page, recorder = open_page(f"/charts/{chart}/")
    page.wait_for_selector(LIVE_SVG, timeout=20000)
    counts = _drawn_counts(page)
    data = page.locator("h2#take-it-away + ul")
    csv_url = urljoin(page.url, data.locator("a", has_text="CSV of all rows drawn").get_attribute("href"))
    json_url = urljoin(page.url, data.locator("a", has_text="JSON").get_attribute("href"))
    csv_response, json_response = page.request.get(csv_url), page.request.get(json_url)
    assert csv_response.ok and json_response.ok
    assert "csv" in csv_response.headers["content-type"] or "text" in csv_response.headers["content-type"]
    payload = json.loads(json_response.text())
    json_counts = [len(layer["rows"]) for layer in payload["layers"]]
    csv_rows = list(csv.DictReader(io.StringIO(csv_response.text())))
    labels = [layer["label"] or layer["dataset"] for layer in payload["layers"]]  # the CSV names a layer so
    csv_counts = [sum(1 for row in csv_rows if row["layer"] == label) for label in labels]
    assert json_counts == counts == csv_counts, (json_counts, counts, csv_counts)
    assert len(csv_rows) == sum(counts)
    # The live view draws one symbol per row of the first (point) layer.
    symbols = page.locator(".lc-chart__view g.mark-symbol.role-mark").first.locator("path").count()
    assert symbols == counts[0]
    assert recorder.problems() == []


def _axis_label_fill(page) -> str:
    return page.locator(".lc-chart__view g.role-axis-label text").first.get_attribute("fill")


def test_dark_mode_rethemes_the_chart(open_page):
    page, recorder = open_page(f"/charts/{CHART}/")
    page.wait_for_selector(LIVE_SVG, timeout=20000)
    spec = json.loads(page.request.get(urljoin(page.url, f"../assets/{CHART}.vl.json")).text())
    light_fill = _axis_label_fill(page)
    assert light_fill.lower() == spec["config"]["axis"]["labelColor"].lower()
    page.locator("label[title='Switch to dark mode']").click()
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    dark_colour = spec["usermeta"]["darkConfig"]["axis"]["labelColor"].lower()
    page.wait_for_function(
        "c => { const t = document.querySelector('.lc-chart__view g.role-axis-label text'); return t && t.getAttribute('fill').toLowerCase() === c; }",
        arg=dark_colour, timeout=10000,
    )
    assert _axis_label_fill(page).lower() != light_fill.lower()
    # Back to light: the light theme returns.
    page.locator("label[title='Switch to light mode']").click()
    page.wait_for_function(
        "c => { const t = document.querySelector('.lc-chart__view g.role-axis-label text'); return t && t.getAttribute('fill').toLowerCase() === c; }",
        arg=light_fill.lower(), timeout=10000,
    )
    recorder.settle(page)
    assert recorder.problems() == []


def test_slider_moves_the_projection(open_page):
    page, recorder = open_page(f"/charts/{SLIDER_CHART}/")
    page.wait_for_selector(LIVE_SVG, timeout=20000)
    slider = page.locator(".lc-chart__view .vega-bindings input[type=range][name=growth]")
    assert slider.input_value() == "2.4"
    projection = page.locator(".lc-chart__view g.mark-line.role-mark").first.locator("path")
    before = projection.get_attribute("d")
    slider.fill("3")
    page.wait_for_function(
        "d => document.querySelector('.lc-chart__view g.mark-line.role-mark path').getAttribute('d') !== d",
        arg=before, timeout=5000,
    )
    slider.fill("1")
    flat = projection.get_attribute("d")
    assert flat != before
    # At growth 1 the projection is flat: every point of the line at the same height.
    heights = {round(float(y), 1) for y in re.findall(r"[ML,]\s*[-\d.]+[ ,]([-\d.]+)", flat)}
    assert len(heights) == 1, flat[:200]
    recorder.settle(page)
    assert recorder.problems() == []


# ----------------------------------------------------------------------------- every chart, phone and desktop

WIDTHS = {"phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2}, "desktop": {"viewport": {"width": 1400, "height": 900}}}
STATIC_BOX = """() => { const img = [...document.querySelectorAll('figure.lc-chart .lc-chart__static img')].find(i => i.offsetParent !== null);
  const r = img.getBoundingClientRect(); return {width: r.width, height: r.height, right: r.right, src: img.currentSrc}; }"""
LIVE_BOX = """() => { const f = document.querySelector('figure.lc-chart'); const svg = f.querySelector('.lc-chart__view svg');
  const frame = svg.querySelector('g.mark-group.role-frame.root > g > path.background');
  const s = svg.getBoundingClientRect(); return {figure: f.getBoundingClientRect().width, width: s.width, height: s.height,
  plot: frame.getBoundingClientRect().width, overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth}; }"""


def chart_ids(built_site) -> list[str]:
    return sorted(p.parent.name for p in (built_site / "charts").glob("*/index.html") if p.parent.name != "charts")


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_every_chart_fits_the_screen_in_the_static_svgs_box(browser, site_url, built_site, width):
    """At 390 px and 1,400 px: the live view takes exactly the static SVG's box (nothing jumps), its plot
    is at least 60% of the content width, the page never scrolls sideways, and nothing is logged as an error."""
    ids = chart_ids(built_site)
    assert len(ids) >= 11
    static_context = browser.new_context(java_script_enabled=False, **WIDTHS[width])
    live_context = browser.new_context(**WIDTHS[width])
    recorder = Recorder()
    recorder.attach(live_context)
    static_page, page = static_context.new_page(), live_context.new_page()
    recorder.watch(page)
    measured = {}
    try:
        for chart in ids:
            path = f"/charts/{chart}/"
            static_page.goto(site_url + path, wait_until="load")
            static = static_page.evaluate(STATIC_BOX)
            assert static["right"] <= static_page.evaluate("() => document.documentElement.clientWidth"), f"{chart}: static SVG wider than the screen"
            recorder.label(page, f"{chart} at {width}")
            page.goto(site_url + path, wait_until="load")
            page.wait_for_selector(LIVE_SVG, timeout=20000)
            recorder.settle(page)
            live = page.evaluate(LIVE_BOX)
            measured[chart] = (static, live)
            assert ("narrow" in static["src"]) == (width == "phone"), f"{chart}: {static['src']} at {width}"
            assert abs(live["width"] - static["width"]) <= 1 and abs(live["height"] - static["height"]) <= 2, f"{chart}: static {static}, live {live}"
            assert live["plot"] >= 0.6 * live["figure"], f"{chart} at {width}: plot {live['plot']:.0f} px of {live['figure']:.0f} px"
            assert live["overflow"] <= 0, f"{chart} at {width}: the page scrolls sideways by {live['overflow']} px"
    finally:
        static_context.close()
        live_context.close()
    assert recorder.problems() == []
    assert not [w for w in recorder.warnings if "WARN" in w], recorder.warnings


def test_live_view_follows_a_resize_into_the_phone_layout(open_page):
    page, recorder = open_page(f"/charts/{CHART}/")
    page.wait_for_selector(LIVE_SVG, timeout=20000)
    wide = page.evaluate(LIVE_BOX)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_function("w => { const s = document.querySelector('.lc-chart__view svg'); return s && s.getBoundingClientRect().width < w - 100; }", arg=wide["width"], timeout=10000)
    narrow = page.evaluate(LIVE_BOX)
    assert narrow["plot"] >= 0.6 * narrow["figure"] and narrow["overflow"] <= 0
    recorder.settle(page)
    assert recorder.problems() == []
