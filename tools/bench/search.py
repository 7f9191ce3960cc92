"""Search as a reader meets it: in Chromium, on a fresh page, the time from opening search to the first
result, then for a second query, and the bytes of index each query fetched."""

from __future__ import annotations

import http.server
import threading
import urllib.parse
from functools import partial
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


SEARCH_RUNS = 3  # fresh pages; the fastest counts (the machine's other load only ever adds time)
# In the page: from the click on the search button (or from entering a query) to the first result link
# of that query in the DOM, timed with performance.now() (no browser-driver overhead in the figure).
_TIME_TO_RESULT = r"""async ({ query, click }) => {
  const start = performance.now();
  const shown = () => { const s = (document.querySelector('pagefind-summary')?.textContent || '').trim();
    return s.includes(query) && /^[\d,.\s]+ results? for/.test(s) && !!document.querySelector('pagefind-results a.pf-result-link'); };
  let opened = null;
  if (click) {
    document.querySelector('[data-lsc-search-open]').click();
    await new Promise(r => { const t = () => document.querySelector('pagefind-modal dialog[open] input.pf-input') ? r() : requestAnimationFrame(t); t(); });
    opened = performance.now() - start;
  }
  const input = document.querySelector('pagefind-modal input.pf-input');
  input.value = query;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await new Promise((resolve, reject) => {
    const done = () => { if (shown()) { observer.disconnect(); resolve(); } };
    const observer = new MutationObserver(done);
    observer.observe(document.querySelector('pagefind-modal'), { childList: true, subtree: true, characterData: true });
    setTimeout(() => reject(new Error('no result for ' + query)), 60000);
    done();
  });
  return { opened, result: performance.now() - start };
}"""


def _one_search(browser: Any, url: str, site: Path, first: str, second: str) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url) if "/pagefind/" in request.url else None)

    def kb(urls: list[str]) -> float:
        files = [site / urllib.parse.urlparse(u).path.lstrip("/") for u in urls]
        return round(sum(f.stat().st_size for f in files if f.is_file()) / 1000, 1)

    try:
        page.goto(url, wait_until="load")
        page.wait_for_timeout(300)
        before = len(fetched)
        one = page.evaluate(_TIME_TO_RESULT, {"query": first, "click": True})
        titles = page.locator("pagefind-results a.pf-result-link").all_inner_texts()
        mark = len(fetched)
        two = page.evaluate(_TIME_TO_RESULT, {"query": second, "click": False})
        page.wait_for_timeout(200)
        return {
            "open_ms": round(one["opened"]), "first_result_ms": round(one["result"]), "second_query_ms": round(two["result"]),
            "first_hit": bool(titles) and titles[0].strip() == first, "requests_before_open": before,
            "first_query_kb": kb(fetched[before:mark]), "second_query_kb": kb(fetched[mark:]),
        }
    finally:
        context.close()


def search_latency(site: Path, first: str, second: str) -> dict[str, Any]:
    """Serve ``site``; in Chromium, on a fresh page, open search from the header (its script and stylesheet
    load then), enter ``first`` and time until its first result shows, then ``second``. The times include
    the search box's debounce (60 ms after the last keystroke). The fastest of SEARCH_RUNS fresh pages."""
    if not CHROMIUM.exists():
        return {"skipped": "no /usr/bin/chromium"}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "playwright is not installed"}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
            runs = [_one_search(browser, url, site, first, second) for _ in range(SEARCH_RUNS)]
            browser.close()
    finally:
        server.shutdown()
    best = min(runs, key=lambda r: r["first_result_ms"])
    return {"query": first, "second_query": second, **best,
            "second_query_ms": min(r["second_query_ms"] for r in runs),
            "runs_first_result_ms": [r["first_result_ms"] for r in runs]}

