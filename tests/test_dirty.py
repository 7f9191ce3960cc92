"""`make serve` runs `mkdocs serve --dirty`: after an edit, only the pages whose content changed are
written again. Built in-process with MkDocs' own dirty build, as the server runs it."""

from __future__ import annotations

import random

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from landscape import dirty
from tools.bench.fixtures import chart_text, dataset_text


@pytest.fixture
def served(kb, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    site = tmp_path / "served"
    kb.note("compute", "one", "One", body="First body. See [[two]].\n", tags=["alpha"])
    kb.note("compute", "two", "Two", body="Second body.\n", tags=["beta"])
    kb.note("data", "three", "Three", body="Third body.\n", tags=["beta"])
    started = []

    def rebuild() -> dict[str, int]:
        config = load_config(config_file=str(kb.root / "mkdocs.yml"), site_dir=str(site))
        if not started:
            config.plugins.on_startup(command="serve", dirty=True)
            started.append(config)
        build(config, dirty=True)
        return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}

    yield kb, site, rebuild
    started[0].plugins.on_shutdown()
    assert not dirty.manifest_path(site).exists()


def written(before: dict[str, int], after: dict[str, int]) -> set[str]:
    """HTML pages written by the second build (sitemaps and the 404 page are written by every build)."""
    return {uri for uri, mtime in after.items() if uri.endswith(".html") and before.get(uri) != mtime} - {"404.html"}


def test_an_edit_rebuilds_only_the_pages_it_changes(served):
    kb, site, rebuild = served
    first = rebuild()
    assert "compute/one/index.html" in first and dirty.manifest_path(site).exists()
    kb.note("compute", "one", "One", body="First body, edited. See [[two]].\n", tags=["alpha"])
    second = rebuild()
    assert written(first, second) == {"compute/one/index.html"}
    assert "First body, edited." in (site / "compute/one/index.html").read_text(encoding="utf-8")

    # A new summary changes the layer index too; the other layer's pages stay as they were.
    kb.note("compute", "two", "Two", body="Second body.\n", tags=["beta"], summary="Two, summarised anew.")
    third = rebuild()
    changed = written(second, third)
    assert {"compute/two/index.html", "compute/index.html"} <= changed
    assert not any(uri.startswith("data/") for uri in changed)


def test_a_dataset_edit_rebuilds_only_the_pages_that_show_it(served):
    kb, site, rebuild = served
    rng = random.Random(1)
    for number, name in enumerate("ab"):
        kb.write(f"charts/data/rows-{name}.yaml", dataset_text(f"rows-{name}", number, 40, rng))
        kb.write(f"charts/chart-{name}.yaml", chart_text(f"chart-{name}", 0, f"rows-{name}"))
        kb.note("data", f"with-{name}", f"With {name}", body=f"Chart {name}.\n\n{{{{chart chart-{name}}}}}\n")
    first = rebuild()
    path = kb.root / "charts/data/rows-a.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("model: Model 0-1,", "model: Renamed 0-1,"), encoding="utf-8")
    second = rebuild()
    changed = written(first, second)
    assert {"datasets/rows-a/index.html", "charts/chart-a/index.html"} <= changed
    assert "Renamed 0-1" in (site / "datasets/rows-a/index.html").read_text(encoding="utf-8")
    untouched = {"datasets/rows-b/index.html", "charts/chart-b/index.html", "data/with-b/index.html",
                 "compute/one/index.html", "compute/two/index.html", "data/three/index.html"}
    assert untouched <= set(first) and not changed & untouched


def test_a_tag_change_rebuilds_the_tags_page_from_every_page(served):
    kb, site, rebuild = served
    first = rebuild()
    kb.note("data", "three", "Three", body="Third body.\n", tags=["gamma"])
    second = rebuild()
    assert "tags/index.html" in written(first, second)
    tags_page = (site / "tags/index.html").read_text(encoding="utf-8")
    assert all(tag in tags_page for tag in ("alpha", "beta", "gamma"))


def test_a_deleted_note_leaves_no_page_behind(served):
    kb, site, rebuild = served
    rebuild()
    (kb.root / "notes/data/three.md").unlink()
    rebuild()
    assert not (site / "data/three/index.html").exists()
    assert (site / "compute/one/index.html").exists()


def test_a_plain_build_writes_no_manifest(kb, tmp_path):
    kb.note("compute", "one", "One")
    site = tmp_path / "site"
    assert kb.build(site).returncode == 0
    assert not dirty.manifest_path(site).exists()


def test_the_server_listens_for_saves_and_ignores_reads(tmp_path, monkeypatch):
    """MkDocs' server polls every 0.5 s; the plugin gives it an inotify observer with the same watches,
    which asks for a rebuild when a watched file changes and not when a build reads one."""
    import time

    from mkdocs.livereload import LiveReloadServer

    from landscape.serving import watch_natively

    monkeypatch.delenv("LANDSCAPE_POLL", raising=False)
    notes = tmp_path / "notes"
    notes.mkdir()
    note = notes / "one.md"
    note.write_text("First.\n", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(notes))
    assert watch_natively(server)
    assert list(server._watched_paths) == [str(notes)]

    def asked(within: float) -> bool:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if server._want_rebuild:
                return True
            time.sleep(0.01)
        return False

    try:
        server.observer.start()  # as serve() does: a no-op, the observer already runs
        note.read_text(encoding="utf-8")
        assert not asked(0.5)  # a read (inotify's open and close) is not a change
        started = time.monotonic()
        note.write_text("First, saved.\n", encoding="utf-8")
        assert asked(2.0)
        assert time.monotonic() - started < 0.3  # at once, not at the next poll
    finally:
        server.observer.stop()
        server.observer.join(5)


def test_polling_stays_when_asked(tmp_path, monkeypatch):
    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers.polling import PollingObserver

    from landscape.serving import watch_natively

    monkeypatch.setenv("LANDSCAPE_POLL", "1")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(tmp_path))
    assert not watch_natively(server) and isinstance(server.observer, PollingObserver)
