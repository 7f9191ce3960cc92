"""`mkdocs serve` with a broken file: a real server on a free port keeps answering with the last good
build, shows the problems (file:line: field: message) over the open page, and drops them after the next
good build; for a note, a dataset, a chart and a table. Saves a screenshot of the overlay to
test-artifacts/screenshots/serve-overlay.png."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest

from .conftest import ROOT, free_port

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

DATASET = """\
id: things
title: Things
description: One row per thing.
licence: CC BY 4.0
credit: Someone
sources:
  s1: {title: A source, url: "https://example.org/s"}
columns:
  - {name: name, type: string, description: Name}
  - {name: value, type: number, unit: FLOP, description: Value}
rows:
  - {name: alpha, value: 1e3, source: s1}
  - {name: beta, value: 2e3, source: s1}
"""

CHART = """\
id: things-chart
title: Things
caption: What a reader sees.
alt: A bar per thing.
x: {title: Name, type: nominal}
y: {title: Value (FLOP), type: quantitative}
layers:
  - {dataset: things, mark: bar, x: name, y: value}
"""

TABLE = """\
id: sums
title: Sums
description: What is computed.
sources:
  s1: {title: A source, url: "https://example.org/s"}
inputs:
  - {name: compute, label: Compute, value: 1e20, unit: FLOP, source: s1}
outputs:
  - {name: out, label: Out, formula: "compute * 2", unit: FLOP, digits: 3}
"""

GOOD_NOTE = "The first note.\n"


def _get(url: str, timeout: float = 30) -> tuple[float, str]:
    start = time.monotonic()
    with urllib.request.urlopen(url, timeout=timeout) as response:
        body = response.read().decode("utf-8")
    return time.monotonic() - start, body


def _wait_for(url: str, predicate, timeout: float = 120) -> tuple[float, str]:
    """Request ``url`` until ``predicate(body)``; return the slowest answer's time and the last body."""
    deadline, slowest, body = time.monotonic() + timeout, 0.0, ""
    while time.monotonic() < deadline:
        try:
            seconds, body = _get(url)
            slowest = max(slowest, seconds)
            if predicate(body):
                return slowest, body
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never matched; last body ends {body[-500:]!r}")


@pytest.fixture
def served(kb):
    kb.write("charts/data/things.yaml", DATASET)
    kb.write("charts/things-chart.yaml", CHART)
    kb.write("charts/tables/sums.yaml", TABLE)
    kb.note("compute", "first", "First note", body=GOOD_NOTE + "\n{{chart things-chart}}\n\n{{table sums}}\n")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=kb.root, env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/compute/first/", lambda body: "The first note." in body, timeout=240)
        yield kb, base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_broken_note_dataset_chart_and_table_are_shown_over_the_last_good_build(served, browser):
    kb, base = served
    note_path = kb.root / "notes" / "compute" / "first.md"
    good_note = note_path.read_text(encoding="utf-8")
    page_url = f"{base}/compute/first/"
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(page_url)
    assert page.locator("#lsc-problems").count() == 0

    # a note with broken front matter: the server answers at once, from the last good build, with the overlay
    note_path.write_text(good_note.replace("title: First note", "title: [broken"), encoding="utf-8")
    slowest, body = _wait_for(page_url, lambda b: "lsc-problems" in b)
    assert slowest < 10, f"a request waited {slowest:.1f} s"
    assert "The first note." in body  # the last good build
    assert re.search(r"notes/compute/first\.md:\d+: invalid YAML: ", body), body[-3000:]
    overlay = page.locator("#lsc-problems")  # the open page reloads itself (live reload) and shows it
    overlay.wait_for(timeout=60_000)
    assert re.search(r"notes/compute/first\.md:\d+: invalid YAML: ", overlay.inner_text())
    assert "1 problem in the knowledge base" in overlay.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "serve-overlay.png"))

    # fixed: the open page reloads (live reload) and the overlay is gone
    note_path.write_text(good_note.replace(GOOD_NOTE, "The first note, fixed.\n"), encoding="utf-8")
    page.wait_for_function("() => !document.getElementById('lsc-problems') && document.body.innerText.includes('fixed')", timeout=120_000)
    _, body = _get(page_url)
    assert "lsc-problems" not in body and "The first note, fixed." in body

    # a broken dataset, chart and table at once: every problem is listed, each with file, line and field
    dataset, chart, table = (kb.root / "charts" / p for p in ("data/things.yaml", "things-chart.yaml", "tables/sums.yaml"))
    originals = {p: p.read_text(encoding="utf-8") for p in (dataset, chart, table)}
    dataset.write_text(originals[dataset].replace("value: 2e3", "value: lots"), encoding="utf-8")
    chart.write_text(originals[chart].replace("mark: bar", "mark: blob"), encoding="utf-8")
    table.write_text(originals[table].replace('"compute * 2"', '"compute * nope"'), encoding="utf-8")
    expected = ["charts/data/things.yaml:13: rows[1].value: expected a number, got 'lots'",
                "charts/things-chart.yaml:8: layers.0.mark:",
                "charts/tables/sums.yaml:9: outputs[0].formula: 'compute * nope': unknown name 'nope'"]
    slowest, body = _wait_for(page_url, lambda b: all(e in b.replace("&#x27;", "'") for e in expected))
    assert slowest < 10, f"a request waited {slowest:.1f} s"
    assert "The first note, fixed." in body
    page.wait_for_function("() => (document.getElementById('lsc-problems') || {}).innerText?.includes('sums.yaml')", timeout=60_000)
    text = page.locator("#lsc-problems").inner_text()
    assert all(e in text for e in expected), text
    page.screenshot(path=str(SCREENSHOTS / "serve-overlay-data.png"))
    for path, text in originals.items():
        path.write_text(text, encoding="utf-8")
    page.wait_for_function("() => !document.getElementById('lsc-problems')", timeout=120_000)
    _, body = _get(page_url)
    assert "lsc-problems" not in body
    context.close()
