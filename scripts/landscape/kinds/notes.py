"""Notes (notes/<layer>/<slug>.md) and layer overviews (notes/<layer>/_index.md)."""

from __future__ import annotations

from pathlib import Path

from .. import notepages, notes, safety
from ..paths import Paths, layer_index_uri, note_uri
from ..schemas import Schema
from . import Kind, LoadContext


def _note_files(paths: Paths) -> list[Path]:
    return paths.note_files() + paths.stray_note_files()


def _load_notes(files: list[Path], context: LoadContext):
    seen = context.scratch  # path -> ((layer, size, mtime), what load_note gave): kept between runs by a Memo

    def read(path: Path, layer: str):
        try:
            stat = path.stat()
        except OSError:
            return notes.load_note(path, layer)
        key = (layer, stat.st_size, stat.st_mtime_ns)
        hit = seen.get(path)
        if hit is None or hit[0] != key:
            hit = seen[path] = (key, notes.load_note(path, layer))
        return hit[1]

    note_list, problems = notes.load_notes(files, context.config.layers, context.paths.notes, read)
    return {note_uri(n.layer, n.slug): n for n in note_list}, problems


def _load_overviews(files: list[Path], context: LoadContext):
    overviews, problems = notes.load_overviews(context.paths.notes, context.config.layers)
    # text that reaches a page is checked as rendered HTML, notes and overviews together
    problems += safety.note_problems(context.loaded.get("note", {}).values(), overviews.values(), safety.renderer())
    return overviews, problems


NOTES = Kind(
    name="note",
    plural="notes",
    files=_note_files,
    load=_load_notes,
    pages=notepages.note_pages,
    sources=lambda items: {uri: note.path for uri, note in items.items()},
    count=lambda paths: len([p for p in paths.note_files() if p.name != "_index.md"]),
    watch=lambda paths: [paths.notes],
    schema=Schema("note", "landscape.notes", "FrontMatter", "Note front matter", "the YAML block at the top of notes/<layer>/<slug>.md"),
)

OVERVIEWS = Kind(
    name="overview",
    plural="layer overviews",
    files=lambda paths: sorted(paths.notes.glob("*/_index.md")) if paths.notes.is_dir() else [],
    load=_load_overviews,
    pages=notepages.layer_pages,
    sources=lambda items: {layer_index_uri(layer): o.path for layer, o in items.items()},
    count=lambda paths: None,
    reads=("note",),
)
