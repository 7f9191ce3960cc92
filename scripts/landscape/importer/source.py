"""Reading a source file and its own front matter (Jekyll, Obsidian, Hugo fields mapped to ours)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..notes import split_front_matter
from ..problems import shorten


class ImportError_(Exception):
    """A source file that cannot be imported (unreadable, not UTF-8, unreadable front matter)."""


@dataclass
class SourceFields:
    """What the source's own front matter says, mapped to ours."""

    title: str | None = None
    tags: list[str] = field(default_factory=list)
    updated: dt.date | None = None
    authors: list[str] = field(default_factory=list)
    mapped: list[str] = field(default_factory=list)  # "modified_date -> updated"
    dropped: list[str] = field(default_factory=list)


DATE_FORMATS = ("%Y-%m-%d", "%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def parse_loose_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = re.sub(r"\s+", " ", value.strip())
    text = re.sub(r"([+-]\d{2}:?\d{2}|Z)$", "", text).strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v is not None]
    return [part for part in re.split(r"[,\s]+", str(value)) if part] if not isinstance(value, dict) else []


def split_source_front_matter(text: str) -> tuple[dict[str, Any] | None, str]:
    """(front matter mapping or None, body). Raise ImportError_ when a front-matter block is unreadable."""
    parts = split_front_matter(text)
    if parts is None:
        return None, text
    yaml_text, body, _ = parts
    try:
        data = yaml.safe_load(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        raise ImportError_(f"front matter is not valid YAML{where}") from None
    if data is None:
        return {}, body
    if not isinstance(data, dict):
        raise ImportError_("front matter is not a mapping of fields")
    return data, body


def map_front_matter(data: dict[str, Any]) -> SourceFields:
    """Jekyll/Obsidian/Hugo fields -> ours: title; categories/tags -> tags; modified_date/date -> updated."""
    out = SourceFields()
    dates: dict[str, dt.date] = {}
    for key in sorted(data, key=str):
        value = data[key]
        name = str(key).lower()
        if name == "title" and value:
            out.title = str(value).strip()
            out.mapped.append("title -> title")
        elif name in ("categories", "category", "tags", "tag", "keywords"):
            out.tags.extend(_as_list(value))
            out.mapped.append(f"{key} -> tags")
        elif name in ("modified_date", "last_modified_at", "modified", "updated", "lastmod", "date"):
            parsed = parse_loose_date(value)
            if parsed is None:
                out.dropped.append(f"{key} (unreadable date {shorten(value)})")
            else:
                dates[name] = parsed
        elif name in ("author", "authors"):
            out.authors.extend(_as_list(value) if isinstance(value, list) else [str(value)])
            out.mapped.append(f"{key} -> review box")
        else:
            out.dropped.append(str(key))
    for name in ("modified_date", "last_modified_at", "modified", "updated", "lastmod", "date"):
        if name in dates:
            out.updated = dates[name]
            out.mapped.append(f"{name} -> updated")
            break
    return out


def read_source(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise ImportError_("is a folder, not a file") from None
    except OSError as exc:
        raise ImportError_(f"cannot read file: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportError_(f"line {line}: file is not valid UTF-8 (byte 0x{raw[exc.start]:02X}); convert it to UTF-8 first") from None
