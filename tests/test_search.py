"""The search index (landscape.search): Pagefind run over HTML into <site>/pagefind/, byte-identical from
one run to the next, and a clear error, with nothing half-written, when it cannot index."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import cbor2
import pytest

from landscape import search

LAYERS = ["Compute", "Data", "Algorithms and LLMs", "API and ML systems", "Products", "Entities", "Misc", "Other"]


def write_site(root: Path, pages: int = 24) -> Path:
    """A small site whose pages spread over eight layer values and four kinds (many orders to come out in)."""
    for i in range(pages):
        folder = root / f"page-{i}"
        folder.mkdir(parents=True)
        kind = ["Note", "Chart", "Dataset", "Table"][i % 4]
        (folder / "index.html").write_text(
            f'<!doctype html><html lang="en"><head><title>Page {i}</title></head><body>'
            f'<nav>navigation words</nav><article data-pagefind-body>'
            f'<div hidden data-pagefind-filter="kind:{kind}" data-pagefind-meta="title:Page number {i}"></div>'
            f'<div hidden data-pagefind-filter="layer:{LAYERS[i % len(LAYERS)]}"></div>'
            f'<h1 id="page-{i}">Page number {i}<a class="headerlink" href="#page-{i}">¶</a></h1>'
            f"<p>Text about zebra{i} and the grokking of chips.</p>"
            f'<h2 id="more">More</h2><p>Further words {i}.</p></article></body></html>',
            encoding="utf-8",
        )
    (root / "404.html").write_text("<html><body><h1>Not found</h1></body></html>", encoding="utf-8")
    return root


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def read(path: Path):
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(search.SIGNATURE)
    return cbor2.loads(data[len(search.SIGNATURE):])


def test_index_holds_the_marked_pages_with_their_filters(tmp_path):
    site = write_site(tmp_path / "site")
    stats = search.build_index(site)
    assert stats.pages == 24  # the 404 page has no data-pagefind-body and stays out
    assert stats.filters == 2 and stats.words > 24 and stats.bytes > 0
    bundle = site / "pagefind"
    assert (bundle / "pagefind-component-ui.js").is_file() and (bundle / "pagefind.js").is_file()
    assert not (site / f".{search.BUNDLE_DIR}.partial").exists()
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    meta = read(bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")
    assert [name for name, _ in meta[3]] == ["kind", "layer"]
    for name, file_hash in meta[3]:
        index = read(bundle / "filter" / f"{file_hash}.pf_filter")
        values = [value for value, _ in index[1]]
        assert values == sorted(values)
        assert set(values) == ({"Note", "Chart", "Dataset", "Table"} if name == "kind" else set(LAYERS))
        encoded = cbor2.dumps(index)
        assert file_hash == "en_" + search.pagefind_hash(encoded)[:7]  # named as Pagefind names it
    fragments = [json.loads(gzip.decompress(p.read_bytes())[12:]) for p in (bundle / "fragment").glob("*")]
    assert all("¶" not in f["content"] and "navigation" not in f["content"] for f in fragments)
    assert {f["meta"]["title"] for f in fragments} == {f"Page number {i}" for i in range(24)}


def test_two_runs_over_the_same_html_write_the_same_bytes(tmp_path):
    first = write_site(tmp_path / "a")
    second = write_site(tmp_path / "b")
    search.build_index(first)
    search.build_index(second)
    search.build_index(second)  # and again over an existing index
    assert files(first / "pagefind") == files(second / "pagefind")


def test_pagefind_hash_is_sha1_hex_without_zero_padding(tmp_path):
    # sha1("abc") = a9 99 3e 36 47 06 81 ...: the byte 06 is written "6"
    assert search.pagefind_hash(b"abc") == "a9993e36476816aba3e25717850c26c9cd0d89d"
    site = write_site(tmp_path / "site", pages=6)
    search.build_index(site)
    chunks = list((site / "pagefind" / "index").glob("*.pf_index"))
    assert chunks
    for chunk in chunks:  # the word-index chunks, which Pagefind names itself and canonical_filters leaves alone
        data = gzip.decompress(chunk.read_bytes())[len(search.SIGNATURE):]
        assert chunk.stem == "en_" + search.pagefind_hash(data)[:7]


def test_a_site_without_pages_is_an_error(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(search.SearchIndexError, match="not able to build an index"):
        search.build_index(empty)
    assert not (empty / "pagefind").exists() and not any(empty.iterdir())


def test_a_missing_site_is_an_error(tmp_path):
    with pytest.raises(search.SearchIndexError, match="no built site"):
        search.build_index(tmp_path / "nowhere")


def test_a_failing_pagefind_leaves_the_previous_index_in_place(tmp_path, monkeypatch):
    site = write_site(tmp_path / "site", pages=4)
    search.build_index(site)
    before = files(site / "pagefind")
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: something broke' >&2\nexit 3\n")
    failing.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing))
    with pytest.raises(search.SearchIndexError, match=r"exit 3\):\nError: something broke"):
        search.build_index(site)
    assert files(site / "pagefind") == before
    assert not (site / f".{search.BUNDLE_DIR}.partial").exists()


def test_a_damaged_bundle_is_reported_not_rewritten(tmp_path):
    site = write_site(tmp_path / "site", pages=4)
    search.build_index(site)
    bundle = site / "pagefind"
    [filter_file] = list((bundle / "filter").glob("*"))[:1]
    filter_file.write_bytes(b"not gzip")
    with pytest.raises(search.SearchIndexError, match="not a Pagefind index file"):
        search.canonical_filters(bundle)


@pytest.mark.slow
def test_two_builds_of_a_knowledge_base_are_byte_identical_search_index_included(kb, tmp_path):
    for i, layer in enumerate(["compute", "data", "algorithms", "systems", "products"]):
        kb.note(layer, f"note-{i}", f"Note {i} about {layer}", f"Body of note {i}, on {layer}.\n\n## A heading\n\nMore text.\n")
    first, second = tmp_path / "one", tmp_path / "two"
    for site in (first, second):
        result = kb.build(site)
        assert result.returncode == 0, result.stderr[-3000:]
        assert "search index of" in result.stderr
    assert (first / "pagefind" / "pagefind-entry.json").is_file()
    assert files(first) == files(second)
