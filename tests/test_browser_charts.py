"""Charts in Debian's Chromium: the static SVG without JavaScript; the interactive view with a tooltip;
downloads holding the rows drawn; dark mode; the slider of charts/data-exhaustion.yaml."""

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
    data = page.locator("h2#data + p")
    csv_url = urljoin(page.url, data.locator("a", has_text="CSV").get_attribute("href"))
    json_url = urljoin(page.url, data.locator("a", has_text="JSON").get_attribute("href"))
    csv_response, json_response = page.request.get(csv_url), page.request.get(json_url)
    assert csv_response.ok and json_response.ok
    assert "csv" in csv_response.headers["content-type"] or "text" in csv_response.headers["content-type"]
    payload = json.loads(json_response.text())
    json_counts = [len(layer["rows"]) for layer in payload["layers"]]
    csv_rows = list(csv.DictReader(io.StringIO(csv_response.text())))
    labels = [layer["label"] for layer in payload["layers"]]
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
