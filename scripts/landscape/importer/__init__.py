"""Turn notes kept elsewhere (Jekyll posts, Obsidian vaults, scraped threads, transcripts) into drafts.

Each transformation is a pure function, text in and text out, that also says what it did. ``convert``
runs them in order on one file's text; ``plan_imports`` converts a batch (so wikilinks between the
imported files resolve) without writing anything; the CLI writes the plan only when nothing failed.

Order: repair mojibake -> split Jekyll front matter -> collapse repeated blocks -> Obsidian syntax
(tags, highlights, callouts, embeds) and links -> bare URLs to sources -> headings -> front matter.

Modules: source (reading a file, its front matter), mojibake, prose (repeats, Obsidian syntax, headings,
paragraphs, title and slug), links (images, links, wikilinks, URLs to sources), neutralise (what the
check would reject), layers (keyword scores; keywords from mkdocs.yml or a parameter), convert (one file to a
Draft), batch (plan and write).
"""

from .batch import Plan, existing_targets, plan_imports, write_plan
from .convert import Draft, convert
from .layers import Keywords, layer_keywords, suggest_layer
from .links import (FoundSource, ImageCopy, ImageResult, convert_images, convert_local_links, resolve_wikilinks,
                    source_title, urls_to_sources)
from .mojibake import repair_mojibake
from .neutralise import neutralise
from .prose import (adjust_headings, clean_title, collapse_repeats, convert_highlights, extract_hashtags, guess_title,
                    map_prose, normalise_callouts, normalise_tag, paragraphs_from_lines, slugify)
from .source import ImportError_, SourceFields, map_front_matter, parse_loose_date, read_source, split_source_front_matter

__all__ = [
    "Draft", "Keywords", "FoundSource", "ImageCopy", "ImageResult", "ImportError_", "Plan", "SourceFields",
    "adjust_headings", "clean_title", "collapse_repeats", "convert", "convert_highlights", "convert_images",
    "convert_local_links", "existing_targets", "extract_hashtags", "guess_title", "layer_keywords", "map_front_matter",
    "map_prose", "neutralise", "normalise_callouts", "normalise_tag", "paragraphs_from_lines", "parse_loose_date",
    "plan_imports", "read_source", "repair_mojibake", "resolve_wikilinks", "slugify", "source_title",
    "split_source_front_matter", "suggest_layer", "urls_to_sources", "write_plan",
]
