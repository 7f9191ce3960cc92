"""The real site, built with --strict: every note has its page, indexes list every note, the search
index holds every note (title, kind, layer) and no data row, backlinks are right, and no page references
an asset outside the site."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from landscape.notes import Layer, load_notes
from landscape.offline import external_references
from landscape.paths import Paths
from landscape.link import note_resolver
from landscape.markdown import WIKILINK

from .conftest import ROOT, pagefind_records

pytestmark = pytest.mark.slow

LAYER_IDS = ["compute", "data", "algorithms", "systems", "products"]


@pytest.fixture(scope="module")
def notes():
    paths = Paths(ROOT)
    found, problems = load_notes(paths.note_files(), [Layer(i, i, "") for i in LAYER_IDS], paths.notes)
    assert problems == []
    return found


def test_every_note_has_its_page_with_title_sources_and_date(built_site: Path, notes):
    assert len(notes) >= 5
    for note in notes:
        page = built_site / note.layer / note.slug / "index.html"
        assert page.is_file(), f"no page for {note.layer}/{note.slug}"
        html = page.read_text(encoding="utf-8")
        assert "<h1" in html and _html_text(note.title) in html
        assert 'id="sources"' in html or not note.meta.sources
        assert f'datetime="{note.meta.updated}"' in html


def test_every_layer_index_lists_all_its_notes(built_site: Path, notes):
    for layer in LAYER_IDS:
        html = (built_site / layer / "index.html").read_text(encoding="utf-8")
        for note in (n for n in notes if n.layer == layer):
            assert f'href="{note.slug}/"' in html, f"{layer} index does not link {note.slug}"


def test_search_index_holds_every_note_with_its_title_kind_and_layer(built_site: Path, notes):
    records = {r["url"]: r for r in pagefind_records(built_site)}
    layer_titles = {"compute": "Compute", "data": "Data", "algorithms": "Algorithms and LLMs",
                    "systems": "API and ML systems", "products": "Products"}
    for note in notes:
        record = records.get(f"/{note.layer}/{note.slug}/")
        assert record is not None, f"{note.layer}/{note.slug} is not in the search index"
        assert record["meta"]["title"] == note.title
        assert record["filters"]["kind"] == ["Note"] and record["filters"]["layer"] == [layer_titles[note.layer]]
        assert "¶" not in record["content"]  # heading permalinks stay out
    assert not any(url.startswith("/404") for url in records)
    kinds = {kind for r in records.values() for kind in r["filters"]["kind"]}
    assert {"Note", "Chart", "Dataset", "Table", "Page"} <= kinds


@pytest.mark.parametrize("dataset", ["ml-hardware", "notable-models"])
def test_data_rows_stay_out_of_the_search_index_but_their_names_do_not(built_site: Path, dataset):
    [record] = [r for r in pagefind_records(built_site) if r["url"] == f"/datasets/{dataset}/"]
    html = (built_site / "datasets" / dataset / "index.html").read_text("utf-8")
    head, rows_table = html.split("<thead data-pagefind-ignore>", 1)  # the rows (the columns table comes first)
    body, tail = rows_table.split("<tbody>", 1)[1].split("</tbody>", 1)

    def text(fragment: str) -> str:
        return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())

    rows = [re.findall(r"<td([^>]*)>(.*?)</td>", row) for row in body.split("</tr>") if "<td" in row]
    assert len(rows) >= 20
    outside = text(head + tail)
    for cells in rows:
        (first_attrs, name), *others = cells
        assert "data-pagefind-ignore" not in first_attrs and text(name) in record["content"], name
        assert all("data-pagefind-ignore" in attrs for attrs, _ in others)
        for _, value in others:  # a value shown only in the rows is not searchable
            value = text(value)
            if len(value) >= 5 and value not in outside and value not in " ".join(text(n) for (_, n), *_ in rows):
                assert value not in record["content"], value


ENTITY_LINKS = tuple(yaml.safe_load(p.read_text(encoding="utf-8"))["link"] for p in sorted((ROOT / "charts" / "pages").glob("*.yaml")))


def test_backlinks_match_the_wikilinks(built_site: Path, notes):
    resolve = note_resolver(notes)
    expected: dict[str, set[str]] = {n.slug: set() for n in notes}
    for note in notes:
        for match in WIKILINK.finditer(note.body):
            target = match.group(1).strip()
            if target.split(":", 1)[0] in ("chart", "table", "dataset", *ENTITY_LINKS):
                continue
            slug = resolve(target)[0]
            if slug != note.slug:
                expected[slug].add(note.slug)
    by_slug = {n.slug: n for n in notes}
    for slug, linkers in expected.items():
        note = by_slug[slug]
        html = (built_site / note.layer / slug / "index.html").read_text(encoding="utf-8")
        section = html.split('id="linked-from"', 1)[1] if linkers else ""
        if not linkers:
            assert 'id="linked-from"' not in html
        for other in linkers:
            assert f"/{other}/" in section.split("</ul>", 1)[0], f"{slug} should list {other} under Linked from"


def test_sources_page_lists_each_cited_source_once(built_site: Path, notes):
    html = (built_site / "sources" / "index.html").read_text(encoding="utf-8")
    urls = {s.url.rstrip("/") for n in notes for s in n.meta.sources}
    for url in urls:
        assert html.count(f'href="{_html_attr(url)}') + html.count(f'href="{_html_attr(url)}/"') >= 1, url


def test_no_page_references_an_asset_outside_the_site(built_site: Path):
    offenders = {}
    for page in built_site.rglob("*.html"):
        external = external_references(page.read_text(encoding="utf-8"))
        if external:
            offenders[str(page.relative_to(built_site))] = external
    assert offenders == {}
    for css in built_site.rglob("*.css"):
        assert not re.search(r"@import\s+url\(\s*['\"]?https?://|url\(\s*['\"]?https?://", css.read_text(encoding="utf-8")), css


def test_generated_pages_are_not_written_into_docs():
    generated = [p for p in (ROOT / "docs").rglob("*") if p.suffix == ".md" and p.parts[-2] in LAYER_IDS]
    assert generated == []


def _html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _html_attr(text: str) -> str:
    return _html_text(text).replace('"', "&quot;")
