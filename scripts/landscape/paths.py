"""The only module that knows where things live in a knowledge-base checkout."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Paths:
    root: Path

    @property
    def notes(self) -> Path:
        return self.root / "notes"

    @property
    def charts(self) -> Path:
        return self.root / "charts"

    @property
    def datasets(self) -> Path:
        return self.charts / "data"

    @property
    def tables(self) -> Path:
        return self.charts / "tables"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def cache(self) -> Path:
        return self.root / ".cache" / "landscape"

    @property
    def schemas(self) -> Path:
        return self.root / "docs" / "schemas"

    def note_files(self) -> list[Path]:
        return sorted(self.notes.glob("*/*.md")) if self.notes.is_dir() else []

    def stray_note_files(self) -> list[Path]:
        """Markdown files directly under notes/ or nested deeper than notes/<layer>/."""
        if not self.notes.is_dir():
            return []
        return sorted(p for p in self.notes.rglob("*.md") if len(p.relative_to(self.notes).parts) != 2)

    def dataset_files(self) -> list[Path]:
        return sorted(self.datasets.glob("*.yaml")) if self.datasets.is_dir() else []

    def chart_files(self) -> list[Path]:
        return sorted(self.charts.glob("*.yaml")) if self.charts.is_dir() else []

    @property
    def entity_pages(self) -> Path:
        return self.charts / "pages"

    def entity_files(self) -> list[Path]:
        return sorted(self.entity_pages.glob("*.yaml")) if self.entity_pages.is_dir() else []

    def table_files(self) -> list[Path]:
        return sorted(self.tables.glob("*.yaml")) if self.tables.is_dir() else []


# Where generated pages and assets go, as MkDocs source URIs (posix, relative to the docs root).
def note_uri(layer: str, slug: str) -> str:
    return f"{layer}/{slug}.md"


def layer_index_uri(layer: str) -> str:
    return f"{layer}/index.md"


def chart_page_uri(chart_id: str) -> str:
    return f"charts/{chart_id}.md"


def chart_asset_uri(chart_id: str, suffix: str) -> str:
    """suffix: 'svg', 'dark.svg', 'vl.json', 'csv', 'json', 'png'."""
    return f"charts/assets/{chart_id}.{suffix}"


def chart_embed_uri(chart_id: str) -> str:
    """The chart alone (no site chrome), for an <iframe>: a static HTML file, not a page."""
    return f"charts/embed/{chart_id}.html"


def dataset_page_uri(dataset_id: str) -> str:
    return f"datasets/{dataset_id}.md"


def dataset_asset_uri(dataset_id: str, suffix: str) -> str:
    return f"datasets/assets/{dataset_id}.{suffix}"


def table_page_uri(table_id: str) -> str:
    return f"tables/{table_id}.md"


def entity_page_uri(collection: str, slug: str) -> str:
    return f"{collection}/{slug}.md"


def entity_index_uri(collection: str) -> str:
    return f"{collection}/index.md"


# Folders of the site that an entity collection's id may not take.
RESERVED_FOLDERS = frozenset({"charts", "datasets", "tables", "assets", "notebooks", "sources", "tags", "schemas", "search", "pagefind", "includes"})

GALLERY_URI = "charts/index.md"
DATASETS_INDEX_URI = "datasets/index.md"
TABLES_INDEX_URI = "tables/index.md"
SOURCES_URI = "sources.md"
VEGA_BUNDLE_URI = "assets/vega/vega-bundle.js"


def page_url(src_uri: str) -> str:
    """The directory URL MkDocs gives a page (use_directory_urls: true), relative to the site root."""
    stem = src_uri[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
        return stem
    return stem + "/"


def href(from_src_uri: str, to_uri: str) -> str:
    """A relative URL from the page built from ``from_src_uri`` to a page (``.md``) or asset URI,
    for use in raw HTML, which MkDocs does not rewrite."""
    from_dir = (page_url(from_src_uri) if from_src_uri.endswith(".md") else posixpath.dirname(from_src_uri)) or "."
    target = page_url(to_uri) if to_uri.endswith(".md") else to_uri
    rel = posixpath.relpath(target or ".", from_dir)
    if to_uri.endswith(".md") and not rel.endswith("/"):
        rel += "/"
    return "./" if rel == "./" else rel


def md_link(src_uri: str, to_uri: str) -> str:
    """A relative Markdown link target from page ``src_uri`` to a page or file URI (MkDocs resolves and
    checks it). Pages at most one folder deep, most of the site, skip posixpath.relpath's cost."""
    src_folder, _, _ = src_uri.rpartition("/")
    to_folder, _, name = to_uri.rpartition("/")
    if "/" in src_folder or "/" in to_folder:
        return posixpath.relpath(to_uri, src_folder or ".")
    if src_folder == to_folder:
        return name
    if not src_folder:
        return to_uri
    return f"../{name}" if not to_folder else f"../{to_folder}/{name}"
