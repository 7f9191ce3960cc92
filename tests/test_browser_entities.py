"""Entity index pages in Chromium: the filter box and sortable columns, at phone and desktop widths."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [390, 1400])
def test_models_index_filters_and_sorts(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=2 if width < 500 else 1)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(site_url + "/models/")
    count = page.locator(".landscape-count")
    total = page.locator(".landscape-entities table tbody tr").count()
    assert total > 900 and count.inner_text() == f"{total:,} shown"
    page.fill("input.landscape-filter", "llama 3.1")
    visible = page.locator(".landscape-entities table tbody tr:not([hidden])")
    names = visible.locator("td:first-child").all_inner_texts()
    assert names and all("llama 3.1" in n.lower() for n in names), names
    assert "Llama 3.1-405B" in names
    assert count.inner_text() == f"{len(names)} shown"
    page.fill("input.landscape-filter", "")
    page.get_by_role("button", name="Training compute").click()  # ascending
    page.get_by_role("button", name="Training compute").click()  # descending: the largest run first
    first = page.locator(".landscape-entities table tbody tr").first
    assert page.locator("th[aria-sort=descending]").count() == 1
    top = first.locator("td:first-child").inner_text()
    page.fill("input.landscape-filter", top)
    assert page.locator(".landscape-entities table tbody tr:not([hidden])").count() >= 1
    # the page itself never scrolls sideways; the table scrolls inside its box
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    page.goto(site_url + "/models/" + "gpt-4/")
    assert "2.10 × 10²⁵ FLOP" in page.locator("article").inner_text()
    assert errors == []
    context.close()


# a reader's query -> the entity page that must come first
ENTITY_SEARCHES = {
    "Llama 3.1 405B": "models/llama-3-1-405b/",
    "H100": "chips/nvidia-h100",  # one of the H100 chips (SXM5, PCIe, NVL): the name alone does not say which
    "DeepMind": "organisations/google-deepmind/",
    "GPT-4": "models/gpt-4/",
    "Chinchilla": "models/chinchilla/",
}


def test_search_finds_entities_by_name_and_alias_first(browser, site_url):
    from .test_browser_search import new_page, open_search, search, shown

    context, page, recorder = new_page(browser)
    page.goto(site_url + "/", wait_until="load")
    open_search(page)
    firsts = {}
    for term, expected in ENTITY_SEARCHES.items():
        search(page, term)
        results = shown(page, 3)
        firsts[term] = results[0]["href"] if results else None
    context.close()
    assert all(firsts[t] and firsts[t].startswith(path) for t, path in ENTITY_SEARCHES.items()), firsts
    assert recorder.problems() == []


@pytest.mark.parametrize(("width", "scheme"), [(390, "light"), (1400, "dark")])
def test_a_model_page_shows_its_charts_with_it_ringed(browser, site_url, width, scheme):
    import yaml

    from .conftest import ROOT
    from .test_entities import _ring

    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + "/models/gpt-3-175b-davinci/")
    variant, other = ("narrow", "wide") if width < 600 else ("wide", "narrow")
    figure = page.locator("figure#chart-training-compute")
    figure.scroll_into_view_if_needed()
    img = figure.locator(f"img.lc-chart__img--{scheme}")
    overlay = figure.locator(f"svg.lc-mark--{variant}")
    assert img.is_visible() and overlay.is_visible() and not figure.locator(f"svg.lc-mark--{other}").is_visible()
    picture, laid = img.bounding_box(), overlay.bounding_box()
    assert all(abs(picture[k] - laid[k]) < 1 for k in ("x", "y", "width", "height")), (picture, laid)
    # the ring is where the chart's own SVG rings GPT-3 (one of its labelled points), scaled as shown
    suffix = ("narrow." if variant == "narrow" else "") + ("dark." if scheme == "dark" else "") + "svg"
    svg = page.request.get(f"{site_url}/charts/assets/training-compute.{suffix}").text()
    labels = yaml.safe_load((ROOT / "charts/training-compute.yaml").read_text(encoding="utf-8"))["layers"][0]["labels"]
    x, y = _ring(svg, f"lc_ring_{labels.index('GPT-3 175B (davinci)')}_marks")
    natural = float(img.get_attribute("width") if variant == "wide" else figure.locator("source").first.get_attribute("width"))
    scale = picture["width"] / natural
    ring = overlay.locator("circle").first.bounding_box()
    centre = (ring["x"] + ring["width"] / 2, ring["y"] + ring["height"] / 2)
    assert abs(centre[0] - (picture["x"] + x * scale)) < 1.5 and abs(centre[1] - (picture["y"] + y * scale)) < 1.5, (centre, x, y, scale)
    stroke = overlay.locator(".lc-mark__rings").evaluate("g => getComputedStyle(g).stroke")
    assert stroke == ("rgb(255, 140, 198)" if scheme == "dark" else "rgb(176, 0, 94)")
    caption = figure.locator("figcaption").inner_text()
    assert "GPT-3 175B (davinci) is ringed and named" in caption
    context.close()
