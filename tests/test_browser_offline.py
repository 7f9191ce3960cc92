"""In Debian's Chromium: the home page and a note load with every request going to the local server.

Also holds the recorder the other browser tests use: it blocks, and records, every request to a host
other than 127.0.0.1, and records failed requests, HTTP errors, console errors and page errors.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

LOCAL_HOST = "127.0.0.1"


@dataclass
class Recorder:
    """What went wrong in a browser context, labelled with the page (tab) it happened in."""

    outside: list[str] = field(default_factory=list)  # requests to other hosts (blocked)
    failed: list[str] = field(default_factory=list)  # requests that failed or got HTTP >= 400
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions
    warnings: list[str] = field(default_factory=list)  # console warnings (reported, not failed)
    in_flight: dict[int, int] = field(default_factory=dict)  # id(page) -> requests not finished yet
    labels: dict[int, str] = field(default_factory=dict)  # id(page) -> what the page is showing

    def attach(self, context) -> None:
        context.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname == LOCAL_HOST:
            route.continue_()
            return
        self.outside.append(url)
        route.abort()

    def watch(self, page, label: str = "") -> None:
        key = id(page)
        self.labels[key] = label
        self.in_flight[key] = 0

        def started(request) -> None:
            self.in_flight[key] += 1

        def finished(request) -> None:
            self.in_flight[key] -= 1

        def failed(request) -> None:
            self.in_flight[key] -= 1
            if urlparse(request.url).hostname == LOCAL_HOST:
                self.failed.append(f"{self.labels[key]}: {request.url} {request.failure}")

        def response(resp) -> None:
            if resp.status >= 400:
                self.failed.append(f"{self.labels[key]}: {resp.url} HTTP {resp.status}")

        def console(message) -> None:
            if message.type == "error":
                self.errors.append(f"{self.labels[key]}: console error: {message.text}")
            elif message.type == "warning":
                self.warnings.append(f"{self.labels[key]}: {message.text}")

        page.on("request", started)
        page.on("requestfinished", finished)
        page.on("requestfailed", failed)
        page.on("response", response)
        page.on("console", console)
        page.on("pageerror", lambda exc: self.errors.append(f"{self.labels[key]}: uncaught {exc}"))

    def label(self, page, label: str) -> None:
        self.labels[id(page)] = label

    def settle(self, page, quiet_ms: int = 150, timeout_s: float = 5.0) -> None:
        """Wait until the page has no request in flight for ``quiet_ms`` (a short networkidle)."""
        deadline = time.monotonic() + timeout_s
        quiet_since = None
        while time.monotonic() < deadline:
            if self.in_flight[id(page)] <= 0:
                quiet_since = quiet_since or time.monotonic()
                if (time.monotonic() - quiet_since) * 1000 >= quiet_ms:
                    return
            else:
                quiet_since = None
            page.wait_for_timeout(25)

    def problems(self) -> list[str]:
        return [f"request outside the machine: {u}" for u in self.outside] + self.failed + self.errors


def open_offline(browser, url: str, **context_options):
    """Open ``url`` in a fresh context that blocks, and records, every request not to 127.0.0.1."""
    context = browser.new_context(**context_options)
    recorder = Recorder()
    recorder.attach(context)
    page = context.new_page()
    recorder.watch(page, urlparse(url).path)
    response = page.goto(url, wait_until="load")
    recorder.settle(page)
    return context, page, response, recorder


@pytest.mark.parametrize("path", ["/", "/compute/", "/sources/"])
def test_pages_make_no_request_outside_the_machine(browser, site_url, path):
    context, page, response, recorder = open_offline(browser, site_url + path)
    try:
        assert response.status == 200
        assert recorder.problems() == []
    finally:
        context.close()


def test_a_note_opens_from_its_layer_index_without_outside_requests(browser, site_url):
    context, page, response, recorder = open_offline(browser, site_url + "/compute/")
    try:
        first_note = page.locator("article table a").first
        title = first_note.inner_text()
        first_note.click()
        page.wait_for_load_state("load")
        page.locator("#sources").wait_for()
        recorder.settle(page)
        assert page.locator("article h1").first.inner_text().rstrip("¶ \n") == title.strip()
        assert page.locator("#sources").count() == 1
        assert recorder.problems() == []
    finally:
        context.close()


# Scripts and styles that only some pages link (overrides/partials/page-assets.html).
CHART_ASSETS = ("/assets/javascripts/charts.js", "/assets/stylesheets/charts.css", "/assets/vega/vega-bundle.js")
ENTITY_ASSETS = ("/assets/javascripts/entities.js", "/assets/stylesheets/entities.css")
LIVE_SVG = ".lc-chart--live .lc-chart__view svg"
# Material's instant navigation, as a click on a link of its sitemap starts it: the new address on its
# location$ (this site has no site_url, so its sitemap lists no page and clicks load pages in full).
INSTANT = "url => { history.pushState(null, '', url); window.location$.next(new URL(url, window.location.href)); }"


def test_chart_and_entity_scripts_load_only_where_used_and_work_after_instant_navigation(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    recorder = Recorder()
    recorder.attach(context)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(urlparse(request.url).path))
    page = context.new_page()
    recorder.watch(page, "instant navigation")

    def go(path: str) -> None:
        page.evaluate(INSTANT, site_url + path)
        page.wait_for_function("path => window.location.pathname === path && document.title !== ''", arg=path)

    try:
        page.goto(site_url + "/compute/asics/", wait_until="load")
        recorder.settle(page)
        assert not [p for p in requested if p.endswith(CHART_ASSETS + ENTITY_ASSETS)]
        page.evaluate("window.lscSamePage = true")

        go("/compute/compute-density/")  # a note with a chart
        page.locator(LIVE_SVG).first.wait_for(state="visible", timeout=30_000)
        go("/tables/brain-power/")  # a computed table: its explorer is charts.js's too
        page.locator(".lc-table-explorer[data-lc-ready]").first.wait_for(state="attached", timeout=10_000)
        go("/charts/training-compute/")  # a chart page: live again, the loader fetched once
        page.locator(LIVE_SVG).first.wait_for(state="visible", timeout=30_000)
        assert sum(p.endswith("/charts.js") for p in requested) == 1

        go("/models/")  # an entity index: sorting works
        header = page.locator(".landscape-entities th").first
        header.locator("button").click()
        assert header.get_attribute("aria-sort") == "ascending"
        assert page.evaluate("window.lscSamePage") is True  # every step was an instant navigation
        recorder.settle(page)
        assert recorder.problems() == []
    finally:
        context.close()
