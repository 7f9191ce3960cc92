"""The link phase and the pages built from it: note pages, layer indexes, the home sections, sources.

Link runs over everything before any page is written (as Pelican does): wikilinks, backlinks, chart and
table embeds, quoted values and the sources index are resolved here, and cross-file problems found.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any

from . import chartpages, entitypages
from .markdown import Transformed, transform
from .notes import Layer, LayerOverview, Note
from .paths import (
    DATASETS_INDEX_URI,
    GALLERY_URI,
    SOURCES_URI,
    TABLES_INDEX_URI,
    chart_page_uri,
    dataset_page_uri,
    entity_index_uri,
    entity_page_uri,
    table_page_uri,
    layer_index_uri,
    note_uri,
)
from .problems import Problem, raise_if_any


@dataclass
class Content:
    """Everything loaded and validated: the input of the link phase."""

    layers: list[Layer]
    notes: list[Note]
    overviews: dict[str, LayerOverview]
    datasets: dict[str, Any] = field(default_factory=dict)
    charts: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, Any] = field(default_factory=dict)
    rendered: dict[str, Any] = field(default_factory=dict)  # chart id -> RenderedChart
    collections: dict[str, Any] = field(default_factory=dict)  # entity collection id -> entities.Collection
    marks: dict[str, Any] = field(default_factory=dict)  # chart id -> highlight.ChartMarks (where its points are)

    def collection_for_link(self, link: str):
        return next((c for c in self.collections.values() if c.link == link), None)


@dataclass
class CitedSource:
    title: str
    url: str
    publisher: str | None
    date: Any
    cited_by: list[tuple[str, str]] = field(default_factory=list)  # (title, src_uri)


@dataclass
class Linked:
    bodies: dict[str, str]  # slug -> transformed Markdown
    overviews: dict[str, str]  # layer -> transformed overview Markdown
    backlinks: dict[str, list[str]]  # slug -> slugs linking to it
    chart_users: dict[str, list[str]]  # chart id -> slugs embedding it
    table_users: dict[str, list[str]]
    sources: list[CitedSource]
    entity_users: dict[str, list[str]] = field(default_factory=dict)  # "collection/slug" -> slugs linking to it


class _Embeds:
    """Embeds and quoted values offered to the Markdown transform."""

    def __init__(self, content: Content):
        self.content = content

    def embed(self, kind: str, ident: str, src_uri: str) -> str | None:
        if kind == "chart" and ident in self.content.charts:
            return chartpages.chart_embed(self.content.charts[ident], self.content.rendered[ident], src_uri)
        if kind == "table" and ident in self.content.tables:
            return chartpages.table_embed(self.content.tables[ident], src_uri)
        return None

    def link_kinds(self) -> set[str]:
        return {"chart", "table", "dataset"} | {c.link for c in self.content.collections.values()}

    def missing(self, kind: str, ident: str) -> str:
        collection = self.content.collection_for_link(kind)
        if collection is None:
            return f"unknown {kind} id {ident!r}"
        near = collection.nearest(ident)
        hint = f"; nearest: {', '.join(repr(n) for n in near)}" if near else ""
        return f"no {collection.spec.singular} is named {ident!r}{hint}"

    def page(self, kind: str, ident: str) -> tuple[str, str] | None:
        collection = self.content.collection_for_link(kind)
        if collection is not None:
            entity = collection.find(ident)
            return (entity_page_uri(collection.id, entity.slug), entity.name) if entity else None
        items = {"chart": self.content.charts, "table": self.content.tables, "dataset": self.content.datasets}[kind]
        if ident not in items:
            return None
        uri = {"chart": chart_page_uri, "table": table_page_uri, "dataset": dataset_page_uri}[kind](ident)
        return uri, items[ident].title

    def quote(self, kind: str, ident: str, name: str) -> str | None:
        try:
            if kind == "value" and ident in self.content.tables:
                return chartpages.value_text(self.content.tables[ident], name)
            if kind == "fit" and ident in self.content.charts:
                return chartpages.fit_text(self.content.charts[ident], self.content.rendered[ident], name)
        except KeyError:
            return None
        return None

    def datum(self, dataset_id: str, key: str, column: str) -> tuple[str | None, str]:
        dataset = self.content.datasets.get(dataset_id)
        if dataset is None:
            return None, f"unknown dataset {dataset_id!r}"
        return chartpages.datum_text(dataset, key, column)


def note_resolver(notes: list[Note]):
    """Resolve a wikilink target by slug, then by title (case-insensitive)."""
    by_key: dict[str, Note] = {}
    for note in notes:
        by_key.setdefault(note.title.strip().lower(), note)
    for note in notes:
        by_key[note.slug] = note

    def resolve(target: str) -> tuple[str, str, str] | None:
        note = by_key.get(target) or by_key.get(target.strip().lower())
        return (note.slug, note_uri(note.layer, note.slug), note.title) if note else None

    return resolve


def link(content: Content) -> Linked:
    """Resolve every cross-reference; raise ProblemsError with all problems found."""
    resolve = note_resolver(content.notes)
    embeds = _Embeds(content)
    found: list[Problem] = []
    bodies: dict[str, str] = {}
    backlinks: dict[str, list[str]] = {note.slug: [] for note in content.notes}
    chart_users: dict[str, list[str]] = {ident: [] for ident in content.charts}
    table_users: dict[str, list[str]] = {ident: [] for ident in content.tables}
    entity_users: dict[str, list[str]] = {}
    for note in content.notes:
        result: Transformed = transform(
            note.body, path=note.path, first_line=note.body_line, src_uri=note_uri(note.layer, note.slug),
            resolve=resolve, embeds=embeds,
        )
        found.extend(result.problems)
        bodies[note.slug] = result.markdown
        for target in result.links:
            if target != note.slug:
                backlinks[target].append(note.slug)
        for kind, ident in dict.fromkeys(result.embeds):
            users = {"chart": chart_users, "table": table_users}[kind]
            if note.slug not in users.setdefault(ident, []):
                users[ident].append(note.slug)
        for uri in dict.fromkeys(result.pages):
            entity_users.setdefault(uri, [])
            if note.slug not in entity_users[uri]:
                entity_users[uri].append(note.slug)
    overviews = {}
    for layer_id, overview in content.overviews.items():
        result = transform(
            overview.body, path=overview.path, first_line=overview.body_line, src_uri=layer_index_uri(layer_id),
            resolve=resolve, embeds=embeds,
        )
        found.extend(result.problems)
        overviews[layer_id] = result.markdown
    raise_if_any(found)
    return Linked(bodies, overviews, backlinks, chart_users, table_users, cited_sources(content.notes), entity_users)


def cited_sources(notes: list[Note]) -> list[CitedSource]:
    """Every source cited by a note, once (by URL), with the notes citing it."""
    by_url: dict[str, CitedSource] = {}
    for note in notes:
        for source in note.meta.sources:
            key = source.url.rstrip("/")
            entry = by_url.setdefault(key, CitedSource(source.title, source.url, source.publisher, source.date))
            citer = (note.title, note_uri(note.layer, note.slug))
            if citer not in entry.cited_by:
                entry.cited_by.append(citer)
    return sorted(by_url.values(), key=lambda s: (s.title.lower(), s.url))


# ---------------------------------------------------------------------------------------------- pages


def rel(from_uri: str, to_uri: str) -> str:
    """A Markdown link target from one page's source URI to another's (MkDocs resolves and checks it)."""
    return posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")


def front_matter(**fields: Any) -> str:
    import json

    lines = ["---"]
    for key, value in fields.items():
        if value is None:
            continue
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def search_fields(page: str, kind: str, layers: list[str]) -> str:
    """A generated page with its search kind and layers added to its front matter (see overrides/)."""
    import json

    if not page.startswith("---\n"):
        raise ValueError("a generated page must start with front matter")
    fields = [("kind", kind), ("layers", layers)]
    lines = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in fields if value)
    return "---\n" + lines + page[4:]


def md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("[", "\\[").replace("]", "\\]").replace("<", "&lt;")


def source_line(source: Any) -> str:
    extra = ", ".join(str(part) for part in (source.publisher, source.date) if part)
    return f"[{md_escape(source.title)}]({source.url})" + (f" — {md_escape(extra)}" if extra else "")


def note_page(note: Note, content: Content, linked: Linked, layer_titles: dict[str, str]) -> str:
    uri = note_uri(note.layer, note.slug)
    by_slug = {n.slug: n for n in content.notes}
    parts = [
        front_matter(
            title=note.title, description=note.meta.summary, tags=note.meta.tags or None,
            kind="Note", layers=[layer_titles[note.layer]],
        ),
        f"# {md_escape(note.title)}\n\n",
        f'<p class="lsc-summary" markdown>{md_escape(note.meta.summary)}</p>\n\n',
    ]
    if note.meta.status == "draft":
        parts.append('!!! warning "Draft"\n    This note has not been reviewed against its sources yet.\n\n')
    parts.append(linked.bodies[note.slug].rstrip() + "\n\n")
    if note.meta.sources:
        parts.append("## Sources\n\n")
        parts.extend(f"{i}. {source_line(s)}\n" for i, s in enumerate(note.meta.sources, 1))
        parts.append("\n")
    backlinks = linked.backlinks.get(note.slug, [])
    if backlinks:
        parts.append("## Linked from\n\n")
        for slug in sorted(backlinks, key=lambda s: by_slug[s].title.lower()):
            other = by_slug[slug]
            parts.append(f"- [{md_escape(other.title)}]({rel(uri, note_uri(other.layer, slug))})\n")
        parts.append("\n")
    layer_link = f"[{layer_titles[note.layer]}]({rel(uri, layer_index_uri(note.layer))})"
    parts.append(
        f'<p class="lsc-meta" markdown>Layer: {layer_link} · Updated <time datetime="{note.meta.updated}">'
        f"{note.meta.updated:%-d %B %Y}</time> · {note.meta.status.capitalize()}</p>\n"
    )
    return "".join(parts)


def layer_index_page(layer: Layer, content: Content, linked: Linked) -> str:
    uri = layer_index_uri(layer.id)
    notes = sorted((n for n in content.notes if n.layer == layer.id), key=lambda n: n.title.lower())
    parts = [front_matter(title=layer.title, description=layer.summary, layers=[layer.title]), f"# {md_escape(layer.title)}\n\n"]
    parts.append(linked.overviews.get(layer.id) or f"{layer.summary}\n")
    parts.append(f"\n\n## Notes ({len(notes)})\n\n")
    if not notes:
        parts.append("No notes yet.\n")
        return "".join(parts)
    parts.append("| Note | Summary | Tags |\n|---|---|---|\n")
    for note in notes:
        tags = ", ".join(note.meta.tags)
        draft = " *(draft)*" if note.meta.status == "draft" else ""
        parts.append(
            f"| [{md_escape(note.title)}]({rel(uri, note_uri(note.layer, note.slug))}){draft} "
            f"| {md_escape(note.meta.summary)} | {md_escape(tags)} |\n"
        )
    return "".join(parts)


def home_sections(content: Content, home_uri: str = "index.md") -> str:
    """Generated part of the hand-written home page: the layers, entry points, recently updated notes."""
    counts = {layer.id: 0 for layer in content.layers}
    for note in content.notes:
        counts[note.layer] += 1
    cards = ['<div class="grid cards" markdown>\n\n']
    for layer in content.layers:
        cards.append(
            f"-   **[{md_escape(layer.title)}]({rel(home_uri, layer_index_uri(layer.id))})** · {counts[layer.id]} notes\n\n"
            f"    ---\n\n    {md_escape(layer.summary)}\n\n"
        )
    cards.append("</div>\n\n")
    entry = [
        "## Entry points\n\n",
        f"- [Charts]({rel(home_uri, GALLERY_URI)}): every chart, with its data and method\n",
        f"- [Datasets]({rel(home_uri, DATASETS_INDEX_URI)}) and [computed tables]({rel(home_uri, TABLES_INDEX_URI)})\n",
        *(
            f"- [{md_escape(c.spec.title)}]({rel(home_uri, entity_index_uri(c.id))}): a page for each of {len(c.entities):,} {md_escape(c.spec.singular)}s in the data\n"
            for c in content.collections.values()
        ),
        f"- [Sources]({rel(home_uri, SOURCES_URI)}): every cited source and the notes citing it\n",
        f"- [Tags]({rel(home_uri, 'tags.md')})\n\n",
    ]
    recent = sorted(content.notes, key=lambda n: (n.meta.updated, n.title), reverse=True)[:8]
    latest = ["## Recently updated\n\n"] + [
        f"- [{md_escape(n.title)}]({rel(home_uri, note_uri(n.layer, n.slug))}) · {n.meta.updated:%-d %b %Y}\n" for n in recent
    ]
    return "".join(cards + entry + (latest if recent else []))


def sources_page(linked: Linked) -> str:
    parts = [
        front_matter(title="Sources", description="Every source cited by a note, with the notes that cite it."),
        "# Sources\n\n",
        f"{len(linked.sources)} sources cited across the knowledge base, each listed once with the notes citing it. "
        "Datasets, charts and computed tables list their own sources on their pages.\n\n",
    ]
    for source in linked.sources:
        citers = ", ".join(f"[{md_escape(title)}]({rel(SOURCES_URI, uri)})" for title, uri in sorted(source.cited_by))
        parts.append(f"- {source_line(source)}  \n  Cited by: {citers}\n")
    return "".join(parts)


def pages(content: Content, linked: Linked) -> dict[str, str]:
    """Every generated page, by source URI."""
    layer_titles = {layer.id: layer.title for layer in content.layers}
    out: dict[str, str] = {}
    for layer in content.layers:
        out[layer_index_uri(layer.id)] = layer_index_page(layer, content, linked)
    for note in content.notes:
        out[note_uri(note.layer, note.slug)] = note_page(note, content, linked, layer_titles)
    out[SOURCES_URI] = sources_page(linked)
    titles = {n.slug: (n.title, note_uri(n.layer, n.slug)) for n in content.notes}
    layer_of = {n.slug: n.layer for n in content.notes}
    order = [layer.id for layer in content.layers]

    def layers(slugs) -> list[str]:  # the layers of the notes using a chart, table or dataset
        used = {layer_of[s] for s in slugs}
        return [layer_titles[layer] for layer in order if layer in used]

    chart_layers = {ident: layers(linked.chart_users.get(ident, [])) for ident in content.charts}
    for ident, chart in content.charts.items():
        users = [titles[s] for s in linked.chart_users.get(ident, [])]
        page = chartpages.chart_page(chart, content.rendered[ident], content.datasets, users)
        out[chart_page_uri(ident)] = search_fields(page, "Chart", chart_layers[ident])
    out[GALLERY_URI] = chartpages.gallery_page(content.charts, content.rendered)
    for ident, table in content.tables.items():
        users = [titles[s] for s in linked.table_users.get(ident, [])]
        out[table_page_uri(ident)] = search_fields(chartpages.table_page(table, users), "Table", layers(linked.table_users.get(ident, [])))
    out[TABLES_INDEX_URI] = chartpages.tables_index(content.tables)
    charts_by_dataset: dict[str, list] = {}
    for chart in content.charts.values():
        for dataset_id in chart.datasets:
            charts_by_dataset.setdefault(dataset_id, []).append(chart)
    for ident, dataset in content.datasets.items():
        used_in = {layer for chart in charts_by_dataset.get(ident, []) for layer in chart_layers[chart.id]}
        page = chartpages.dataset_page(dataset, charts_by_dataset.get(ident, []))
        out[dataset_page_uri(ident)] = search_fields(page, "Dataset", [t for t in layer_titles.values() if t in used_in])
    out[DATASETS_INDEX_URI] = chartpages.datasets_index(content.datasets)
    if content.collections:
        for uri, page in entitypages.pages(content.collections, content.datasets, content.charts, content.rendered, linked.entity_users, titles, content.marks).items():
            collection = content.collections[uri.split("/", 1)[0]]
            if uri == entity_index_uri(collection.id):
                out[uri] = page
            else:  # search filters: the entity's kind, and the layers of the notes linking to it
                out[uri] = search_fields(page, collection.spec.singular.capitalize(), layers(linked.entity_users.get(uri, [])))
    return out
