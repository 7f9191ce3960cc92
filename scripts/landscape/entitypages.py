"""Pages of entity collections (entities.py): one page an entity, and an index a collection.

An entity page shows its figures with units and the row's source, links from its cells to other
collections' entities, the related lists its declaration asks for, the charts its dataset's rows are
drawn in (linked with ?highlight=NAME), and the notes that link to it. An index page is a table a reader
can sort and filter in the page (assets/javascripts/entities.js), with the count of entities.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any, Sequence
from urllib.parse import quote

from . import paths
from .chartpages import source_line, esc, front_matter, md_link, reader_text
from .datasets import Dataset, Range, Row
from .entities import Collection, Entity, FieldModel

MAX_LIST = 25  # entities in a related list before "and N more"


def pages(collections: dict[str, Collection], datasets: dict[str, Dataset], charts: dict[str, Any],
          rendered: dict[str, Any], users: dict[str, list[str]], note_titles: dict[str, tuple[str, str]]) -> dict[str, str]:
    context = _Context(collections, datasets, charts, rendered, users, note_titles)
    out: dict[str, str] = {}
    for collection in collections.values():
        out[paths.entity_index_uri(collection.id)] = index_page(collection, context)
        for entity in collection.entities:
            out[paths.entity_page_uri(collection.id, entity.slug)] = entity_page(collection, entity, context)
    return out


class _Context:
    """What every page of every collection looks things up in, indexed once."""

    def __init__(self, collections, datasets, charts, rendered, users, note_titles):
        self.collections = collections
        self.datasets = datasets
        self.users = users
        self.note_titles = note_titles
        # chart ids whose drawn rows name an entity: (dataset column value) -> chart ids
        self.charts_naming: dict[tuple[str, str], list[Any]] = {}
        for ident, chart in sorted(charts.items()):
            drawn = rendered.get(ident)
            if drawn is None:
                continue
            seen: set[tuple[str, str]] = set()
            for layer_rows in drawn.rows:
                for row in layer_rows:
                    for value in row.values():
                        if isinstance(value, str):
                            seen.add(value)
            for collection in collections.values():
                if collection.spec.dataset not in chart.datasets:
                    continue
                for entity in collection.entities:
                    if any(form in seen for form in entity.forms):
                        self.charts_naming.setdefault((collection.id, entity.slug), []).append(chart)
        self._mentions: dict[tuple[str, str, str], dict[str, list[Entity]]] = {}
        self._ranked: dict[tuple[str, str], tuple[list[Entity], dict[str, int]]] = {}
        self._sharing: dict[tuple[str, str], dict[str, list[Entity]]] = {}

    def ranked(self, collection: Collection, column: str) -> tuple[list[Entity], dict[str, int]]:
        """Single-row entities in the order of a numeric column, and each one's place (by slug)."""
        key = (collection.id, column)
        if key not in self._ranked:
            ranked = sorted(
                (e for e in collection.entities if len(e.rows) == 1 and _is_number(_sort_key(e.rows[0].get(column)))),
                key=lambda e: (_sort_key(e.rows[0].get(column)), e.name),
            )
            self._ranked[key] = (ranked, {e.slug: i for i, e in enumerate(ranked)})
        return self._ranked[key]

    def sharing(self, collection: Collection, column: str) -> dict[str, list[Entity]]:
        """Value of a column (each name of a list cell) -> the entities whose rows hold it."""
        key = (collection.id, column)
        if key not in self._sharing:
            index: dict[str, list[Entity]] = {}
            for entity in collection.entities:
                for value in dict.fromkeys(v for r in entity.rows for v in _names_in(r.get(column), ",")):
                    index.setdefault(value, []).append(entity)
            self._sharing[key] = index
        return self._sharing[key]

    def mentioned_by(self, collection_id: str, column: str, target: Collection) -> dict[str, list[Entity]]:
        """Entities of ``collection_id`` whose ``column`` names an entity of ``target``, by that entity's slug."""
        key = (collection_id, column, target.id)
        if key not in self._mentions:
            source = self.collections[collection_id]
            found: dict[str, list[Entity]] = {}
            for entity in source.entities:
                for row in entity.rows:
                    for name in _names_in(row.get(column), target.spec.split or ","):
                        other = target.find(name)
                        if other is not None and entity not in found.setdefault(other.slug, []):
                            found[other.slug].append(entity)
            self._mentions[key] = found
        return self._mentions[key]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _names_in(value: Any, split: str) -> list[str]:
    if value is None:
        return []
    return [part.strip() for part in str(value).split(split) if part.strip()]


def _link(src_uri: str, collection: Collection, entity: Entity) -> str:
    return f"[{_md(entity.name)}]({_rel(src_uri, paths.entity_page_uri(collection.id, entity.slug))})"


def _rel(src_uri: str, to_uri: str) -> str:
    """md_link for pages one folder deep (every entity page and index), without posixpath.relpath's cost."""
    src_folder, _, _ = src_uri.rpartition("/")
    to_folder, _, name = to_uri.rpartition("/")
    if src_folder.count("/") or to_folder.count("/") or not src_folder or not to_folder:
        return md_link(src_uri, to_uri)
    return name if src_folder == to_folder else f"../{to_folder}/{name}"


_MD_ESCAPES = str.maketrans({"|": "\\|", "\n": " ", "\r": " ", "[": "\\[", "]": "\\]", "*": "\\*", "_": "\\_",
                             "`": "\\`", "<": "&lt;", "&": "&amp;", "\\": "\\\\"})


def _md(text: Any) -> str:
    """Data text safe inside Markdown (a link label, a table cell): no markup, no HTML, one line."""
    return "–" if text is None else str(text).translate(_MD_ESCAPES)


def _cell_links(src_uri: str, value: Any, target: Collection) -> str:
    parts = []
    for name in _names_in(value, target.spec.split or ","):
        other = target.find(name)
        parts.append(_link(src_uri, target, other) if other else _md(name))
    return ", ".join(parts) if parts else "–"


def _field_text(src_uri: str, collection: Collection, dataset: Dataset, column: str, row: Row, context: _Context) -> str:
    value = row.get(column)
    target = context.collections.get(collection.spec.links.get(column, ""))
    if target is not None:
        return _cell_links(src_uri, value, target)
    spec = dataset.column(column)
    return _md(reader_text(value, spec)) if spec else "–"


def _label(dataset: Dataset, column: str, label: str | None) -> str:
    if label:
        return label
    spec = dataset.column(column)
    return (spec.description or column) if spec else column


def _sort_key(value: Any) -> Any:
    if isinstance(value, Range):
        return value.central
    return value


# ----------------------------------------------------------------------------- entity page


def entity_page(collection: Collection, entity: Entity, context: _Context) -> str:
    spec = collection.spec
    dataset = context.datasets[spec.dataset]
    uri = paths.entity_page_uri(collection.id, entity.slug)
    single = len(entity.rows) == 1 and not spec.split  # a split column names entities of many rows
    row = entity.rows[0]
    summary = _summary(collection, entity, dataset, context)
    names = "names: " + json.dumps(entity.names, ensure_ascii=False) + "\n"  # search ranks them first (overrides/)
    out = [front_matter(entity.name, summary).replace("\n---\n\n", "\n" + names + "---\n\n", 1), f"# {_md(entity.name)}\n\n"]
    out.append(f"{_md(spec.singular.capitalize())} in [{_md(spec.title)}]({md_link(uri, paths.entity_index_uri(collection.id))}).\n\n")
    if len(entity.names) > 1:
        out.append(f'<p class="landscape-aka">Also written: {esc(", ".join(entity.names[1:]))}.</p>\n\n')
    if len(entity.forms) > 1:
        out.append(f"!!! note \"Several name forms\"\n    {_md(dataset.credit)}'s data names this {_md(spec.singular)} as "
                   + ", ".join(f"“{_md(f)}”" for f in entity.forms) + "; this page gathers the rows of all of them.\n\n")
    if single:
        out.append("| Figure | Value |\n|---|---|\n")
        for item in spec.fields:
            out.append(f"| {_md(_label(dataset, item.column, item.label))} | {_field_text(uri, collection, dataset, item.column, row, context)} |\n")
        out.append("\n")
        out.append(_row_source(uri, dataset, row, spec.record, entity.name))
    else:
        out.append(f"{len(entity.rows)} rows of [{_md(dataset.title)}]({md_link(uri, paths.dataset_page_uri(dataset.id))}) name it.\n\n")
    for related in spec.related:
        section = _related(related, collection, entity, dataset, context, uri)
        if section:
            out.append(f"## {_md(related.label)}\n\n{section}\n")
    charts = context.charts_naming.get((collection.id, entity.slug), [])
    out.append("## Charts\n\n")
    if charts:
        for chart in charts:
            target = paths.href(uri, paths.chart_page_uri(chart.id)) + "?highlight=" + quote(entity.name)
            out.append(f"- <a href=\"{esc(target)}\">{esc(chart.spec.title)}</a>, with {esc(entity.name)} highlighted\n")
        out.append("\n")
    else:
        out.append(f"No chart draws this {_md(spec.singular)}.\n\n")
    out.append("## Notes that link here\n\n")
    linking = context.users.get(uri, [])
    if linking:
        for slug in linking:
            title, note_uri = context.note_titles[slug]
            out.append(f"- [{_md(title)}]({md_link(uri, note_uri)})\n")
        out.append("\n")
    else:
        out.append(f"No note links to this {_md(spec.singular)} yet: link it with `[[{spec.link}:{entity.name}]]`.\n\n")
    return "".join(out)


def _summary(collection: Collection, entity: Entity, dataset: Dataset, context: _Context) -> str:
    spec = collection.spec
    if len(entity.rows) == 1:
        facts = []
        for item in spec.fields[:3]:
            value = entity.rows[0].get(item.column)
            if value is not None:
                facts.append(f"{_label(dataset, item.column, item.label).lower()} {reader_text(value, dataset.column(item.column))}")
        return f"{entity.name}: {spec.singular} ({'; '.join(facts)}). Data: {dataset.credit}."
    return f"{entity.name}: {spec.singular} named by {len(entity.rows)} rows of {dataset.title}. Data: {dataset.credit}."


def _row_source(uri: str, dataset: Dataset, row: Row, record: str | None, name: str) -> str:
    source = dataset.sources.get(row.source)
    parts = [f"Source: [{_md(dataset.title)}]({md_link(uri, paths.dataset_page_uri(dataset.id))}), from {source_line(source)}" if source else ""]
    if row.reference:  # a label, not the address: addresses are noise in the search index
        parts.append(f"the row’s own reference: [{_reference_label(row.reference)}]({row.reference})")
    if record:
        parts.append(f"[record at the source]({record.replace('{name}', quote(name))})")
    return "; ".join(p for p in parts if p) + ".\n\n"


def _reference_label(url: str) -> str:
    """The host of a reference, as its link text ("arxiv.org")."""
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or "link"
    return _md(host.removeprefix("www."))


def _related(related, collection: Collection, entity: Entity, dataset: Dataset, context: _Context, uri: str) -> str:
    kind = related.type
    if kind == "same":
        index = context.sharing(collection, related.column)
        values = dict.fromkeys(v for r in entity.rows for v in _names_in(r.get(related.column), ","))
        others = list(dict.fromkeys(e for v in values for e in index.get(v, []) if e is not entity))
        return _entity_list(uri, collection, others, dataset, context)
    if kind == "neighbours":
        ranked, place = context.ranked(collection, related.column)
        if entity.slug not in place:
            return ""
        at = place[entity.slug]
        around = ranked[max(at - 2, 0) : at] + [entity] + ranked[at + 1 : at + 3]
        column = dataset.column(related.column)
        lines = ["| | " + _md(_label(dataset, related.column, None)) + " |", "|---|---|"]
        for other in around:
            name = f"**{_md(other.name)}** (this page)" if other is entity else _link(uri, collection, other)
            lines.append(f"| {name} | {_md(reader_text(other.rows[0].get(related.column), column))} |")
        return "\n".join(lines) + "\n"
    if kind == "mentioned_by":
        source = context.collections[related.collection]
        found = context.mentioned_by(source.id, related.column, collection).get(entity.slug, [])
        return _entity_list(uri, source, found, context.datasets[source.spec.dataset], context) if found else f"None in {_md(source.spec.title)}.\n"
    if kind == "join":
        other = context.datasets[related.dataset]
        rows = [r for r in other.rows if str(r.get(related.column)) in entity.forms]
        if not rows:
            return ""
        fields = related.fields or [FieldModel(column=c.name) for c in other.columns if c.name != related.column]
        lines = ["| " + " | ".join(_md(_label(other, f.column, f.label)) for f in fields) + " |", "|" + "---|" * len(fields)]
        for row in rows:
            lines.append("| " + " | ".join(_md(reader_text(row.get(f.column), other.column(f.column))) for f in fields) + " |")
        source = other.sources.get(rows[0].source)
        note = f"\nFrom [{_md(other.title)}]({md_link(uri, paths.dataset_page_uri(other.id))})" + (f" ({source_line(source)})" if source else "") + ".\n"
        return "\n".join(lines) + "\n" + note
    if kind == "counts":
        sections = []
        for column in related.columns:
            spec = dataset.column(column)
            counts: Counter = Counter()
            for row in entity.rows:
                value = row.get(column)
                if isinstance(value, dt.date):
                    value = value.year
                if value is not None:
                    counts[str(value)] += 1
            if counts:
                head = "Year" if spec and spec.type == "date" else _md(_label(dataset, column, None))
                order = sorted(counts) if spec and spec.type == "date" else [k for k, _ in counts.most_common()]
                sections.append(f"| {head} | Rows |\n|---|---:|\n" + "".join(f"| {_md(k)} | {counts[k]} |\n" for k in order))
        return "\n".join(sections)
    return ""


def _entity_list(uri: str, collection: Collection, others: Sequence[Entity], dataset: Dataset, context: _Context) -> str:
    if not others:
        return "None.\n"
    fields = collection.spec.fields[:3]
    date_field = next((f.column for f in collection.spec.fields if (c := dataset.column(f.column)) and c.type == "date"), None)
    if date_field:
        others = sorted(others, key=lambda e: (str(e.rows[0].get(date_field) or ""), e.name), reverse=True)
    shown = list(others)[:MAX_LIST]
    lines = ["| Name | " + " | ".join(_md(_label(dataset, f.column, f.label)) for f in fields) + " |", "|---|" + "---|" * len(fields)]
    for other in shown:
        row = other.rows[0]
        lines.append(f"| {_link(uri, collection, other)} | " + " | ".join(_field_text(uri, collection, dataset, f.column, row, context) for f in fields) + " |")
    more = f"\nAnd {len(others) - MAX_LIST} more.\n" if len(others) > MAX_LIST else ""
    return "\n".join(lines) + "\n" + more


# ----------------------------------------------------------------------------- index page


def index_page(collection: Collection, context: _Context) -> str:
    spec = collection.spec
    dataset = context.datasets[spec.dataset]
    uri = paths.entity_index_uri(collection.id)
    count = len(collection.entities)
    out = [front_matter(spec.title, spec.description or f"Every {spec.singular} in {dataset.title}."), f"# {_md(spec.title)}\n\n"]
    if spec.description:
        out.append(" ".join(spec.description.split()) + "\n\n")
    out.append(f"{count:,} {_md(spec.singular)}{'s' if count != 1 else ''}, from [{_md(dataset.title)}]({md_link(uri, paths.dataset_page_uri(dataset.id))}) "
               f"({_md(dataset.credit)}). Click a column heading to sort; type to filter.\n\n")
    columns = [f for f in spec.fields[:5]]
    heads = ["Name", *(_label(dataset, f.column, f.label) for f in columns)]
    if spec.split:
        heads.append("Rows")
    kinds = []
    for f in columns:
        col = dataset.column(f.column)
        kinds.append("number" if col and col.type == "number" else "text")
    body = []
    for entity in collection.entities:
        row = entity.rows[0]
        href = paths.href(uri, paths.entity_page_uri(collection.id, entity.slug))
        cells = [f'<td data-sort="{esc(entity.name.lower())}"><a href="{esc(href)}">{esc(entity.name)}</a></td>']
        for f in columns:
            value = None if spec.split else row.get(f.column)
            col = dataset.column(f.column)
            sort = _sort_key(value)
            sort_text = "" if sort is None else (repr(float(sort)) if isinstance(sort, (int, float)) and not isinstance(sort, bool) else str(sort).lower())
            shown = reader_text(value, col) if col else "–"
            if f.column in spec.links or (col is not None and col.type == "string" and isinstance(value, str) and "," in value and f.column != spec.name):
                shown = ", ".join(_names_in(value, ","))
            cells.append(f'<td data-sort="{esc(sort_text)}">{esc(shown)}</td>')
        if "Rows" in heads:
            cells.append(f'<td data-sort="{len(entity.rows)}">{len(entity.rows)}</td>')
        names = " ".join(entity.names).lower()
        body.append(f'<tr data-names="{esc(names)}">' + "".join(cells) + "</tr>")
    head_html = "".join(
        f'<th scope="col" data-kind="{k}"><button type="button" class="landscape-sort">{esc(h)}</button></th>'
        for h, k in zip(heads, ["text", *kinds, *(["number"] if "Rows" in heads else [])])
    )
    label = f"Filter {spec.title.lower()}"
    out.append(
        f'<div class="landscape-entities" data-collection="{esc(collection.id)}">\n'
        f'<p><label>{esc(label)} <input type="search" class="landscape-filter" placeholder="a name or a word" aria-label="{esc(label)}"></label> '
        f'<span class="landscape-count" aria-live="polite">{count:,} shown</span></p>\n'
        f'<table data-search-exclude data-pagefind-ignore>\n<thead><tr>{head_html}</tr></thead>\n<tbody>\n'
        + "\n".join(body) + "\n</tbody>\n</table>\n</div>\n"
    )
    return "".join(out)
