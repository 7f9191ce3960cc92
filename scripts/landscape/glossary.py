"""The site-wide abbreviation glossary: ``*[FLOP]: floating-point operation`` lines, one term a line.

The plugin hands the terms to Python-Markdown's ``abbr`` extension (its ``glossary`` option), which
marks every use of a term on every page; that is several times faster than appending the file to each
page's Markdown.
"""

from __future__ import annotations

import re
from pathlib import Path

from .problems import Problem, problem, shorten
from .yamlio import YamlError, read_text

TERM = re.compile(r"^\*\[([^\]]+)\]:\s*(.+?)\s*$")


def load_glossary(path: Path) -> tuple[dict[str, str], list[Problem]]:
    try:
        text = read_text(path)
    except YamlError as exc:
        return {}, [exc.problem]
    terms: dict[str, str] = {}
    found: list[Problem] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = TERM.match(line)
        if match is None:
            found.append(problem(path, number, "glossary", "expected a line of the form *[TERM]: definition"))
        elif match.group(1) in terms:
            found.append(problem(path, number, "glossary", f"{shorten(match.group(1))} is defined twice"))
        else:
            terms[match.group(1)] = match.group(2)
    return terms, found
