"""Content kinds: what the pipeline loads, links and renders, declared in one registry.

A kind says where its files are, how they load and validate, how notes refer to its items
(``[[WORD:ID]]`` links, ``{{WORD ID}}`` embeds, ``{{WORD ID.NAME}}`` quoted values), which pages and other
files it renders, and which file each page is made from. The pipeline loops over the registry; a new kind
is one module and one line in ``BUILTIN`` (or, for another knowledge base, a ``kinds:`` entry in
mkdocs.yml naming ``module:NAME``), with no change anywhere else.

Kinds are loaded in registry order: a kind may read what earlier kinds loaded (charts read datasets).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..problems import Problem
from ..schemas import Schema

if TYPE_CHECKING:
    from ..config import SiteConfig
    from ..content import Content, Linked
    from ..paths import Paths


@dataclass
class LoadContext:
    """What a kind's loader may read: where things are, the configuration, what loaded before it."""

    paths: Paths
    config: SiteConfig
    loaded: dict[str, dict[str, Any]]  # kind name -> id -> record, for the kinds loaded so far
    use_cache: bool = False  # read unchanged inputs back from the build cache
    scratch: dict[str, Any] = field(default_factory=dict)  # this kind's own store, kept between runs by a Memo


@dataclass(frozen=True)
class Target:
    """The page a ``[[WORD:ID]]`` link leads to."""

    uri: str
    title: str
    ref: str  # "KIND:ID" of the item, for the link graph


@dataclass(frozen=True)
class LinkWord:
    """One word of ``[[WORD:ID]]``: how it finds an item's page, and what it says when none matches."""

    word: str
    find: Callable[[str], Target | None]
    missing: Callable[[str], str]


@dataclass(frozen=True)
class Kind:
    name: str  # singular, as in "chart"; the key of Content.items
    plural: str  # as counted by `landscape check`: "charts"
    files: Callable[[Paths], list[Path]]
    load: Callable[[list[Path], LoadContext], tuple[dict[str, Any], list[Problem]]]
    # [[WORD:ID]] links: the words this kind answers, given what loaded (an entity kind has one per collection)
    link_words: Callable[[dict[str, Any]], list[LinkWord]] = lambda items: []
    # {{WORD ID}} alone on a line: the word, and the HTML or Markdown it stands for (render stage)
    embed_word: str | None = None
    embed: Callable[[Any, Content, str], str] | None = None
    # {{WORD ID.NAME}} in prose: the word, and the text it stands for (link stage; KeyError when unknown)
    quote_word: str | None = None
    quote: Callable[[Any, str], str] | None = None
    # render stage: work before pages (charts to SVG), the pages, then other files (downloads)
    render: Callable[[Content, Paths], None] | None = None
    pages: Callable[[Content, Linked], dict[str, str]] = lambda content, linked: {}
    artefacts: Callable[[Content], dict[str, str | bytes]] = lambda content: {}
    sources: Callable[[dict[str, Any]], dict[str, Path]] = lambda items: {}  # page URI -> file it is made from
    count: Callable[[Paths], int | None] | None = None  # `landscape check`'s count (unset: its files; None: not shown)
    watch: Callable[[Paths], list[Path]] = lambda paths: []  # folders `mkdocs serve` watches
    # What the edit loop may reuse (pipeline.Memo): the kinds whose records this kind's loader and pages
    # read, and the part of the link graph its pages read. With ``graph`` given, its pages are rebuilt only
    # when its files, those kinds' files or that part of the graph changed; without, on every build.
    reads: tuple[str, ...] = ()
    graph: Callable[[Content, Linked], Any] | None = None
    schema: Schema | None = None  # the JSON Schema editors validate its files with (schemas.py)


def builtin() -> list[Kind]:
    from . import charts, datasets, entities, notes, tables

    return [notes.NOTES, notes.OVERVIEWS, datasets.DATASETS, charts.CHARTS, tables.TABLES, entities.ENTITIES]


def registry(config: SiteConfig) -> list[Kind]:
    """The built-in kinds, then those mkdocs.yml names under ``kinds:`` (``module:NAME``)."""
    kinds = builtin()
    for spec in config.kinds:
        module_name, _, attribute = spec.partition(":")
        try:
            kind = getattr(importlib.import_module(module_name), attribute)
        except (ImportError, AttributeError) as exc:
            raise KindError(f"cannot load {spec!r}: {exc}") from None
        if not isinstance(kind, Kind):
            raise KindError(f"{spec!r} is not a landscape.kinds.Kind")
        kinds.append(kind)
    names = [kind.name for kind in kinds]
    clash = sorted({n for n in names if names.count(n) > 1})
    if clash:
        raise KindError(f"two kinds are named {clash[0]!r}")
    return kinds


class KindError(Exception):
    """A kind named in mkdocs.yml cannot be used."""
