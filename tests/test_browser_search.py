"""Search in Debian's Chromium: a reader's term brings up the note, chart, dataset or table about it
among the first results. Terms are taken from the knowledge base's notes."""

from __future__ import annotations

import re

import pytest

from .test_browser_offline import Recorder

pytestmark = pytest.mark.browser

TOP = 5  # the expected page must be among this many results

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
    "V100": ("compute/nvidia-v100/",),
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

@pytest.fixture(scope="module")
def search_page(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    recorder = Recorder()
    recorder.attach(context)
    page = context.new_page()
    recorder.watch(page, "search")
    page.goto(site_url + "/", wait_until="load")
    recorder.settle(page)
    yield page, recorder
    context.close()


def results_for(page, term: str) -> list[str]:
    """The result links Material shows for ``term``, once they have stopped changing."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press("End")  # Material reads the query on keyup
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__item').length === 0", timeout=10000)
    box.fill(term)
    box.press("End")
    script = "() => [...document.querySelectorAll('.md-search-result__item > a.md-search-result__link')].map(a => a.getAttribute('href'))"
    previous: list[str] = []
    for _ in range(60):  # results are stable once two reads 200 ms apart agree
        page.wait_for_timeout(200)
        hrefs = page.evaluate(script)
        if hrefs and hrefs == previous:
            break
        previous = hrefs
    page.keyboard.press("Escape")
    return [re.sub(r"^https?://[^/]+/|\?.*$", "", href) for href in previous]


def test_search_finds_the_page_for_each_term(search_page):
    page, recorder = search_page
    missing = {}
    for term, expected in TERMS.items():
        shown = results_for(page, term)[:TOP]
        if not any(path in shown for path in expected):
            missing[term] = shown
    assert missing == {}, f"expected page not among the first {TOP} results: {missing}"
    assert len(TERMS) >= 10
    assert recorder.problems() == []


def test_search_for_nonsense_shows_no_result(search_page):
    page, _ = search_page
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("qqxzvw")
    box.press("End")
    page.wait_for_function("() => /No matching/i.test(document.querySelector('.md-search-result__meta')?.textContent || '')", timeout=15000)
    assert page.locator(".md-search-result__item").count() == 0
    page.keyboard.press("Escape")
