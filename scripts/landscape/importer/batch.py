"""A batch of sources: converted together (so wikilinks between them resolve), checked against the
knowledge base, written only when nothing failed and never over an existing file."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import yaml

from ..notes import Layer, split_front_matter
from ..paths import Paths
from .convert import Draft, convert
from .layers import Keywords
from .links import resolve_wikilinks
from .source import ImportError_, read_source


@dataclass
class Plan:
    drafts: list[Draft]
    errors: list[str]  # one line each: "SRC: message"


def existing_targets(paths: Paths, layers: list[Layer]) -> tuple[set[str], set[str]]:
    """(slugs, lowercased titles) of the notes already in the knowledge base, read leniently."""
    slugs, titles = set(), set()
    for path in paths.note_files():
        slugs.add(path.stem)
        try:
            parts = split_front_matter(path.read_text(encoding="utf-8"))
            meta = yaml.safe_load(parts[0]) if parts else None
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(meta, dict) and isinstance(meta.get("title"), str):
            titles.add(meta["title"].strip().lower())
    return slugs, titles


def plan_imports(
    sources: Iterable[Path],
    paths: Paths,
    layers: list[Layer],
    *,
    layer: str | None = None,
    title: str | None = None,
    today: dt.date | None = None,
    keywords: Keywords | None = None,
) -> Plan:
    """Convert every source; nothing is written. Errors name the source file. Without ``layer``, each
    draft's layer is suggested from the layers' keywords, or from ``keywords`` when given (layers.py)."""
    drafts: list[Draft] = []
    errors: list[str] = []
    for source in sources:
        try:
            drafts.append(convert(read_source(source), source, layers, layer=layer, title=title, today=today, keywords=keywords))
        except ImportError_ as exc:
            errors.append(f"{source}: {exc}")
    slugs, titles = existing_targets(paths, layers)
    in_batch: set[str] = set()
    for draft in drafts:
        base, number = draft.slug, 2
        while draft.slug in in_batch:  # two sources with the same title: number the later ones
            draft.slug = f"{base}-{number}"
            number += 1
        in_batch.add(draft.slug)
        if draft.slug in slugs:
            where = next((p for p in paths.note_files() if p.stem == draft.slug), None)
            shown = where.relative_to(paths.root).as_posix() if where else draft.relative_path.as_posix()
            errors.append(f"{draft.source}: {shown} already exists; an import never overwrites a note (use --title to name it otherwise)")
        for image in draft.images:
            destination = paths.docs / image.target
            if destination.exists() and destination.read_bytes() != image.source.read_bytes():
                errors.append(f"{draft.source}: docs/{image.target.as_posix()} already exists with other content")
    keys = slugs | titles | {d.slug for d in drafts} | {d.title.strip().lower() for d in drafts}

    def exists(target: str) -> bool:
        return target in keys or target.strip().lower() in keys

    for draft in drafts:
        draft.body, unresolved = resolve_wikilinks(draft.body, exists)
        if unresolved:
            targets = list(dict.fromkeys(unresolved))
            draft.report.append(f"wikilinks: {len(unresolved)} to no note made plain text: {', '.join(f'[[{u}]]' for u in targets)}")
            draft.review.insert(-1, f"Links to notes that do not exist were made plain text: {', '.join(repr(u) for u in targets)}.")
    return Plan(drafts, errors)


def write_plan(plan: Plan, paths: Paths) -> list[Path]:
    """Write every draft (and its images); refuse to overwrite anything."""
    written = []
    for draft in plan.drafts:
        target = paths.root / draft.relative_path
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as handle:  # "x": never overwrite
            handle.write(draft.text())
        written.append(target)
        for image in draft.images:
            destination = paths.docs / image.target
            if not destination.exists():
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(image.source, destination)
    return written
