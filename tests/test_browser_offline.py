"""In Debian's Chromium: the home page and a note load with every request going to the local server."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser


def open_offline(browser, url: str, **context_options):
    """Open ``url`` in a fresh context that blocks, and records, every request not to 127.0.0.1."""
    context = browser.new_context(**context_options)
    outside: list[str] = []
    failed: list[str] = []
    errors: list[str] = []

    def route(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            return route.continue_()
        outside.append(route.request.url)
        return route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("requestfailed", lambda request: failed.append(f"{request.url} {request.failure}"))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    response = page.goto(url, wait_until="networkidle")
    return context, page, response, outside, failed, errors


@pytest.mark.parametrize("path", ["/", "/compute/", "/sources/"])
def test_pages_make_no_request_outside_the_machine(browser, site_url, path):
    context, page, response, outside, failed, errors = open_offline(browser, site_url + path)
    try:
        assert response.status == 200
        assert outside == [], f"requests outside the machine: {outside}"
        assert failed == [] and errors == []
    finally:
        context.close()


def test_a_note_opens_from_its_layer_index_without_outside_requests(browser, site_url):
    context, page, response, outside, failed, errors = open_offline(browser, site_url + "/compute/")
    try:
        first_note = page.locator("article table a").first
        title = first_note.inner_text()
        first_note.click()
        page.wait_for_load_state("networkidle")
        assert page.locator("article h1").first.inner_text().rstrip("¶ \n") == title.strip()
        assert page.locator("#sources").count() == 1
        assert outside == [] and failed == [] and errors == []
    finally:
        context.close()
