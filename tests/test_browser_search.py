"""Search in Debian's Chromium, through the site's own UI (Pagefind's Component UI in a dialog opened from
Material's header): a reader's term brings up the note, chart, dataset or table about it among the first
results; results can be narrowed by kind and layer; the match is marked in the excerpt; headings that
match are offered as sub-results; nothing of search is fetched before the reader opens it; and it works
at a phone's width as at a desktop's. Terms are taken from the knowledge base's notes."""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import pytest

from .conftest import ROOT
from .test_browser_offline import Recorder

pytestmark = pytest.mark.browser

TOP = 5  # the expected page must be among this many results
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

# term typed -> paths of which at least one must be among the first results
TERMS: dict[str, tuple[str, ...]] = {
    "Chinchilla": ("data/compute-optimal-training/", "data/data-is-the-bottleneck/"),
    "grokking": ("algorithms/grokking/",),
    "tokamak": ("products/ai-plasma-control-tokamak/",),
    "DreamBooth": ("algorithms/dreambooth/",),
    "Diplomacy": ("products/cicero-diplomacy/",),
    "export controls": ("products/us-chip-export-controls-2022/",),
    "PUE": ("systems/pue-data-centre-overhead/",),
    "Etched": ("compute/etched-transformer-asic/",),
    "V100": ("compute/nvidia-v100/", "chips/nvidia-v100/", "chips/nvidia-tesla-v100-sxm2/"),  # the note or a V100 chip page
    "GPTZero": ("algorithms/perplexity-ai-text-detection/",),
    "megawatt": ("systems/megawatt-in-households/",),
    "radiologists": ("products/radiologists-did-not-vanish/",),
    "brain-years": ("systems/brain-vs-gpt3-energy/", "tables/brain-power/"),
    "compute density": ("charts/compute-density/", "compute/compute-density/"),
    "price-performance": ("compute/gpu-price-performance/", "charts/gpu-price-performance/"),
    "frontier training costs": ("systems/training-cost-trends/", "charts/training-cost/"),
    "stock of public text": ("data/stock-of-human-text/", "data/running-out-of-data/", "charts/data-exhaustion/"),
    "machine learning hardware": ("datasets/ml-hardware/",),
    "notable AI models": ("datasets/notable-models/",),
    "Cost of the final training run": ("charts/training-cost/",),
}

DIALOG = "pagefind-modal dialog[open]"
INPUT = "pagefind-modal input.pf-input"
RESULT = "pagefind-results li.pf-result:not([aria-hidden])"


def new_page(browser, width: int = 1280, scheme: str = "light"):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    recorder = Recorder()
    recorder.attach(context)
    page = context.new_page()
    recorder.watch(page, f"search at {width} px, {scheme}")
    return context, page, recorder


def open_search(page, how: str = "button") -> None:
    if how == "button":
        page.locator("[data-lsc-search-open]").click()
    else:
        page.locator("body").press(how)
    page.wait_for_selector(DIALOG, timeout=15000)
    page.wait_for_function("() => document.activeElement && document.activeElement.matches('pagefind-modal input')")


def search(page, term: str) -> str:
    """Type ``term`` into the open dialog; return the summary once it reports on ``term``."""
    page.fill(INPUT, term)
    page.wait_for_function(
        r"""(t) => { const text = document.querySelector('pagefind-summary')?.textContent || '';
                   if (!text.includes(t)) return false;  /* "Searching for ..." until results are in */
                   if (/^No results/.test(text.trim())) return true;
                   return /^[\d,.\s]+ results? for/.test(text.trim()) && document.querySelector('pagefind-results li.pf-result'); }""",
        arg=term, timeout=20000,
    )
    return page.locator("pagefind-summary").inner_text()


def shown(page, count: int = TOP) -> list[dict]:
    """The first ``count`` results as the reader sees them. Pagefind loads a result when it scrolls into
    view (a placeholder stands in until then), so each is scrolled to and waited for."""
    out = []
    total = page.locator("pagefind-results li.pf-result").count()
    for i in range(min(count, total)):
        selector = f'pagefind-results li.pf-result[data-pf-result-index="{i}"]'
        page.wait_for_function(
            """(s) => { const li = document.querySelector(s); if (!li) return false;
                       if (li.querySelector('a.pf-result-link')) return true; li.scrollIntoView(); return false; }""",
            arg=selector, timeout=15000, polling=100,
        )
        item = page.locator(selector)
        out.append({
            "href": re.sub(r"^https?://[^/]+/|\?.*$", "", item.locator("a.pf-result-link").get_attribute("href")).lstrip("/"),
            "title": item.locator("a.pf-result-link").inner_text(),
            "kinds": item.locator(".lsc-search__kind").all_inner_texts(),
            "layers": item.locator(".lsc-search__layer").all_inner_texts(),
            "marks": item.locator(".pf-result-excerpt mark").all_inner_texts(),
            "subs": [a.get_attribute("href") for a in item.locator("a.pf-heading-link").all()],
        })
    return out


def count_of(summary: str) -> int:
    match = re.match(r"([\d,]+) results?", summary)
    return int(match.group(1).replace(",", "")) if match else 0


@pytest.fixture(scope="module")
def search_page(browser, site_url):
    context, page, recorder = new_page(browser)
    page.goto(site_url + "/", wait_until="load")
    recorder.settle(page)
    open_search(page)
    yield page, recorder
    context.close()


def test_search_finds_the_page_for_each_term(search_page):
    page, recorder = search_page
    missing = {}
    for term, expected in TERMS.items():
        search(page, term)
        hrefs = [r["href"] for r in shown(page)]
        if not any(path in hrefs for path in expected):
            missing[term] = hrefs
    assert missing == {}, f"expected page not among the first {TOP} results: {missing}"
    assert len(TERMS) >= 10
    assert recorder.problems() == []


def test_search_for_nonsense_shows_no_result(search_page):
    page, _ = search_page
    summary = search(page, "qqxzvw")
    assert re.search(r"No results", summary), summary
    assert page.locator("pagefind-results li.pf-result").count() == 0


def test_a_result_shows_title_kind_layer_and_the_match_marked(search_page):
    page, _ = search_page
    search(page, "tokamak")
    first = shown(page, 1)[0]
    assert first["href"] == "products/ai-plasma-control-tokamak/"
    assert first["title"].strip() and "¶" not in first["title"]
    assert first["kinds"] == ["Note"] and first["layers"] == ["Products"]
    assert first["marks"] and all(m.lower().startswith("tokamak") for m in first["marks"])
    mark = page.locator("pagefind-results li.pf-result").first.locator(".pf-result-excerpt mark").first
    colour = mark.evaluate("m => getComputedStyle(m).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent"), "the match is not highlighted"


def test_filters_narrow_the_results_to_a_kind_and_a_layer(search_page):
    page, _ = search_page
    everything = count_of(search(page, "compute"))
    assert everything > 20

    def choose(filter_name: str, value: str) -> None:
        dropdown = page.locator(f'pagefind-filter-dropdown[filter="{filter_name}"]')
        dropdown.locator("button.pf-dropdown-trigger").click()
        dropdown.locator(f'.pf-dropdown-option[data-value="{value}"]').click()
        dropdown.locator("button.pf-dropdown-trigger").click()  # closes the list (Escape would close the dialog)
        assert page.locator(DIALOG).is_visible()

    choose("kind", "Chart")
    page.wait_for_function("(n) => { const m = (document.querySelector('pagefind-summary')?.textContent || '').match(/^(\\d+) result/); return m && +m[1] < n; }", arg=everything)
    charts = shown(page, 50)
    assert charts and all(r["kinds"] == ["Chart"] and r["href"].startswith("charts/") for r in charts), charts
    choose("layer", "Compute")
    page.wait_for_function("(n) => { const m = (document.querySelector('pagefind-summary')?.textContent || '').match(/^(\\d+) result/); return m && +m[1] < n; }", arg=len(charts))
    narrowed = shown(page, 50)
    assert narrowed and all(r["kinds"] == ["Chart"] and "Compute" in r["layers"] for r in narrowed), narrowed
    assert len(narrowed) < len(charts)
    for name in ("layer", "kind"):  # clear both again for the other tests
        dropdown = page.locator(f'pagefind-filter-dropdown[filter="{name}"]')
        dropdown.locator("button.pf-dropdown-trigger").click()
        dropdown.locator('.pf-dropdown-option[aria-selected="true"]').click()
        dropdown.locator("button.pf-dropdown-trigger").click()


def test_headings_that_match_are_sub_results_that_lead_to_the_heading(browser, site_url):
    context, page, recorder = new_page(browser)
    try:
        page.goto(site_url + "/", wait_until="load")
        open_search(page)
        search(page, "arXiv")
        results = shown(page, 3)
        subs = [href for r in results for href in r["subs"]]
        assert any(href.endswith("/#sources") for href in subs), results
        target = page.locator('a.pf-heading-link[href$="/#sources"]').first
        href = target.get_attribute("href")
        target.click()
        page.wait_for_function("(h) => location.pathname + location.hash === h", arg=href)
        page.wait_for_selector(DIALOG, state="hidden")
        assert page.locator(DIALOG).count() == 0
        assert page.locator("#sources").is_visible()
        assert recorder.problems() == []
    finally:
        context.close()


def test_nothing_of_search_is_requested_before_search_opens(browser, site_url, built_site):
    context, page, recorder = new_page(browser)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(site_url + "/compute/", wait_until="load")
        recorder.settle(page)
        page.mouse.wheel(0, 3000)
        page.locator("article table a").first.hover()
        recorder.settle(page)
        assert [u for u in requests if "/pagefind/" in u or "search-modal" in u] == []
        open_search(page, "/")
        search(page, "V100")
        fetched = [urlparse(u) for u in requests if "/pagefind/" in u]
        names = {p.path.rsplit("/", 1)[-1] for p in fetched}
        assert {"pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind.js", "pagefind-entry.json"} <= names
        assert {"search-modal.js", "search-modal.css"} <= {urlparse(u).path.rsplit("/", 1)[-1] for u in requests}
        assert all(p.hostname == "127.0.0.1" for p in fetched)
        chunks = [p for p in fetched if p.path.endswith((".pf_index", ".pf_fragment"))]
        bundle = list((built_site / "pagefind").rglob("*.pf_index")) + list((built_site / "pagefind").rglob("*.pf_fragment"))
        assert 0 < len(chunks) < len(bundle) / 4, names  # a query loads a few of the index's chunks
        assert recorder.problems() == []
    finally:
        context.close()


@pytest.mark.parametrize("how", ["/", "s"])
def test_materials_keyboard_shortcuts_open_search_and_escape_closes_it(browser, site_url, how):
    context, page, recorder = new_page(browser)
    try:
        page.goto(site_url + "/data/running-out-of-data/", wait_until="load")
        open_search(page, how)
        page.keyboard.type("s/")  # typed into the search box, not taken as shortcuts
        assert page.input_value(INPUT) == "s/"
        page.keyboard.press("Escape")
        page.wait_for_selector(DIALOG, state="hidden")
        assert page.url.endswith("/data/running-out-of-data/")
        assert recorder.problems() == []
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1400])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_works_at_phone_and_desktop_width(browser, site_url, width, scheme):
    context, page, recorder = new_page(browser, width, scheme)
    try:
        page.goto(site_url + "/compute/", wait_until="load")
        button = page.locator("[data-lsc-search-open]")
        assert button.is_visible()
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        label = page.locator(".lsc-search__label")
        assert label.is_visible() == (width >= 960)  # a search field on a desktop, an icon on a phone
        open_search(page)
        search(page, "grokking")
        results = shown(page, 3)
        assert results[0]["href"] == "algorithms/grokking/"
        dialog = page.locator(DIALOG).bounding_box()
        assert dialog["x"] >= 0 and dialog["x"] + dialog["width"] <= width + 0.5
        assert page.evaluate("() => document.querySelector('pagefind-modal dialog').scrollWidth <= document.querySelector('pagefind-modal dialog').clientWidth")
        first = page.locator("pagefind-results li.pf-result").first.locator("a.pf-result-link")
        assert first.is_visible()
        page.evaluate("() => { document.querySelector('pagefind-modal-body').scrollTop = 0; }")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"search-{width}-{scheme}.png"))
        if width < 960:  # on a phone the dialog has its own close button
            assert page.locator("pagefind-modal .pf-modal-close").is_visible()
        first.click()
        page.wait_for_function("() => location.pathname.endsWith('/algorithms/grokking/')")
        page.wait_for_selector(DIALOG, state="hidden")
        assert page.locator("article h1").first.inner_text().startswith("Grokking")
        assert recorder.problems() == []
    finally:
        context.close()


@pytest.mark.slow
def test_search_index_is_refreshed_after_each_rebuild_under_mkdocs_serve(browser, kb, tmp_path):
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    from .conftest import free_port

    kb.note("compute", "first-note", "A first note about accelerators", "Accelerators run the matrix multiplications.\n")
    kb.note("data", "second-note", "A second note about corpora", "Corpora are collections of text.\n")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = (tmp_path / "serve.log").open("wb")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=kb.root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )

    def fetch(path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(base + path, timeout=5) as response:
                return response.status, response.read()
        except OSError:
            return 0, b""

    def wait(check, seconds: float = 240.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if check():
                return
            time.sleep(0.25)
        raise AssertionError("timed out; mkdocs serve printed:\n" + (tmp_path / "serve.log").read_text("utf-8", "replace")[-3000:])

    def found(term: str) -> list[str]:
        context, page, recorder = new_page(browser)
        try:
            page.goto(base, wait_until="load")
            open_search(page)
            summary = search(page, term)
            assert recorder.problems() == []
            return [r["href"] for r in shown(page)] if count_of(summary) else []
        finally:
            context.close()

    try:
        wait(lambda: fetch("pagefind/pagefind-entry.json")[0] == 200)
        assert found("accelerators")[0] == "compute/first-note/"
        assert "products/new-note/" not in found("Quokkatron")
        entry = fetch("pagefind/pagefind-entry.json")[1]
        kb.note("products", "new-note", "Quokkatron sells inference by the token", "Quokkatron is a made-up vendor.\n")
        wait(lambda: fetch("products/new-note/")[0] == 200 and fetch("pagefind/pagefind-entry.json")[1] not in (b"", entry))
        wait(lambda: found("Quokkatron")[:1] == ["products/new-note/"], 60)
        assert json.loads(fetch("pagefind/pagefind-entry.json")[1])["languages"]["en"]["page_count"] > json.loads(entry)["languages"]["en"]["page_count"]
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
        log.close()


def test_search_works_when_the_site_is_served_under_a_sub_path(browser, built_site):
    """As on GitHub Pages, where a project site lives at /<repository>/: the bundle and the result links
    are found from the page's base URL, not from the server's root."""
    from .conftest import serve

    server, url = serve(built_site.parent)  # the site at /<folder>/
    prefix = f"/{built_site.name}/"
    context, page, recorder = new_page(browser)
    try:
        page.goto(url + prefix + "compute/", wait_until="load")
        open_search(page)
        search(page, "grokking")
        first = page.locator("pagefind-results li.pf-result").first.locator("a.pf-result-link")
        first.wait_for()
        assert first.get_attribute("href") == prefix + "algorithms/grokking/"
        first.click()
        page.wait_for_function("(p) => location.pathname === p", arg=prefix + "algorithms/grokking/")
        assert recorder.problems() == []
    finally:
        context.close()
        server.shutdown()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_search_has_no_serious_accessibility_violation(browser, site_url, scheme):
    from .test_browser_a11y import _describe, axe_script

    context, page, recorder = new_page(browser, 1280, scheme)
    try:
        page.goto(site_url + "/", wait_until="load")
        open_search(page)
        search(page, "export controls")
        shown(page, 3)
        page.evaluate(axe_script())
        results = page.evaluate("() => axe.run(document.querySelector('pagefind-modal'), {resultTypes: ['violations']})")
        serious = [_describe(v) for v in results["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], f"search dialog ({scheme}):\n" + "\n".join(serious)
        assert recorder.problems() == []
    finally:
        context.close()
