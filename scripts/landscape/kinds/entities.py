"""Entity collections (charts/pages/*.yaml): a page for every model, chip, organisation... in a dataset."""

from __future__ import annotations

from pathlib import Path

from .. import entities, entitypages, highlight
from ..content import Content, Linked, layer_titles_of, note_titles
from ..pagekit import search_fields
from ..paths import RESERVED_FOLDERS, Paths, entity_index_uri, entity_page_uri
from ..problems import problem
from ..schemas import Schema
from . import Kind, LinkWord, LoadContext, Target


def _load(files: list[Path], context: LoadContext):
    collections, problems = entities.load_collections(files, context.loaded.get("dataset", {}))
    reserved = RESERVED_FOLDERS | {layer.id for layer in context.config.layers}
    for ident, collection in sorted(collections.items()):
        if ident in reserved:
            problems.append(problem(collection.path, 1, "id", f"collection id {ident!r} is a folder the site already uses ({', '.join(sorted(reserved))})"))
    return collections, problems


def _link_words(collections: dict) -> list[LinkWord]:
    """[[LINK:NAME]] for each collection's link word, by name or alias, with the nearest names when none match."""
    words = []
    for collection in collections.values():
        def find(name: str, collection=collection) -> Target | None:
            entity = collection.find(name)
            return Target(entity_page_uri(collection.id, entity.slug), entity.name, f"entities:{collection.id}/{entity.slug}") if entity else None

        def missing(name: str, collection=collection) -> str:
            near = collection.nearest(name)
            hint = f"; nearest: {', '.join(repr(n) for n in near)}" if near else ""
            return f"no {collection.spec.singular} is named {name!r}{hint}"

        words.append(LinkWord(collection.link, find, missing))
    return words


def _pages(content: Content, linked: Linked) -> dict[str, str]:
    if not content.collections:
        return {}
    titles = note_titles(content)
    out: dict[str, str] = {}
    marks = content.outputs.get("entities", {}).get("marks")
    built = entitypages.pages(content.collections, content.datasets, content.charts, content.rendered, linked.linkers, titles, marks)
    for uri, page in built.items():
        collection = content.collections[uri.split("/", 1)[0]]
        if uri == entity_index_uri(collection.id):
            out[uri] = page
        else:  # search filters: the entity's kind, and the layers of the notes linking to it
            out[uri] = search_fields(page, collection.spec.singular.capitalize(), layer_titles_of(content, linked, linked.linkers.get(uri, [])))
    return out


def _graph(content: Content, linked: Linked) -> list:
    """What entity pages read of the graph: the notes linking to each entity page, their titles and layers."""
    prefixes = tuple(f"{ident}/" for ident in content.collections)
    titles = note_titles(content)
    return sorted(
        (uri, [(slug, titles[slug], linked.layers_of_notes.get(slug)) for slug in slugs])
        for uri, slugs in linked.linkers.items() if uri.startswith(prefixes)
    )


def _render(content: Content, paths: Paths) -> None:
    """Where each chart draws the rows of the datasets entities come from (rings on entity pages)."""
    if content.collections:
        marks = highlight.chart_marks(content.charts, content.rendered, paths.cache, entities.drawn_datasets(content.collections))
        content.outputs["entities"] = {"marks": marks}


def _sources(collections: dict) -> dict[str, Path]:
    found = {}
    for collection in collections.values():
        found[entity_index_uri(collection.id)] = collection.path
        found.update({entity_page_uri(collection.id, e.slug): collection.path for e in collection.entities})
    return found


ENTITIES = Kind(
    name="entities",
    plural="entity collections",
    files=lambda paths: paths.entity_files(),
    load=_load,
    link_words=_link_words,
    render=_render,
    pages=_pages,
    sources=_sources,
    reads=("dataset", "chart"),
    graph=_graph,
    schema=Schema("entity-collection", "landscape.entities", "CollectionModel", "Entity collection", "charts/pages/<id>.yaml"),
)
