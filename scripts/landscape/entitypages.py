"""Pages of entity collections (entities.py): one page an entity, and an index a collection.

An entity page shows its figures with units and the row’s source (each row, where a name has several),
links from its cells to other collections' entities, every chart its rows are drawn in with its points
ringed and named (highlight.py; the charts of its dataset that leave it out, and why), the related
lists its declaration asks for, and the notes that link to it. An index page is a table a reader can
sort and filter in the page (assets/javascripts/entities.js), with the count of entities and the names
in joined datasets that match no entity.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any, Sequence
from urllib.parse import quote

from . import highlight, paths
from .chartpages import chart_static, esc, front_matter, md_link, reader_text, source_line
from .charts import series_rows
from .entitycharts import charts_section, md_text
from .datasets import Dataset, Range, Row
from .entities import Collection, Entity, FieldModel, slugify

MAX_LIST = 25  # entities in a related list before "and N more"


def pages(collections: dict[str, Collection], datasets: dict[str, Dataset], charts: dict[str, Any],
          rendered: dict[str, Any], users: dict[str, list[str]], note_titles: dict[str, tuple[str, str]],
          marks: dict[str, highlight.ChartMarks] | None = None) -> dict[str, str]:
    """Every entity page and index. ``marks`` (highlight.chart_marks): where each chart draws its rows;
    without them a chart an entity is drawn in is linked, not shown."""
    context = _Context(collections, datasets, charts, rendered, users, note_titles, marks or {})
    out: dict[str, str] = {}
    for collection in collections.values():
        out[paths.entity_index_uri(collection.id)] = index_page(collection, context)
        for entity in collection.entities:
            out[paths.entity_page_uri(collection.id, entity.slug)] = entity_page(collection, entity, context)
    return out


class _Context:
    """What every page of every collection looks things up in, indexed once."""

    def __init__(self, collections, datasets, charts, rendered, users, note_titles, marks):
        self.collections = collections
        self.datasets = datasets
        self.users = users
        self.note_titles = note_titles
        self.charts = charts
        self.rendered = rendered
        self.marks = marks
        self._static: dict[tuple[str, str], str] = {}
        self._alike: dict[str, dict[int, list[Entity]]] = {}  # (chart id, page folder) -> the chart's static pictures
        # (collection id, slug) -> chart id -> (series, index of the drawn record) of each of its points
        self.drawn: dict[tuple[str, str], dict[str, list[tuple[int, int]]]] = {}
        # collection id -> charts drawing its dataset, in order (a page says which leave an entity out)
        self.charts_of: dict[str, list[Any]] = {}
        owners = {c.id: self._row_owners(c) for c in collections.values()}
        joined = {c.id: {(r.dataset, r.column) for r in c.spec.related if r.type == "join"} for c in collections.values()}
        forms = {c.id: {f: e for e in c.entities for f in e.forms} for c in collections.values()}
        for ident, chart in sorted(charts.items()):
            if ident not in rendered:
                continue
            for index, series in enumerate(chart.spec.series):
                wanted = [c for c in collections.values() if series.dataset == c.spec.dataset or any(d == series.dataset for d, _ in joined[c.id])]
                if not wanted:
                    continue
                rows = series_rows(chart.spec, index, datasets)
                for collection in wanted:
                    if series.dataset == collection.spec.dataset:
                        if chart not in self.charts_of.setdefault(collection.id, []):
                            self.charts_of[collection.id].append(chart)
                        found = ((n, e) for n, row in enumerate(rows) for e in owners[collection.id].get(id(row), ()))
                    else:
                        columns = [column for d, column in joined[collection.id] if d == series.dataset]
                        found = ((n, forms[collection.id][str(row.get(c))]) for n, row in enumerate(rows) for c in columns if str(row.get(c)) in forms[collection.id])
                    for n, entity in found:
                        self.drawn.setdefault((collection.id, entity.slug), {}).setdefault(ident, []).append((index, n))
        self._mentions: dict[tuple[str, str, str], dict[str, list[Entity]]] = {}
        self._ranked: dict[tuple[str, str], tuple[list[Entity], dict[str, int]]] = {}
        self._sharing: dict[tuple[str, str], dict[str, list[Entity]]] = {}

    @staticmethod
    def _row_owners(collection: Collection) -> dict[int, list[Entity]]:
        """id of a dataset row -> the entities it belongs to (a row naming several organisations, each)."""
        owners: dict[int, list[Entity]] = {}
        for entity in collection.entities:
            for row in entity.rows:
                owners.setdefault(id(row), []).append(entity)
        return owners

    def alike(self, collection: Collection, entity: Entity) -> list[Entity]:
        """The entities whose names make the same slug as this one's (told apart by a number)."""
        if collection.id not in self._alike:
            groups: dict[str, list[Entity]] = {}
            for other in collection.entities:
                groups.setdefault(slugify(other.name), []).append(other)
            self._alike[collection.id] = {id(e): group for group in groups.values() if len(group) > 1 for e in group}
        return self._alike[collection.id].get(id(entity), [])

    def static(self, chart: Any, uri: str) -> str:
        """The chart's static pictures for a page at ``uri`` (the same for every page of one folder)."""
        key = (chart.id, uri.rpartition("/")[0])
        if key not in self._static:
            self._static[key] = chart_static(chart, self.rendered[chart.id], uri)
        return self._static[key]

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
    return f"[{md_text(entity.name)}]({md_link(src_uri, paths.entity_page_uri(collection.id, entity.slug))})"


def _cell_links(src_uri: str, value: Any, target: Collection) -> str:
    parts = []
    for name in _names_in(value, target.spec.split or ","):
        other = target.find(name)
        parts.append(_link(src_uri, target, other) if other else md_text(name))
    return ", ".join(parts) if parts else "–"


def _field_text(src_uri: str, collection: Collection, dataset: Dataset, column: str, row: Row, context: _Context) -> str:
    value = row.get(column)
    target = context.collections.get(collection.spec.links.get(column, ""))
    if target is not None:
        return _cell_links(src_uri, value, target)
    spec = dataset.column(column)
    return md_text(reader_text(value, spec)) if spec else "–"


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
    out = [front_matter(entity.name, summary).replace("\n---\n\n", "\n" + names + "---\n\n", 1), f"# {md_text(entity.name)}\n\n"]
    out.append(f"{md_text(spec.singular.capitalize())} in [{md_text(spec.title)}]({md_link(uri, paths.entity_index_uri(collection.id))}).\n\n")
    if len(entity.names) > 1:
        out.append(f'<p class="landscape-aka">Also written: {esc(", ".join(entity.names[1:]))}.</p>\n\n')
    if len(entity.forms) > 1:
        out.append(f"!!! note \"Several name forms\"\n    {md_text(dataset.credit)}'s data names this {md_text(spec.singular)} as "
                   + ", ".join(f"“{md_text(f)}”" for f in entity.forms) + "; this page gathers the rows of all of them.\n\n")
    if single:
        out.append("| Figure | Value |\n|---|---|\n")
        for item in spec.fields:
            out.append(f"| {md_text(_label(dataset, item.column, item.label))} | {_field_text(uri, collection, dataset, item.column, row, context)} |\n")
        out.append("\n")
        out.append(_row_source(uri, dataset, row, spec.record, entity.name))
    elif not spec.split:  # one name, several rows: Epoch repeats some names; each row is shown, side by side
        count = len(entity.rows)
        out.append(f'!!! warning "{count} rows under one name"\n    [{md_text(dataset.title)}]({md_link(uri, paths.dataset_page_uri(dataset.id))}) has {count} rows '
                   f"named “{md_text(entity.name)}”; they may be one {md_text(spec.singular)} entered twice or different ones. Each row is shown.\n\n")
        out.append("| Figure | " + " | ".join(f"Row {n} (line {r.line})" for n, r in enumerate(entity.rows, 1)) + " |\n|---|" + "---|" * count + "\n")
        for item in spec.fields:
            cells = " | ".join(_field_text(uri, collection, dataset, item.column, r, context) for r in entity.rows)
            out.append(f"| {md_text(_label(dataset, item.column, item.label))} | {cells} |\n")
        out.append("\n" + "".join(_row_source(uri, dataset, r, spec.record if n == 0 else None, entity.name) for n, r in enumerate(entity.rows)))
    else:
        out.append(f"{len(entity.rows)} rows of [{md_text(dataset.title)}]({md_link(uri, paths.dataset_page_uri(dataset.id))}) name it.\n\n")
    alike = [e for e in context.alike(collection, entity) if e is not entity]
    if alike:
        out.append("Not to be confused with " + ", ".join(_link(uri, collection, e) for e in alike)
                   + ": a different name in the data that gives a similar address.\n\n")
    out.append("## Charts\n\n" + charts_section(uri, collection, entity, dataset, context))
    for related in spec.related:
        section = _related(related, collection, entity, dataset, context, uri)
        if section:
            out.append(f"## {md_text(related.label)}\n\n{section}\n")
    out.append("## Notes that link here\n\n")
    linking = context.users.get(uri, [])
    if linking:  # other pages' titles: kept out of the search index, so they do not dilute this page's name
        out.append("<div data-pagefind-ignore markdown>\n\n")
        for slug in linking:
            title, note_uri = context.note_titles[slug]
            out.append(f"- [{md_text(title)}]({md_link(uri, note_uri)})\n")
        out.append("\n</div>\n\n")
    else:
        out.append(f"No note links to this {md_text(spec.singular)} yet: link it with `[[{spec.link}:{entity.name}]]`.\n\n")
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
    parts = [f"Source: [{md_text(dataset.title)}]({md_link(uri, paths.dataset_page_uri(dataset.id))}), from {source_line(source)}" if source else ""]
    if row.reference:  # a label, not the address: addresses are noise in the search index
        parts.append(f"the row’s own reference: [{_reference_label(row.reference)}]({row.reference})")
    if record:
        parts.append(f"[record at the source]({record.replace('{name}', quote(name))})")
    return "; ".join(p for p in parts if p) + ".\n\n"


def _reference_label(url: str) -> str:
    """The host of a reference, as its link text ("arxiv.org")."""
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or "link"
    return md_text(host.removeprefix("www."))


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
        declared = next((f.label for f in collection.spec.fields if f.column == related.column), None)
        lines = ["| | " + md_text(_label(dataset, related.column, declared)) + " |", "|---|---|"]
        for other in around:
            name = f"**{md_text(other.name)}** (this page)" if other is entity else _link(uri, collection, other)
            lines.append(f"| {name} | {md_text(reader_text(other.rows[0].get(related.column), column))} |")
        return "\n".join(lines) + "\n"
    if kind == "mentioned_by":
        source = context.collections[related.collection]
        found = context.mentioned_by(source.id, related.column, collection).get(entity.slug, [])
        return _entity_list(uri, source, found, context.datasets[source.spec.dataset], context) if found else f"None in {md_text(source.spec.title)}.\n"
    if kind == "join":
        other = context.datasets[related.dataset]
        rows = [r for r in other.rows if str(r.get(related.column)) in entity.forms]
        page = md_link(uri, paths.dataset_page_uri(other.id))
        if not rows:
            return f"{md_text(related.missing)} ([{md_text(other.title)}]({page})).\n" if related.missing else ""
        fields = related.fields or [FieldModel(column=c.name) for c in other.columns if c.name != related.column]
        dated = next((f.column for f in fields if (c := other.column(f.column)) and c.type == "date"), None)
        if dated:
            rows = sorted(rows, key=lambda r: str(r.get(dated) or ""), reverse=True)
        lines = ["| " + " | ".join(md_text(_label(other, f.column, f.label)) for f in fields) + " |", "|" + "---|" * len(fields)]
        for row in rows[:MAX_LIST]:
            lines.append("| " + " | ".join(md_text(reader_text(row.get(f.column), other.column(f.column))) for f in fields) + " |")
        more = f"And {len(rows) - MAX_LIST} more, the earliest from {md_text(reader_text(rows[-1].get(dated), other.column(dated)))}. " if dated and len(rows) > MAX_LIST else (
            f"And {len(rows) - MAX_LIST} more. " if len(rows) > MAX_LIST else "")
        source = other.sources.get(rows[0].source)
        note = f"\n{more}From [{md_text(other.title)}]({page})" + (f" ({source_line(source)})" if source else "") + ".\n"
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
                head = "Year" if spec and spec.type == "date" else md_text(_label(dataset, column, None))
                order = sorted(counts) if spec and spec.type == "date" else [k for k, _ in counts.most_common()]
                sections.append(f"| {head} | {md_text(related.count)} |\n|---|---:|\n" + "".join(f"| {md_text(k)} | {counts[k]} |\n" for k in order))
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
    lines = ["| Name | " + " | ".join(md_text(_label(dataset, f.column, f.label)) for f in fields) + " |", "|---|" + "---|" * len(fields)]
    for other in shown:
        row = other.rows[0]
        lines.append(f"| {_link(uri, collection, other)} | " + " | ".join(_field_text(uri, collection, dataset, f.column, row, context) for f in fields) + " |")
    more = f"\nAnd {len(others) - MAX_LIST} more.\n" if len(others) > MAX_LIST else ""
    return "\n".join(lines) + "\n" + more


# ----------------------------------------------------------------------------- index page


def _unmatched(collection: Collection, context: _Context, uri: str) -> str:
    """For each dataset the pages join: the names in it that match no entity (Epoch's datasets spell some
    names differently), so a reader knows which rows no page shows."""
    out = []
    forms = {f for e in collection.entities for f in e.forms}
    for related in collection.spec.related:
        if related.type != "join":
            continue
        other = context.datasets[related.dataset]
        counts = Counter(str(r.get(related.column)) for r in other.rows if r.get(related.column) is not None)
        left = sorted(name for name in counts if name not in forms)
        page = md_link(uri, paths.dataset_page_uri(other.id))
        matched = len(counts) - len(left)
        text = (f"[{md_text(other.title)}]({page}) names {len(counts):,} {md_text(collection.spec.singular)}s in its `{related.column}` column; "
                f"{matched:,} match a page here")
        if left:
            text += ", these do not (rows in brackets): " + ", ".join(f"{md_text(name)} ({counts[name]})" for name in left)
        out.append(text + ".\n\n")
    return "".join(out)


def index_page(collection: Collection, context: _Context) -> str:
    spec = collection.spec
    dataset = context.datasets[spec.dataset]
    uri = paths.entity_index_uri(collection.id)
    count = len(collection.entities)
    out = [front_matter(spec.title, spec.description or f"Every {spec.singular} in {dataset.title}."), f"# {md_text(spec.title)}\n\n"]
    if spec.description:
        out.append(" ".join(spec.description.split()) + "\n\n")
    out.append(f"{count:,} {md_text(spec.singular)}{'s' if count != 1 else ''}, from [{md_text(dataset.title)}]({md_link(uri, paths.dataset_page_uri(dataset.id))}) "
               f"({md_text(dataset.credit)}). Click a column heading to sort; type to filter.\n\n")
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
    out.append(_unmatched(collection, context, uri))
    label = f"Filter {spec.title.lower()}"
    out.append(
        f'<div class="landscape-entities" data-collection="{esc(collection.id)}">\n'
        f'<p><label>{esc(label)} <input type="search" class="landscape-filter" placeholder="a name or a word" aria-label="{esc(label)}"></label> '
        f'<span class="landscape-count" aria-live="polite">{count:,} shown</span></p>\n'
        f'<table data-search-exclude data-pagefind-ignore>\n<thead><tr>{head_html}</tr></thead>\n<tbody>\n'
        + "\n".join(body) + "\n</tbody>\n</table>\n</div>\n"
    )
    return "".join(out)
