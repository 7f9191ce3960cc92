"""What every generated page is written with: front matter, escaping, source lines, search fields.

One writer for each: note pages, chart, table and dataset pages and entity pages all call these, so a
source is shown the same way everywhere and front matter has one format (JSON values, which YAML reads).
Links between pages are paths.md_link (Markdown) and paths.href (raw HTML).
"""

from __future__ import annotations

import json
from typing import Any


def front_matter(**fields: Any) -> str:
    """The front matter of a generated page: fields in the order given, None left out, text on one line."""
    lines = ["---"]
    for key, value in fields.items():
        if value is None:
            continue
        if isinstance(value, str):
            value = " ".join(value.split())
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def search_fields(page: str, kind: str, layers: list[str]) -> str:
    """A generated page with its search kind and layers added to its front matter (see overrides/)."""
    if not page.startswith("---\n"):
        raise ValueError("a generated page must start with front matter")
    return "---\n" + front_matter(kind=kind or None, layers=layers or None)[4:].removesuffix("---\n\n") + page[4:]


def md_escape(text: str) -> str:
    """Text inside Markdown prose or a table cell: no links, no table breaks, no HTML."""
    return text.replace("|", "\\|").replace("[", "\\[").replace("]", "\\]").replace("<", "&lt;")


def source_line(source: Any) -> str:
    """A source as one line of Markdown: the title (linked when it has a URL) — publisher, date."""
    title = md_escape(source.title)
    url = getattr(source, "url", None)
    extra = ", ".join(str(part) for part in (getattr(source, "publisher", None), getattr(source, "date", None)) if part)
    return (f"[{title}]({url})" if url else title) + (f" — {md_escape(extra)}" if extra else "")
