"""Load notes (Markdown with YAML front matter) and validate them into typed records.

A note lives at notes/<layer>/<slug>.md. Its layer comes from its folder, its slug from its file name.
``notes/<layer>/_index.md`` is not a note: it holds the layer's overview for newcomers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator

from . import model
from .problems import Problem, problem, shorten
from .yamlio import YamlError, YamlMap, parse_yaml, pydantic_problems, read_text

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TAG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9+.\- ]*$")
OVERVIEW_NAME = "_index.md"


class Source(model.Source):  # the shared shape, with a title and a URL required

    title: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://\S+$")


class FrontMatter(model.Strict):
    title: str = Field(min_length=1, max_length=160)
    summary: str = Field(min_length=1, max_length=400)
    tags: list[str] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    updated: dt.date
    status: Literal["draft", "reviewed"] = "reviewed"

    @field_validator("tags")
    @classmethod
    def _tags_are_lowercase_words(cls, tags: list[str]) -> list[str]:
        for tag in tags:
            if not TAG_PATTERN.match(tag):
                raise ValueError(f"tag {shorten(tag)} must be lowercase letters, digits, spaces, '-', '+' or '.'")
        if len(set(tags)) != len(tags):
            raise ValueError("a tag is listed twice")
        return tags

    @field_validator("summary")
    @classmethod
    def _summary_is_one_sentence(cls, summary: str) -> str:
        if len(sentence_breaks(summary)) > 0:
            raise ValueError("summary must be one sentence")
        return summary


_SENTENCE_BREAK = re.compile(r"(\S+)[.!?]\s+(?=[A-Z])")
_ABBREVIATION = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]?$|^(?:e\.g|i\.e|vs|etc|Dr|Mr|Ms|al|approx|ca|No|Fig|U\.S)$")


def sentence_breaks(text: str) -> list[int]:
    """Offsets where one sentence ends and another starts (abbreviations such as 'e.g.' excepted)."""
    return [m.end() for m in _SENTENCE_BREAK.finditer(text) if not _ABBREVIATION.match(m.group(1))]


@dataclass(frozen=True)
class Layer:
    id: str
    title: str
    summary: str
    keywords: tuple[str, ...] = ()  # words a note on this layer tends to use (the importer's layer guess)


@dataclass
class Note:
    path: Path
    layer: str
    slug: str
    meta: FrontMatter
    body: str
    body_line: int  # 1-based line of the file where the body starts
    meta_lines: YamlMap = field(repr=False, default_factory=YamlMap)

    @property
    def title(self) -> str:
        return self.meta.title


@dataclass
class LayerOverview:
    layer: str
    path: Path
    body: str
    body_line: int


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Return (front matter YAML, body, body's first line) or None when the text has no front matter."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    return None


def load_note(path: Path, layer: str) -> tuple[Note | None, list[Problem]]:
    """Read one note and validate its front matter; return the note or the problems found."""
    try:
        text = read_text(path)
    except YamlError as exc:
        return None, [exc.problem]
    parts = split_front_matter(text)
    if parts is None:
        return None, [problem(path, 1, "front matter", "missing: a note starts with a YAML block between '---' lines")]
    yaml_text, body, body_line = parts
    try:
        raw = parse_yaml(yaml_text, path, line_offset=1)
    except YamlError as exc:
        return None, [exc.problem]
    if not isinstance(raw, dict):
        return None, [problem(path, 2, "front matter", "must be a mapping of fields (title: ..., summary: ...)")]
    try:
        meta = FrontMatter.model_validate(raw)
    except ValidationError as exc:
        return None, pydantic_problems(exc, path, raw)
    slug = path.stem
    if slug == "index" or not SLUG_PATTERN.match(slug):
        return None, [problem(path, None, "slug", f"file name {shorten(path.name)} must be lowercase words joined by hyphens")]
    return Note(path, layer, slug, meta, body, body_line, raw), []


def load_notes(files: list[Path], layers: list[Layer], notes_root: Path, read=load_note) -> tuple[list[Note], list[Problem]]:
    """Load every note (each with ``read``); unknown layer folders, stray files and duplicate slugs are problems."""
    layer_ids = {layer.id for layer in layers}
    notes: list[Note] = []
    found: list[Problem] = []
    for path in files:
        relative = path.relative_to(notes_root)
        if len(relative.parts) != 2:
            found.append(problem(path, None, "layer", f"notes live in notes/<layer>/<slug>.md; layers: {', '.join(sorted(layer_ids))}"))
            continue
        layer = relative.parts[0]
        if layer not in layer_ids:
            found.append(problem(path, None, "layer", f"unknown layer folder {shorten(layer)}; layers: {', '.join(sorted(layer_ids))}"))
            continue
        if path.name == OVERVIEW_NAME:
            continue
        note, note_problems = read(path, layer)
        found.extend(note_problems)
        if note:
            notes.append(note)
    found.extend(duplicate_slug_problems(notes))
    return notes, found


def duplicate_slug_problems(notes: list[Note]) -> list[Problem]:
    first_by_slug: dict[str, Note] = {}
    found = []
    for note in notes:
        first = first_by_slug.setdefault(note.slug, note)
        if first is not note:
            found.append(problem(note.path, None, "slug", f"slug {shorten(note.slug)} is already used by {first.path.parent.name}/{first.path.name}"))
    return found


def load_overviews(notes_root: Path, layers: list[Layer]) -> tuple[dict[str, LayerOverview], list[Problem]]:
    """The optional hand-written overview of each layer (notes/<layer>/_index.md, front matter optional)."""
    overviews: dict[str, LayerOverview] = {}
    found: list[Problem] = []
    for layer in layers:
        path = notes_root / layer.id / OVERVIEW_NAME
        if not path.is_file():
            continue
        try:
            text = read_text(path)
        except YamlError as exc:
            found.append(exc.problem)
            continue
        parts = split_front_matter(text)
        body, body_line = (parts[1], parts[2]) if parts else (text, 1)
        overviews[layer.id] = LayerOverview(layer.id, path, body, body_line)
    return overviews, found


def note_file(meta: dict, body: str) -> str:
    """A note file's text: YAML front matter in the order given, then the body (`landscape new`, the
    importer and the benchmark's synthetic notes all write notes with this)."""
    import yaml

    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{front}---\n\n{body}"
