"""The link stage: a graph over everything loaded, before any page is written (as Pelican does).

Wikilinks, [[WORD:ID]] links, embeds and quoted values are resolved; backlinks, who uses which item and
the sources index are collected; cross-file problems are found. It renders nothing: an embed is left in
the Markdown as a placeholder (EMBED) that the render stage replaces with the rendered item, so `check`
(load + link) never renders a chart.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from .content import CitedSource, Content, Linked
from .kinds import Kind, LinkWord, Target
from .markdown import Transformed, transform
from .notes import Note
from .paths import layer_index_uri, note_uri
from .problems import Problem, raise_if_any

# An embed as the link stage leaves it, alone on its line (indented inside a callout).
EMBED = "\ue000embed {kind} {ident}\ue000"
_EMBED_LINE = re.compile(r"^([ \t]*)\ue000embed (\S+) (\S+)\ue000$", re.MULTILINE)


class References:
    """What notes may refer to, from the kinds' declarations: the Markdown transform's view of the site."""

    def __init__(self, content: Content):
        self.content = content
        self.words: dict[str, LinkWord] = {}
        self.kind_of_word: dict[str, str] = {}
        for kind in content.kinds:
            for word in kind.link_words(content.items.get(kind.name, {})):
                self.words.setdefault(word.word, word)
        self.embedders: dict[str, Kind] = {k.embed_word: k for k in content.kinds if k.embed_word and k.embed}
        self.quoters: dict[str, Kind] = {k.quote_word: k for k in content.kinds if k.quote_word and k.quote}

    # {{WORD ID}} alone on a line
    def embed_words(self) -> set[str]:
        return set(self.embedders)

    def embed(self, word: str, ident: str, src_uri: str) -> str | None:
        kind = self.embedders[word]
        return EMBED.format(kind=kind.name, ident=ident) if ident in self.content.items.get(kind.name, {}) else None

    def embed_kind(self, word: str) -> str:
        return self.embedders[word].name

    # [[WORD:ID]]
    def link_kinds(self) -> set[str]:
        return set(self.words)

    def page(self, word: str, ident: str) -> Target | None:
        return self.words[word].find(ident)

    def missing(self, word: str, ident: str) -> str:
        return self.words[word].missing(ident)

    # {{WORD ID.NAME}}
    def quote_words(self) -> set[str]:
        return set(self.quoters)

    def quote(self, word: str, ident: str, name: str) -> str | None:
        kind = self.quoters[word]
        item = self.content.items.get(kind.name, {}).get(ident)
        if item is None:
            return None
        try:
            return kind.quote(item, name)
        except KeyError:
            return None

    def quote_kind(self, word: str) -> str:
        return self.quoters[word].name

    # {{datum DATASET[ROW].COLUMN}}
    def datum(self, dataset_id: str, key: str, column: str) -> tuple[str | None, str]:
        from .chartpages import datum_text

        dataset = self.content.datasets.get(dataset_id)
        if dataset is None:
            return None, f"unknown dataset {dataset_id!r}"
        return datum_text(dataset, key, column)


def note_resolver(notes: list[Note]) -> Callable[[str], tuple[str, str, str] | None]:
    """Resolve a wikilink target by slug, then by title (case-insensitive)."""
    by_key: dict[str, Note] = {}
    for note in notes:
        by_key.setdefault(note.title.strip().lower(), note)
    for note in notes:
        by_key[note.slug] = note

    def resolve(target: str) -> tuple[str, str, str] | None:
        note = by_key.get(target) or by_key.get(target.strip().lower())
        return (note.slug, note_uri(note.layer, note.slug), note.title) if note else None

    return resolve


def link(content: Content) -> Linked:
    """Resolve every cross-reference; raise ProblemsError with all problems found."""
    linked, found = link_collecting(content)
    raise_if_any(found)
    return linked


def link_collecting(content: Content) -> tuple[Linked, list[Problem]]:
    """The link graph over what loaded, and every problem found (never raises)."""
    resolve = note_resolver(content.notes)
    references = References(content)
    found: list[Problem] = []
    bodies: dict[str, str] = {}
    backlinks: dict[str, list[str]] = {note.slug: [] for note in content.notes}
    users: dict[str, list[str]] = {}
    linkers: dict[str, list[str]] = {}

    def add(graph: dict[str, list[str]], key: str, slug: str) -> None:
        entry = graph.setdefault(key, [])
        if slug not in entry:
            entry.append(slug)

    for note in content.notes:
        result: Transformed = transform(
            note.body, path=note.path, first_line=note.body_line, src_uri=note_uri(note.layer, note.slug),
            resolve=resolve, embeds=references,
        )
        found.extend(result.problems)
        bodies[note.slug] = result.markdown
        for target in result.links:
            if target != note.slug and target in backlinks:
                backlinks[target].append(note.slug)
        for ref in result.embeds:
            add(users, ref, note.slug)
        for uri in result.pages:
            add(linkers, uri, note.slug)
    overviews = {}
    for layer_id, overview in content.overviews.items():
        result = transform(
            overview.body, path=overview.path, first_line=overview.body_line, src_uri=layer_index_uri(layer_id),
            resolve=resolve, embeds=references,
        )
        found.extend(result.problems)
        overviews[layer_id] = result.markdown
    linked = Linked(bodies, overviews, backlinks, users, linkers, cited_sources(content.notes),
                    {note.slug: note.layer for note in content.notes})
    return linked, found


def embedded(markdown: str, content: Content, src_uri: str) -> str:
    """Markdown with each embed placeholder replaced by its kind's rendering of the item (render stage)."""

    def one(match: re.Match) -> str:
        indent, kind_name, ident = match.groups()
        kind = content.kind(kind_name)
        html = kind.embed(content.items[kind_name][ident], content, src_uri)
        return "\n".join(indent + part if part.strip() else "" for part in html.split("\n"))

    return _EMBED_LINE.sub(one, markdown)


def simple_link_word(kind_name: str, items: dict[str, Any], page_uri: Callable[[str], str]) -> list[LinkWord]:
    """[[KIND:ID]] for a kind whose items have an id and a title and one page each."""

    def find(ident: str) -> Target | None:
        item = items.get(ident)
        return Target(page_uri(ident), item.title, f"{kind_name}:{ident}") if item is not None else None

    return [LinkWord(kind_name, find, lambda ident: f"unknown {kind_name} id {ident!r}")]


def cited_sources(notes: list[Note]) -> list[CitedSource]:
    """Every source cited by a note, once (by URL), with the notes citing it."""
    by_url: dict[str, CitedSource] = {}
    for note in notes:
        for source in note.meta.sources:
            key = source.url.rstrip("/")
            entry = by_url.setdefault(key, CitedSource(source.title, source.url, source.publisher, source.date))
            citer = (note.title, note_uri(note.layer, note.slug))
            if citer not in entry.cited_by:
                entry.cited_by.append(citer)
    return sorted(by_url.values(), key=lambda s: (s.title.lower(), s.url))
