"""Transformations of the prose, outside fenced and inline code: repeated blocks, Obsidian syntax (tags,
highlights, callouts), headings, paragraphs; and the title and slug of a draft."""

from __future__ import annotations

import re
import unicodedata
from typing import Callable

from ..markdown import CALLOUT_TYPES, FENCE, INLINE_CODE
from ..notes import TAG_PATTERN


def collapse_repeats(text: str, max_block: int = 40, min_chars: int = 20) -> tuple[str, int]:
    """Collapse a block of lines that is immediately repeated (scraped threads show posts twice).

    A block counts when it holds at least ``min_chars`` non-blank characters, so a repeated short line
    (a table rule, a closing brace) is left alone; fenced code is never touched. Returns the text and
    the number of copies removed.
    """
    lines = text.split("\n")
    key = [line.rstrip() for line in lines]
    in_code = _fenced_mask(lines)
    out: list[str] = []
    removed = 0
    index = 0
    while index < len(lines):
        if in_code[index] or not key[index].strip():
            out.append(lines[index])
            index += 1
            continue
        found = 0
        for size in range(min(max_block, (len(lines) - index) // 2), 0, -1):
            if key[index + size] != key[index]:
                continue
            block = key[index : index + size]
            if key[index + size : index + 2 * size] != block:
                continue
            if any(in_code[index : index + 2 * size]) or sum(len(line.strip()) for line in block) < min_chars:
                continue
            found = size
            break
        if not found:
            out.append(lines[index])
            index += 1
            continue
        copies = 2
        while key[index + copies * found : index + (copies + 1) * found] == key[index : index + found]:
            copies += 1
        out.extend(lines[index : index + found])
        removed += copies - 1
        index += copies * found
    result = "\n".join(out)
    return _collapse_blank_separated(result, removed, min_chars)


def _collapse_blank_separated(text: str, removed: int, min_chars: int) -> tuple[str, int]:
    """Paragraphs separated by blank lines and repeated back to back: keep the first copy."""
    paragraphs = re.split(r"(\n[ \t]*\n+)", text)
    out: list[str] = []
    for piece in paragraphs:
        if (
            out
            and len(out) >= 2
            and piece.strip()
            and piece.strip() == out[-2].strip()
            and len(piece.strip()) >= min_chars
            and "```" not in piece
            and "~~~" not in piece
        ):
            out.pop()  # the separator before the copy
            removed += 1
            continue
        out.append(piece)
    return "".join(out), removed


def _fenced_mask(lines: list[str]) -> list[bool]:
    mask, fence = [], None
    for line in lines:
        match = FENCE.match(line)
        if fence is not None:
            mask.append(True)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
        elif match:
            fence = match.group(1)
            mask.append(True)
        else:
            mask.append(False)
    return mask


def map_prose(text: str, fn: Callable[[str, int], str]) -> str:
    """Apply ``fn(piece, line_no)`` to every part of the text outside fenced code and inline code."""
    lines = text.split("\n")
    mask = _fenced_mask(lines)
    out = []
    for number, (line, code) in enumerate(zip(lines, mask), start=1):
        if code:
            out.append(line)
            continue
        pieces, last = [], 0
        for match in INLINE_CODE.finditer(line):
            pieces.append(fn(line[last : match.start()], number))
            pieces.append(match.group(0))
            last = match.end()
        pieces.append(fn(line[last:], number))
        out.append("".join(pieces))
    return "\n".join(out)


HASHTAG = re.compile(r"(?<![\w#/&\]\[(`=\"'])#([A-Za-z][\w\-/]*)")
HIGHLIGHT = re.compile(r"(?<![=\w])==(?=\S)(.+?)(?<=\S)==(?![=\w])")
CALLOUT = re.compile(r"^(\s*>\s*)\[!([^\]]+)\]")


def normalise_tag(tag: str) -> str | None:
    cleaned = re.sub(r"[_/]+", "-", tag.strip().lower()).strip("-")
    return cleaned if cleaned and TAG_PATTERN.match(cleaned) else None


def extract_hashtags(text: str) -> tuple[str, list[str]]:
    """``#tag`` words (not headings, not URL fragments) become tags; lines left empty are dropped."""
    found: list[str] = []

    def on_piece(piece: str, _line: int) -> str:
        if re.match(r"^\s{0,3}#{1,6}(\s|$)", piece):  # a heading: keep its text, take tags after it
            head, rest = re.match(r"^(\s{0,3}#{1,6}\s*)(.*)$", piece).groups()
            return head + on_piece(rest, _line)

        def take(match: re.Match) -> str:
            found.append(match.group(1))
            return ""

        return HASHTAG.sub(take, piece)

    lines_before = text.split("\n")
    converted = map_prose(text, on_piece).split("\n")
    kept = [new.rstrip() if new != old else new for old, new in zip(lines_before, converted) if not (new.strip() == "" and old.strip() != "")]
    return "\n".join(kept), found


def convert_highlights(text: str) -> tuple[str, int]:
    count = 0

    def on_piece(piece: str, _line: int) -> str:
        nonlocal count
        new, n = HIGHLIGHT.subn(r"<mark>\1</mark>", piece)
        count += n
        return new

    return map_prose(text, on_piece), count


def normalise_callouts(text: str) -> tuple[str, list[str]]:
    """Obsidian callouts are rendered by the build; unknown types become [!note] (reported)."""
    notes: list[str] = []
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        match = CALLOUT.match(line)
        if match:
            kind = match.group(2).strip().lower()
            if kind not in CALLOUT_TYPES:
                notes.append(f"line {number}: callout type [!{match.group(2)}] is not known; made [!note]")
                line = f"{match.group(1)}[!note]{line[match.end():]}"
        out.append(line)
    return "\n".join(out), notes


LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def paragraphs_from_lines(text: str, min_lines: int = 10) -> tuple[str, bool]:
    """Scraped threads and transcripts put one post or utterance a line with no blank lines, which
    Markdown would run together into one paragraph: give each line its own paragraph (list items stay
    together). Text that already uses blank lines is left as it is."""
    lines = text.strip("\n").split("\n")
    if len(lines) < min_lines or any(not line.strip() for line in lines) or any(_fenced_mask(lines)):
        return text, False
    out = [lines[0]]
    for previous, line in zip(lines, lines[1:]):
        if not (LIST_ITEM.match(previous) and LIST_ITEM.match(line)):
            out.append("")
        out.append(line)
    return "\n".join(out) + "\n", True


def adjust_headings(text: str, title: str) -> str:
    """Drop a first heading that repeats the title; demote every heading a level if any is an H1
    (the title is the page's only H1)."""
    lines = text.split("\n")
    mask = _fenced_mask(lines)
    headings = [(i, re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)) for i, line in enumerate(lines) if not mask[i]]
    headings = [(i, m) for i, m in headings if m]
    if headings and headings[0][1].group(2).strip().lower() == title.strip().lower():
        first = headings[0][0]
        if all(not line.strip() for line in lines[:first]):
            lines[first] = ""
            headings = headings[1:]
    if any(len(m.group(1)) == 1 for _, m in headings):
        for i, m in headings:
            lines[i] = "#" * min(len(m.group(1)) + 1, 6) + " " + m.group(2)
    return "\n".join(lines)


def slugify(text: str, max_length: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length and slug:
            break
        slug = candidate[:max_length]
    return slug


def looks_like_title(stem: str) -> bool:
    """Obsidian names a note by its title; exported or scraped files often carry ids instead."""
    words = re.findall(r"[A-Za-z]{2,}", stem)
    hexish = re.fullmatch(r"[\d_\-]*[0-9a-f_\-]{8,}", stem.lower()) is not None
    return bool(words) and not hexish and not re.search(r"[0-9a-f]{10,}", stem.lower())


def guess_title(body: str, stem: str) -> str:
    lines = body.split("\n")
    mask = _fenced_mask(lines)
    for i, line in enumerate(lines):
        if not mask[i] and re.match(r"^#\s+\S", line):
            return clean_title(line.lstrip("#"))
    if looks_like_title(stem):
        return clean_title(stem.replace("_", " "))
    for i, line in enumerate(lines):
        if not mask[i] and re.match(r"^#{2,6}\s+\S", line):
            return clean_title(line.lstrip("#"))
    for i, line in enumerate(lines):
        text = re.sub(r"!\[\[[^\]]*\]\]|!\[[^\]]*\]\([^)]*\)|<[^>]+>|[*_>#`]", "", line).strip()
        if not mask[i] and len(re.findall(r"[A-Za-z]{2,}", text)) >= 4 and "://" not in text:
            return clean_title(text)
    return stem


def clean_title(text: str, limit: int = 120) -> str:
    text = re.sub(r"\s+", " ", re.sub(r"[*_`]|\[\[|\]\]", "", text)).strip().strip(":").strip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + "…"
    return text
