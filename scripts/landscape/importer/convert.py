"""One source file's text to a Draft: every transformation in order, and what each did."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..notes import Layer, note_file
from ..problems import shorten
from .layers import Keywords, suggest_layer
from .links import IMPORTED_ASSETS, FoundSource, ImageCopy, convert_images, convert_local_links, urls_to_sources
from .mojibake import repair_mojibake
from .neutralise import neutralise
from .prose import (adjust_headings, clean_title, collapse_repeats, convert_highlights, extract_hashtags, guess_title,
                    normalise_callouts, normalise_tag, paragraphs_from_lines, slugify)
from .source import SourceFields, map_front_matter, split_source_front_matter


@dataclass
class Draft:
    source: Path
    title: str
    slug: str
    layer: str
    layer_scores: dict[str, int] | None  # None when the layer was given
    tags: list[str]
    sources: list[FoundSource]
    updated: dt.date
    body: str
    report: list[str] = field(default_factory=list)  # what was done, one line each
    review: list[str] = field(default_factory=list)  # what a reviewer must look at
    images: list[ImageCopy] = field(default_factory=list)

    @property
    def relative_path(self) -> Path:
        return Path("notes") / self.layer / f"{self.slug}.md"

    def text(self) -> str:
        meta = {
            "title": self.title,
            "summary": f"Draft imported from {self.source.name}; the summary is still to be written.",
            "tags": self.tags,
            "sources": [{"title": s.title, "url": s.url} for s in self.sources],
            "updated": self.updated,
            "status": "draft",
        }
        box = ["> [!warning] Imported draft: review before publishing"]
        box += [f"> - {item}" for item in self.review]
        return note_file(meta, "\n".join(box) + "\n\n" + self.body.strip("\n") + "\n")


def convert(
    text: str,
    source: Path,
    layers: list[Layer],
    *,
    layer: str | None = None,
    title: str | None = None,
    today: dt.date | None = None,
    source_dir: Path | None = None,
    keywords: Keywords | None = None,
) -> Draft:
    """One source file's text -> a Draft (wikilinks still unresolved: see ``plan_imports``). Without
    ``layer``, the layer is suggested from the layers' keywords, or from ``keywords`` when given (layers.py)."""
    report: list[str] = []
    review: list[str] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    text, repairs = repair_mojibake(text)
    if repairs:
        report.append(f"mojibake: {len(repairs)} run(s) fixed or removed")
        report.extend(f"  {r}" for r in repairs)
        review.append(f"Mis-decoded characters were repaired or removed ({len(repairs)}): compare with the original.")

    data, body = split_source_front_matter(text)
    fields = map_front_matter(data) if data is not None else SourceFields()
    if data is not None:
        report.append("front matter: " + (", ".join(fields.mapped) or "nothing mapped")
                      + (f"; dropped: {', '.join(fields.dropped)}" if fields.dropped else ""))
    if fields.authors:
        review.append(f"Author in the source: {', '.join(fields.authors)}.")

    body, copies = collapse_repeats(body)
    if copies:
        report.append(f"repeats: {copies} repeated block(s) collapsed to one")
        review.append(f"{copies} blocks repeated back to back were collapsed to one copy.")

    body, hashtags = extract_hashtags(body)
    body, highlights = convert_highlights(body)
    if highlights:
        report.append(f"highlights: {highlights} ==highlight== made <mark>")
    body, callout_notes = normalise_callouts(body)
    report.extend(f"callouts: {n}" for n in callout_notes)

    note_title = clean_title(title) if title else (fields.title or guess_title(body, source.stem))
    chosen = layer
    scores = None
    if chosen is None:
        chosen, scores = suggest_layer(note_title, body, layers, keywords)
        ranked = ", ".join(f"{k} {v}" for k, v in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])))
        report.append(f"layer: {chosen}, suggested from content ({ranked}); review")
        review.append(f"Layer {shorten(chosen)} was suggested from keywords ({ranked}): move the file if another layer fits better.")
    slug = slugify(note_title) or slugify(source.stem) or "imported-note"

    images = convert_images(body, source_dir if source_dir is not None else source.parent, chosen, slug)
    body = images.text
    if images.copies:
        report.append(f"images: {len(images.copies)} copied to docs/{IMPORTED_ASSETS.as_posix()}/{slug}/")
    if images.missing:
        report.append(f"images: {len(images.missing)} not found, left as visible placeholders: {', '.join(images.missing)}")
        review.append(f"{len(images.missing)} image(s) were not found and are marked in the text: {', '.join(images.missing)}.")
    if images.remote:
        report.append(f"images: {len(images.remote)} remote image(s) made links (the site works offline)")
    body, local_notes = convert_local_links(body)
    report.extend(f"links: {n}" for n in local_notes)

    body, sources, truncated = urls_to_sources(body)
    if sources:
        report.append(f"sources: {len(sources)} URL(s) made sources")
        review.append(f"{len(sources)} source(s) were taken from the URLs in the text with provisional titles: give each its real title, publisher and date.")
    if truncated:
        report.append(f"sources: {len(truncated)} truncated URL(s) not made sources: {', '.join(truncated)}")
        review.append(f"Truncated URLs could not become sources: {', '.join(truncated)}.")
    body, safety_notes = neutralise(body)
    report.extend(f"text: {n}" for n in safety_notes)
    body = adjust_headings(body, note_title)
    body, split = paragraphs_from_lines(body)
    if split:
        report.append("paragraphs: one line a paragraph (the source had no blank lines)")

    tags: list[str] = []
    for raw in [*fields.tags, *hashtags]:
        tag = normalise_tag(raw)
        if tag is None:
            report.append(f"tags: {shorten(raw)} is not a valid tag; dropped")
        elif tag not in tags:
            tags.append(tag)
    if hashtags:
        report.append(f"tags: {', '.join('#' + t for t in hashtags)} moved to tags")

    updated = fields.updated or today or dt.date.today()
    review.append("Write the summary, check every figure against its primary source, then set status: reviewed.")
    return Draft(
        source=source, title=note_title, slug=slug, layer=chosen, layer_scores=scores, tags=tags,
        sources=sources, updated=updated, body=re.sub(r"\n{3,}", "\n\n", body), report=report, review=review,
        images=images.copies,
    )
