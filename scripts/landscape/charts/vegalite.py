"""Vega-Lite building: a chart, its rows and fits drawn through Altair, as light and dark specs with
what the page script may explore."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any, Literal

from ..datasets import Dataset, plain_value
from ..trends import decimal_year, year_to_date
from ..yamlio import to_date
from .layout import (
    ANNOTATION_GAP, CHAR_PX, KEY_LINE, KEY_SAMPLE, KEY_TOP, LABEL_LINE, LABEL_NAME, LABEL_PLACES,
    NARROW_CATEGORY_PX, RING_NAME, TREND_DASHES, WIDE_CATEGORY_PX, Layout, _axis, _move_labels, _room_right,
    _wrap_expr, label_places, layouts, legend_columns, wrap_label,
)
from .model import Chart, ChartModel, ColorModel, SeriesModel, TrendFit, drawn_records
from .theme import ChartTheme, theme_config

DIMENSIONLESS = ("dimensionless", "1", "ratio", "x")  # units shown as none

if TYPE_CHECKING:  # Altair takes a quarter of a second to import: only a chart that is drawn needs it
    import altair as alt


def credit_line(chart: Chart, datasets: dict[str, Dataset]) -> str:
    if chart.spec.credit:
        return chart.spec.credit
    parts = []
    for dataset_id in chart.datasets:
        dataset = datasets[dataset_id]
        publisher = next((s.publisher for s in dataset.sources.values() if s.publisher), None) or dataset.title
        text = f"{publisher} ({dataset.licence})"
        if text not in parts:
            parts.append(text)
    return "Data: " + "; ".join(parts)


def _field(name: str) -> str:
    return name.replace(".", "\\.").replace("[", "\\[").replace("]", "\\]")


def _numbers(records: list[dict], name: str) -> list[float]:
    out = []
    for record in records:
        value = record.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append(float(value))
    return out


def unit_text(unit: str | None) -> str | None:
    """A column unit as a reader sees it: None for no unit or a dimensionless one, powers as superscripts."""
    if not unit or unit.strip().lower() in DIMENSIONLESS:
        return None
    return unit.strip().replace("^2", "²").replace("^3", "³")


def tooltip_title(name: str, dataset: Dataset) -> str:
    """A tooltip heading: the column name, with its unit in brackets unless it has none or is dimensionless."""
    column = dataset.column(name)
    unit = unit_text(column.unit) if column is not None else None
    return f"{name} ({unit})" if unit else name


def _tooltip(series: SeriesModel, dataset: Dataset) -> list:
    import altair as alt

    items = []
    for name in series.tooltip or [series.x, series.y]:
        column = dataset.column(name)
        title = tooltip_title(name, dataset)
        if column is not None and column.type == "date":
            items.append(alt.Tooltip(_field(name), type="temporal", format="%Y-%m-%d", title=title))
        elif column is not None and column.type in ("number", "integer"):
            items.append(alt.Tooltip(_field(name), type="quantitative", format=".3~g", title=title))
        else:
            items.append(alt.Tooltip(_field(name), type="nominal", title=title))
    return items


def growth_text(value: float | None) -> str:
    """A growth factor per year as shown beside a fit: two decimals (×1.22), two significant figures
    below ×0.1, whole numbers from ×100."""
    if value is None or not math.isfinite(value):
        return "?"
    if value < 0.1:
        return f"{value:.2g}"
    return f"{value:.2f}" if value < 100 else f"{value:,.0f}"


def fit_label(trend: TrendFit) -> str:
    """One line of the trend key under the plot: label, computed doubling (95% CI) and growth, published figure."""
    fit = trend.fit
    growth = f"×{growth_text(fit.growth_per_year)}/yr"
    if fit.doubling_months is not None and fit.doubling_months > 0:
        text = f"{trend.label}: doubling {fit.doubling_months:.1f} mo"
        if fit.doubling_low is not None and fit.doubling_high is not None:
            text += f" (95% CI {fit.doubling_low:.1f}–{fit.doubling_high:.1f})"
        text += f", {growth}"
    elif fit.doubling_months is not None and fit.doubling_months < 0:
        text = f"{trend.label}: halving {-fit.doubling_months:.1f} mo, {growth}"
    else:
        text = f"{trend.label}: {growth}"
    published = trend.published
    if published is not None:
        interval = f" ({published.low:g}–{published.high:g})" if published.low is not None and published.high is not None else ""
        if published.doubling_months is not None:
            text += f"; published {published.doubling_months:g} mo{interval}"
        elif published.growth_per_year is not None:
            text += f"; published ×{published.growth_per_year:g}/yr{interval}"
    return text


def bar_axis(spec: ChartModel) -> Literal["x", "y"] | None:
    """The axis bars run along (their length): y for upright bars over categories or dates, x for
    horizontal bars over categories on y; None when the chart has no bar series."""
    if not any(series.mark == "bar" for series in spec.series):
        return None
    if spec.x.type == "quantitative" and spec.y.type in ("nominal", "ordinal"):
        return "x"
    return "y"


def _categories(spec: ChartModel, series_records: list[list[dict]], channel: str) -> list[Any]:
    """The distinct values every series draws on a nominal axis, in data order."""
    seen: dict[Any, None] = {}
    for index, series in enumerate(spec.series):
        name = getattr(series, channel)
        for record in series_records[index]:
            value = record.get(name)
            if value is not None:
                seen.setdefault(value, None)
    for note in spec.annotations:
        value = getattr(note, channel)
        if isinstance(value, str):
            seen.setdefault(value, None)
    return list(seen)


def _colour_value(series: SeriesModel, record: dict) -> str | None:
    """The category a record is coloured by: its colour column's value, grouped as declared."""
    field = series.color_field
    value = record.get(field) if field else None
    if isinstance(series.color, ColorModel) and series.color.values:
        return str(value) if value is not None and str(value) in series.color.values else series.color.other
    return None if value is None else str(value)


def _legend_labels(spec: ChartModel, series_records: list[list[dict]]) -> list[str]:
    """The entries of the colour legend: a colour column's values (grouped as declared), or a series' label."""
    labels: dict[str, None] = {}
    for index, series in enumerate(spec.series):
        if series.color:
            for record in series_records[index]:
                value = _colour_value(series, record)
                if value is not None:
                    labels.setdefault(value, None)
        elif series.label:
            labels.setdefault(series.label, None)
    return list(labels)


def _grouped(records: list[dict], category: str, colour: str) -> bool:
    """Whether some category holds more than one colour: then bars stand side by side, not on top."""
    seen: dict[Any, set] = {}
    for record in records:
        seen.setdefault(record.get(category), set()).add(record.get(colour))
    return any(len(colours) > 1 for colours in seen.values())


COLOUR_FIELD = "colour group"  # the calculated field a grouped colour column is drawn by
HIGHLIGHT_PARAM = "highlight"  # names of the points a reader highlighted (set by the page script)
HIGHLIGHT_NAME = "lc_highlight_"  # Vega-Lite view names of the highlight marks, kept in usermeta until a point is highlighted


def build_chart(chart: Chart, datasets: dict[str, Dataset], fits: list[TrendFit], series_records: list[list[dict]], layout: Layout | None = None, places: dict[str, tuple] | None = None) -> alt.LayerChart:
    """The Altair chart (without theme config) drawing ``series_records``, fit lines, their key, annotations
    and labelled points, laid out for ``layout`` (the wide one by default)."""
    import altair as alt

    spec = chart.spec
    layout = layout or layouts(spec)["wide"]
    x_type, y_type = spec.x.type, spec.y.type

    x_numbers = [v for i, series in enumerate(spec.series) for v in _numbers(series_records[i], series.x)]
    y_numbers = [v for i, series in enumerate(spec.series) for v in _numbers(series_records[i], series.y)]
    for trend in fits:
        y_numbers += [trend.fit.predict(trend.fit.start), trend.fit.predict(trend.fit.end)]
    for note in spec.annotations:
        if isinstance(note.y, (int, float)):
            y_numbers.append(float(note.y))
        if isinstance(note.x, (int, float)):
            x_numbers.append(float(note.x))
    along = bar_axis(spec)
    x_categories = _categories(spec, series_records, "x") if x_type in ("nominal", "ordinal") else None
    x_scale, x_axis, x_lines = _axis(spec.x, x_numbers, bars=along == "x", categories=x_categories, width=layout.width)
    y_scale, y_axis, _ = _axis(spec.y, y_numbers, bars=along == "y")
    if x_type == "temporal":
        x_axis["tickCount"] = max(3, layout.width // 70)  # labels thin out on a narrow plot
    if y_type in ("nominal", "ordinal"):  # long names wrap beside the bars
        limit = NARROW_CATEGORY_PX if layout.narrow else WIDE_CATEGORY_PX
        if layout.narrow:
            y_axis["title"] = None  # the names speak for themselves; the subtitle says what they are
        y_axis["labelLimit"] = limit
        expr = _wrap_expr(_categories(spec, series_records, "y"), int(limit / CHAR_PX))
        if expr:
            y_axis["labelExpr"] = expr
    if y_type in ("quantitative", "temporal"):
        y_axis["labelOverlap"] = True
    # a log scale has no zero: bars along it run from the domain's minimum (an explicit x2 / y2)
    x_base = x_scale.get("domainMin", (x_scale.get("domain") or [None])[0]) if along == "x" and spec.x.scale == "log" else None
    y_base = y_scale.get("domainMin", (y_scale.get("domain") or [None])[0]) if along == "y" and spec.y.scale == "log" else None
    key_top = KEY_TOP + LABEL_LINE * (x_lines - 1)

    def x_enc(name: str) -> alt.X:
        sort = None if x_type in ("nominal", "ordinal") else alt.Undefined  # categories in data order
        return alt.X(_field(name), type=x_type, title=spec.x.title, scale=alt.Scale(**x_scale), axis=alt.Axis(**x_axis), sort=sort)

    def y_enc(name: str) -> alt.Y:
        sort = None if y_type in ("nominal", "ordinal") else alt.Undefined
        return alt.Y(_field(name), type=y_type, title=spec.y.title, scale=alt.Scale(**y_scale), axis=alt.Axis(**y_axis), sort=sort)

    legend_labels = _legend_labels(spec, series_records)
    # the legend starts over the plot: its entries and title wrap to the plot's width
    legend = alt.Legend(columns=legend_columns(legend_labels, layout.width), labelLimit=layout.width, titleLimit=layout.width)
    title_chars = max(20, int(layout.width / CHAR_PX))
    colour_domain = None
    grouped = [series.color for series in spec.series if isinstance(series.color, ColorModel) and series.color.values]
    if grouped:  # declared categories in their order, then the rest ("Other"), then series labels
        order = [v for group in grouped for v in [*group.values, group.other]]
        legend_labels = sorted(legend_labels, key=lambda v: order.index(v) if v in order else len(order))
        colour_domain = legend_labels
    views = []
    for index, series in enumerate(spec.series):
        dataset = datasets[series.dataset]
        base = alt.Chart(alt.Data(values=series_records[index]))
        mark_options: dict = {}
        if series.mark == "point":
            mark_options = {"filled": True, "opacity": 0.75, "size": 36 if not layout.narrow else 24}
        elif series.mark == "line":
            mark_options = {"point": False, "strokeWidth": 2}
        elif series.mark == "text":
            mark_options = {"align": "left", "dx": 4, "dy": -4, "fontSize": 10}
        mark_options["aria"] = False  # one ARIA label per point bloats the SVG; the figure has alt text
        mark = getattr(base, f"mark_{series.mark}")(**mark_options)
        for calc in spec.calculate:
            if calc.series == index:
                mark = mark.transform_calculate(**{calc.as_: calc.expr})
        encoding: dict = {"x": x_enc(series.x), "y": y_enc(series.y), "tooltip": _tooltip(series, dataset)}
        colour_field = series.color_field
        if isinstance(series.color, ColorModel) and series.color.values:
            group = series.color
            source = f"datum[{json.dumps(group.field)}]"
            mark = mark.transform_calculate(**{COLOUR_FIELD: f"indexof({json.dumps(group.values, ensure_ascii=False)}, {source}) >= 0 ? {source} : {json.dumps(group.other, ensure_ascii=False)}"})
            colour_field = COLOUR_FIELD
        if series.color:
            color_column = dataset.column(series.color_field)
            title = series.color.title if isinstance(series.color, ColorModel) and series.color.title else (color_column.description or series.color_field) if color_column else series.color_field
            lines = wrap_label(title, title_chars)
            title = lines if len(lines) > 1 else title
            scale = alt.Scale(domain=colour_domain) if colour_domain else alt.Undefined
            encoding["color"] = alt.Color(_field(colour_field), type="nominal", title=title, legend=legend, scale=scale)
        elif series.label:
            encoding["color"] = alt.ColorDatum(series.label, type="nominal", title=None, legend=legend)
        if series.text:
            encoding["text"] = alt.Text(_field(series.text))
        if series.mark == "bar" and along is not None:
            category = series.y if along == "x" else series.x
            if x_base is not None:
                encoding["x2"] = alt.datum(x_base)
            if y_base is not None:
                encoding["y2"] = alt.datum(y_base)
            if series.color and _grouped(series_records[index], category, series.color_field):
                offset = "yOffset" if along == "x" else "xOffset"
                encoding[offset] = getattr(alt, offset[0].upper() + offset[1:])(_field(colour_field), type="nominal")
        views.append(mark.encode(**encoding))

    x_name, y_name = spec.series[0].x, spec.series[0].y
    key_chars = max(20, int((layout.width - KEY_SAMPLE - 6) / CHAR_PX))
    key = []
    line_number = 0
    for number, trend in enumerate(fits):
        start, end = max(trend.fit.start, decimal_year(trend.window_from)), min(trend.fit.end, decimal_year(trend.window_to))
        dash = TREND_DASHES[number % len(TREND_DASHES)]
        label = fit_label(trend)
        points = [
            {x_name: year_to_date(year).isoformat(), y_name: trend.fit.predict(year), "trend": trend.label, "label": label}
            for year in (start, end)
        ]
        # a solid halo in the page colour under the dashed line keeps line and dashes visible over dense points
        views.append(alt.Chart(alt.Data(values=points)).mark_line(strokeWidth=5, strokeCap="round", style="lc-halo", aria=False).encode(
            x=x_enc(x_name), y=y_enc(y_name), detail=alt.Detail("trend", type="nominal"),
        ))
        views.append(alt.Chart(alt.Data(values=points)).mark_line(strokeDash=dash, strokeWidth=2, style="lc-trend").encode(
            x=x_enc(x_name), y=y_enc(y_name), detail=alt.Detail("trend", type="nominal"),
            tooltip=[alt.Tooltip("label", type="nominal", title="Trend")],
        ))
        for part, text in enumerate(wrap_label(label, key_chars)):  # a long key line wraps under its sample
            key.append({"label": text, "dash": dash if part == 0 else None, "top": key_top + KEY_LINE * line_number})
            line_number += 1
    # the key under the plot: a dash sample and the fit's figures per line, never over the data
    for item in key:
        offset = item["top"] + KEY_LINE // 2
        if item["dash"] is not None:
            views.append(alt.Chart(alt.Data(values=[{"label": item["label"]}])).mark_rule(
                strokeDash=item["dash"], strokeWidth=2, style="lc-trend", clip=False, yOffset=offset, aria=False,
            ).encode(x=alt.value(0), x2=alt.value(KEY_SAMPLE), y=alt.value("height")))
        views.append(alt.Chart(alt.Data(values=[{"label": item["label"]}])).mark_text(
            align="left", baseline="middle", dx=KEY_SAMPLE + 6, dy=offset, fontSize=11, style="lc-label", clip=False,
        ).encode(x=alt.value(0), y=alt.value("height"), text=alt.Text("label", type="nominal")))

    if spec.annotations:
        notes = [{x_name: plain_value(to_date(n.x) if x_type == "temporal" else n.x), y_name: n.y, "note": n.text} for n in spec.annotations]
        note_data = alt.Data(values=notes)
        views.append(alt.Chart(note_data).mark_point(shape="diamond", size=60, filled=True, style="lc-note", clip=False).encode(x=x_enc(x_name), y=y_enc(y_name), tooltip=[alt.Tooltip("note", type="nominal", title="Note")]))
        # a label runs left of its point where it would pass the plot's right edge; a halo in the page
        # colour drawn under it keeps it readable over points and bars
        for note in spec.annotations:
            right = _room_right(note.x, spec, x_scale, series_records, x_categories, layout.width) < ANNOTATION_GAP + CHAR_PX * len(note.text)
            one = alt.Data(values=[n for n in notes if n["note"] == note.text][:1])
            options = {"align": "right" if right else "left", "dx": -ANNOTATION_GAP if right else ANNOTATION_GAP, "dy": -7, "fontSize": 11, "clip": False}
            for style in ("lc-note-halo", "lc-label"):
                views.append(alt.Chart(one).mark_text(style=style, **options).encode(
                    x=x_enc(x_name), y=y_enc(y_name), text=alt.Text("note", type="nominal")))

    views += _point_labels(spec, series_records, places or {}, x_enc, y_enc)
    views += _highlight_views(spec, series_records, x_enc, y_enc)

    credit_chars = max(30, int(layout.total / 5.6))
    credit_lines = wrap_label(credit_line(chart, datasets), credit_chars)
    credit_top = key_top + KEY_LINE * len(key) + (4 if key else 0)
    credit = alt.Chart(alt.Data(values=[{"credit": credit_lines}])).mark_text(
        align="left", baseline="top", dy=credit_top, fontSize=10, style="lc-credit", clip=False, lineHeight=13,
    ).encode(x=alt.value(0), y=alt.value("height"), text=alt.Text("credit", type="nominal"))
    views.append(credit)

    continuous = [c for c, axis in (("x", spec.x), ("y", spec.y)) if axis.type in ("quantitative", "temporal")]
    if continuous:
        views[0] = views[0].add_params(alt.selection_interval(name="zoom", bind="scales", encodings=continuous))
    title_lines = wrap_label(spec.title, max(20, int(layout.total / 8.9)))  # 15 px bold, 12 px text
    subtitle_lines = wrap_label(spec.subtitle, max(30, int(layout.total / 6.9))) if spec.subtitle else None
    title = alt.Title(title_lines if len(title_lines) > 1 else spec.title, subtitle=subtitle_lines or alt.Undefined, anchor="start")
    result = alt.layer(*views).properties(width=layout.width, height=layout.height, title=title)
    for param in spec.params:
        result = result.add_params(
            alt.param(name=param.name, value=param.value, bind=alt.binding_range(min=param.min, max=param.max, step=param.step, name=param.label.strip()))
        )
    if any(series.name for series in spec.series):
        result = result.add_params(alt.param(name=HIGHLIGHT_PARAM, value=[]))
    return result


def _labelled(spec: ChartModel, series_records: list[list[dict]]) -> list[tuple[SeriesModel, dict, str]]:
    """The declared labelled points, in order: (series, record, label)."""
    found = []
    for index, series in enumerate(spec.series):
        by_name: dict[str, dict] = {}
        for record in series_records[index]:
            by_name.setdefault(str(record.get(series.name)), record)
        for text in series.labels:
            if text in by_name:
                found.append((series, by_name[text], text))
    return found


def _point_labels(spec: ChartModel, series_records: list[list[dict]], places: dict[str, tuple], x_enc, y_enc) -> list:
    """The declared labelled points: a ring on each and its name beside it, at ``places`` (worked out by
    ``label_places`` from where Vega drew the rings; the first place in LABEL_PLACES until then)."""
    import altair as alt

    out = []
    for number, (series, record, text) in enumerate(_labelled(spec, series_records)):
        one = alt.Data(values=[{series.x: record.get(series.x), series.y: record.get(series.y), "label": text}])
        out.append(alt.Chart(one).mark_point(shape="circle", size=70, filled=False, strokeWidth=1.5, style="lc-note", aria=False).encode(
            x=x_enc(series.x), y=y_enc(series.y)).properties(name=f"{RING_NAME}{number}"))
        dx, dy, align, baseline = places.get(text, LABEL_PLACES[0])
        options = {"align": align, "baseline": baseline, "dx": dx, "dy": dy, "fontSize": 10}
        for style in ("lc-note-halo", "lc-label"):
            out.append(alt.Chart(one).mark_text(style=style, aria=False, **options).encode(
                x=x_enc(series.x), y=y_enc(series.y), text=alt.Text("label", type="nominal")).properties(name=f"{LABEL_NAME}{number}_{style}"))
    return out


def _highlight_views(spec, series_records, x_enc, y_enc) -> list:
    """Rings and names for the points a reader finds or names in the URL (the `highlight` param), over
    every series that names its points. ``vega_lite_specs`` keeps them in usermeta: the page script adds
    them while some point is highlighted (an empty layer would make Vega warn of an infinite extent)."""
    import altair as alt

    out = []
    for index, series in enumerate(spec.series):
        if not series.name:
            continue
        test = f"indexof({HIGHLIGHT_PARAM}, '' + datum[{json.dumps(series.name)}]) >= 0"
        base = alt.Chart(alt.Data(values=series_records[index])).transform_filter(test)
        out.append(base.mark_point(shape="circle", size=120, filled=False, strokeWidth=2.5, style="lc-highlight", aria=False).encode(
            x=x_enc(series.x), y=y_enc(series.y)).properties(name=f"{HIGHLIGHT_NAME}{len(out)}"))
        for style in ("lc-note-halo", "lc-highlight-label"):
            out.append(base.mark_text(style=style, align="left", baseline="bottom", dx=8, dy=-6, fontSize=12, fontWeight="bold", aria=False).encode(
                x=x_enc(series.x), y=y_enc(series.y), text=alt.Text(_field(series.name), type="nominal")).properties(name=f"{HIGHLIGHT_NAME}{len(out)}"))
    return out


def vega_lite_specs(chart: Chart, datasets: dict[str, Dataset], theme: ChartTheme, fits: list[TrendFit], records: list[list[dict]] | None = None, layout: Layout | None = None) -> tuple[dict, dict, list[list[dict]]]:
    records = drawn_records(chart, datasets) if records is None else records
    # the spec is built by this module from validated inputs: Altair's JSON-schema check of it took
    # half the time of rendering a chart and never changes the spec
    layout = layout or layouts(chart.spec)["wide"]
    base = build_chart(chart, datasets, fits, records, layout).to_dict(validate=False)
    labels = [text for _, _, text in _labelled(chart.spec, records)]
    if labels:  # then each label goes where it covers no other, from where Vega drew the points
        places = label_places(dict(base, config=theme_config(theme.light, theme.font)), labels, layout.width, layout.height)
        _move_labels(base, [places.get(text) for text in labels])
    base.pop("config", None)
    base["description"] = chart.spec.alt
    highlight = [view for view in base.get("layer", []) if str(view.get("name", "")).startswith(HIGHLIGHT_NAME)]
    base["layer"] = [view for view in base.get("layer", []) if view not in highlight]
    _share_data(base, highlight)
    base_text = json.dumps(base, sort_keys=True)
    light, dark = json.loads(base_text), json.loads(base_text)
    light["config"] = theme_config(theme.light, theme.font)
    dark["config"] = theme_config(theme.dark, theme.font)
    light["usermeta"] = {"darkConfig": dark["config"], "chart": chart.id, "explore": explore_meta(chart, datasets), "highlightLayers": highlight}
    return light, dark, records


def _share_data(spec: dict, extra_views: list[dict]) -> None:
    """Rows drawn by more than one view (a series' points and their highlight marks) are kept once, in the
    spec's top-level ``datasets``, and named by each view that draws them."""
    views = [*spec.get("layer", []), *extra_views]
    seen: dict[str, list[dict]] = {}
    for view in views:
        values = (view.get("data") or {}).get("values")
        if isinstance(values, list) and len(values) > 1:
            seen.setdefault(json.dumps(values, sort_keys=True), []).append(view)
    for number, (text, users) in enumerate(item for item in seen.items() if len(item[1]) > 1):
        name = f"rows-{number}"
        spec.setdefault("datasets", {})[name] = json.loads(text)
        for view in users:
            view["data"] = {"name": name}


def explore_meta(chart: Chart, datasets: dict[str, Dataset]) -> dict:
    """What the page script may offer on this chart: the columns naming points, the log axes a reader may
    switch, and the temporal x field for a time-range brush."""
    spec = chart.spec
    return {
        # "layer": the index of the series (the key the page script, static/charts.js, reads)
        "names": [{"layer": i, "field": series.name} for i, series in enumerate(spec.series) if series.name],
        "labels": [text for series in spec.series for text in series.labels],
        "scale": list(spec.explore.scale),
        "time": spec.series[0].x if spec.x.type == "temporal" and spec.explore.brush else None,
        "x": [series.x for series in spec.series],
    }

