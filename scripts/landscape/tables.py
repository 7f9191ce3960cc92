"""Computed tables (``charts/tables/<id>.yaml``): sourced inputs, formula outputs with units and ranges.

Tables are evaluated when loaded: every formula is checked by the restricted evaluator first (no
formula of a table runs until all of that table's formulas pass), then evaluated with pint units at
the central values and at every corner of the input ranges (min/max over the corners gives the
output range). Unit errors are Problems naming file, line, field and formula.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import model_validator

from .model import Source, Strict
from .formula import FormulaError, evaluate, parse_formula, to_json_tree
from .problems import Problem, problem, shorten
from .units import Quantity, format_number, parse_unit, unit_label
from .yamlio import YamlList, id_problem, load_each, read_model

MAX_RANGED_INPUTS = 10  # 2**10 corners


# ----------------------------------------------------------------------------- schema


class InputModel(Strict):
    name: str
    label: str
    value: float
    low: float | None = None
    high: float | None = None
    unit: str
    source: str
    digits: int | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _range(self) -> "InputModel":
        if (self.low is None) != (self.high is None):
            raise ValueError("give both low and high, or neither")
        if self.low is not None and not self.low <= self.value <= self.high:
            raise ValueError(f"need low <= value <= high (got {self.low:g}, {self.value:g}, {self.high:g})")
        return self


class OutputModel(Strict):
    name: str
    label: str
    formula: str
    unit: str
    digits: int = 3
    note: str | None = None


class PublishedModel(Strict):
    output: str
    label: str
    value: float
    low: float | None = None
    high: float | None = None
    unit: str
    source: str
    note: str | None = None


class TableModel(Strict):
    id: str
    title: str
    description: str
    sources: dict[str, Source]
    inputs: list[InputModel]
    outputs: list[OutputModel]
    published: list[PublishedModel] = []
    notes: str | None = None


# ----------------------------------------------------------------------------- typed records


@dataclass(frozen=True)
class TableValue:
    name: str
    label: str
    unit: str
    value: float
    low: float | None
    high: float | None
    digits: int
    line: int
    source: str | None = None  # inputs
    formula: str | None = None  # outputs
    note: str | None = None

    @property
    def is_output(self) -> bool:
        return self.formula is not None


@dataclass(frozen=True)
class Published:
    output: str
    label: str
    unit: str
    value: float
    low: float | None
    high: float | None
    source: str
    note: str | None
    converted: float | None  # the value in the output's unit, when the units differ


@dataclass
class ComputedTable:
    id: str
    title: str
    description: str
    sources: dict[str, Source]
    inputs: list[TableValue]
    outputs: list[TableValue]
    published: list[Published]
    notes: str | None
    path: Path
    values: dict[str, TableValue] = field(default_factory=dict)
    trees: dict[str, Any] = field(default_factory=dict)  # output name -> the checked formula (ast.Expression)

    def value(self, name: str) -> TableValue | None:
        return self.values.get(name)

    def published_for(self, name: str) -> list[Published]:
        return [p for p in self.published if p.output == name]


# ----------------------------------------------------------------------------- loading


def load_tables(files: list[Path]) -> tuple[dict[str, ComputedTable], list[Problem]]:
    return load_each(files, load_table, "table")


def load_table(path: Path) -> tuple[ComputedTable | None, list[Problem]]:
    raw, model, found = read_model(path, TableModel, "a computed table (id, title, inputs, outputs, ...)")
    if model is None:
        return None, found
    problems: list[Problem] = found + id_problem(path, raw, model.id)

    def line(section: str, index: int) -> int | None:
        items = raw.get(section)
        return items.item_lines[index] if isinstance(items, YamlList) and index < len(items.item_lines) else None

    # names, units, sources
    seen: set[str] = set()
    units: dict[str, Any] = {}
    for section, items in (("inputs", model.inputs), ("outputs", model.outputs)):
        for index, item in enumerate(items):
            where = f"{section}[{index}]"
            if not item.name.isidentifier() or item.name.startswith("_"):
                problems.append(problem(path, line(section, index), f"{where}.name", f"{shorten(item.name)} is not a valid name (letters, digits, underscores; not starting with _)"))
            if item.name in seen:
                problems.append(problem(path, line(section, index), f"{where}.name", f"name {shorten(item.name)} is used twice"))
            seen.add(item.name)
            try:
                units[item.name] = parse_unit(item.unit)
            except ValueError as exc:
                problems.append(problem(path, line(section, index), f"{where}.unit", str(exc)))
            source = getattr(item, "source", None)
            if source is not None and source not in model.sources:
                problems.append(problem(path, line(section, index), f"{where}.source", f"unknown source {shorten(source)} (declared: {', '.join(sorted(model.sources)) or 'none'})"))

    # check every formula before evaluating any
    input_names = [i.name for i in model.inputs]
    output_names = [o.name for o in model.outputs]
    trees = {}
    for index, output in enumerate(model.outputs):
        earlier = input_names + output_names[:index]
        try:
            trees[output.name] = parse_formula(output.formula, earlier, later=output_names[index:])
        except FormulaError as exc:
            problems.append(problem(path, line("outputs", index), f"outputs[{index}].formula", f"{shorten(output.formula)}: {exc}"))

    published = _published(model, units, path, line, problems)
    if problems:
        return None, problems

    inputs, outputs, eval_problems = _evaluate(model, trees, units, path, line)
    if eval_problems:
        return None, eval_problems
    values = {v.name: v for v in [*inputs, *outputs]}
    table = ComputedTable(
        id=model.id,
        title=model.title,
        description=model.description,
        sources=dict(sorted(model.sources.items())),
        inputs=inputs,
        outputs=outputs,
        published=published,
        notes=model.notes,
        path=path,
        values=values,
        trees=trees,
    )
    return table, []


def _published(model: TableModel, units: dict[str, Any], path: Path, line, problems: list[Problem]) -> list[Published]:
    result = []
    names = {o.name: o for o in model.outputs} | {i.name: i for i in model.inputs}
    for index, item in enumerate(model.published):
        where = f"published[{index}]"
        if item.output not in names:
            problems.append(problem(path, line("published", index), f"{where}.output", f"unknown output {shorten(item.output)}"))
            continue
        if item.source not in model.sources:
            problems.append(problem(path, line("published", index), f"{where}.source", f"unknown source {shorten(item.source)}"))
        converted = None
        try:
            unit = parse_unit(item.unit)
            target = units.get(item.output)
            if target is not None:
                quantity = Quantity(item.value, unit).to(target)
                if unit != target:
                    converted = float(quantity.magnitude)
        except ValueError as exc:
            problems.append(problem(path, line("published", index), f"{where}.unit", str(exc)))
        except Exception as exc:  # pint.DimensionalityError
            problems.append(problem(path, line("published", index), f"{where}.unit", f"{shorten(item.unit)} cannot be compared with {shorten(item.output)} in {shorten(names[item.output].unit)}: {exc}"))
        result.append(Published(item.output, item.label, item.unit, item.value, item.low, item.high, item.source, item.note, converted))
    return result


def _evaluate(model: TableModel, trees: dict, units: dict[str, Any], path: Path, line) -> tuple[list[TableValue], list[TableValue], list[Problem]]:
    ranged = [i for i in model.inputs if i.low is not None]
    problems: list[Problem] = []
    if len(ranged) > MAX_RANGED_INPUTS:
        return [], [], [problem(path, None, "inputs", f"at most {MAX_RANGED_INPUTS} inputs may have a range")]
    central_env = {i.name: Quantity(i.value, units[i.name]) for i in model.inputs}
    corner_envs = []
    for corner in itertools.product(*[(i.low, i.high) for i in ranged]):
        env = dict(central_env)
        for item, value in zip(ranged, corner):
            env[item.name] = Quantity(value, units[item.name])
        corner_envs.append(env)

    inputs = [
        TableValue(i.name, i.label, i.unit, i.value, i.low, i.high, i.digits or _digits_of(i.value), line("inputs", n) or 0, source=i.source, note=i.note)
        for n, i in enumerate(model.inputs)
    ]
    outputs = []
    for index, output in enumerate(model.outputs):
        where = f"outputs[{index}].formula"
        target = units[output.name]
        try:
            results = []
            for env in [central_env, *corner_envs]:
                quantity = evaluate(trees[output.name], env)
                if quantity.dimensionality != Quantity(1, target).dimensionality:
                    raise FormulaError(
                        f"gives {_dimension_text(quantity)} but the unit is {shorten(output.unit)} ({Quantity(1, target).dimensionality})"
                    )
                converted = quantity.to(target)
                env[output.name] = converted
                results.append(float(converted.magnitude))
        except FormulaError as exc:
            problems.append(problem(path, line("outputs", index), where, f"{shorten(output.formula)}: {exc}"))
            break
        value = results[0]
        low, high = (min(results), max(results)) if corner_envs else (None, None)
        if low is not None and _close(low, value) and _close(high, value):
            low = high = None
        outputs.append(TableValue(output.name, output.label, output.unit, value, low, high, output.digits, line("outputs", index) or 0, formula=output.formula, note=output.note))
    return inputs, outputs, problems


def _dimension_text(quantity: Any) -> str:
    unit = f"{quantity.units:~P}" or "a plain number"
    return f"{unit} ({quantity.dimensionality})"


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1e-300)


def _digits_of(value: float) -> int:
    """Significant figures as written: 3.14e23 -> 3, 10000 -> 1, 1.5 -> 2."""
    mantissa = f"{abs(value):.12e}".split("e")[0].replace(".", "").rstrip("0")
    return max(len(mantissa), 1)


# ----------------------------------------------------------------------------- text


def value_text(table: ComputedTable, name: str) -> str:
    """A value with its unit and range, e.g. "13.0 days" or "1,404 MWh (1,030–1,500)"."""
    item = table.value(name)
    if item is None:
        raise KeyError(f"table {shorten(table.id)} has no input or output {shorten(name)}")
    return quantity_text(item.value, item.unit, item.digits, item.low, item.high)


def quantity_text(value: float, unit: str, digits: int, low: float | None = None, high: float | None = None) -> str:
    label = unit_label(unit, plural=value != 1)
    text = format_number(value, digits)
    text = f"{text} {label}" if label and label != "%" else f"{text}{label}"
    if low is not None and high is not None:
        text += f" ({format_number(low, digits)}–{format_number(high, digits)})"
    return text


def published_text(item: Published, output: TableValue | None = None) -> str:
    digits = max(_digits_of(item.value), 2)
    text = quantity_text(item.value, item.unit, digits, item.low, item.high)
    if item.converted is not None and output is not None:
        text += f" (= {quantity_text(item.converted, output.unit, output.digits)})"
    return text


def source_date(source: Source) -> str:
    return source.date.isoformat() if isinstance(source.date, dt.date) else ""


# ----------------------------------------------------------------------------- in the browser


def base_factor(unit: str) -> float:
    """What one of ``unit`` is in SI base units (the project's own units are base units of their own)."""
    return float(Quantity(1.0, parse_unit(unit)).to_base_units().magnitude)


def browser_definition(table: ComputedTable) -> tuple[dict | None, str | None]:
    """What the table page's script needs to recompute the outputs from inputs a reader sets: each
    input (value, range, factor to SI base units) and each output (its formula as the JSON tree of the
    SAME parsed formula the build evaluated, the factor back from base units, digits, unit labels).
    Returns (definition, None), or (None, why not) when a formula cannot be recomputed in the browser."""
    try:
        outputs = [
            {
                "name": o.name, "label": o.label, "tree": to_json_tree(table.trees[o.name]), "factor": base_factor(o.unit),
                "digits": o.digits, "unit": unit_label(o.unit), "units": unit_label(o.unit, plural=True),
            }
            for o in table.outputs
        ]
    except FormulaError as exc:
        return None, str(exc)
    for item in [*table.inputs, *table.outputs]:
        if Quantity(0.0, parse_unit(item.unit)).to_base_units().magnitude != 0:  # degC and the like: not a factor
            return None, f"{item.name} is in {item.unit}, a unit with an offset"
    inputs = [
        {
            "name": i.name, "label": i.label, "value": i.value, "low": i.low, "high": i.high, "factor": base_factor(i.unit),
            "digits": i.digits, "unit": unit_label(i.unit), "units": unit_label(i.unit, plural=True),
        }
        for i in table.inputs
    ]
    return {"id": table.id, "inputs": inputs, "outputs": outputs}, None
