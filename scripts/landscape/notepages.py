"""Pages made from notes: note pages, layer indexes, the home page's generated sections, the sources page."""

from __future__ import annotations

from .content import Content, Linked
from .link import embedded
from .notes import Layer, Note
from .pagekit import front_matter, md_escape, source_line
from .paths import DATASETS_INDEX_URI, GALLERY_URI, SOURCES_URI, TABLES_INDEX_URI, entity_index_uri, layer_index_uri, note_uri
from .paths import md_link


# ---------------------------------------------------------------------------------------------- pages


def note_page(note: Note, content: Content, linked: Linked, layer_titles: dict[str, str]) -> str:
    uri = note_uri(note.layer, note.slug)
    by_slug = {n.slug: n for n in content.notes}
    parts = [
        front_matter(
            title=note.title, description=note.meta.summary, tags=note.meta.tags or None,
            kind="Note", layers=[layer_titles[note.layer]],
        ),
        f"# {md_escape(note.title)}\n\n",
        f'<p class="lsc-summary" markdown>{md_escape(note.meta.summary)}</p>\n\n',
    ]
    if note.meta.status == "draft":
        parts.append('!!! warning "Draft"\n    This note has not been reviewed against its sources yet.\n\n')
    parts.append(embedded(linked.bodies[note.slug], content, uri).rstrip() + "\n\n")
    if note.meta.sources:
        parts.append("## Sources\n\n")
        parts.extend(f"{i}. {source_line(s)}\n" for i, s in enumerate(note.meta.sources, 1))
        parts.append("\n")
    backlinks = linked.backlinks.get(note.slug, [])
    if backlinks:
        parts.append("## Linked from\n\n")
        for slug in sorted(backlinks, key=lambda s: by_slug[s].title.lower()):
            other = by_slug[slug]
            parts.append(f"- [{md_escape(other.title)}]({md_link(uri, note_uri(other.layer, slug))})\n")
        parts.append("\n")
    layer_link = f"[{layer_titles[note.layer]}]({md_link(uri, layer_index_uri(note.layer))})"
    parts.append(
        f'<p class="lsc-meta" markdown>Layer: {layer_link} · Updated <time datetime="{note.meta.updated}">'
        f"{note.meta.updated:%-d %B %Y}</time> · {note.meta.status.capitalize()}</p>\n"
    )
    return "".join(parts)


def layer_index_page(layer: Layer, content: Content, linked: Linked) -> str:
    uri = layer_index_uri(layer.id)
    notes = sorted((n for n in content.notes if n.layer == layer.id), key=lambda n: n.title.lower())
    parts = [front_matter(title=layer.title, description=layer.summary, layers=[layer.title]), f"# {md_escape(layer.title)}\n\n"]
    overview = linked.overviews.get(layer.id)
    parts.append(embedded(overview, content, uri) if overview else f"{layer.summary}\n")
    parts.append(f"\n\n## Notes ({len(notes)})\n\n")
    if not notes:
        parts.append("No notes yet.\n")
        return "".join(parts)
    parts.append("| Note | Summary | Tags |\n|---|---|---|\n")
    for note in notes:
        tags = ", ".join(note.meta.tags)
        draft = " *(draft)*" if note.meta.status == "draft" else ""
        parts.append(
            f"| [{md_escape(note.title)}]({md_link(uri, note_uri(note.layer, note.slug))}){draft} "
            f"| {md_escape(note.meta.summary)} | {md_escape(tags)} |\n"
        )
    return "".join(parts)


def home_sections(content: Content, home_uri: str = "index.md") -> str:
    """Generated part of the hand-written home page: the layers, entry points, recently updated notes."""
    counts = {layer.id: 0 for layer in content.layers}
    for note in content.notes:
        counts[note.layer] += 1
    cards = ['<div class="grid cards" markdown>\n\n']
    for layer in content.layers:
        cards.append(
            f"-   **[{md_escape(layer.title)}]({md_link(home_uri, layer_index_uri(layer.id))})** · {counts[layer.id]} notes\n\n"
            f"    ---\n\n    {md_escape(layer.summary)}\n\n"
        )
    cards.append("</div>\n\n")
    entry = [
        "## Entry points\n\n",
        f"- [Charts]({md_link(home_uri, GALLERY_URI)}): every chart, with its data and method\n",
        f"- [Datasets]({md_link(home_uri, DATASETS_INDEX_URI)}) and [computed tables]({md_link(home_uri, TABLES_INDEX_URI)})\n",
        *(
            f"- [{md_escape(c.spec.title)}]({md_link(home_uri, entity_index_uri(c.id))}): a page for each of {len(c.entities):,} {md_escape(c.spec.singular)}s in the data\n"
            for c in content.collections.values()
        ),
        f"- [Sources]({md_link(home_uri, SOURCES_URI)}): every cited source and the notes citing it\n",
        f"- [Tags]({md_link(home_uri, 'tags.md')})\n\n",
    ]
    recent = sorted(content.notes, key=lambda n: (n.meta.updated, n.title), reverse=True)[:8]
    latest = ["## Recently updated\n\n"] + [
        f"- [{md_escape(n.title)}]({md_link(home_uri, note_uri(n.layer, n.slug))}) · {n.meta.updated:%-d %b %Y}\n" for n in recent
    ]
    return "".join(cards + entry + (latest if recent else []))


def sources_page(linked: Linked) -> str:
    parts = [
        front_matter(title="Sources", description="Every source cited by a note, with the notes that cite it."),
        "# Sources\n\n",
        f"{len(linked.sources)} sources cited across the knowledge base, each listed once with the notes citing it. "
        "Datasets, charts and computed tables list their own sources on their pages.\n\n",
    ]
    for source in linked.sources:
        citers = ", ".join(f"[{md_escape(title)}]({md_link(SOURCES_URI, uri)})" for title, uri in sorted(source.cited_by))
        parts.append(f"- {source_line(source)}  \n  Cited by: {citers}\n")
    return "".join(parts)


def note_pages(content: Content, linked: Linked) -> dict[str, str]:
    """Every note's page and the sources page."""
    layer_titles = {layer.id: layer.title for layer in content.layers}
    out = {note_uri(note.layer, note.slug): note_page(note, content, linked, layer_titles) for note in content.notes}
    out[SOURCES_URI] = sources_page(linked)
    return out


def layer_pages(content: Content, linked: Linked) -> dict[str, str]:
    return {layer_index_uri(layer.id): layer_index_page(layer, content, linked) for layer in content.layers}
