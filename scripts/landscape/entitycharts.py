"""The charts section of an entity page: every chart its rows are drawn in, with its points ringed and
named over the chart's own image (highlight.py), and the charts of its dataset that leave it out, and why."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from . import highlight, paths
from .chartpages import esc, md_link, reader_text
from .charts import matches
from .datasets import Dataset, Row
from .entities import Collection, Entity


_MD_ESCAPES = str.maketrans({"|": "\\|", "\n": " ", "\r": " ", "[": "\\[", "]": "\\]", "*": "\\*", "_": "\\_",
                             "`": "\\`", "<": "&lt;", "&": "&amp;", "\\": "\\\\"})


def md_text(text: Any) -> str:
    """Data text safe inside Markdown (a link label, a table cell): no markup, no HTML, one line."""
    return "–" if text is None else str(text).translate(_MD_ESCAPES)


def charts_section(uri: str, collection: Collection, entity: Entity, dataset: Dataset, context: _Context) -> str:
    """Every chart the entity is drawn in, shown with its points ringed and named; then the charts of its
    dataset that leave it out, and why."""
    spec = collection.spec
    drawn = context.drawn.get((collection.id, entity.slug), {})
    order = sorted(drawn, key=lambda i: (-sum(len(r) for r in context.rendered[i].rows), context.charts[i].spec.title))
    out = []
    for ident in order:
        chart, rendered = context.charts[ident], context.rendered[ident]
        explore = paths.href(uri, paths.chart_page_uri(ident))
        if len(entity.rows) == 1:
            explore += "?highlight=" + quote(_drawn_name(chart, rendered, drawn[ident][0]) or entity.name)
        figure = _marked_chart(context.static(chart, uri), explore, chart, rendered, context.marks.get(ident), entity, drawn[ident])
        if figure:
            out.append(figure)
        else:
            out.append(f'<p><a href="{esc(explore)}">{esc(chart.spec.title)}</a> draws this {esc(spec.singular)}.</p>\n\n')
    if not drawn:
        out.append(f"No chart draws this {md_text(spec.singular)}.\n\n")
    if len(entity.rows) == 1:
        left = [(c, _left_out_because(c, entity.rows[0], collection, dataset)) for c in context.charts_of.get(collection.id, []) if c.id not in drawn]
        if left:
            out.append(f"Charts of {md_text(dataset.title)} that leave it out:\n\n")
            for chart, reason in left:
                out.append(f"- [{md_text(chart.spec.title)}]({md_link(uri, paths.chart_page_uri(chart.id))}): {md_text(reason)}.\n")
            out.append("\n")
    return "".join(out)


def _drawn_name(chart: Any, rendered: Any, spot: tuple[int, int]) -> str | None:
    """The name the chart gives a drawn point (its series' ``name`` column), as its page's highlight takes it."""
    series, index = spot
    column = chart.spec.series[series].name
    value = rendered.rows[series][index].get(column) if column else None
    return None if value is None else str(value)


def _marked_chart(static: str, explore: str, chart: Any, rendered: Any, marks: highlight.ChartMarks | None, entity: Entity,
                  spots: list[tuple[int, int]]) -> str | None:
    """The chart's static SVG with a ring on each of the entity's points and its name beside the highest
    (an entity of many rows: the name of that point); None where the chart's points were not located."""
    if marks is None:
        return None
    overlays = []
    count = 0
    for variant_name, variant in marks.variants.items():
        located = [(spot, point) for spot in spots if (point := next(iter(highlight.points_of(variant, [spot])), None)) is not None]
        if not located:
            continue
        count = max(count, len(located))
        top = highlight.topmost(located)
        x, y = dict(located)[top]
        name = entity.name if len(entity.rows) == 1 else _drawn_name(chart, rendered, top)
        label = (x, y, name) if name else None
        overlays.append(highlight.overlay(variant, [p for _, p in located], label, f"lc-mark--{variant_name}"))
    if not overlays:
        return None
    if len(entity.rows) == 1:
        what = f"{entity.name} is ringed and named"
    else:
        named = _drawn_name(chart, rendered, spots[0]) is not None
        what = f"{count} of its points are ringed" + (", the highest named" if named else "")
    return (
        f'<figure class="lc-chart lc-entity-chart" id="chart-{esc(chart.id)}">\n'
        f'<div class="lc-entity-chart__frame">{static}{"".join(overlays)}</div>\n'
        f"<figcaption>{esc(chart.spec.title)}: {esc(what)}. "
        f'<a href="{esc(explore)}">Interactive chart, data and sources</a></figcaption>\n</figure>\n\n'
    )


_OPS = {"==": "is", "!=": "is not", "<": "is below", "<=": "is at most", ">": "is above", ">=": "is at least", "in": "is one of", "not in": "is none of"}


def _typed(value: Any, column: Any) -> Any:
    """A filter's value as its column holds values (YAML reads 1e21 as text), for ``reader_text``."""
    if column is not None and column.type in ("number", "integer") and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def _left_out_because(chart: Any, row: Row, collection: Collection, dataset: Dataset) -> str:
    """Why a chart drawing this entity's dataset does not draw its row: the first filter it fails, or the
    value it lacks on an axis."""
    labels = {f.column: f.label for f in collection.spec.fields if f.label}
    for series in chart.spec.series:
        if series.dataset != dataset.id:
            continue
        for item in series.filter:
            if matches(row.values, [item], dataset):
                continue
            name = labels.get(item.field, item.field)
            value = row.get(item.field)
            if item.op == "notnull" or value is None:
                return f"it draws only rows with a value of {name}; this one has none"
            column = dataset.column(item.field)
            target = item.value if isinstance(item.value, list) else [item.value]
            shown = ", ".join(reader_text(_typed(v, column), column) for v in target)
            return f"it draws only rows whose {name} {_OPS[item.op]} {shown} (here: {reader_text(value, column)})"
        for axis in (series.x, series.y):
            value = row.get(axis)
            if value is None:
                return f"it has no value of {labels.get(axis, axis)}"
    return "its value does not fit the chart's axes (a log axis draws positive values only)"
