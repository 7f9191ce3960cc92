"""Every page of the built site, in Debian's Chromium: no console error, no failed request, no request
to any host but the local server. One browser context; a few tabs load pages side by side."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from .test_browser_offline import Recorder

pytestmark = pytest.mark.browser

TABS = 3  # pages loading at once; the machine has two cores
ENTITY_SAMPLE = 12  # entity pages of each collection crawled (evenly spaced, the same every run)
ENTITY_FOLDERS = {p.stem for p in (Path(__file__).resolve().parents[1] / "charts" / "pages").glob("*.yaml")}


def site_pages(site: Path) -> list[str]:
    """URL paths of every HTML page of the built site but entity pages, of which each collection's
    index and a fixed sample come (they share one template; test_build checks every page's HTML)."""
    found, entities = [], {}
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        path = "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        folder = rel.split("/")[0]
        if folder in ENTITY_FOLDERS and rel != f"{folder}/index.html":
            entities.setdefault(folder, []).append(path)
        else:
            found.append(path)
    for paths in entities.values():
        step = max(len(paths) // ENTITY_SAMPLE, 1)
        found.extend(paths[::step][:ENTITY_SAMPLE])
    return found


def test_every_page_loads_offline_without_errors(browser, built_site, site_url, capsys):
    paths = site_pages(built_site)
    assert len(paths) >= 50, paths
    context = browser.new_context()
    recorder = Recorder()
    recorder.attach(context)
    tabs = [context.new_page() for _ in range(TABS)]
    for tab in tabs:
        recorder.watch(tab)
    statuses: dict[str, int] = {}
    start = time.monotonic()
    try:
        for offset in range(0, len(paths), TABS):
            batch = list(zip(tabs, paths[offset : offset + TABS]))
            for tab, path in batch:  # start every load of the batch, then wait for each
                recorder.label(tab, path)
                response = tab.goto(site_url + path, wait_until="commit")
                statuses[path] = response.status if response else 0
            for tab, _ in batch:
                tab.wait_for_load_state("load")
                recorder.settle(tab)
    finally:
        context.close()
    elapsed = time.monotonic() - start
    with capsys.disabled():
        print(f"\n{len(paths)} pages loaded in {elapsed:.1f} s ({TABS} tabs); console warnings: {len(recorder.warnings)}")
    expected_404 = {"/404.html"}
    assert {p: s for p, s in statuses.items() if s != 200 and p not in expected_404} == {}
    assert recorder.problems() == []
