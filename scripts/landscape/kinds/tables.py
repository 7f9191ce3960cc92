"""Computed tables (charts/tables/*.yaml): evaluated at load with units, a page each, the index."""

from __future__ import annotations

from pathlib import Path

from .. import chartpages, tables
from ..content import Content, Linked, layer_titles_of, users_graph, note_titles
from ..link import simple_link_word
from ..pagekit import search_fields
from ..paths import TABLES_INDEX_URI, table_page_uri
from ..schemas import Schema
from . import Kind, LoadContext


def _load(files: list[Path], context: LoadContext):
    return tables.load_tables(files)


def _pages(content: Content, linked: Linked) -> dict[str, str]:
    titles = note_titles(content)
    out: dict[str, str] = {}
    for ident, table in content.tables.items():
        slugs = linked.users_of("table", ident)
        out[table_page_uri(ident)] = search_fields(chartpages.table_page(table, [titles[s] for s in slugs]), "Table", layer_titles_of(content, linked, slugs))
    out[TABLES_INDEX_URI] = chartpages.tables_index(content.tables)
    return out


TABLES = Kind(
    name="table",
    plural="tables",
    files=lambda paths: paths.table_files(),
    load=_load,
    link_words=lambda items: simple_link_word("table", items, table_page_uri),
    embed_word="table",
    embed=lambda table, content, src_uri: chartpages.table_embed(table, src_uri),
    quote_word="value",
    quote=lambda table, name: chartpages.value_text(table, name),
    pages=_pages,
    sources=lambda items: {table_page_uri(i): t.path for i, t in items.items()},
    graph=lambda content, linked: users_graph(content, linked, "table"),
    schema=Schema("table", "landscape.tables", "TableModel", "Computed table", "charts/tables/<id>.yaml"),
)
