"""Reading Epoch's CSVs and parsing their cells; every bad value becomes a Problem naming file, line, column."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd

from landscape.problems import Problem, ProblemsError, problem, shorten

LINE_COLUMN = "_line"  # the CSV line where a record starts, added by read_epoch_csv


class DeriveError(ProblemsError):
    """Problems found in the Epoch CSVs; nothing was written."""


def read_epoch_csv(path: Path, required: Iterable[str]) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a CSV as strings (BOM stripped), with the line where each record starts in ``_line``.

    Quoted fields in Epoch's exports span several lines, so line numbers come from the csv reader,
    not from the row index. A file that cannot be used (unreadable, not UTF-8, no header, missing
    required columns) gives None and its Problems; ragged records are dropped and reported.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [problem(path, None, None, f"cannot read file: {exc.strerror}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [problem(path, line, None, "file is not valid UTF-8")]
    # Epoch's exports hold a stray carriage return inside an unquoted name (chips.csv); a lone CR
    # would end the record early, so line ends are normalized to LF and lone CRs dropped.
    text = text.replace("\r\n", "\n").replace("\r", "")
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[list[str]] = []
    starts: list[int] = []
    try:
        header = next(reader, None)
        last_line = reader.line_num
        for record in reader:
            starts.append(last_line + 1)
            last_line = reader.line_num
            records.append(record)
    except csv.Error as exc:
        return None, [problem(path, reader.line_num, None, f"invalid CSV: {exc}")]
    if header is None:
        return None, [problem(path, 1, None, "file is empty: no header line")]
    header = [name.strip() for name in header]
    missing = [name for name in required if name not in header]
    if missing:
        return None, [problem(path, 1, name, "required column is missing") for name in missing]
    found: list[Problem] = []
    width = len(header)
    kept: list[tuple[int, list[str]]] = []
    for start, record in zip(starts, records):
        if not any(cell.strip() for cell in record):
            continue  # blank line
        if len(record) != width:
            found.append(problem(path, start, None, f"record has {len(record)} fields, header has {width}"))
            continue
        kept.append((start, record))
    frame = pd.DataFrame([record for _, record in kept], columns=header, dtype=str)
    frame[LINE_COLUMN] = [start for start, _ in kept]
    return frame, found


# ---------------------------------------------------------------------------------------------
# Parsing cells


@dataclass
class CellParser:
    """Parses the cells of one CSV file, collecting a Problem for every bad value."""

    path: Path
    problems: list[Problem] = field(default_factory=list)

    def _bad(self, line: int, column: str, text: str, expected: str) -> None:
        self.problems.append(problem(self.path, int(line), column, f"{shorten(text)} is not {expected}"))

    def text(self, row: pd.Series, column: str) -> str | None:
        value = str(row[column]).strip()
        return value or None

    def number(self, row: pd.Series, column: str, scale: float = 1.0) -> float | None:
        raw = self.text(row, column)
        if raw is None:
            return None
        try:
            value = float(raw.replace(",", ""))
        except ValueError:
            self._bad(row[LINE_COLUMN], column, raw, "a number")
            return None
        if not math.isfinite(value) or value < 0:
            self._bad(row[LINE_COLUMN], column, raw, "a finite number >= 0")
            return None
        return value * scale

    def usd(self, row: pd.Series, column: str) -> float | None:
        raw = self.text(row, column)
        if raw is None:
            return None
        match = re.fullmatch(r"\$?\s*([0-9][0-9,]*(?:\.[0-9]+)?)", raw)
        if not match:
            self._bad(row[LINE_COLUMN], column, raw, "a US dollar amount like $4299.00")
            return None
        return float(match.group(1).replace(",", ""))

    def date(self, row: pd.Series, column: str) -> dt.date | None:
        raw = self.text(row, column)
        if raw is None:
            return None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                raise ValueError
            return dt.date.fromisoformat(raw)
        except ValueError:
            self._bad(row[LINE_COLUMN], column, raw, "a date YYYY-MM-DD")
            return None


def first_url(text: str | None) -> str | None:
    """The first http(s) URL in a cell that may hold several separated by whitespace or commas."""
    if not text:
        return None
    for token in re.split(r"[\s,;]+", text):
        if re.fullmatch(r"https?://[^\s\"'<>]+", token):
            return token
    return None


def first_listed(text: str | None) -> str | None:
    """Epoch separates multiple values (domains, organizations) with commas; the first one."""
    if not text:
        return None
    head = text.split(",")[0].strip()
    return head or None


DERIVED_DIGITS = 6


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator to DERIVED_DIGITS significant figures; None when either is missing or 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return float(f"{numerator / denominator:.{DERIVED_DIGITS}g}")

