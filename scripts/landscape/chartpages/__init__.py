"""Markdown and HTML for charts, datasets and computed tables: embeds, pages, gallery, indexes, downloads.

Links between generated pages are Markdown links to ``.md`` paths relative to the page being written
(MkDocs resolves and checks them); raw HTML uses ``paths.href``, which MkDocs does not rewrite.

One module a kind: ``chart``, ``dataset``, ``table``; ``markup`` holds what they all write with. The
names other modules use are importable from here.
"""

from ..tables import value_text
from .chart import (
    chart_artefacts, chart_embed, chart_page, chart_static, chart_view, cite_text, data_version, datum_text,
    embed_page, fit_text, fits_table, gallery_page, reader_text, takeaway,
)
from .dataset import dataset_artefacts, dataset_page, datasets_index
from .markup import MAX_TABLE_ROWS, source_line, cell, cell_html, esc, front_matter, html_table, md_link
from .table import table_embed, table_explorer, table_page, tables_index

__all__ = [
    "MAX_TABLE_ROWS", "source_line", "cell", "cell_html", "chart_artefacts", "chart_embed", "chart_page",
    "chart_static", "chart_view", "cite_text", "data_version", "dataset_artefacts", "dataset_page", "datasets_index",
    "datum_text", "embed_page", "esc", "fit_text", "fits_table", "front_matter", "gallery_page", "html_table", "md_link",
    "reader_text", "table_embed", "table_explorer", "table_page", "tables_index", "takeaway", "value_text",
]
