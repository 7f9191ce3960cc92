"""Charts (``charts/<id>.yaml``): validated against their datasets, drawn through Altair to Vega-Lite,
rendered to light and dark SVG with vl-convert (cached by a hash of spec + data + vl-convert version;
the cache is authenticated JSON, cache.py),
with log-linear trend fits computed at build time.
"""

from __future__ import annotations

import base64
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
from pydantic import BaseModel, ConfigDict, Field, model_validator

from . import cache
from .datasets import Dataset, central, plain_value, row_record
from .problems import Problem, problem, shorten
from .trends import METHOD, Fit, decimal_year, fit_log_linear, year_to_date
from .yamlio import YamlList, YamlMap, id_problem, load_each, read_model, to_date

if TYPE_CHECKING:  # Altair takes a quarter of a second to import: only a chart that is drawn needs it
    import altair as alt

FILTER_OPS = ("==", "!=", "<", "<=", ">", ">=", "in", "not in", "notnull")
MARKS = ("point", "line", "bar", "area", "rule", "text")
WIDTH, HEIGHT = 640, 360  # px: the plot of the wide variant (desktop)
NARROW_TOTAL = 360  # px: the whole narrow variant (phones), axes, legend and key included
NARROW_HEIGHT = 280  # px: the plot of the narrow variant
NARROW_MEDIA = "(max-width: 37.5em)"  # where pages show the narrow variant (static and live alike)
NARROW_CATEGORY_PX = 100  # px: the widest category name on a nominal y axis of the narrow variant
WIDE_CATEGORY_PX = 170  # px: the same on the wide variant (longer names wrap)
LABEL_CHAR_PX = 6.0  # px: a generous width of one character of 10 px text (point labels; browser fonts vary)
DIMENSIONLESS = ("dimensionless", "1", "ratio", "x")
CATEGORY_LABEL_LIMIT = 320  # px: category names on a nominal axis are shown whole up to this width
TREND_DASHES = ([10, 4], [2, 3], [10, 3, 2, 3], [10, 3, 2, 3, 2, 3], [4, 4], [1, 5])  # one per trend, in order
KEY_TOP = 44  # px below the plot where the trend key (then the credit line) starts, under one line of x labels
LABEL_LINE = 13  # px per extra line of x-axis labels
LEGEND_SYMBOL_PX = 34  # px: a legend entry's symbol and the gaps around it
CHAR_PX = 6.2  # px: a rough width of one character of 11 px text, to wrap labels and lay out legends
KEY_LINE = 15  # px per line of the trend key
ANNOTATION_GAP = 7  # px between an annotation's point and its label
KEY_SAMPLE = 30  # px: length of the dash sample before each key line

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
            raise ValueError(f"op {shorten(self.op)} needs a list value")
        if self.op not in ("in", "not in", "notnull") and (self.value is None or isinstance(self.value, list)):
            raise ValueError(f"op {shorten(self.op)} needs a single value")
        return self


class ColorModel(_Strict):
    """Colour by a column's categories: ``values`` in legend order; any other value is grouped as ``other``."""

    field: str
    values: list[str] = []
    other: str = "Other"
    title: str | None = None


class LayerModel(_Strict):
    dataset: str
    mark: Literal["point", "line", "bar", "area", "rule", "text"]
    x: str
    y: str
    color: str | ColorModel | None = None
    label: str | None = None
    text: str | None = None
    name: str | None = None  # the column naming each point (find box, highlight, labels)
    labels: list[str] = []  # values of ``name`` whose points are always labelled
    tooltip: list[str] = []
    filter: list[FilterModel] = []

    @property
    def color_field(self) -> str | None:
        return self.color.field if isinstance(self.color, ColorModel) else self.color


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


class ExploreModel(_Strict):
    """What a reader may change on the live chart (the state is kept in the page's URL)."""

    scale: list[Literal["x", "y"]] = []  # axes with a log/linear toggle (axes declared log)
    brush: bool = True  # a time-range brush under the chart, where x is temporal


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
    explore: ExploreModel = ExploreModel()


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
    narrow_spec: dict = field(default_factory=dict)  # the same chart laid out for a phone (NARROW_TOTAL px)
    svg_narrow_light: str = ""
    svg_narrow_dark: str = ""
    png_light: bytes = b""  # the wide chart at twice its size, on the page colour
    png_dark: bytes = b""


@dataclass(frozen=True)
class ChartTheme:
    """Colours and fonts for the light and dark schemes (a plugin option may override them)."""

    font: str = "Roboto, Helvetica, Arial, sans-serif"
    light: dict = field(default_factory=lambda: dict(
        text="#1f2328", muted="#5c6370", grid="#e3e5e8", domain="#9aa0a6",
        category=["#3f6fb5", "#e07b1f", "#2e9e6b", "#c2405a", "#7b5bb6", "#8c6d31", "#d45fa7", "#5f7d8c"],
        trend="#444444", halo="#ffffff", highlight="#b0005e",
    ))
    dark: dict = field(default_factory=lambda: dict(
        text="#e3e5e8", muted="#aab1bd", grid="#353a45", domain="#6b7280",
        category=["#7fa9e8", "#f5a25d", "#5cc79a", "#ee7a90", "#a98de0", "#c9a96b", "#ee92cb", "#93b2c1"],
        trend="#d0d0d0", halo="#1e2129", highlight="#ff8cc6",
    ))


# ----------------------------------------------------------------------------- loading


def load_charts(files: list[Path], datasets: dict[str, Dataset]) -> tuple[dict[str, Chart], list[Problem]]:
    return load_each(files, lambda path: load_chart(path, datasets), "chart")


def load_chart(path: Path, datasets: dict[str, Dataset]) -> tuple[Chart | None, list[Problem]]:
    raw, spec, found = read_model(path, ChartModel, "a chart file (id, title, layers, ...)")
    if spec is None:
        return None, found
    problems = found + check_chart(spec, raw, path, datasets)
    if problems:
        return None, problems
    return Chart(spec.id, spec, path), []


def _item_line(raw: YamlMap, section: str, index: int) -> int | None:
    items = raw.get(section)
    if isinstance(items, YamlList) and index < len(items.item_lines):
        return items.item_lines[index]
    return raw.key_lines.get(section)


def check_chart(spec: ChartModel, raw: YamlMap, path: Path, datasets: dict[str, Dataset]) -> list[Problem]:
    found: list[Problem] = id_problem(path, raw, spec.id)
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
            found.append(problem(path, line, f"params[{index}].name", f"{shorten(param.name)} is not a valid name"))
        if not param.min <= param.value <= param.max:
            found.append(problem(path, line, f"params[{index}].value", "value must lie between min and max"))

    for index, layer in enumerate(spec.layers):
        line = _item_line(raw, "layers", index)
        where = f"layers[{index}]"
        dataset = datasets.get(layer.dataset)
        if dataset is None:
            known = ", ".join(sorted(datasets)) or "none loaded"
            found.append(problem(path, line, f"{where}.dataset", f"unknown dataset {shorten(layer.dataset)} (known: {known})"))
            continue
        names = set(dataset.column_names) | calculated.get(index, set())
        for key in ("x", "y", "color", "text", "name"):
            name = layer.color_field if key == "color" else getattr(layer, key)
            if name is not None and name not in names:
                found.append(problem(path, line, f"{where}.{key}", f"dataset {shorten(dataset.id)} has no column {shorten(name)} (columns: {', '.join(dataset.column_names)})"))
        for name in layer.tooltip:
            if name not in names:
                found.append(problem(path, line, f"{where}.tooltip", f"dataset {shorten(dataset.id)} has no column {shorten(name)}"))
        if layer.labels and layer.name is None:
            found.append(problem(path, line, f"{where}.labels", "labelled points need `name`: the column naming each point"))
        if isinstance(layer.color, ColorModel) and len(set(layer.color.values)) != len(layer.color.values):
            found.append(problem(path, line, f"{where}.color.values", "a category is listed twice"))
        if layer.mark == "text" and layer.text is None:
            found.append(problem(path, line, f"{where}.text", "a text layer needs a text column"))
        found.extend(_check_filters(layer.filter, dataset, path, line, f"{where}.filter"))
        x_column = dataset.column(layer.x)
        if x_column is not None and spec.x.type == "temporal" and x_column.type != "date":
            found.append(problem(path, line, f"{where}.x", f"the x axis is temporal but column {shorten(layer.x)} is {x_column.type}"))
        y_column = dataset.column(layer.y)
        if y_column is not None and spec.y.type == "quantitative" and y_column.type not in ("number", "integer"):
            found.append(problem(path, line, f"{where}.y", f"the y axis is quantitative but column {shorten(layer.y)} is {y_column.type}"))

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
    for axis in spec.explore.scale:
        if getattr(spec, axis).scale != "log":
            found.append(problem(path, raw.key_lines.get("explore"), "explore.scale", f"the {axis} axis is not log: only a log axis gets a log/linear toggle"))
    if found:
        return found
    for index, layer in enumerate(spec.layers):
        if not layer.labels:
            continue
        names = {str(row.values.get(layer.name)) for row in layer_rows(spec, index, datasets)}
        missing = [label for label in layer.labels if label not in names]
        if missing:
            found.append(problem(path, _item_line(raw, "layers", index), f"layers[{index}].labels",
                                 f"no point drawn has {layer.name} = {', '.join(repr(m) for m in missing)}"))
    for index, trend in enumerate(spec.trends):
        try:
            compute_fit(spec, trend, datasets)
        except ValueError as exc:
            found.append(problem(path, _item_line(raw, "trends", index), f"trends[{index}]", f"cannot fit {shorten(trend.id)}: {exc}"))
    ids = [t.id for t in spec.trends]
    for index, trend_id in enumerate(ids):
        if ids.index(trend_id) != index:
            found.append(problem(path, _item_line(raw, "trends", index), f"trends[{index}].id", f"trend id {shorten(trend_id)} is used twice"))
    return found


def _check_filters(filters: list[FilterModel], dataset: Dataset, path: Path, line: int | None, where: str) -> list[Problem]:
    found = []
    for index, item in enumerate(filters):
        column = dataset.column(item.field)
        if column is None:
            found.append(problem(path, line, f"{where}[{index}].field", f"dataset {shorten(dataset.id)} has no column {shorten(item.field)}"))
            continue
        values = item.value if isinstance(item.value, list) else [item.value]
        if item.op == "notnull":
            continue
        for value in values:
            if column.type == "date" and to_date(value) is None:
                found.append(problem(path, line, f"{where}[{index}].value", f"{shorten(value)} is not a date YYYY-MM-DD (column {shorten(item.field)} holds dates)"))
            if column.type in ("number", "integer"):
                try:
                    float(value)
                except (TypeError, ValueError):
                    found.append(problem(path, line, f"{where}[{index}].value", f"{shorten(value)} is not a number (column {shorten(item.field)} holds numbers)"))
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
    """Tick values for a log axis: powers of ten (every 2nd, 3rd or 5th over many decades), with 2 and 5
    times each power as well when the values span three decades or fewer."""
    positive = [v for v in values if v and v > 0 and math.isfinite(v)]
    if not positive:
        return None
    low = math.floor(math.log10(min(positive)))
    high = math.ceil(math.log10(max(positive)))
    span = max(high - low, 1)
    if span <= 3:
        return [m * 10.0**e for e in range(low, high + 1) for m in (1, 2, 5) if m * 10.0**e <= 10.0**high]
    step = 1 if span <= 10 else 2 if span <= 20 else 3 if span <= 30 else 5
    first = low - (low % step)
    return [10.0**e for e in range(first, high + 1, step)]


def nice_log_top(value: float) -> float:
    """The smallest of 1, 2 or 5 times a power of ten that leaves the longest bar some room (5%)."""
    target = value * 1.05
    exponent = math.floor(math.log10(target))
    for multiple in (1, 2, 5, 10):
        top = multiple * 10.0**exponent
        if top >= target:
            return top
    return 10.0 ** (exponent + 1)


def wrap_label(text: str, width: int) -> list[str]:
    """A category name broken at spaces into lines of at most ``width`` characters (a longer word stays whole)."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [str(text)]


def category_labels(values: list[Any], width_px: float) -> tuple[str | None, int]:
    """For the categories under an x axis of ``width_px``: a Vega label expression that wraps the names
    too long for their band (None if all fit), and the number of label lines."""
    if not values:
        return None, 1
    chars = max(8, int(width_px / len(values) / CHAR_PX) - 1)
    wrapped = {str(v): wrap_label(str(v), chars) for v in values}
    long = {name: lines for name, lines in wrapped.items() if len(lines) > 1}
    if not long:
        return None, 1
    mapping = json.dumps(long, ensure_ascii=False, sort_keys=True)
    return f"{mapping}[datum.label] || datum.label", max(len(lines) for lines in wrapped.values())


_EXP = "round(log(datum.value) / LN10)"
_DIGITS = "'⁰¹²³⁴⁵⁶⁷⁸⁹'"
EXPONENT_LABEL_EXPR = (
    f"'10' + ({_EXP} < 0 ? '⁻' : '')"
    f" + (abs({_EXP}) >= 10 ? substring({_DIGITS}, floor(abs({_EXP}) / 10), floor(abs({_EXP}) / 10) + 1) : '')"
    f" + substring({_DIGITS}, abs({_EXP}) % 10, abs({_EXP}) % 10 + 1)"
)


def log_baseline(axis: AxisModel, values: list[float]) -> float | None:
    """Where bars start on a log axis (which has no zero): the axis's own domain minimum if the chart
    gives one, else the power of ten at or below the smallest positive value drawn."""
    if axis.domain:
        try:
            low = float(axis.domain[0])
        except (TypeError, ValueError):
            low = float("nan")
        if math.isfinite(low) and low > 0:
            return low
    positive = [v for v in values if v > 0 and math.isfinite(v)]
    if not positive:
        return None
    return 10.0 ** math.floor(math.log10(min(positive)))


def _axis(axis: AxisModel, values: list[float], bars: bool = False, categories: list[Any] | None = None, width: int = WIDTH) -> tuple[dict, dict, int]:
    """Vega-Lite (scale, axis) settings for an axis, given the numbers drawn on it, and its label lines.

    ``bars``: bars run along this axis. On a linear axis they start at zero; on a log axis (which has no
    zero) at ``log_baseline``; either way the domain starts at the baseline exactly, without padding, so
    that bars stand on the axis line. ``categories``: the names on a nominal x axis, in order, to wrap.
    """
    scale: dict = {"padding": 8} if axis.type in ("quantitative", "temporal") else {}
    settings: dict = {"title": axis.title}
    lines = 1
    if axis.scale:
        scale["type"] = axis.scale
    if axis.domain:
        scale["domain"] = [plain_value(v) for v in axis.domain]
    if bars and axis.type == "quantitative":
        scale["padding"] = 0
        baseline = log_baseline(axis, values) if axis.scale == "log" else None
        if baseline is not None:  # (no "zero: false": Vega-Lite drops it on a log scale, with a warning)
            values = [*values, baseline]
            if not axis.domain:
                scale["domainMin"] = baseline
                top = max((v for v in values if math.isfinite(v)), default=baseline)
                scale["domainMax"] = nice_log_top(max(top, baseline))
                values.append(scale["domainMax"])
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
    if axis.type in ("nominal", "ordinal"):
        settings["labelLimit"] = CATEGORY_LABEL_LIMIT
        if categories is not None:
            expr, lines = category_labels(categories, width)
            settings["labelAngle"] = 0
            if expr:
                settings["labelExpr"] = expr
    return scale, settings, lines


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


def _tooltip(layer: LayerModel, dataset: Dataset) -> list:
    import altair as alt

    items = []
    for name in layer.tooltip or [layer.x, layer.y]:
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


def drawn_records(chart: Chart, datasets: dict[str, Dataset]) -> list[list[dict]]:
    """Per layer, the rows drawn as plain records (the data of the chart and of its downloads)."""
    spec = chart.spec
    return [
        [_record(row, layer, datasets[layer.dataset]) for row in layer_rows(spec, index, datasets)]
        for index, layer in enumerate(spec.layers)
    ]


def bar_axis(spec: ChartModel) -> Literal["x", "y"] | None:
    """The axis bars run along (their length): y for upright bars over categories or dates, x for
    horizontal bars over categories on y; None when the chart has no bar layer."""
    if not any(layer.mark == "bar" for layer in spec.layers):
        return None
    if spec.x.type == "quantitative" and spec.y.type in ("nominal", "ordinal"):
        return "x"
    return "y"


def _categories(spec: ChartModel, layer_records: list[list[dict]], channel: str) -> list[Any]:
    """The distinct values every layer draws on a nominal axis, in data order."""
    seen: dict[Any, None] = {}
    for index, layer in enumerate(spec.layers):
        name = getattr(layer, channel)
        for record in layer_records[index]:
            value = record.get(name)
            if value is not None:
                seen.setdefault(value, None)
    for note in spec.annotations:
        value = getattr(note, channel)
        if isinstance(value, str):
            seen.setdefault(value, None)
    return list(seen)


def _colour_value(layer: LayerModel, record: dict) -> str | None:
    """The category a record is coloured by: its colour column's value, grouped as declared."""
    field = layer.color_field
    value = record.get(field) if field else None
    if isinstance(layer.color, ColorModel) and layer.color.values:
        return str(value) if value is not None and str(value) in layer.color.values else layer.color.other
    return None if value is None else str(value)


def _legend_labels(spec: ChartModel, layer_records: list[list[dict]]) -> list[str]:
    """The entries of the colour legend: a colour column's values (grouped as declared), or a layer's label."""
    labels: dict[str, None] = {}
    for index, layer in enumerate(spec.layers):
        if layer.color:
            for record in layer_records[index]:
                value = _colour_value(layer, record)
                if value is not None:
                    labels.setdefault(value, None)
        elif layer.label:
            labels.setdefault(layer.label, None)
    return list(labels)


def legend_columns(labels: list[str], width: float = WIDTH) -> int:
    """How many legend entries fit side by side across the plot without cutting a label: all of them in
    one row if they fit, else as many columns of the widest entry as fit (at least one)."""
    if not labels:
        return 1
    widths = [LEGEND_SYMBOL_PX + CHAR_PX * len(label) for label in labels]
    if sum(widths) <= width:
        return len(labels)
    return max(1, min(len(labels), int(width // max(widths))))


@dataclass(frozen=True)
class Layout:
    """One size a chart is drawn at: the wide variant (desktop) or the narrow one (phones)."""

    name: str  # "wide" | "narrow"
    width: int  # px, the plot
    height: int  # px, the plot
    total: int  # px, roughly the whole chart: the width titles, legend, key and credit wrap to

    @property
    def narrow(self) -> bool:
        return self.name == "narrow"


def layouts(spec: ChartModel) -> dict[str, Layout]:
    """The wide layout, and a narrow one whose plot takes what a 360 px column leaves beside the y axis:
    a nominal y axis gets wrapped names up to NARROW_CATEGORY_PX and no title, other axes about 60 px."""
    names = spec.y.type in ("nominal", "ordinal")
    axis = NARROW_CATEGORY_PX + 14 if names else 62
    wide = WIDTH + 70 - 10 - (WIDE_CATEGORY_PX + 30) if names else WIDTH  # names on y: the whole stays ~700 px
    return {
        "wide": Layout("wide", wide, HEIGHT, WIDTH + 70),
        "narrow": Layout("narrow", NARROW_TOTAL - 10 - axis, NARROW_HEIGHT, NARROW_TOTAL - 10),
    }


def _room_right(value: Any, spec: ChartModel, x_scale: dict, layer_records: list[list[dict]], categories: list[Any] | None, plot_width: int = WIDTH) -> float:
    """Roughly how many pixels lie between an x value and the plot's right edge (with a margin for a
    plot drawn a little narrower on a small screen)."""
    width = plot_width * 0.9
    if categories is not None:
        if value not in categories:
            return width
        return width * (1 - (categories.index(value) + 0.5) / len(categories))
    position = _position_fn(spec.x)
    points = [position(r.get(layer.x)) for i, layer in enumerate(spec.layers) for r in layer_records[i]]
    points += [position(n.x) for n in spec.annotations]
    for key in ("domainMin", "domainMax"):
        if key in x_scale:
            points.append(position(x_scale[key]))
    for bound in x_scale.get("domain", []):
        points.append(position(bound))
    known = [p for p in points if p is not None]
    here = position(value)
    if here is None or not known or max(known) == min(known):
        return width
    return width * (max(known) - here) / (max(known) - min(known))


def _position_fn(axis: AxisModel):
    """A value on an axis as a number on which the scale is linear: decimal years, log10, or the value."""
    if axis.type == "temporal":
        def position(v: Any) -> float | None:
            date = to_date(v) if not isinstance(v, dt.date) else v
            return decimal_year(date) if date else None
    else:
        def position(v: Any) -> float | None:
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v):
                return None
            if axis.scale == "log":
                return math.log10(v) if v > 0 else None
            return float(v)
    return position


# candidate places for a point's label: (dx, dy, align, baseline), nearest first
LABEL_PLACES = (
    (7, 0, "left", "middle"), (-7, 0, "right", "middle"), (0, -8, "center", "bottom"), (0, 8, "center", "top"),
    (5, -6, "left", "bottom"), (-5, -6, "right", "bottom"), (5, 6, "left", "top"), (-5, 6, "right", "top"),
    (0, -20, "center", "bottom"), (0, 20, "center", "top"), (12, -16, "left", "bottom"), (-12, -16, "right", "bottom"),
    (12, 16, "left", "top"), (-12, 16, "right", "top"), (-8, 22, "right", "top"), (-8, -22, "right", "bottom"),
    (-10, 34, "right", "top"), (8, 34, "left", "top"), (-10, -34, "right", "bottom"), (8, -34, "left", "bottom"),
)


def _label_box(x: float, y: float, place: tuple, text: str) -> tuple[float, float, float, float]:
    dx, dy, align, baseline = place
    width, height = LABEL_CHAR_PX * len(text) + 2, 11.0
    left = x + dx - (width if align == "right" else width / 2 if align == "center" else 0)
    top = y + dy - (height if baseline == "bottom" else height / 2 if baseline == "middle" else 0)
    return left, top, left + width, top + height


def _overlap(a: tuple, b: tuple) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def place_labels(points: list[tuple[float, float, str]], width: float, height: float) -> list[tuple | None]:
    """For labelled points (px, py, text) in a plot of width x height px: a place each (dx, dy, align,
    baseline) from LABEL_PLACES, chosen in order so that no label covers another label or a labelled point
    and each stays inside the plot; None where no place is free (the point keeps its ring, unnamed:
    a crowded narrow plot names fewer points rather than overlap their names)."""
    placed: list[tuple] = []
    markers = [(x - 4, y - 4, x + 4, y + 4) for x, y, _ in points]
    result = []
    for x, y, text in points:
        best, best_cost = LABEL_PLACES[0], math.inf
        for place in LABEL_PLACES:
            box = _label_box(x, y, place, text)
            cost = sum(_overlap(box, other) for other in placed) + sum(_overlap(box, m) for m in markers)
            outside = max(0, -box[0]) + max(0, box[2] - width) + max(0, -box[1]) + max(0, box[3] - height)
            cost += outside * 200  # marks are clipped to the plot (the zoom binds its scales)
            if cost < best_cost:
                best, best_cost = place, cost
            if cost == 0:
                break
        if best_cost > 0:
            result.append(None)
            continue
        placed.append(_label_box(x, y, best, text))
        result.append(best)
    return result


def _wrap_expr(values: list[Any], chars: int) -> str | None:
    """A Vega label expression giving the names longer than ``chars`` as lines (None if all fit)."""
    long = {str(v): wrap_label(str(v), chars) for v in values if len(str(v)) > chars}
    long = {name: lines for name, lines in long.items() if len(lines) > 1}
    if not long:
        return None
    return f"{json.dumps(long, ensure_ascii=False, sort_keys=True)}[datum.label] || datum.label"


def _grouped(records: list[dict], category: str, colour: str) -> bool:
    """Whether some category holds more than one colour: then bars stand side by side, not on top."""
    seen: dict[Any, set] = {}
    for record in records:
        seen.setdefault(record.get(category), set()).add(record.get(colour))
    return any(len(colours) > 1 for colours in seen.values())


COLOUR_FIELD = "colour group"  # the calculated field a grouped colour column is drawn by
HIGHLIGHT_PARAM = "highlight"  # names of the points a reader highlighted (set by the page script)
HIGHLIGHT_NAME = "lc_highlight_"  # view names of the highlight layers, kept in usermeta until a point is highlighted


def build_chart(chart: Chart, datasets: dict[str, Dataset], fits: list[TrendFit], layer_records: list[list[dict]], layout: Layout | None = None, places: dict[str, tuple] | None = None) -> alt.LayerChart:
    """The Altair chart (without theme config) drawing ``layer_records``, fit lines, their key, annotations
    and labelled points, laid out for ``layout`` (the wide one by default)."""
    import altair as alt

    spec = chart.spec
    layout = layout or layouts(spec)["wide"]
    x_type, y_type = spec.x.type, spec.y.type

    x_numbers = [v for i, layer in enumerate(spec.layers) for v in _numbers(layer_records[i], layer.x)]
    y_numbers = [v for i, layer in enumerate(spec.layers) for v in _numbers(layer_records[i], layer.y)]
    for trend in fits:
        y_numbers += [trend.fit.predict(trend.fit.start), trend.fit.predict(trend.fit.end)]
    for note in spec.annotations:
        if isinstance(note.y, (int, float)):
            y_numbers.append(float(note.y))
        if isinstance(note.x, (int, float)):
            x_numbers.append(float(note.x))
    along = bar_axis(spec)
    x_categories = _categories(spec, layer_records, "x") if x_type in ("nominal", "ordinal") else None
    x_scale, x_axis, x_lines = _axis(spec.x, x_numbers, bars=along == "x", categories=x_categories, width=layout.width)
    y_scale, y_axis, _ = _axis(spec.y, y_numbers, bars=along == "y")
    if x_type == "temporal":
        x_axis["tickCount"] = max(3, layout.width // 70)  # labels thin out on a narrow plot
    if y_type in ("nominal", "ordinal"):  # long names wrap beside the bars
        limit = NARROW_CATEGORY_PX if layout.narrow else WIDE_CATEGORY_PX
        if layout.narrow:
            y_axis["title"] = None  # the names speak for themselves; the subtitle says what they are
        y_axis["labelLimit"] = limit
        expr = _wrap_expr(_categories(spec, layer_records, "y"), int(limit / CHAR_PX))
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

    legend_labels = _legend_labels(spec, layer_records)
    # the legend starts over the plot: its entries and title wrap to the plot's width
    legend = alt.Legend(columns=legend_columns(legend_labels, layout.width), labelLimit=layout.width, titleLimit=layout.width)
    title_chars = max(20, int(layout.width / CHAR_PX))
    colour_domain = None
    grouped = [layer.color for layer in spec.layers if isinstance(layer.color, ColorModel) and layer.color.values]
    if grouped:  # declared categories in their order, then the rest ("Other"), then layer labels
        order = [v for group in grouped for v in [*group.values, group.other]]
        legend_labels = sorted(legend_labels, key=lambda v: order.index(v) if v in order else len(order))
        colour_domain = legend_labels
    layers = []
    for index, layer in enumerate(spec.layers):
        dataset = datasets[layer.dataset]
        base = alt.Chart(alt.Data(values=layer_records[index]))
        mark_options: dict = {}
        if layer.mark == "point":
            mark_options = {"filled": True, "opacity": 0.75, "size": 36 if not layout.narrow else 24}
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
        colour_field = layer.color_field
        if isinstance(layer.color, ColorModel) and layer.color.values:
            group = layer.color
            source = f"datum[{json.dumps(group.field)}]"
            mark = mark.transform_calculate(**{COLOUR_FIELD: f"indexof({json.dumps(group.values, ensure_ascii=False)}, {source}) >= 0 ? {source} : {json.dumps(group.other, ensure_ascii=False)}"})
            colour_field = COLOUR_FIELD
        if layer.color:
            color_column = dataset.column(layer.color_field)
            title = layer.color.title if isinstance(layer.color, ColorModel) and layer.color.title else (color_column.description or layer.color_field) if color_column else layer.color_field
            lines = wrap_label(title, title_chars)
            title = lines if len(lines) > 1 else title
            scale = alt.Scale(domain=colour_domain) if colour_domain else alt.Undefined
            encoding["color"] = alt.Color(_field(colour_field), type="nominal", title=title, legend=legend, scale=scale)
        elif layer.label:
            encoding["color"] = alt.ColorDatum(layer.label, type="nominal", title=None, legend=legend)
        if layer.text:
            encoding["text"] = alt.Text(_field(layer.text))
        if layer.mark == "bar" and along is not None:
            category = layer.y if along == "x" else layer.x
            if x_base is not None:
                encoding["x2"] = alt.datum(x_base)
            if y_base is not None:
                encoding["y2"] = alt.datum(y_base)
            if layer.color and _grouped(layer_records[index], category, layer.color_field):
                offset = "yOffset" if along == "x" else "xOffset"
                encoding[offset] = getattr(alt, offset[0].upper() + offset[1:])(_field(colour_field), type="nominal")
        layers.append(mark.encode(**encoding))

    x_name, y_name = spec.layers[0].x, spec.layers[0].y
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
        layers.append(alt.Chart(alt.Data(values=points)).mark_line(strokeWidth=5, strokeCap="round", style="lc-halo", aria=False).encode(
            x=x_enc(x_name), y=y_enc(y_name), detail=alt.Detail("trend", type="nominal"),
        ))
        layers.append(alt.Chart(alt.Data(values=points)).mark_line(strokeDash=dash, strokeWidth=2, style="lc-trend").encode(
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
            layers.append(alt.Chart(alt.Data(values=[{"label": item["label"]}])).mark_rule(
                strokeDash=item["dash"], strokeWidth=2, style="lc-trend", clip=False, yOffset=offset, aria=False,
            ).encode(x=alt.value(0), x2=alt.value(KEY_SAMPLE), y=alt.value("height")))
        layers.append(alt.Chart(alt.Data(values=[{"label": item["label"]}])).mark_text(
            align="left", baseline="middle", dx=KEY_SAMPLE + 6, dy=offset, fontSize=11, style="lc-label", clip=False,
        ).encode(x=alt.value(0), y=alt.value("height"), text=alt.Text("label", type="nominal")))

    if spec.annotations:
        notes = [{x_name: plain_value(to_date(n.x) if x_type == "temporal" else n.x), y_name: n.y, "note": n.text} for n in spec.annotations]
        note_data = alt.Data(values=notes)
        layers.append(alt.Chart(note_data).mark_point(shape="diamond", size=60, filled=True, style="lc-note", clip=False).encode(x=x_enc(x_name), y=y_enc(y_name), tooltip=[alt.Tooltip("note", type="nominal", title="Note")]))
        # a label runs left of its point where it would pass the plot's right edge; a halo in the page
        # colour drawn under it keeps it readable over points and bars
        for note in spec.annotations:
            right = _room_right(note.x, spec, x_scale, layer_records, x_categories, layout.width) < ANNOTATION_GAP + CHAR_PX * len(note.text)
            one = alt.Data(values=[n for n in notes if n["note"] == note.text][:1])
            options = {"align": "right" if right else "left", "dx": -ANNOTATION_GAP if right else ANNOTATION_GAP, "dy": -7, "fontSize": 11, "clip": False}
            for style in ("lc-note-halo", "lc-label"):
                layers.append(alt.Chart(one).mark_text(style=style, **options).encode(
                    x=x_enc(x_name), y=y_enc(y_name), text=alt.Text("note", type="nominal")))

    layers += _point_labels(spec, layer_records, places or {}, x_enc, y_enc)
    layers += _highlight_layers(spec, layer_records, x_enc, y_enc)

    credit_chars = max(30, int(layout.total / 5.6))
    credit_lines = wrap_label(credit_line(chart, datasets), credit_chars)
    credit_top = key_top + KEY_LINE * len(key) + (4 if key else 0)
    credit = alt.Chart(alt.Data(values=[{"credit": credit_lines}])).mark_text(
        align="left", baseline="top", dy=credit_top, fontSize=10, style="lc-credit", clip=False, lineHeight=13,
    ).encode(x=alt.value(0), y=alt.value("height"), text=alt.Text("credit", type="nominal"))
    layers.append(credit)

    continuous = [c for c, axis in (("x", spec.x), ("y", spec.y)) if axis.type in ("quantitative", "temporal")]
    if continuous:
        layers[0] = layers[0].add_params(alt.selection_interval(name="zoom", bind="scales", encodings=continuous))
    title_lines = wrap_label(spec.title, max(20, int(layout.total / 8.9)))  # 15 px bold, 12 px text
    subtitle_lines = wrap_label(spec.subtitle, max(30, int(layout.total / 6.9))) if spec.subtitle else None
    title = alt.Title(title_lines if len(title_lines) > 1 else spec.title, subtitle=subtitle_lines or alt.Undefined, anchor="start")
    result = alt.layer(*layers).properties(width=layout.width, height=layout.height, title=title)
    for param in spec.params:
        result = result.add_params(
            alt.param(name=param.name, value=param.value, bind=alt.binding_range(min=param.min, max=param.max, step=param.step, name=param.label.strip()))
        )
    if any(layer.name for layer in spec.layers):
        result = result.add_params(alt.param(name=HIGHLIGHT_PARAM, value=[]))
    return result


RING_NAME = "lc_ring_"  # Vega-Lite view names of the rings on labelled points (lc_ring_0_marks in Vega)
LABEL_NAME = "lc_label_"  # and of their names (placed for the chart as built: the page script drops them in other views)


def _labelled(spec: ChartModel, layer_records: list[list[dict]]) -> list[tuple[LayerModel, dict, str]]:
    """The declared labelled points, in order: (layer, record, label)."""
    found = []
    for index, layer in enumerate(spec.layers):
        by_name: dict[str, dict] = {}
        for record in layer_records[index]:
            by_name.setdefault(str(record.get(layer.name)), record)
        for text in layer.labels:
            if text in by_name:
                found.append((layer, by_name[text], text))
    return found


def _point_labels(spec: ChartModel, layer_records: list[list[dict]], places: dict[str, tuple], x_enc, y_enc) -> list:
    """The declared labelled points: a ring on each and its name beside it, at ``places`` (worked out by
    ``label_places`` from where Vega drew the rings; the first place in LABEL_PLACES until then)."""
    import altair as alt

    out = []
    for number, (layer, record, text) in enumerate(_labelled(spec, layer_records)):
        one = alt.Data(values=[{layer.x: record.get(layer.x), layer.y: record.get(layer.y), "label": text}])
        out.append(alt.Chart(one).mark_point(shape="circle", size=70, filled=False, strokeWidth=1.5, style="lc-note", aria=False).encode(
            x=x_enc(layer.x), y=y_enc(layer.y)).properties(name=f"{RING_NAME}{number}"))
        dx, dy, align, baseline = places.get(text, LABEL_PLACES[0])
        options = {"align": align, "baseline": baseline, "dx": dx, "dy": dy, "fontSize": 10}
        for style in ("lc-note-halo", "lc-label"):
            out.append(alt.Chart(one).mark_text(style=style, aria=False, **options).encode(
                x=x_enc(layer.x), y=y_enc(layer.y), text=alt.Text("label", type="nominal")).properties(name=f"{LABEL_NAME}{number}_{style}"))
    return out


def _move_labels(spec: dict, places: list[tuple]) -> None:
    """Give the text layers of labelled point ``n`` (named LABEL_NAME + n) the place ``places[n]``:
    the spec as ``build_chart`` with those places would draw it, without building it again."""
    kept = []
    for layer in spec.get("layer", []):
        name = str(layer.get("name", ""))
        place = places[int(name[len(LABEL_NAME):].split("_")[0])] if name.startswith(LABEL_NAME) else ()
        if place is None:
            continue  # no free place: the name is left out
        kept.append(layer)
        if not place:
            continue
        dx, dy, align, baseline = place
        mark = layer["mark"] if isinstance(layer["mark"], dict) else {"type": layer["mark"]}
        mark.update(dx=dx, dy=dy, align=align, baseline=baseline)
        layer["mark"] = mark
    spec["layer"] = kept


def label_places(vega_lite: dict, labels: list[str], width: float, height: float) -> dict[str, tuple]:
    """Places for the labels of labelled points: where Vega drew each ring (read from vl-convert's
    scenegraph of the chart), then ``place_labels``."""
    graph = vlc.vegalite_to_scenegraph(vega_lite)
    positions: dict[int, tuple[float, float]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            name = node.get("name") or ""
            if name.startswith(RING_NAME) and node.get("items"):
                item = node["items"][0]
                positions[int(name[len(RING_NAME):].split("_")[0])] = (float(item.get("x", 0)), float(item.get("y", 0)))
            for child in node.get("items", []) or []:
                walk(child)
            if "root" in node:
                walk(node["root"])

    walk(graph.get("scenegraph", graph))
    points = [(positions[n][0], positions[n][1], text) for n, text in enumerate(labels) if n in positions]
    return dict(zip([p[2] for p in points], place_labels(points, width, height)))


def _highlight_layers(spec, layer_records, x_enc, y_enc) -> list:
    """Rings and names for the points a reader finds or names in the URL (the `highlight` param), over
    every layer that names its points. ``vega_lite_specs`` keeps them in usermeta: the page script adds
    them while some point is highlighted (an empty layer would make Vega warn of an infinite extent)."""
    import altair as alt

    out = []
    for index, layer in enumerate(spec.layers):
        if not layer.name:
            continue
        test = f"indexof({HIGHLIGHT_PARAM}, '' + datum[{json.dumps(layer.name)}]) >= 0"
        base = alt.Chart(alt.Data(values=layer_records[index])).transform_filter(test)
        out.append(base.mark_point(shape="circle", size=120, filled=False, strokeWidth=2.5, style="lc-highlight", aria=False).encode(
            x=x_enc(layer.x), y=y_enc(layer.y)).properties(name=f"{HIGHLIGHT_NAME}{len(out)}"))
        for style in ("lc-note-halo", "lc-highlight-label"):
            out.append(base.mark_text(style=style, align="left", baseline="bottom", dx=8, dy=-6, fontSize=12, fontWeight="bold", aria=False).encode(
                x=x_enc(layer.x), y=y_enc(layer.y), text=alt.Text(_field(layer.name), type="nominal")).properties(name=f"{HIGHLIGHT_NAME}{len(out)}"))
    return out


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
        "legend": {
            "labelColor": colours["text"], "titleColor": colours["text"], "orient": "top", "direction": "horizontal",
            "labelFontSize": 11, "titleFontSize": 11, "labelLimit": 2 * WIDTH, "titleLimit": 2 * WIDTH,
            "titleOrient": "top", "titleAnchor": "start", "columnPadding": 14, "rowPadding": 4,
        },
        "range": {"category": colours["category"]},
        "text": {"color": colours["text"]},
        "style": {
            "lc-trend": {"color": colours["trend"]},
            "lc-halo": {"color": colours.get("halo", "#ffffff"), "opacity": 0.85},
            "lc-label": {"color": colours["trend"]},
            "lc-note": {"color": colours["trend"]},
            "lc-note-halo": {"color": colours.get("halo", "#ffffff"), "stroke": colours.get("halo", "#ffffff"), "strokeWidth": 4, "strokeJoin": "round", "opacity": 0.9},
            "lc-highlight": {"color": colours.get("highlight", colours["text"])},
            "lc-highlight-label": {"color": colours.get("highlight", colours["text"])},
            "lc-credit": {"color": colours["muted"]},
        },
    }


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
    highlight = [layer for layer in base.get("layer", []) if str(layer.get("name", "")).startswith(HIGHLIGHT_NAME)]
    base["layer"] = [layer for layer in base.get("layer", []) if layer not in highlight]
    _share_data(base, highlight)
    base_text = json.dumps(base, sort_keys=True)
    light, dark = json.loads(base_text), json.loads(base_text)
    light["config"] = theme_config(theme.light, theme.font)
    dark["config"] = theme_config(theme.dark, theme.font)
    light["usermeta"] = {"darkConfig": dark["config"], "chart": chart.id, "explore": explore_meta(chart, datasets), "highlightLayers": highlight}
    return light, dark, records


def _share_data(spec: dict, extra_layers: list[dict]) -> None:
    """Rows drawn by more than one layer (a point layer and its highlight layers) are kept once, in the
    spec's top-level ``datasets``, and named by each layer that draws them."""
    layers = [*spec.get("layer", []), *extra_layers]
    seen: dict[str, list[dict]] = {}
    for layer in layers:
        values = (layer.get("data") or {}).get("values")
        if isinstance(values, list) and len(values) > 1:
            seen.setdefault(json.dumps(values, sort_keys=True), []).append(layer)
    for number, (text, users) in enumerate(item for item in seen.items() if len(item[1]) > 1):
        name = f"rows-{number}"
        spec.setdefault("datasets", {})[name] = json.loads(text)
        for layer in users:
            layer["data"] = {"name": name}


def explore_meta(chart: Chart, datasets: dict[str, Dataset]) -> dict:
    """What the page script may offer on this chart: the columns naming points, the log axes a reader may
    switch, and the temporal x field for a time-range brush."""
    spec = chart.spec
    return {
        "names": [{"layer": i, "field": layer.name} for i, layer in enumerate(spec.layers) if layer.name],
        "labels": [text for layer in spec.layers for text in layer.labels],
        "scale": list(spec.explore.scale),
        "time": spec.layers[0].x if spec.x.type == "temporal" and spec.explore.brush else None,
        "x": [layer.x for layer in spec.layers],
    }


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
    """Chart + data -> Vega-Lite specs (wide and narrow), light and dark SVG of each, light and dark PNG
    (wide, 2x), downloads and fits.

    Specs, SVGs and PNGs are kept in ``cache_dir/charts`` under a hash of their inputs; when nothing
    changed, they are read back and neither Altair nor vl-convert runs (``from_cache`` is True).
    """
    import time

    started = time.perf_counter()
    theme = theme or ChartTheme()
    fits = chart_fits(chart, datasets)
    records = drawn_records(chart, datasets)
    key = cache_key(chart, records, fits, theme, credit_line(chart, datasets))
    folder = Path(cache_dir) / "charts"
    entry = folder / f"{chart.id}-{key}.json"
    cached = cache.read_model(entry, CachedChart)
    if cached is not None:
        texts, binaries = cached.texts, {name: base64.b64decode(data) for name, data in cached.binaries.items()}
        from_cache = True
    else:
        variants = layouts(chart.spec)
        light, dark, _ = vega_lite_specs(chart, datasets, theme, fits, records, variants["wide"])
        narrow_light, narrow_dark, _ = vega_lite_specs(chart, datasets, theme, fits, records, variants["narrow"])
        texts = {
            "vl.json": json.dumps(light, sort_keys=True, ensure_ascii=False),
            "svg": _svg(light, chart),
            "dark.svg": _svg(dark, chart),
            "narrow.vl.json": json.dumps(narrow_light, sort_keys=True, ensure_ascii=False),
            "narrow.svg": _svg(narrow_light, chart),
            "narrow.dark.svg": _svg(narrow_dark, chart),
            "csv": rows_csv(chart, records),
            "rows.json": rows_json(chart, datasets, records),
        }
        binaries = {"png": _png(light, theme.light), "dark.png": _png(dark, theme.dark)}
        cache.write_model(entry, CachedChart(texts=texts, binaries={n: base64.b64encode(d).decode("ascii") for n, d in binaries.items()}))
        cache.prune(folder, chart.id, entry)
        from_cache = False
    csv_text, json_text = texts["csv"], texts["rows.json"]
    return RenderedChart(
        svg_light=texts["svg"],
        svg_dark=texts["dark.svg"],
        spec=json.loads(texts["vl.json"]),
        rows=records,
        csv=csv_text,
        json=json_text,
        fits=fits,
        from_cache=from_cache,
        key=key,
        seconds=time.perf_counter() - started,
        narrow_spec=json.loads(texts["narrow.vl.json"]),
        svg_narrow_light=texts["narrow.svg"],
        svg_narrow_dark=texts["narrow.dark.svg"],
        png_light=binaries["png"],
        png_dark=binaries["dark.png"],
    )


class CachedChart(BaseModel):
    """A rendered chart as the cache keeps it (one JSON entry: specs and SVGs by name, PNGs in base64)."""

    model_config = ConfigDict(extra="forbid")
    texts: dict[Literal["vl.json", "svg", "dark.svg", "narrow.vl.json", "narrow.svg", "narrow.dark.svg", "csv", "rows.json"], str]
    binaries: dict[Literal["png", "dark.png"], str]

    @model_validator(mode="after")
    def _complete(self):
        if len(self.texts) != 8 or len(self.binaries) != 2:
            raise ValueError("a cached chart holds eight texts and two PNGs")
        return self


def _png(spec: dict, colours: dict) -> bytes:
    """The chart as a PNG at twice its size, on the page colour of its scheme (a PNG has no page behind it)."""
    painted = dict(spec, config=dict(spec["config"], background=colours.get("halo", "#ffffff")))
    return vlc.vegalite_to_png(painted, scale=2)


def _svg(spec: dict, chart: Chart) -> str:
    svg = vlc.vegalite_to_svg(spec)
    # accessible name for the static image's inline use; <img alt> carries it on pages
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(chart.spec.alt)}" ', 1)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


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
