"""Markdown in, Markdown out: wikilinks, Obsidian callouts, chart/table embeds, quoted values.

Unsafe HTML is found in the rendered HTML, not here (safety.py).

Transforms work line by line outside fenced code blocks and inline code spans, so examples of the
syntax in code stay as written. Every problem names the note's file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Protocol

from .paths import md_link
from .problems import Problem, problem, shorten

WIKILINK = re.compile(r"(?<!!)\[\[([^\[\]|#]+)(#[^\[\]|]*)?(?:\|([^\[\]]+))?\]\]")
# {{WORD ID}} alone on a line: an embed; {{WORD ID.NAME}}: a quoted value. The words are the kinds' (kinds/).
EMBED_LINE = re.compile(r"^\s*\{\{\s*([a-z]+)\s+([a-z0-9][a-z0-9-]*)\s*\}\}\s*$")
QUOTE = re.compile(r"\{\{\s*([a-z]+)\s+([a-z0-9][a-z0-9-]*)\.([A-Za-z0-9_-]+)\s*\}\}")
# {{datum DATASET[ROW KEY].COLUMN}}: one cell of a dataset, the row found by its first column.
DATUM = re.compile(r"\{\{\s*datum\s+([a-z0-9][a-z0-9-]*)\[([^\[\]{}]+)\]\.([A-Za-z0-9_-]+)\s*\}\}")
ANY_BRACES = re.compile(r"\{\{\s*(\w+)[^}]*\}\}")
CALLOUT_START = re.compile(r"^>\s*\[!(\w+)\]([+-]?)\s*(.*)$")
FENCE = re.compile(r"^\s*(```+|~~~+)")
INLINE_CODE = re.compile(r"(`+)(.+?)\1")

CALLOUT_TYPES = {
    "note": "note", "abstract": "abstract", "summary": "abstract", "tldr": "abstract", "info": "info",
    "todo": "info", "tip": "tip", "hint": "tip", "important": "tip", "success": "success", "check": "success",
    "done": "success", "question": "question", "help": "question", "faq": "question", "warning": "warning",
    "caution": "warning", "attention": "warning", "failure": "failure", "fail": "failure", "missing": "failure",
    "danger": "danger", "error": "danger", "bug": "bug", "example": "example", "quote": "quote", "cite": "quote",
}


class LinkTarget(Protocol):
    slug: str
    title: str


class Embeds(Protocol):
    """What the link stage offers the Markdown transform (link.References): embeds, links, quoted values."""

    def embed_words(self) -> set[str]: ...

    def embed(self, kind: str, ident: str, src_uri: str) -> str | None:
        """The line standing for {{KIND ID}} (a placeholder the render stage fills), or None."""

    def embed_kind(self, word: str) -> str: ...

    def quote_words(self) -> set[str]: ...

    def quote(self, kind: str, ident: str, name: str) -> str | None: ...

    def quote_kind(self, word: str) -> str: ...

    def datum(self, dataset: str, key: str, column: str) -> tuple[str | None, str]:
        """(the cell as text, or None, and why not)."""

    def page(self, kind: str, ident: str) -> Any:
        """The Target (uri, title, ref) of the page of a chart, table, dataset or entity, or None."""

    def link_kinds(self) -> set[str]:
        """The KIND words of [[KIND:ID]] links: chart, table, dataset and each entity collection's link."""

    def missing(self, kind: str, ident: str) -> str:
        """Why [[KIND:ID]] resolves to nothing, with the nearest names where there are any."""


@dataclass
class Transformed:
    markdown: str
    links: list[str] = field(default_factory=list)  # slugs linked to, in order of first appearance
    pages: list[str] = field(default_factory=list)  # source URIs of the pages [[WORD:ID]] links lead to
    embeds: list[str] = field(default_factory=list)  # "KIND:ID" of the items embedded or quoted
    problems: list[Problem] = field(default_factory=list)


def transform(
    body: str,
    *,
    path: Path,
    first_line: int,
    src_uri: str,
    resolve: Callable[[str], tuple[str, str, str] | None],
    embeds: Embeds,
) -> Transformed:
    """Rewrite a note body. ``resolve(target)`` gives (slug, src_uri, title) of a note named by slug or title."""
    out = Transformed("")
    lines = body.splitlines()
    result: list[str] = []
    fence: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        line_no = first_line + index
        fence_match = FENCE.match(line)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= len(fence):
                fence = None
            result.append(line)
            index += 1
            continue
        if fence_match:
            fence = fence_match.group(1)
            result.append(line)
            index += 1
            continue
        callout = CALLOUT_START.match(line)
        if callout:
            block = [line]
            while index + 1 < len(lines) and lines[index + 1].startswith(">"):
                index += 1
                block.append(lines[index])
            head = _callout_head(callout, path, line_no, out)
            result.extend(["", _outside_code(head, lambda text: _inline(text, line_no, path, src_uri, resolve, embeds, out))])
            for offset, raw in enumerate(block[1:], start=1):
                inner = _transform_line(re.sub(r"^>\s?", "", raw), line_no + offset, path, src_uri, resolve, embeds, out)
                result.extend("    " + part if part.strip() else "" for part in inner.split("\n"))
            result.append("")
            index += 1
            continue
        result.append(_transform_line(line, line_no, path, src_uri, resolve, embeds, out))
        index += 1
    out.markdown = "\n".join(result) + "\n"
    return out


def _callout_head(start: re.Match, path: Path, line_no: int, out: Transformed) -> str:
    """The admonition line for an Obsidian callout: ``> [!warning]- Title`` -> ``??? warning "Title"``."""
    kind = start.group(1).lower()
    material = CALLOUT_TYPES.get(kind)
    if material is None:
        out.problems.append(problem(path, line_no, "callout", f"unknown callout type [!{kind}]; use one of: {', '.join(sorted(set(CALLOUT_TYPES)))}"))
        material = "note"
    marker = {"": "!!!", "+": "???+", "-": "???"}[start.group(2)]
    title = start.group(3).strip().replace('"', "'")
    return f'{marker} {material} "{title}"' if title else f"{marker} {material}"


def _transform_line(line, line_no, path, src_uri, resolve, embeds, out: Transformed) -> str:
    embed = EMBED_LINE.match(line)
    if embed and embed.group(1) in embeds.embed_words():
        word, ident = embed.groups()
        kind = embeds.embed_kind(word)
        placeholder = embeds.embed(word, ident, src_uri)
        if placeholder is None:
            out.problems.append(problem(path, line_no, word, f"unknown {word} id {shorten(ident)}", code="link.unknown-id", ref=f"{kind}:{ident}"))
            return line
        out.embeds.append(f"{kind}:{ident}")
        return placeholder
    return _outside_code(line, lambda text: _inline(text, line_no, path, src_uri, resolve, embeds, out))


def _inline(text, line_no, path, src_uri, resolve, embeds, out: Transformed) -> str:
    def wikilink(match: re.Match) -> str:
        target, anchor, label = match.group(1).strip(), match.group(2) or "", match.group(3)
        kind, _, ident = target.partition(":")
        if ident and kind in embeds.link_kinds():
            page = embeds.page(kind, ident.strip())
            if page is None:
                out.problems.append(problem(path, line_no, "wikilink", f"[[{target}]]: {embeds.missing(kind, ident.strip())}",
                                            code="link.unknown-id", ref=f"{kind}:{ident.strip()}"))
                return match.group(0)
            if page.uri not in out.pages:
                out.pages.append(page.uri)
            return f"[{(label or page.title).strip()}]({md_link(src_uri, page.uri)}{_anchor(anchor)})"
        found = resolve(target)
        if found is None:
            out.problems.append(problem(path, line_no, "wikilink", f"[[{target}]] links to no note (by slug or title)",
                                        code="link.unknown-note", ref=f"note:{target.strip().lower()}"))
            return match.group(0)
        slug, target_uri, target_title = found
        if slug not in out.links:
            out.links.append(slug)
        return f"[{(label or target_title).strip()}]({md_link(src_uri, target_uri)}{_anchor(anchor)})"

    def quote(match: re.Match) -> str:
        kind, ident, name = match.groups()
        if kind not in embeds.quote_words():
            out.problems.append(problem(path, line_no, "embed", _unknown_syntax(match.group(0))))
            return match.group(0)
        text_value = embeds.quote(kind, ident, name)
        if text_value is None:
            out.problems.append(problem(path, line_no, kind, f"{{{{{kind} {ident}.{name}}}}} refers to nothing",
                                        code="link.unknown-value", ref=f"{embeds.quote_kind(kind)}:{ident}"))
            return match.group(0)
        out.embeds.append(f"{embeds.quote_kind(kind)}:{ident}")
        return text_value

    def datum(match: re.Match) -> str:
        dataset, key, column = match.groups()
        text_value, why = embeds.datum(dataset, key.strip(), column)
        if text_value is None:
            out.problems.append(problem(path, line_no, "datum", f"{match.group(0)}: {why}"))
            return match.group(0)
        return text_value

    text = WIKILINK.sub(wikilink, text)
    text = QUOTE.sub(quote, text)
    text = DATUM.sub(datum, text)
    for leftover in ANY_BRACES.finditer(DATUM.sub("", QUOTE.sub("", text))):
        out.problems.append(problem(path, line_no, "embed", _unknown_syntax(leftover.group(0))))
    return text


def _unknown_syntax(text: str) -> str:
    return (f"unknown syntax {shorten(text)}: use {{{{chart ID}}}}, {{{{table ID}}}} alone on a line, or "
            "{{value TABLE.NAME}}, {{fit CHART.FIT}}, {{datum DATASET[ROW].COLUMN}}")


def _anchor(anchor: str) -> str:
    if not anchor or anchor == "#":
        return ""
    words = re.sub(r"[^\w\- ]", "", anchor[1:]).strip().lower()
    return "#" + re.sub(r"[\s]+", "-", words)


def _mask_code(line: str) -> str:
    return INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)


def _outside_code(line: str, fn: Callable[[str], str]) -> str:
    """Apply ``fn`` to the parts of a line that are not inline code spans."""
    pieces, last = [], 0
    for match in INLINE_CODE.finditer(line):
        pieces.append(fn(line[last : match.start()]))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(fn(line[last:]))
    return "".join(pieces)
