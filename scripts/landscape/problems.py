"""Problems found in the sources, and the one exception that carries all of them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input file, located as precisely as known."""

    file: str
    line: int | None
    field: str | None
    message: str
    code: str = ""  # stable, for programs: e.g. "link.unknown-note", "link.unknown-id" (never parse message)
    ref: str = ""  # what the problem refers to, where it names another input: "note:SLUG", "chart:ID"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        return f"{where}: {what}"


MAX_ECHO = 80


def shorten(value: object, limit: int = MAX_ECHO) -> str:
    """A value as echoed in a message: its repr, cut to ``limit`` characters with an ellipsis and the
    full length when longer (a 10,000-character formula is quoted by its first 80 characters)."""
    shown = repr(value)
    if len(shown) <= limit:
        return shown
    length = len(value) if isinstance(value, str) else len(shown)
    return f"{shown[: limit - 1]}… ({length:,} characters)"


def problem(path: Path | str, line: int | None, field: str | None, message: str, *, code: str = "", ref: str = "") -> Problem:
    """A Problem whose file is shown relative to the working directory where possible."""
    return Problem(display_path(path), line, field, message, code, ref)


def display_path(path: Path | str) -> str:
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


class ProblemsError(Exception):
    """Raised once, after a stage has collected every problem it found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.field or "", p.message))
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


def raise_if_any(problems: list[Problem]) -> None:
    if problems:
        raise ProblemsError(problems)
