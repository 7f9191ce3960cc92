"""A chart file's model and its validation: the pydantic schema of ``charts/<id>.yaml``, loading and
checking it against its datasets, and the rows each series draws (filters) with their trend fits.

A chart draws one or more *series*: a dataset's rows through one mark. Chart files list them under
``layers:`` (and trends and calculations name one by ``layer:``): the YAML keys are aliases, kept so
that no chart file changes; in code "layer" means only a layer of the site."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from ..datasets import Dataset, central, row_record
from ..model import Source, Strict
from ..problems import Problem, problem, shorten
from ..trends import METHOD, Fit, decimal_year, fit_log_linear
from ..yamlio import YamlList, YamlMap, id_problem, load_each, read_model, to_date


FILTER_OPS = ("==", "!=", "<", "<=", ">", ">=", "in", "not in", "notnull")
MARKS = ("point", "line", "bar", "area", "rule", "text")

# ----------------------------------------------------------------------------- schema


class AxisModel(Strict):
    title: str
    type: Literal["quantitative", "temporal", "nominal", "ordinal"]
    scale: Literal["linear", "log", "sqrt"] | None = None
    format: str | None = None
    domain: list[Any] | None = None


class FilterModel(Strict):
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


class ColorModel(Strict):
    """Colour by a column's categories: ``values`` in legend order; any other value is grouped as ``other``."""

    field: str
    values: list[str] = []
    other: str = "Other"
    title: str | None = None


class SeriesModel(Strict):
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


class PublishedFitModel(Strict):
    doubling_months: float | None = None
    growth_per_year: float | None = None
    low: float | None = None
    high: float | None = None
    source: Source


class TrendModel(Strict):
    id: str
    label: str
    series: int = Field(0, alias="layer")  # the index of the series fitted
    from_: dt.date = Field(alias="from")
    to: dt.date
    where: list[FilterModel] = []
    published: PublishedFitModel | None = None


class AnnotationModel(Strict):
    x: Any
    y: Any
    text: str


class ParamModel(Strict):
    name: str
    label: str
    min: float
    max: float
    step: float
    value: float


class CalculateModel(Strict):
    series: int = Field(alias="layer")
    as_: str = Field(alias="as")
    expr: str


class ExploreModel(Strict):
    """What a reader may change on the live chart (the state is kept in the page's URL)."""

    scale: list[Literal["x", "y"]] = []  # axes with a log/linear toggle (axes declared log)
    brush: bool = True  # a time-range brush under the chart, where x is temporal


class ChartModel(Strict):
    id: str
    title: str
    subtitle: str | None = None
    caption: str
    alt: str
    x: AxisModel
    y: AxisModel
    series: list[SeriesModel] = Field(min_length=1, alias="layers")
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
    fits: list[TrendFit] = field(default_factory=list)  # computed when the chart loads, from it and its data only

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def datasets(self) -> list[str]:
        return list(dict.fromkeys(series.dataset for series in self.spec.series))


@dataclass(frozen=True)
class TrendFit:
    """A computed fit with what it was computed over, and the published figure if any."""

    id: str
    label: str
    series: int
    window_from: dt.date
    window_to: dt.date
    fit: Fit
    published: PublishedFitModel | None
    method: str = METHOD


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
    chart = Chart(spec.id, spec, path)
    try:
        chart.fits = chart_fits(chart, datasets)  # once, here: pages, quotes and renders read chart.fits
    except (ValueError, KeyError) as exc:
        return None, [problem(path, None, "trends", str(exc))]
    return chart, []


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
        if not 0 <= calc.series < len(spec.series):
            found.append(problem(path, line, f"calculate[{index}].layer", f"no layer {calc.series} (the chart has {len(spec.series)})"))
            continue
        calculated.setdefault(calc.series, set()).add(calc.as_)
    for index, param in enumerate(spec.params):
        line = _item_line(raw, "params", index)
        if not param.name.isidentifier():
            found.append(problem(path, line, f"params[{index}].name", f"{shorten(param.name)} is not a valid name"))
        if not param.min <= param.value <= param.max:
            found.append(problem(path, line, f"params[{index}].value", "value must lie between min and max"))

    for index, series in enumerate(spec.series):
        line = _item_line(raw, "layers", index)
        where = f"layers[{index}]"
        dataset = datasets.get(series.dataset)
        if dataset is None:
            known = ", ".join(sorted(datasets)) or "none loaded"
            found.append(problem(path, line, f"{where}.dataset", f"unknown dataset {shorten(series.dataset)} (known: {known})"))
            continue
        names = set(dataset.column_names) | calculated.get(index, set())
        for key in ("x", "y", "color", "text", "name"):
            name = series.color_field if key == "color" else getattr(series, key)
            if name is not None and name not in names:
                found.append(problem(path, line, f"{where}.{key}", f"dataset {shorten(dataset.id)} has no column {shorten(name)} (columns: {', '.join(dataset.column_names)})"))
        for name in series.tooltip:
            if name not in names:
                found.append(problem(path, line, f"{where}.tooltip", f"dataset {shorten(dataset.id)} has no column {shorten(name)}"))
        if series.labels and series.name is None:
            found.append(problem(path, line, f"{where}.labels", "labelled points need `name`: the column naming each point"))
        if isinstance(series.color, ColorModel) and len(set(series.color.values)) != len(series.color.values):
            found.append(problem(path, line, f"{where}.color.values", "a category is listed twice"))
        if series.mark == "text" and series.text is None:
            found.append(problem(path, line, f"{where}.text", "a text layer needs a text column"))
        found.extend(_check_filters(series.filter, dataset, path, line, f"{where}.filter"))
        x_column = dataset.column(series.x)
        if x_column is not None and spec.x.type == "temporal" and x_column.type != "date":
            found.append(problem(path, line, f"{where}.x", f"the x axis is temporal but column {shorten(series.x)} is {x_column.type}"))
        y_column = dataset.column(series.y)
        if y_column is not None and spec.y.type == "quantitative" and y_column.type not in ("number", "integer"):
            found.append(problem(path, line, f"{where}.y", f"the y axis is quantitative but column {shorten(series.y)} is {y_column.type}"))

    for index, trend in enumerate(spec.trends):
        line = _item_line(raw, "trends", index)
        where = f"trends[{index}]"
        if not 0 <= trend.series < len(spec.series):
            found.append(problem(path, line, f"{where}.layer", f"no layer {trend.series} (the chart has {len(spec.series)})"))
            continue
        if trend.from_ >= trend.to:
            found.append(problem(path, line, f"{where}.to", f"the window must end after it starts ({trend.from_} to {trend.to})"))
            continue
        if spec.x.type != "temporal":
            found.append(problem(path, line, where, "trends need a temporal x axis"))
            continue
        dataset = datasets.get(spec.series[trend.series].dataset)
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
    for index, series in enumerate(spec.series):
        if not series.labels:
            continue
        names = {str(row.values.get(series.name)) for row in series_rows(spec, index, datasets)}
        missing = [label for label in series.labels if label not in names]
        if missing:
            found.append(problem(path, _item_line(raw, "layers", index), f"layers[{index}].labels",
                                 f"no point drawn has {series.name} = {', '.join(repr(m) for m in missing)}"))
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


def series_rows(spec: ChartModel, index: int, datasets: dict[str, Dataset]) -> list:
    """The dataset rows a series draws: its filter, a value on x and y, and y > 0 on a log axis."""
    series = spec.series[index]
    dataset = datasets[series.dataset]
    calculated = {c.as_ for c in spec.calculate if c.series == index}
    result = []
    for row in dataset.rows:
        if not matches(row.values, series.filter, dataset):
            continue
        x = row.values.get(series.x)
        y = row.values.get(series.y)
        if (x is None and series.x not in calculated) or (y is None and series.y not in calculated):
            continue
        if spec.y.scale == "log" and series.y not in calculated and not central(y) > 0:
            continue
        if spec.x.scale == "log" and series.x not in calculated and not central(x) > 0:
            continue
        result.append(row)
    return result


def compute_fit(spec: ChartModel, trend: TrendModel, datasets: dict[str, Dataset]) -> TrendFit:
    series = spec.series[trend.series]
    dataset = datasets[series.dataset]
    years, values = [], []
    for row in series_rows(spec, trend.series, datasets):
        date = _comparable(row.values.get(series.x), "date")
        value = central(row.values.get(series.y))
        if date is None or value is None or not trend.from_ <= date <= trend.to:
            continue
        if not matches(row.values, trend.where, dataset):
            continue
        years.append(decimal_year(date))
        values.append(float(value))
    fit = fit_log_linear(years, values)
    return TrendFit(trend.id, trend.label, trend.series, trend.from_, trend.to, fit, trend.published)


def chart_fits(chart: Chart, datasets: dict[str, Dataset]) -> list[TrendFit]:
    return [compute_fit(chart.spec, trend, datasets) for trend in chart.spec.trends]


def drawn_records(chart: Chart, datasets: dict[str, Dataset]) -> list[list[dict]]:
    """Per series, the rows drawn as Vega data (the data of the chart and of its downloads): plain values,
    ranges as central with _low/_high, plus source and reference."""
    spec = chart.spec
    return [
        [row_record(datasets[series.dataset], row) for row in series_rows(spec, index, datasets)]
        for index, series in enumerate(spec.series)
    ]

