"""Charts (``charts/<id>.yaml``): validated against their datasets, drawn through Altair to Vega-Lite,
rendered to light and dark SVG with vl-convert (cached by a hash of spec + data + vl-convert version),
with log-linear trend fits computed at build time.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import vl_convert as vlc
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .datasets import Dataset, central, plain_value, row_record
from .problems import Problem, problem
from .trends import METHOD, Fit, decimal_year, fit_log_linear, year_to_date
from .yamlio import YamlError, YamlList, YamlMap, pydantic_problems, read_yaml_file, to_date

if TYPE_CHECKING:  # Altair takes a quarter of a second to import: only a chart that is drawn needs it
    import altair as alt

FILTER_OPS = ("==", "!=", "<", "<=", ">", ">=", "in", "not in", "notnull")
MARKS = ("point", "line", "bar", "area", "rule", "text")
WIDTH, HEIGHT = 640, 360

# ----------------------------------------------------------------------------- schema


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


class AxisModel(_Strict):
    title: str
    type: Literal["quantitative", "temporal", "nominal", "ordinal"]
    scale: Literal["linear", "log", "sqrt"] | None = None
    format: str | None = None
    domain: list[Any] | None = None


class FilterModel(_Strict):
    field: str
    op: Literal["==", "!=", "<", "<=", ">", ">=", "in", "not in", "notnull"]
    value: Any = None

    @model_validator(mode="after")
    def _value(self) -> "FilterModel":
        if self.op in ("in", "not in") and not isinstance(self.value, list):
            raise ValueError(f"op {self.op!r} needs a list value")
        if self.op not in ("in", "not in", "notnull") and (self.value is None or isinstance(self.value, list)):
            raise ValueError(f"op {self.op!r} needs a single value")
        return self


class LayerModel(_Strict):
    dataset: str
    mark: Literal["point", "line", "bar", "area", "rule", "text"]
    x: str
    y: str
    color: str | None = None
    label: str | None = None
    text: str | None = None
    tooltip: list[str] = []
    filter: list[FilterModel] = []


class SourceRef(_Strict):
    title: str
    url: str | None = None


class PublishedFitModel(_Strict):
    doubling_months: float | None = None
    growth_per_year: float | None = None
    low: float | None = None
    high: float | None = None
    source: SourceRef


class TrendModel(_Strict):
    id: str
    label: str
    layer: int = 0
    from_: dt.date = Field(alias="from")
    to: dt.date
    where: list[FilterModel] = []
    published: PublishedFitModel | None = None


class AnnotationModel(_Strict):
    x: Any
    y: Any
    text: str


class ParamModel(_Strict):
    name: str
    label: str
    min: float
    max: float
    step: float
    value: float


class CalculateModel(_Strict):
    layer: int
    as_: str = Field(alias="as")
    expr: str


class ChartModel(_Strict):
    id: str
    title: str
    subtitle: str | None = None
    caption: str
    alt: str
    x: AxisModel
    y: AxisModel
    layers: list[LayerModel] = Field(min_length=1)
    trends: list[TrendModel] = []
    annotations: list[AnnotationModel] = []
    params: list[ParamModel] = []
    calculate: list[CalculateModel] = []
    credit: str | None = None  # overrides the credit line built from the datasets


@dataclass
class Chart:
    id: str
    spec: ChartModel
    path: Path

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def datasets(self) -> list[str]:
        return list(dict.fromkeys(layer.dataset for layer in self.spec.layers))


@dataclass(frozen=True)
class TrendFit:
    """A computed fit with what it was computed over, and the published figure if any."""

    id: str
    label: str
    layer: int
    window_from: dt.date
    window_to: dt.date
    fit: Fit
    published: PublishedFitModel | None
    method: str = METHOD


@dataclass
class RenderedChart:
    svg_light: str
    svg_dark: str
    spec: dict  # the Vega-Lite spec (light config; the dark config is in spec["usermeta"]["darkConfig"])
    rows: list[list[dict]]  # per layer, the rows drawn (plain values)
    csv: str
    json: str
    fits: list[TrendFit]
    from_cache: bool
    key: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class ChartTheme:
    """Colours and fonts for the light and dark schemes (a plugin option may override them)."""

    font: str = "Roboto, Helvetica, Arial, sans-serif"
    light: dict = field(default_factory=lambda: dict(
        text="#1f2328", muted="#5c6370", grid="#e3e5e8", domain="#9aa0a6",
        category=["#3f6fb5", "#e07b1f", "#2e9e6b", "#c2405a", "#7b5bb6", "#8c6d31", "#d45fa7", "#5f7d8c"],
        trend="#444444",
    ))
    dark: dict = field(default_factory=lambda: dict(
        text="#e3e5e8", muted="#aab1bd", grid="#353a45", domain="#6b7280",
        category=["#7fa9e8", "#f5a25d", "#5cc79a", "#ee7a90", "#a98de0", "#c9a96b", "#ee92cb", "#93b2c1"],
        trend="#d0d0d0",
    ))


# ----------------------------------------------------------------------------- loading


def load_charts(files: list[Path], datasets: dict[str, Dataset]) -> tuple[dict[str, Chart], list[Problem]]:
    charts: dict[str, Chart] = {}
    problems: list[Problem] = []
    for path in sorted(files):
        chart, found = load_chart(path, datasets)
        problems.extend(found)
        if chart is None:
            continue
        if chart.id in charts:
            problems.append(problem(path, 1, "id", f"chart id {chart.id!r} is also used by {charts[chart.id].path}"))
            continue
        charts[chart.id] = chart
    return charts, problems


def load_chart(path: Path, datasets: dict[str, Dataset]) -> tuple[Chart | None, list[Problem]]:
    try:
        raw = read_yaml_file(path)
    except YamlError as exc:
        return None, [exc.problem]
    except ValueError as exc:  # PyYAML builds dates itself and fails on impossible ones such as 2017-13-01
        return None, [problem(path, None, None, f"invalid value in YAML: {exc} (dates are YYYY-MM-DD)")]
    if not isinstance(raw, YamlMap):
        return None, [problem(path, 1, None, "a chart file must be a YAML mapping (id, title, layers, ...)")]
    try:
        spec = ChartModel.model_validate(raw)
    except ValidationError as exc:
        return None, pydantic_problems(exc, path, raw)
    problems = check_chart(spec, raw, path, datasets)
    if problems:
        return None, problems
    return Chart(spec.id, spec, path), []


def _item_line(raw: YamlMap, section: str, index: int) -> int | None:
    items = raw.get(section)
    if isinstance(items, YamlList) and index < len(items.item_lines):
        return items.item_lines[index]
    return raw.key_lines.get(section)


def check_chart(spec: ChartModel, raw: YamlMap, path: Path, datasets: dict[str, Dataset]) -> list[Problem]:
    found: list[Problem] = []
    if spec.id != path.stem:
        found.append(problem(path, raw.key_lines.get("id"), "id", f"id {spec.id!r} must equal the file name {path.stem!r}"))
    calculated: dict[int, set[str]] = {}
    for index, calc in enumerate(spec.calculate):
        line = _item_line(raw, "calculate", index)
        if not 0 <= calc.layer < len(spec.layers):
            found.append(problem(path, line, f"calculate[{index}].layer", f"no layer {calc.layer} (the chart has {len(spec.layers)})"))
            continue
        calculated.setdefault(calc.layer, set()).add(calc.as_)
    for index, param in enumerate(spec.params):
        line = _item_line(raw, "params", index)
        if not param.name.isidentifier():
            found.append(problem(path, line, f"params[{index}].name", f"{param.name!r} is not a valid name"))
        if not param.min <= param.value <= param.max:
            found.append(problem(path, line, f"params[{index}].value", "value must lie between min and max"))

    for index, layer in enumerate(spec.layers):
        line = _item_line(raw, "layers", index)
        where = f"layers[{index}]"
        dataset = datasets.get(layer.dataset)
        if dataset is None:
            known = ", ".join(sorted(datasets)) or "none loaded"
            found.append(problem(path, line, f"{where}.dataset", f"unknown dataset {layer.dataset!r} (known: {known})"))
            continue
        names = set(dataset.column_names) | calculated.get(index, set())
        for key in ("x", "y", "color", "text"):
            name = getattr(layer, key)
            if name is not None and name not in names:
                found.append(problem(path, line, f"{where}.{key}", f"dataset {dataset.id!r} has no column {name!r} (columns: {', '.join(dataset.column_names)})"))
        for name in layer.tooltip:
            if name not in names:
                found.append(problem(path, line, f"{where}.tooltip", f"dataset {dataset.id!r} has no column {name!r}"))
        if layer.mark == "text" and layer.text is None:
            found.append(problem(path, line, f"{where}.text", "a text layer needs a text column"))
        found.extend(_check_filters(layer.filter, dataset, path, line, f"{where}.filter"))
        x_column = dataset.column(layer.x)
        if x_column is not None and spec.x.type == "temporal" and x_column.type != "date":
            found.append(problem(path, line, f"{where}.x", f"the x axis is temporal but column {layer.x!r} is {x_column.type}"))
        y_column = dataset.column(layer.y)
        if y_column is not None and spec.y.type == "quantitative" and y_column.type not in ("number", "integer"):
            found.append(problem(path, line, f"{where}.y", f"the y axis is quantitative but column {layer.y!r} is {y_column.type}"))

    for index, trend in enumerate(spec.trends):
        line = _item_line(raw, "trends", index)
        where = f"trends[{index}]"
        if not 0 <= trend.layer < len(spec.layers):
            found.append(problem(path, line, f"{where}.layer", f"no layer {trend.layer} (the chart has {len(spec.layers)})"))
            continue
        if trend.from_ >= trend.to:
            found.append(problem(path, line, f"{where}.to", f"the window must end after it starts ({trend.from_} to {trend.to})"))
            continue
        if spec.x.type != "temporal":
            found.append(problem(path, line, where, "trends need a temporal x axis"))
            continue
        dataset = datasets.get(spec.layers[trend.layer].dataset)
        if dataset is None:
            continue
        found.extend(_check_filters(trend.where, dataset, path, line, f"{where}.where"))
        if trend.published and trend.published.doubling_months is None and trend.published.growth_per_year is None:
            found.append(problem(path, line, f"{where}.published", "give doubling_months or growth_per_year"))
    if found:
        return found
    for index, trend in enumerate(spec.trends):
        try:
            compute_fit(spec, trend, datasets)
        except ValueError as exc:
            found.append(problem(path, _item_line(raw, "trends", index), f"trends[{index}]", f"cannot fit {trend.id!r}: {exc}"))
    ids = [t.id for t in spec.trends]
    for index, trend_id in enumerate(ids):
        if ids.index(trend_id) != index:
            found.append(problem(path, _item_line(raw, "trends", index), f"trends[{index}].id", f"trend id {trend_id!r} is used twice"))
    return found


def _check_filters(filters: list[FilterModel], dataset: Dataset, path: Path, line: int | None, where: str) -> list[Problem]:
    found = []
    for index, item in enumerate(filters):
        column = dataset.column(item.field)
        if column is None:
            found.append(problem(path, line, f"{where}[{index}].field", f"dataset {dataset.id!r} has no column {item.field!r}"))
            continue
        values = item.value if isinstance(item.value, list) else [item.value]
        if item.op == "notnull":
            continue
        for value in values:
            if column.type == "date" and to_date(value) is None:
                found.append(problem(path, line, f"{where}[{index}].value", f"{value!r} is not a date YYYY-MM-DD (column {item.field!r} holds dates)"))
            if column.type in ("number", "integer"):
                try:
                    float(value)
                except (TypeError, ValueError):
                    found.append(problem(path, line, f"{where}[{index}].value", f"{value!r} is not a number (column {item.field!r} holds numbers)"))
    return found


# ----------------------------------------------------------------------------- data selection


def _comparable(value: Any, column_type: str) -> Any:
    value = central(value)
    if column_type == "date":
        return to_date(value) if not isinstance(value, dt.date) else value
    if column_type in ("number", "integer") and value is not None:
        return float(value)
    return value


def matches(row_values: dict, filters: list[FilterModel], dataset: Dataset) -> bool:
    for item in filters:
        column = dataset.column(item.field)
        column_type = column.type if column else "string"
        cell = _comparable(row_values.get(item.field), column_type)
        if item.op == "notnull":
            if cell is None:
                return False
            continue
        if item.op in ("in", "not in"):
            options = [_comparable(v, column_type) for v in item.value]
            if (cell in options) != (item.op == "in"):
                return False
            continue
        if cell is None:
            return False
        target = _comparable(item.value, column_type)
        try:
            ok = {
                "==": cell == target, "!=": cell != target, "<": cell < target,
                "<=": cell <= target, ">": cell > target, ">=": cell >= target,
            }[item.op]
        except TypeError:
            return False
        if not ok:
            return False
    return True


def layer_rows(spec: ChartModel, index: int, datasets: dict[str, Dataset]) -> list:
    """The dataset rows a layer draws: its filter, a value on x and y, and y > 0 on a log axis."""
    layer = spec.layers[index]
    dataset = datasets[layer.dataset]
    calculated = {c.as_ for c in spec.calculate if c.layer == index}
    result = []
    for row in dataset.rows:
        if not matches(row.values, layer.filter, dataset):
            continue
        x = row.values.get(layer.x)
        y = row.values.get(layer.y)
        if (x is None and layer.x not in calculated) or (y is None and layer.y not in calculated):
            continue
        if spec.y.scale == "log" and layer.y not in calculated and not central(y) > 0:
            continue
        if spec.x.scale == "log" and layer.x not in calculated and not central(x) > 0:
            continue
        result.append(row)
    return result


def compute_fit(spec: ChartModel, trend: TrendModel, datasets: dict[str, Dataset]) -> TrendFit:
    layer = spec.layers[trend.layer]
    dataset = datasets[layer.dataset]
    years, values = [], []
    for row in layer_rows(spec, trend.layer, datasets):
        date = _comparable(row.values.get(layer.x), "date")
        value = central(row.values.get(layer.y))
        if date is None or value is None or not trend.from_ <= date <= trend.to:
            continue
        if not matches(row.values, trend.where, dataset):
            continue
        years.append(decimal_year(date))
        values.append(float(value))
    fit = fit_log_linear(years, values)
    return TrendFit(trend.id, trend.label, trend.layer, trend.from_, trend.to, fit, trend.published)


def chart_fits(chart: Chart, datasets: dict[str, Dataset]) -> list[TrendFit]:
    return [compute_fit(chart.spec, trend, datasets) for trend in chart.spec.trends]


# ----------------------------------------------------------------------------- Vega-Lite


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


def _record(row, layer: LayerModel, dataset: Dataset) -> dict:
    """A row as Vega data: plain values, ranges as central with _low/_high, plus source and reference."""
    return row_record(dataset, row)


def log_ticks(values: list[float]) -> list[float] | None:
    positive = [v for v in values if v and v > 0 and math.isfinite(v)]
    if not positive:
        return None
    low = math.floor(math.log10(min(positive)))
    high = math.ceil(math.log10(max(positive)))
    span = max(high - low, 1)
    step = 1 if span <= 10 else 2 if span <= 20 else 3 if span <= 30 else 5
    first = low - (low % step)
    return [10.0**e for e in range(first, high + 1, step)]


_EXP = "round(log(datum.value) / LN10)"
_DIGITS = "'⁰¹²³⁴⁵⁶⁷⁸⁹'"
EXPONENT_LABEL_EXPR = (
    f"'10' + ({_EXP} < 0 ? '⁻' : '')"
    f" + (abs({_EXP}) >= 10 ? substring({_DIGITS}, floor(abs({_EXP}) / 10), floor(abs({_EXP}) / 10) + 1) : '')"
    f" + substring({_DIGITS}, abs({_EXP}) % 10, abs({_EXP}) % 10 + 1)"
)


def _axis(axis: AxisModel, values: list[float]) -> tuple[dict, dict]:
    """Vega-Lite (scale, axis) settings for an axis, given the numbers drawn on it."""
    scale: dict = {"padding": 8} if axis.type in ("quantitative", "temporal") else {}
    settings: dict = {"title": axis.title}
    if axis.scale:
        scale["type"] = axis.scale
    if axis.domain:
        scale["domain"] = [plain_value(v) for v in axis.domain]
    if axis.type == "temporal":
        settings["format"] = axis.format or "%Y"
        settings["labelOverlap"] = True
    elif axis.format:
        settings["format"] = axis.format
    elif axis.scale == "log":
        ticks = log_ticks(values)
        if ticks:
            top = math.log10(ticks[-1])
            bottom = math.log10(ticks[0])
            if top > 5 or bottom < -3:
                settings["values"] = ticks
                settings["labelExpr"] = EXPONENT_LABEL_EXPR
            else:
                settings["values"] = ticks
                settings["format"] = "~s"
    elif axis.type == "quantitative":
        settings["format"] = "~s"
    return scale, settings


def _numbers(records: list[dict], name: str) -> list[float]:
    out = []
    for record in records:
        value = record.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append(float(value))
    return out


def _tooltip(layer: LayerModel, dataset: Dataset) -> list:
    import altair as alt

    items = []
    for name in layer.tooltip or [layer.x, layer.y]:
        column = dataset.column(name)
        title = name if column is None or not column.unit else f"{name} ({column.unit})"
        if column is not None and column.type == "date":
            items.append(alt.Tooltip(_field(name), type="temporal", format="%Y-%m-%d", title=title))
        elif column is not None and column.type in ("number", "integer"):
            items.append(alt.Tooltip(_field(name), type="quantitative", format=".3~g", title=title))
        else:
            items.append(alt.Tooltip(_field(name), type="nominal", title=title))
    return items


def fit_label(trend: TrendFit) -> str:
    fit = trend.fit
    text = f"{trend.label}: ×{fit.growth_per_year:.2g}/yr"
    if fit.doubling_months and fit.doubling_months > 0:
        text += f", doubling {fit.doubling_months:.1f} mo"
    published = trend.published
    if published and published.doubling_months:
        text += f" (published {published.doubling_months:g} mo)"
    return text


def drawn_records(chart: Chart, datasets: dict[str, Dataset]) -> list[list[dict]]:
    """Per layer, the rows drawn as plain records (the data of the chart and of its downloads)."""
    spec = chart.spec
    return [
        [_record(row, layer, datasets[layer.dataset]) for row in layer_rows(spec, index, datasets)]
        for index, layer in enumerate(spec.layers)
    ]


def build_chart(chart: Chart, datasets: dict[str, Dataset], fits: list[TrendFit], layer_records: list[list[dict]]) -> alt.LayerChart:
    """The Altair chart (without theme config) drawing ``layer_records``, fit lines and annotations."""
    import altair as alt

    spec = chart.spec
    x_type, y_type = spec.x.type, spec.y.type

    x_numbers = [v for i, layer in enumerate(spec.layers) for v in _numbers(layer_records[i], layer.x)]
    y_numbers = [v for i, layer in enumerate(spec.layers) for v in _numbers(layer_records[i], layer.y)]
    for trend in fits:
        y_numbers += [trend.fit.predict(trend.fit.start), trend.fit.predict(trend.fit.end)]
    for note in spec.annotations:
        if isinstance(note.y, (int, float)):
            y_numbers.append(float(note.y))
    x_scale, x_axis = _axis(spec.x, x_numbers)
    y_scale, y_axis = _axis(spec.y, y_numbers)

    def x_enc(name: str) -> alt.X:
        return alt.X(_field(name), type=x_type, title=spec.x.title, scale=alt.Scale(**x_scale), axis=alt.Axis(**x_axis))

    def y_enc(name: str) -> alt.Y:
        return alt.Y(_field(name), type=y_type, title=spec.y.title, scale=alt.Scale(**y_scale), axis=alt.Axis(**y_axis))

    layers = []
    for index, layer in enumerate(spec.layers):
        dataset = datasets[layer.dataset]
        base = alt.Chart(alt.Data(values=layer_records[index]))
        mark_options: dict = {}
        if layer.mark == "point":
            mark_options = {"filled": True, "opacity": 0.75, "size": 36}
        elif layer.mark == "line":
            mark_options = {"point": False, "strokeWidth": 2}
        elif layer.mark == "text":
            mark_options = {"align": "left", "dx": 4, "dy": -4, "fontSize": 10}
        mark_options["aria"] = False  # one ARIA label per point bloats the SVG; the figure has alt text
        mark = getattr(base, f"mark_{layer.mark}")(**mark_options)
        for calc in spec.calculate:
            if calc.layer == index:
                mark = mark.transform_calculate(**{calc.as_: calc.expr})
        encoding: dict = {"x": x_enc(layer.x), "y": y_enc(layer.y), "tooltip": _tooltip(layer, dataset)}
        if layer.color:
            color_column = dataset.column(layer.color)
            encoding["color"] = alt.Color(_field(layer.color), type="nominal", title=(color_column.description or layer.color) if color_column else layer.color)
        elif layer.label:
            encoding["color"] = alt.datum(layer.label, type="nominal", title=None)
        if layer.text:
            encoding["text"] = alt.Text(_field(layer.text))
        layers.append(mark.encode(**encoding))

    x_name, y_name = spec.layers[0].x, spec.layers[0].y
    for trend in fits:
        start, end = max(trend.fit.start, decimal_year(trend.window_from)), min(trend.fit.end, decimal_year(trend.window_to))
        points = [
            {x_name: year_to_date(year).isoformat(), y_name: trend.fit.predict(year), "trend": trend.label, "label": fit_label(trend)}
            for year in (start, end)
        ]
        line = alt.Chart(alt.Data(values=points)).mark_line(strokeDash=[6, 3], strokeWidth=2, style="lc-trend").encode(
            x=x_enc(x_name), y=y_enc(y_name), detail=alt.Detail("trend", type="nominal"),
            tooltip=[alt.Tooltip("label", type="nominal", title="Trend")],
        )
        label = alt.Chart(alt.Data(values=points[-1:])).mark_text(align="right", dy=-10, fontSize=11, fontWeight="bold", style="lc-label").encode(
            x=x_enc(x_name), y=y_enc(y_name), text=alt.Text("label", type="nominal"),
        )
        layers += [line, label]

    if spec.annotations:
        notes = [{x_name: plain_value(to_date(n.x) if x_type == "temporal" else n.x), y_name: n.y, "note": n.text} for n in spec.annotations]
        note_data = alt.Data(values=notes)
        layers.append(alt.Chart(note_data).mark_point(shape="diamond", size=60, filled=True, style="lc-note").encode(x=x_enc(x_name), y=y_enc(y_name), tooltip=[alt.Tooltip("note", type="nominal", title="Note")]))
        layers.append(alt.Chart(note_data).mark_text(align="left", dx=7, dy=-7, fontSize=11, style="lc-label").encode(x=x_enc(x_name), y=y_enc(y_name), text=alt.Text("note", type="nominal")))

    credit = alt.Chart(alt.Data(values=[{"credit": credit_line(chart, datasets)}])).mark_text(
        align="left", baseline="top", dy=44, fontSize=10, style="lc-credit", clip=False
    ).encode(x=alt.value(0), y=alt.value("height"), text=alt.Text("credit", type="nominal"))
    layers.append(credit)

    continuous = [c for c, axis in (("x", spec.x), ("y", spec.y)) if axis.type in ("quantitative", "temporal")]
    if continuous:
        layers[0] = layers[0].add_params(alt.selection_interval(name="zoom", bind="scales", encodings=continuous))
    title = alt.Title(spec.title, subtitle=[spec.subtitle] if spec.subtitle else alt.Undefined, anchor="start")
    result = alt.layer(*layers).properties(width=WIDTH, height=HEIGHT, title=title)
    for param in spec.params:
        result = result.add_params(
            alt.param(name=param.name, value=param.value, bind=alt.binding_range(min=param.min, max=param.max, step=param.step, name=f"{param.label} "))
        )
    return result


def theme_config(colours: dict, font: str) -> dict:
    return {
        "background": None,
        "font": font,
        "view": {"stroke": None},
        "title": {"color": colours["text"], "subtitleColor": colours["muted"], "fontSize": 15, "subtitleFontSize": 12, "anchor": "start", "offset": 10},
        "axis": {
            "labelColor": colours["muted"], "titleColor": colours["text"], "gridColor": colours["grid"],
            "domainColor": colours["domain"], "tickColor": colours["domain"], "labelFontSize": 11, "titleFontSize": 12,
            "titleFontWeight": "normal",
        },
        "legend": {"labelColor": colours["text"], "titleColor": colours["text"], "orient": "top", "direction": "horizontal", "columns": 4, "labelLimit": 260, "titleOrient": "left", "titleAnchor": "start"},
        "range": {"category": colours["category"]},
        "text": {"color": colours["text"]},
        "style": {
            "lc-trend": {"color": colours["trend"]},
            "lc-label": {"color": colours["trend"]},
            "lc-note": {"color": colours["trend"]},
            "lc-credit": {"color": colours["muted"]},
        },
    }


def vega_lite_specs(chart: Chart, datasets: dict[str, Dataset], theme: ChartTheme, fits: list[TrendFit], records: list[list[dict]] | None = None) -> tuple[dict, dict, list[list[dict]]]:
    records = drawn_records(chart, datasets) if records is None else records
    # the spec is built by this module from validated inputs: Altair's JSON-schema check of it took
    # half the time of rendering a chart and never changes the spec
    base = build_chart(chart, datasets, fits, records).to_dict(validate=False)
    base.pop("config", None)
    base["description"] = chart.spec.alt
    base_text = json.dumps(base, sort_keys=True)
    light, dark = json.loads(base_text), json.loads(base_text)
    light["config"] = theme_config(theme.light, theme.font)
    dark["config"] = theme_config(theme.dark, theme.font)
    light["usermeta"] = {"darkConfig": dark["config"], "chart": chart.id}
    return light, dark, records


# ----------------------------------------------------------------------------- rendering + cache


def vl_convert_version() -> str:
    return f"vl-convert {getattr(vlc, '__version__', '?')}; vega {vlc.get_vega_version()}; vega-lite {vlc.get_vegalite_versions()[-1]}"


def _code_version() -> str:
    """A hash of this module's source: a change to how charts are drawn invalidates the cache."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def cache_key(chart: Chart, records: list[list[dict]], fits: list[TrendFit], theme: ChartTheme, credit: str) -> str:
    """A hash of everything the spec and its SVGs are made from: the chart file's content, the rows drawn,
    the fits, the theme, the credit line, this module's code and the vl-convert / Vega / Vega-Lite versions."""
    digest = hashlib.sha256()
    parts = (
        chart.spec.model_dump_json(by_alias=True),
        json.dumps(records, sort_keys=True, default=str),
        json.dumps([(t.id, t.fit.slope_log10_per_year, t.fit.intercept_log10) for t in fits]),
        json.dumps([theme.font, theme.light, theme.dark], sort_keys=True),
        credit,
        _code_version(),
        vl_convert_version(),
    )
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:24]


def render_chart(chart: Chart, datasets: dict[str, Dataset], cache_dir: Path, theme: ChartTheme | None = None) -> RenderedChart:
    """Chart + data -> Vega-Lite spec, light and dark SVG, downloads and fits.

    The spec and both SVGs are kept in ``cache_dir/charts`` under a hash of their inputs; when nothing
    changed, they are read back and neither Altair nor vl-convert runs (``from_cache`` is True).
    """
    import time

    started = time.perf_counter()
    theme = theme or ChartTheme()
    fits = chart_fits(chart, datasets)
    records = drawn_records(chart, datasets)
    key = cache_key(chart, records, fits, theme, credit_line(chart, datasets))
    folder = Path(cache_dir) / "charts"
    stem = f"{chart.id}-{key}"
    spec_path, light_path, dark_path = folder / f"{stem}.vl.json", folder / f"{stem}.svg", folder / f"{stem}.dark.svg"
    if spec_path.is_file() and light_path.is_file() and dark_path.is_file():
        light = json.loads(spec_path.read_text("utf-8"))
        svg_light, svg_dark, from_cache = light_path.read_text("utf-8"), dark_path.read_text("utf-8"), True
    else:
        light, dark, _ = vega_lite_specs(chart, datasets, theme, fits, records)
        svg_light = _svg(light, chart)
        svg_dark = _svg(dark, chart)
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"{chart.id}-*"):
            if old.name.split(".", 1)[0].rsplit("-", 1)[0] == chart.id:
                old.unlink()
        _write_atomic(spec_path, json.dumps(light, sort_keys=True, ensure_ascii=False))
        _write_atomic(light_path, svg_light)
        _write_atomic(dark_path, svg_dark)
        from_cache = False
    csv_text = _cached_text(folder / f"{stem}.csv", lambda: rows_csv(chart, records))
    json_text = _cached_text(folder / f"{stem}.rows.json", lambda: rows_json(chart, datasets, records))
    return RenderedChart(
        svg_light=svg_light,
        svg_dark=svg_dark,
        spec=light,
        rows=records,
        csv=csv_text,
        json=json_text,
        fits=fits,
        from_cache=from_cache,
        key=key,
        seconds=time.perf_counter() - started,
    )


def _cached_text(path: Path, make) -> str:
    """The downloads depend only on what the cache key hashes: read them back, or make and keep them."""
    if path.is_file():
        return path.read_bytes().decode("utf-8")  # bytes as written: no newline translation
    text = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(path, text)
    return text


def _svg(spec: dict, chart: Chart) -> str:
    svg = vlc.vegalite_to_svg(spec)
    # accessible name for the static image's inline use; <img alt> carries it on pages
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(chart.spec.alt)}" ', 1)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, "utf-8")
    tmp.replace(path)


def rows_csv(chart: Chart, records: list[list[dict]]) -> str:
    """The rows drawn, every layer, as CSV with a leading `layer` column (label or dataset id)."""
    columns: list[str] = []
    for layer_records in records:
        for record in layer_records:
            for name in record:
                if name not in columns:
                    columns.append(name)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["layer", *columns])
    for index, layer_records in enumerate(records):
        layer = chart.spec.layers[index]
        name = layer.label or layer.dataset
        for record in layer_records:
            writer.writerow([name, *("" if record.get(c) is None else record.get(c) for c in columns)])
    return out.getvalue()


def rows_json(chart: Chart, datasets: dict[str, Dataset], records: list[list[dict]]) -> str:
    payload = {
        "chart": chart.id,
        "title": chart.spec.title,
        "credit": credit_line(chart, datasets),
        "layers": [
            {"dataset": layer.dataset, "label": layer.label, "rows": records[index]}
            for index, layer in enumerate(chart.spec.layers)
        ],
    }
    return json.dumps(payload, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
