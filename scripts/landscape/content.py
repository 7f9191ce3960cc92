"""What the stages hand each other: Content (loaded and validated, then rendered) and Linked (the graph).

Content holds every kind's records by kind name and id; the properties name the built-in kinds'
collections for the code that renders them. Linked is the output of the link stage: it renders nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .notes import Layer, LayerOverview, Note
from .paths import note_uri

if TYPE_CHECKING:
    from .config import SiteConfig
    from .kinds import Kind


@dataclass
class Content:
    """Everything loaded and validated (the input of link); the render stage adds ``outputs``."""

    config: SiteConfig
    kinds: list[Kind]
    items: dict[str, dict[str, Any]] = field(default_factory=dict)  # kind name -> id -> record
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)  # kind name -> id -> rendered artefact

    @property
    def layers(self) -> list[Layer]:
        return self.config.layers

    @property
    def notes(self) -> list[Note]:
        return list(self.items.get("note", {}).values())

    @property
    def overviews(self) -> dict[str, LayerOverview]:
        return self.items.get("overview", {})

    @property
    def datasets(self) -> dict[str, Any]:
        return self.items.get("dataset", {})

    @property
    def charts(self) -> dict[str, Any]:
        return self.items.get("chart", {})

    @property
    def tables(self) -> dict[str, Any]:
        return self.items.get("table", {})

    @property
    def collections(self) -> dict[str, Any]:
        return self.items.get("entities", {})

    @property
    def rendered(self) -> dict[str, Any]:
        """Chart id -> RenderedChart (the charts kind's render step)."""
        return self.outputs.setdefault("chart", {})

    def kind(self, name: str) -> Kind:
        return next(k for k in self.kinds if k.name == name)


@dataclass
class CitedSource:
    title: str
    url: str
    publisher: str | None
    date: Any
    cited_by: list[tuple[str, str]] = field(default_factory=list)  # (title, src_uri)


@dataclass
class Linked:
    """The link graph: resolved note bodies, who links to and uses what, the sources index."""

    bodies: dict[str, str]  # note slug -> Markdown, links resolved, embeds still placeholders (link.EMBED)
    overviews: dict[str, str]  # layer -> the same for its overview
    backlinks: dict[str, list[str]]  # slug -> slugs of notes linking to it
    users: dict[str, list[str]]  # "KIND:ID" -> slugs of notes embedding or quoting it
    linkers: dict[str, list[str]]  # page URI -> slugs of notes with a [[WORD:ID]] link to it
    sources: list[CitedSource]
    layers_of_notes: dict[str, str] = field(default_factory=dict)  # slug -> layer id

    def users_of(self, kind: str, ident: str) -> list[str]:
        return self.users.get(f"{kind}:{ident}", [])


def layer_titles_of(content: Content, linked: Linked, slugs) -> list[str]:
    """The titles of the layers of the given notes, in the site's layer order (a page's search filter)."""
    used = {linked.layers_of_notes[s] for s in slugs if s in linked.layers_of_notes}
    return [layer.title for layer in content.layers if layer.id in used]


def note_titles(content: Content) -> dict[str, tuple[str, str]]:
    """Note slug -> (title, page URI): how chart, table and entity pages list the notes using them."""
    return {n.slug: (n.title, note_uri(n.layer, n.slug)) for n in content.notes}


def users_graph(content: Content, linked: Linked, kind: str) -> list:
    """The part of the graph a kind's pages read: the notes using each of its items, with their titles and
    layers (pipeline.Memo reuses the pages while it is unchanged)."""
    titles = note_titles(content)
    prefix = f"{kind}:"
    return sorted(
        (ref, [(slug, titles.get(slug), linked.layers_of_notes.get(slug)) for slug in slugs])
        for ref, slugs in linked.users.items() if ref.startswith(prefix)
    )
