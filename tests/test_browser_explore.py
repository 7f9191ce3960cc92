"""In Debian's Chromium: what a reader takes away from a chart page (PNG, SVG, CSV of the rows shown,
the embed page and its code), what they explore (find a point, ?highlight=, log/linear, time range,
the state in the URL and the table following it), and every computed table recomputed in the browser
at its sourced values and at a corner of its ranges, equal to the build's figures."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import parse_qs, urljoin, urlparse

import pytest

from landscape.formula import evaluate
from landscape.tables import load_tables
from landscape.units import Quantity, parse_unit

from .conftest import ROOT
from .test_browser_offline import Recorder

pytestmark = pytest.mark.browser

CHART = "training-compute"
LIVE_SVG = ".lc-chart--live .lc-chart__view svg"
HIGHLIGHT_TEXT = ".lc-chart__view g[class*='lc_highlight_'] text"


@pytest.fixture
def fresh(browser, site_url):
    """fresh(path_or_url) -> (page, recorder) in a new context (nothing shared with another page)."""
    contexts = []

    def opener(target: str, **options):
        context = browser.new_context(**({"viewport": {"width": 1400, "height": 900}} | options))
        contexts.append(context)
        recorder = Recorder()
        recorder.attach(context)
        page = context.new_page()
        recorder.watch(page, target)
        page.goto(target if target.startswith("http") else site_url + target, wait_until="load")
        return page, recorder

    yield opener
    for context in contexts:
        context.close()


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_image_downloads_are_png_at_twice_the_size_and_svg(fresh):
    page, recorder = fresh(f"/charts/{CHART}/")
    links = page.locator("h2#take-it-away + ul")
    svg = page.request.get(urljoin(page.url, links.locator("a", has_text="SVG, light").get_attribute("href")))
    width = float(re.search(r'<svg[^>]*width="([\d.]+)"', svg.text()).group(1))
    for label in ("PNG, light", "PNG, dark"):
        response = page.request.get(urljoin(page.url, links.locator("a", has_text=label).get_attribute("href")))
        assert response.ok and response.headers["content-type"] == "image/png", label
        png_width, png_height = _png_size(response.body())
        assert abs(png_width - 2 * width) <= 2 and png_height > 400, (label, png_width, width)
    dark = page.request.get(urljoin(page.url, links.locator("a", has_text="SVG, dark").get_attribute("href")))
    assert dark.ok and "<svg" in dark.text() and dark.text() != svg.text()
    spec = page.request.get(urljoin(page.url, links.locator("a", has_text="Vega-Lite spec").get_attribute("href")))
    assert json.loads(spec.text())["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert recorder.problems() == []


def test_embed_page_shows_the_chart_alone_and_the_embed_code_loads_it(fresh, site_url):
    page, recorder = fresh(f"/charts/{CHART}/")
    page.wait_for_selector(LIVE_SVG, timeout=20000)
    code = page.locator("textarea[data-lc-embed-code]").input_value()
    src = re.search(r'<iframe src="([^"]+)"', code).group(1)
    assert src == f"{site_url}/charts/embed/{CHART}.html", code  # absolute, so it works pasted elsewhere
    embed, embed_recorder = fresh(src)
    embed.wait_for_selector(LIVE_SVG, timeout=20000)
    assert embed.locator("h1").inner_text() == page.locator("h1").first.inner_text().rstrip("¶").strip()
    assert embed.locator(".md-header, .md-sidebar, .md-footer").count() == 0  # no site chrome
    assert "Epoch AI (CC BY 4.0)" in embed.locator("main").inner_text() and "Data version: notable-models sha256:" in embed.locator("main").inner_text()
    back = embed.locator("a[target=_top]")
    assert urljoin(embed.url, back.get_attribute("href")) == f"{site_url}/charts/{CHART}/"
    # the snippet itself, in a page of its own
    host, host_recorder = fresh(f"{site_url}/charts/")
    host.set_content(f"<!doctype html><title>Host</title><main>{code}</main>")
    frame = host.frame_locator("iframe")
    frame.locator(LIVE_SVG + ".marks").wait_for(timeout=20000)
    for r in (recorder, embed_recorder, host_recorder):
        assert r.problems() == []


def test_embed_page_without_javascript_shows_the_static_svg(fresh):
    page, recorder = fresh(f"/charts/embed/{CHART}.html", java_script_enabled=False)
    image = page.locator("img.lc-chart__img--light")
    assert image.is_visible() and image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert recorder.problems() == []


def _find(page, name: str) -> None:
    box = page.locator("input[data-lc-find]")
    box.fill(name)
    box.press("Enter")


def test_find_a_point_highlights_and_names_it(fresh):
    page, recorder = fresh(f"/charts/{CHART}/")
    page.wait_for_selector(LIVE_SVG, timeout=20000)
    options = page.locator("datalist option")
    assert options.count() > 900  # every model drawn can be found
    assert page.locator(HIGHLIGHT_TEXT).count() == 0
    _find(page, "gpt-4")  # case does not matter
    page.wait_for_selector(HIGHLIGHT_TEXT, timeout=10000)
    assert page.locator(HIGHLIGHT_TEXT).all_text_contents() == ["GPT-4", "GPT-4"]  # halo and name
    assert parse_qs(urlparse(page.url).query)["highlight"] == ["GPT-4"]
    assert "Highlighted: GPT-4." in page.locator(".lc-explore__status").inner_text()
    page.locator(".lc-explore__chip").click()  # remove it again
    page.wait_for_function("() => !location.search.includes('highlight')")
    page.wait_for_function(f"() => document.querySelectorAll(\"{HIGHLIGHT_TEXT}\").length === 0")
    recorder.settle(page)
    assert recorder.problems() == []


def test_highlight_from_the_url(fresh):
    page, recorder = fresh("/charts/gpu-price-performance/?highlight=NVIDIA%20B200,NVIDIA%20GeForce%20GTX%20580,not%20a%20chip")
    page.wait_for_selector(HIGHLIGHT_TEXT, timeout=20000)
    names = set(page.locator(HIGHLIGHT_TEXT).all_text_contents())
    assert "NVIDIA GeForce GTX 580" in names and "not a chip" not in names
    recorder.settle(page)
    assert recorder.problems() == []


def _y_labels(page) -> list[str]:
    return page.locator(".lc-chart__view g.role-axis:has(g.role-axis-title text:has-text('Training compute')) g.role-axis-label text").all_text_contents()


def test_url_state_round_trip_and_the_table_and_csv_follow_it(fresh, tmp_path):
    page, recorder = fresh(f"/charts/{CHART}/")
    page.wait_for_selector(LIVE_SVG, timeout=20000)
    assert any("¹" in label or "²" in label for label in _y_labels(page))  # log axis: powers of ten
    _find(page, "AlexNet")
    page.wait_for_selector(HIGHLIGHT_TEXT)
    page.locator("input[data-lc-log=y]").uncheck()
    page.locator("input[type=range][name=from]").evaluate("(r) => { r.value = 2010; r.dispatchEvent(new Event('input')); r.dispatchEvent(new Event('change')); }")
    page.wait_for_function("() => location.search.includes('from=2010')")
    url = page.url
    query = parse_qs(urlparse(url).query)
    assert query == {"highlight": ["AlexNet"], "linear": ["y"], "from": ["2010"]}, query
    recorder.settle(page)

    again, again_recorder = fresh(url)
    again.wait_for_selector(HIGHLIGHT_TEXT, timeout=20000)
    assert again.locator(".lc-explore__chip").all_inner_texts() == ["AlexNet ×"]
    assert not again.locator("input[data-lc-log=y]").is_checked()
    assert again.locator("input[type=range][name=from]").input_value() == "2010"
    labels = _y_labels(again)
    assert labels and all("¹" not in label and "²" not in label for label in labels), labels  # linear now
    x_labels = again.locator(".lc-chart__view g.role-axis:has(g.role-axis-title text:has-text('Publication date')) g.role-axis-label text").all_text_contents()
    assert min(int(y) for y in x_labels) >= 2010, x_labels
    payload = json.loads(again.request.get(urljoin(again.url, f"../assets/{CHART}.json")).text())
    in_range = [row for row in payload["layers"][0]["rows"] if row["released"] >= "2010-01-01"]
    status = again.locator(".lc-explore__status").inner_text()
    assert f"{len(in_range)} of {len(payload['layers'][0]['rows'])} rows in the time range" in status, status
    # the page's table hides the rows outside the range
    rows = again.locator(f"table[data-lc-rows-of='{CHART}'] tbody tr")
    shown = [row for row in rows.evaluate_all("rs => rs.map(r => [r.hidden, r.getAttribute('data-lc-x')])")]
    assert shown and all(hidden == (x < "2010-01-01") for hidden, x in shown)
    # the CSV of the rows shown now holds exactly those rows
    button = again.locator(f"button[data-lc-shown-csv='{CHART}']")
    assert button.is_visible()
    with again.expect_download() as info:
        button.click()
    rows_csv = list(csv.DictReader(io.StringIO((info.value.path()).read_text("utf-8"))))
    assert len(rows_csv) == len(in_range) and {r["model"] for r in rows_csv} == {r["model"] for r in in_range}
    # reset returns to the view as built
    again.locator(".lc-explore__reset").click()
    again.wait_for_function("() => location.search === ''")
    again_recorder.settle(again)
    for r in (recorder, again_recorder):
        assert r.problems() == []


# ----------------------------------------------------------------------------- computed tables


def _python_outputs(table, values: dict[str, float]) -> dict[str, float]:
    """The build's evaluator (pint units) at the given input values, each output in its own unit."""
    env = {item.name: Quantity(values[item.name], parse_unit(item.unit)) for item in table.inputs}
    results = {}
    for output in table.outputs:
        quantity = evaluate(table.trees[output.name], env).to(parse_unit(output.unit))
        env[output.name] = quantity
        results[output.name] = float(quantity.magnitude)
    return results


def _browser_outputs(page) -> dict[str, float]:
    return page.evaluate("() => Object.fromEntries([...document.querySelectorAll('output[data-lc-output]')].map(o => [o.getAttribute('data-lc-output'), Number(o.getAttribute('data-lc-value'))]))")


def _assert_close(got: dict[str, float], want: dict[str, float], where: str) -> None:
    assert set(got) == set(want), where
    for name, value in want.items():
        assert got[name] == pytest.approx(value, rel=1e-9, abs=1e-300), f"{where}: {name} browser {got[name]!r}, Python {value!r}"


def test_every_computed_table_recomputes_in_the_browser_like_python(fresh, built_site):
    tables, problems = load_tables(sorted((ROOT / "charts" / "tables").glob("*.yaml")))
    assert problems == [] and len(tables) >= 5
    assert sorted(p.parent.name for p in (built_site / "tables").glob("*/index.html")) == sorted(tables)
    for ident, table in sorted(tables.items()):
        page, recorder = fresh(f"/tables/{ident}/")
        page.wait_for_selector(".lc-table-explorer[data-lc-ready]", timeout=10000)
        central = {item.name: item.value for item in table.inputs}
        _assert_close(_browser_outputs(page), _python_outputs(table, central), f"{ident} at its sourced values")
        # the build's figures in the table above are the same numbers
        _assert_close(_browser_outputs(page), {o.name: o.value for o in table.outputs}, f"{ident} against the built table")
        # a corner: every ranged input at its low end; a table without ranges: each input at 1.5 times its value
        ranged = [item for item in table.inputs if item.low is not None]
        corner = dict(central) | ({item.name: item.low for item in ranged} if ranged else {item.name: item.value * 1.5 for item in table.inputs})
        for name, value in corner.items():
            if value != central[name]:
                page.locator(f"input[data-lc-input='{name}']").fill(repr(value))  # the slider follows it
        _assert_close(_browser_outputs(page), _python_outputs(table, corner), f"{ident} at a corner")
        # the URL keeps the inputs: a fresh page opened from it shows the same outputs
        query = parse_qs(urlparse(page.url).query)
        assert {k: float(v[0]) for k, v in query.items()} == {k: v for k, v in corner.items() if v != central[k]}
        again, again_recorder = fresh(page.url)
        again.wait_for_selector(".lc-table-explorer[data-lc-ready]", timeout=10000)
        _assert_close(_browser_outputs(again), _python_outputs(table, corner), f"{ident} reopened from its URL")
        again.locator("[data-lc-reset]").click()
        _assert_close(_browser_outputs(again), _python_outputs(table, central), f"{ident} after reset")
        assert urlparse(again.url).query == ""
        for r in (recorder, again_recorder):
            assert r.problems() == []


def test_table_page_without_javascript_keeps_the_built_table(fresh):
    page, recorder = fresh("/tables/gpt3-training-energy/", java_script_enabled=False)
    assert page.locator(".lc-table-explorer").is_hidden()
    assert "13.0 days" in page.locator("article").inner_text()
    assert recorder.problems() == []


def test_dragging_across_the_time_strip_sets_the_range(fresh):
    page, recorder = fresh(f"/charts/{CHART}/")
    page.wait_for_selector(".lc-brush svg", timeout=20000)
    strip = page.locator(".lc-brush svg").bounding_box()
    page.mouse.move(strip["x"] + strip["width"] * 0.7, strip["y"] + strip["height"] / 3)
    page.mouse.down()
    page.mouse.move(strip["x"] + strip["width"] * 0.9, strip["y"] + strip["height"] / 3, steps=6)
    page.mouse.up()
    page.wait_for_function("() => location.search.includes('from=') && location.search.includes('to=')", timeout=10000)
    query = parse_qs(urlparse(page.url).query)
    start, end = query["from"][0], query["to"][0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", start) and start < end
    payload = json.loads(page.request.get(urljoin(page.url, f"../assets/{CHART}.json")).text())
    inside = [r for r in payload["layers"][0]["rows"] if start <= r["released"][:10] <= end]
    page.wait_for_function("n => document.querySelector('.lc-explore__status').textContent.startsWith(n + ' of')", arg=len(inside), timeout=10000)
    assert page.locator("input[type=range][name=from]").input_value() == start[:4]
    x_labels = page.locator(".lc-chart__view g.role-axis:has(g.role-axis-title text:has-text('Publication date')) g.role-axis-label text").all_text_contents()
    assert int(start[:4]) - 1 <= min(int(y) for y in x_labels) and max(int(y) for y in x_labels) <= int(end[:4]) + 1, x_labels
    recorder.settle(page)
    assert recorder.problems() == []
