"""Datasets (``charts/data/<id>.yaml``): columns with units, rows with a source each, values normalised.

load_datasets(files) -> (datasets by id, problems). Every problem names file, line and field;
all of them are collected, never only the first.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field, SkipValidation
from pydantic.dataclasses import dataclass as model_dataclass

from . import cache
from .model import Source, Strict
from .problems import Problem, problem, shorten
from .units import parse_unit
from .yamlio import YamlList, YamlMap, id_problem, load_each, read_model, to_date

COLUMN_TYPES = ("string", "number", "integer", "date", "boolean")
ROW_KEYS = ("source", "reference")


# ----------------------------------------------------------------------------- typed records


@model_dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class Range:
    """A value known within a range; a side the source does not give is null."""

    low: float | None
    central: float
    high: float | None


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    unit: str | None = None
    description: str = ""


@dataclass(frozen=True)
class Row:
    values: dict[str, Any]  # column name -> str | float | int | date | bool | Range | None
    source: str
    reference: str | None
    line: int

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)


@dataclass
class Dataset:
    id: str
    title: str
    description: str
    licence: str
    credit: str
    sources: dict[str, Source]
    columns: list[Column]
    rows: list[Row]
    path: Path
    column_lines: dict[str, int] = field(default_factory=dict)
    _by_key: dict[str, list[Row]] | None = field(default=None, init=False, repr=False, compare=False)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def rows_with_key(self, key: str) -> list[Row]:
        """The rows whose first column, as text, is ``key`` ({{datum}} finds rows this way)."""
        if self._by_key is None:
            by_key: dict[str, list[Row]] = {}
            first = self.columns[0].name
            for row in self.rows:
                by_key.setdefault(str(row.get(first)), []).append(row)
            self._by_key = by_key
        return self._by_key.get(key, [])

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def row_lines(self) -> list[int]:
        return [r.line for r in self.rows]


# ----------------------------------------------------------------------------- schemas


class ColumnModel(Strict):
    name: str
    type: Literal["string", "number", "integer", "date", "boolean"]
    unit: str | None = None
    description: str = ""


class RowModel(BaseModel):  # what holds for every row; _rows checks each cell against its column, with its line
    """One row: a value for each column (by name), the key of its source, and optionally the URL of its own primary source."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, str | float | bool | None | Range]
    source: str = Field(description="A key of the file's sources.")
    reference: str | None = Field(None, pattern=r"^https?://", description="The URL of the row's own primary source.")


class DatasetHeader(Strict):
    id: str
    title: str
    description: str
    licence: str
    credit: str
    sources: dict[str, Source]
    columns: list[ColumnModel]
    rows: list[SkipValidation[RowModel]]  # checked by _rows, cell by cell against the columns


# ----------------------------------------------------------------------------- loading


def load_datasets(files: list[Path], cache_dir: Path | None = None) -> tuple[dict[str, Dataset], list[Problem]]:
    """Load every dataset file. With ``cache_dir``, a dataset that loaded without problems is kept there
    (as authenticated JSON, under a hash of the file's bytes, its path and the loading code; cache.py) and
    read back, validated again, while the file is unchanged: parsing and validating a few MB of YAML rows
    was most of the build's load stage."""
    if cache_dir is None:
        return load_each(files, load_dataset, "dataset")
    version = cache.code_version()
    return load_each(files, lambda path: _load_dataset_cached(path, Path(cache_dir) / "datasets", version), "dataset")


def cache_entry(path: Path, raw: bytes, folder: Path, version: str) -> Path:
    """Where the cached form of the dataset file ``path`` with content ``raw`` is kept."""
    digest = hashlib.sha256(raw)
    digest.update(f"\0{path.resolve()}\0{version}".encode("utf-8"))
    return folder / f"{path.stem}-{digest.hexdigest()[:24]}.json"


def _load_dataset_cached(path: Path, folder: Path, version: str) -> tuple[Dataset | None, list[Problem]]:
    try:
        raw = path.read_bytes()
    except OSError:
        return load_dataset(path)
    entry = cache_entry(path, raw, folder, version)
    dataset = _from_cache(cache.read_model(entry, CachedDataset), path)
    if dataset is not None:
        return dataset, []
    dataset, found = load_dataset(path)
    if dataset is not None and not found:
        cache.write_model(entry, _to_cache(dataset))
        cache.prune(folder, path.stem, entry)
    return dataset, found


class CachedRow(Strict):
    values: dict[str, Any]
    source: str
    reference: str | None
    line: int


class CachedDataset(DatasetHeader):
    """A validated dataset as the cache keeps it (JSON); read back through the same value checks."""

    rows: list[CachedRow]
    column_lines: dict[str, int]
    path: str


def _to_cache(dataset: Dataset) -> CachedDataset:
    def plain(value: Any) -> Any:
        if isinstance(value, Range):
            return {"low": value.low, "central": value.central, "high": value.high}
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return CachedDataset(
        id=dataset.id, title=dataset.title, description=dataset.description, licence=dataset.licence,
        credit=dataset.credit,
        sources=dataset.sources,
        columns=[ColumnModel(name=c.name, type=c.type, unit=c.unit, description=c.description) for c in dataset.columns],
        rows=[CachedRow(values={k: plain(v) for k, v in r.values.items()}, source=r.source, reference=r.reference, line=r.line) for r in dataset.rows],
        column_lines=dataset.column_lines, path=str(dataset.path.resolve()),
    )


def _from_cache(cached: CachedDataset | None, path: Path) -> Dataset | None:
    """The Dataset a cache entry describes, every value checked again against its column; None if any
    part does not fit (the entry is then ignored and the file loaded afresh)."""
    if cached is None or cached.path != str(path.resolve()) or cached.id != path.stem:
        return None
    columns = [Column(c.name, c.type, c.unit, c.description) for c in cached.columns]
    names = [c.name for c in columns]
    if len(set(names)) != len(names) or set(cached.column_lines) != set(names):
        return None
    rows = []
    try:
        for row in cached.rows:
            if set(row.values) != set(names) or row.source not in cached.sources:
                return None
            rows.append(Row({c.name: normalise_value(row.values[c.name], c) for c in columns}, row.source, row.reference, row.line))
    except (ValueError, TypeError):
        return None
    return Dataset(
        id=cached.id, title=cached.title, description=cached.description, licence=cached.licence, credit=cached.credit,
        sources=dict(sorted(cached.sources.items())),
        columns=columns, rows=rows, path=path, column_lines=dict(cached.column_lines),
    )


def load_dataset(path: Path) -> tuple[Dataset | None, list[Problem]]:
    raw, header, found = read_model(path, DatasetHeader, "a dataset file (id, title, columns, rows, ...)")
    if header is None:
        return None, found
    problems: list[Problem] = found + id_problem(path, raw, header.id)

    columns, column_lines = _columns(header, raw, path, problems)
    rows = _rows(raw.get("rows"), columns, set(header.sources), path, problems)
    sources = dict(sorted(header.sources.items()))
    dataset = Dataset(
        id=header.id,
        title=header.title,
        description=header.description,
        licence=header.licence,
        credit=header.credit,
        sources=sources,
        columns=columns,
        rows=rows,
        path=path,
        column_lines=column_lines,
    )
    return dataset, problems


def _columns(header: DatasetHeader, raw: YamlMap, path: Path, problems: list[Problem]) -> tuple[list[Column], dict[str, int]]:
    raw_columns = raw["columns"]
    columns: list[Column] = []
    lines: dict[str, int] = {}
    for index, model in enumerate(header.columns):
        line = raw_columns.item_lines[index] if isinstance(raw_columns, YamlList) else None
        where = f"columns[{index}]"
        if model.name in lines:
            problems.append(problem(path, line, f"{where}.name", f"column {shorten(model.name)} is declared twice"))
            continue
        if model.name in ROW_KEYS:
            problems.append(problem(path, line, f"{where}.name", f"{shorten(model.name)} is reserved for the row's source"))
            continue
        unit = model.unit
        if unit is not None and model.type not in ("number", "integer"):
            problems.append(problem(path, line, f"{where}.unit", f"only number and integer columns have a unit (this one is {model.type})"))
            unit = None
        if unit is not None:
            try:
                parse_unit(unit)
            except ValueError as exc:
                problems.append(problem(path, line, f"{where}.unit", str(exc)))
        columns.append(Column(model.name, model.type, unit, model.description))
        lines[model.name] = line or 0
    return columns, lines


def _rows(raw_rows: Any, columns: list[Column], source_keys: set[str], path: Path, problems: list[Problem]) -> list[Row]:
    by_name = {c.name: c for c in columns}
    rows: list[Row] = []
    if not isinstance(raw_rows, YamlList):
        return rows
    for index, raw_row in enumerate(raw_rows):
        line = raw_rows.item_lines[index]
        where = f"rows[{index}]"
        if not isinstance(raw_row, YamlMap):
            problems.append(problem(path, line, where, "a row must be a mapping of column names to values"))
            continue
        row_problems: list[Problem] = []
        source = raw_row.get("source")
        if source is None:
            row_problems.append(problem(path, line, f"{where}.source", "row has no source (a key of the file's sources)"))
        elif not isinstance(source, str) or source not in source_keys:
            known = ", ".join(sorted(source_keys)) or "none declared"
            row_problems.append(problem(path, line, f"{where}.source", f"unknown source {shorten(source)} (declared: {known})"))
        reference = raw_row.get("reference")
        if reference is not None and not (isinstance(reference, str) and reference.startswith(("https://", "http://"))):
            row_problems.append(problem(path, line, f"{where}.reference", "reference must be a URL starting with https:// or http://"))
        values: dict[str, Any] = {}
        for key in raw_row:
            if key not in by_name and key not in ROW_KEYS:
                row_problems.append(problem(path, raw_row.key_lines.get(key, line), f"{where}.{key}", f"unknown column {shorten(key)}"))
        for column in columns:
            try:
                values[column.name] = normalise_value(raw_row.get(column.name), column)
            except ValueError as exc:
                row_problems.append(problem(path, raw_row.key_lines.get(column.name, line), f"{where}.{column.name}", str(exc)))
        problems.extend(row_problems)
        if not row_problems:
            rows.append(Row(values, source, reference, line))
    return rows


def normalise_value(value: Any, column: Column) -> Any:
    """YAML value -> typed value for the column's type; raise ValueError naming what was expected."""
    if value is None:
        return None
    if isinstance(value, YamlMap) or isinstance(value, dict):
        if column.type not in ("number", "integer"):
            raise ValueError(f"a range {{low, central, high}} is only allowed in number columns, not {column.type}")
        return _range(value, column)
    if column.type == "string":
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
        raise ValueError(f"expected text, got {_describe(value)}")
    if column.type == "number":
        return to_number(value)
    if column.type == "integer":
        number = to_number(value)
        if number != int(number):
            raise ValueError(f"expected a whole number, got {shorten(value)}")
        return int(number)
    if column.type == "date":
        if isinstance(value, bool):
            raise ValueError(f"expected a date YYYY-MM-DD, got {shorten(value)}")
        date = to_date(value)
        if date is None:
            raise ValueError(f"expected a date YYYY-MM-DD, got {shorten(value)}")
        return date
    if column.type == "boolean":
        if isinstance(value, bool):
            return value
        raise ValueError(f"expected true or false, got {shorten(value)}")
    raise ValueError(f"unknown column type {shorten(column.type)}")  # pragma: no cover - schema prevents it


def to_number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {shorten(value)}")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.replace("_", "").strip())
        except ValueError:
            raise ValueError(f"expected a number, got {shorten(value)}") from None
    else:
        raise ValueError(f"expected a number, got {_describe(value)}")
    if not math.isfinite(number):
        raise ValueError(f"expected a finite number, got {shorten(value)}")
    return number


def _range(value: dict, column: Column) -> Range:
    keys = set(value)
    if keys - {"low", "central", "high"} or not {"low", "high", "central"} <= keys:
        raise ValueError(f"a range needs exactly low, central and high (got {', '.join(sorted(map(str, keys)))})")
    if value["central"] is None:
        raise ValueError("a range needs a central value")
    if value["low"] is None and value["high"] is None:
        raise ValueError("a range needs low or high (or write the central value alone)")
    low, central, high = (None if value[k] is None else to_number(value[k]) for k in ("low", "central", "high"))
    if (low is not None and low > central) or (high is not None and central > high):
        raise ValueError(f"range must satisfy low <= central <= high (got {low}, {central:g}, {high})")
    return Range(low, central, high)


def _describe(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"{shorten(value)}"


# ----------------------------------------------------------------------------- plain values


def central(value: Any) -> Any:
    """The central value of a cell (a Range's central; other values unchanged)."""
    return value.central if isinstance(value, Range) else value


def plain_value(value: Any) -> Any:
    """A cell as JSON/CSV-friendly data: dates as ISO text, ranges by their central value."""
    value = central(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def row_record(dataset: Dataset, row: Row, with_ranges: bool = True) -> dict[str, Any]:
    """One row as a flat dict for downloads: columns, then low/high of ranges, source, reference."""
    record: dict[str, Any] = {}
    for column in dataset.columns:
        value = row.values.get(column.name)
        record[column.name] = plain_value(value)
        if with_ranges and isinstance(value, Range):
            record[f"{column.name}_low"] = value.low
            record[f"{column.name}_high"] = value.high
    record["source"] = row.source
    if row.reference:
        record["reference"] = row.reference
    return record


def records_csv(records: Iterable[dict[str, Any]], lead: tuple[str, ...] = ()) -> str:
    """Records as CSV: the ``lead`` columns, then one for each other key in the order keys first appear;
    a missing or null value is an empty cell."""
    records = list(records)
    columns = list(dict.fromkeys([*lead, *(name for record in records for name in record)]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow(["" if record.get(c) is None else record.get(c) for c in columns])
    return out.getvalue()
