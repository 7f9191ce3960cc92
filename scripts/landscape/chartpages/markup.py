"""What every generated page is written with: relative Markdown links, escaped text, table cells and
HTML tables, front matter, source lines."""

from __future__ import annotations

import html
import re
from typing import Any, Iterable, Sequence

from .. import pagekit
from ..datasets import Range, plain_value
from ..pagekit import source_line
from ..paths import md_link
from ..units import format_number

MAX_TABLE_ROWS = 100  # rows shown on a page; the downloads hold all of them


def esc(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def cell(value: Any) -> str:
    """A value for a Markdown table cell: escaped pipes, no newlines."""
    if value is None:
        return "–"
    if isinstance(value, Range):
        low = "?" if value.low is None else _number(value.low)
        high = "?" if value.high is None else _number(value.high)
        return f"{_number(value.central)} ({low}–{high})"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return _number(value)
    text = str(plain_value(value))
    if text.startswith(("https://", "http://")):
        return f"[link]({text})"
    return text.replace("|", "\\|").replace("\n", " ")


def cell_html(value: Any) -> str:
    """A value as the HTML of a table cell: the text ``cell`` gives, escaped, with URLs as links."""
    if value is None or isinstance(value, (Range, bool, float)):
        return esc(cell(value))
    text = str(plain_value(value))
    if text.startswith(("https://", "http://")):
        return _a(text, "link")
    return esc(text.replace("\n", " "))


def _a(url: str, label_html: str) -> str:
    return f'<a href="{esc(url)}">{label_html}</a>'


def html_table(heads: Sequence[str], rows: Iterable[Sequence[str]], attrs: str = "", row_attrs: Sequence[str] | None = None) -> str:
    """A table of many rows as a raw HTML block (cells already HTML). Python-Markdown would run every
    inline pattern over every cell of a pipe table, which made long tables most of the build.
    Rows stay out of the search index but for their names (the first cell of a row: a model, a chip, an
    estimate): a page is found by its title, description, columns and the names in its rows."""
    head = "".join(f"<th>{esc(h)}</th>" for h in heads)
    rows = list(rows)
    extra = list(row_attrs) if row_attrs is not None else [""] * len(rows)
    body = "\n".join(
        f"<tr{extra[i]}>" + "".join(f"<td>{value}</td>" if j == 0 else f"<td data-pagefind-ignore>{value}</td>" for j, value in enumerate(row)) + "</tr>"
        for i, row in enumerate(rows)
    )
    return f"<table{attrs}>\n<thead data-pagefind-ignore>\n<tr>{head}</tr>\n</thead>\n<tbody>\n{body}\n</tbody>\n</table>\n"


def _number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return format_number(value, 3)


def front_matter(title: str, description: str) -> str:
    """A data page's front matter (pagekit.front_matter, the one writer, with the two fields every page has)."""
    return pagekit.front_matter(title=title, description=description)


def _svg_size(svg: str) -> tuple[str, str]:
    match = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg)
    return (match.group(1), match.group(2)) if match else ("640", "400")


def _used_by(used_by: Sequence[tuple[str, str]], src_uri: str) -> str:
    if not used_by:
        return "No note embeds this yet.\n"
    return "".join(f"- [{title}]({md_link(src_uri, uri)})\n" for title, uri in sorted(used_by))


def index_page(title: str, description: str, header: str, lines: Iterable[str]) -> str:
    """An index page: front matter, the title, and a Markdown table (``header``: its head and rule lines)."""
    return "".join([front_matter(title, description), f"# {title}\n\n", header, *lines])
