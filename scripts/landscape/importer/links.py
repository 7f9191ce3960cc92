"""Images, links and URLs: images copied or marked, local links made wikilinks, wikilinks to no note made
plain text, bare URLs made sources."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import quote, urlsplit

from ..markdown import WIKILINK
from ..problems import shorten
from .prose import map_prose

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp")
IMPORTED_ASSETS = Path("assets") / "imported"  # under docs/: imported images are static assets


OBSIDIAN_EMBED = re.compile(r"!\[\[([^\[\]|#]+)(#[^\[\]|]*)?(?:\|([^\[\]]*))?\]\]")
MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
MD_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


@dataclass
class ImageCopy:
    source: Path
    target: Path  # relative to docs/


@dataclass
class ImageResult:
    text: str
    copies: list[ImageCopy] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    remote: list[str] = field(default_factory=list)
    note_embeds: list[str] = field(default_factory=list)


def find_image(name: str, source_dir: Path | None) -> Path | None:
    """An image named in the source, looked for next to the source file and in its sub-folders."""
    if source_dir is None:
        return None
    relative = name.lstrip("/")
    for candidate in (source_dir / relative, source_dir / Path(relative).name):
        if candidate.is_file():
            return candidate
    matches = sorted(p for p in source_dir.rglob(Path(relative).name) if p.is_file()) if source_dir.is_dir() else []
    return matches[0] if matches else None


def convert_images(text: str, source_dir: Path | None, layer: str, slug: str) -> ImageResult:
    """Images: found ones are copied to docs/assets/imported/<slug>/ and linked; missing ones become a
    visible placeholder (never dropped silently); remote ones become links (the site works offline).
    Obsidian embeds of notes (``![[Note]]``) become wikilinks (transclusion is not supported)."""
    result = ImageResult("")

    def local(alt: str, name: str) -> str:
        found = find_image(name, source_dir)
        label = alt or Path(name).name
        if found is None:
            result.missing.append(name)
            return f"*(image not imported: {_plain(label)}; `{name.replace('`', '')}` was not found)*"
        target = IMPORTED_ASSETS / slug / found.name
        if all(copy.target != target for copy in result.copies):
            result.copies.append(ImageCopy(found, target))
        url = "../" + quote(target.as_posix())
        return f"![{_plain(label)}]({url})"

    def obsidian(match: re.Match) -> str:
        name, _anchor, alias = match.group(1).strip(), match.group(2), match.group(3)
        if Path(name).suffix.lower() in IMAGE_SUFFIXES:
            alt = alias if alias and not re.fullmatch(r"\d+(x\d+)?", alias.strip()) else ""
            return local(alt.strip(), name)
        result.note_embeds.append(name)
        return f"[[{name}{_anchor or ''}{'|' + alias if alias else ''}]]"

    def markdown_image(match: re.Match) -> str:
        alt, url = match.group(1).strip(), match.group(2)
        if re.match(r"^https?://", url):
            result.remote.append(url)
            return f"[Image: {_plain(alt or Path(urlsplit(url).path).name)}]({url})"
        return local(alt, url)

    def on_piece(piece: str, _line: int) -> str:
        return MD_IMAGE.sub(markdown_image, OBSIDIAN_EMBED.sub(obsidian, piece))

    result.text = map_prose(text, on_piece)
    return result


def _plain(text: str) -> str:
    return re.sub(r"[\[\]*_`|]", " ", text).strip()


def convert_local_links(text: str) -> tuple[str, list[str]]:
    """Markdown links to other local notes (``[x](Other note.md)``) become wikilinks; links to other
    local paths (which the site does not have) become plain text."""
    notes: list[str] = []

    def link(match: re.Match) -> str:
        label, url = match.group(1), match.group(2)
        if re.match(r"^(https?|mailto):", url) or url.startswith("#"):
            return match.group(0)
        path = url.split("#", 1)[0]
        if path.lower().endswith(".md"):
            stem = Path(path.replace("%20", " ")).stem
            return f"[[{stem}|{label}]]"
        notes.append(f"link to local path {shorten(url)} made plain text (the site has no such page)")
        return label

    return map_prose(text, lambda piece, _l: MD_LINK.sub(link, piece)), notes


def resolve_wikilinks(text: str, exists: Callable[[str], bool]) -> tuple[str, list[str]]:
    """Wikilinks to a note that exists stay; the others become plain text (the check would reject them)."""
    unresolved: list[str] = []

    def link(match: re.Match) -> str:
        target, label = match.group(1).strip(), match.group(3)
        if exists(target):
            return match.group(0)
        unresolved.append(target)
        return (label or target).strip()

    return map_prose(text, lambda piece, _l: WIKILINK.sub(link, piece)), unresolved


_TLD = r"(?:com|org|net|io|ai|edu|gov|be|co|uk|de|fr|ly|me|dev|app|info|tv|us|ca|gl)"
BARE_URL = re.compile(
    r"(?<![\w/@.:<])"
    r"(?:(https?://[^\s<>()\[\]\"']+)"
    r"|((?:www\.)?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\." + _TLD + r"/[^\s<>()\[\]\"']*))"
)
LINK_OR_AUTOLINK = re.compile(r"\[[^\]]*\]\([^)]*\)|<https?://[^>\s]+>")


@dataclass(frozen=True)
class FoundSource:
    title: str
    url: str


def source_title(url: str) -> str:
    """A provisional title from the URL alone (no network): 'host: words of the path' when the path
    has words (a blog post's slug), else the host and path as they are."""
    parts = urlsplit(url)
    host = parts.netloc.removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    for segment in reversed(segments):
        candidate = re.sub(r"\.(html?|pdf|php|aspx?)$", "", segment, flags=re.I)
        words = [w for w in re.split(r"[-_+]+", candidate) if w]
        if len(words) >= 2 and sum(1 for w in words if re.fullmatch(r"[A-Za-z]{2,}", w)) >= 2:
            return f"{host}: {' '.join(words)}"
    path = parts.path.rstrip("/")
    query = "&".join(q for q in parts.query.split("&") if q and not re.match(r"(s|t|usp|ref|utm_\w+)=", q))
    return f"{host}{path}" + (f"?{query}" if query else "")


def urls_to_sources(text: str) -> tuple[str, list[FoundSource], list[str]]:
    """Bare URLs (with or without scheme) become autolinks and sources; Markdown links become sources
    titled by their label. Truncated URLs (ending in '...') are reported, not made sources."""
    sources: dict[str, FoundSource] = {}
    truncated: list[str] = []

    def add(url: str, title: str | None) -> None:
        key = url.rstrip("/")
        if key not in sources:
            sources[key] = FoundSource((title or "").strip() or source_title(url), url)

    def bare(match: re.Match) -> str:
        raw = match.group(0)
        trail = ""
        while raw and raw[-1] in ".,;:!?'\"":
            if raw.endswith("..."):
                truncated.append(raw)
                return raw
            trail = raw[-1] + trail
            raw = raw[:-1]
        if raw.endswith("…"):
            truncated.append(raw)
            return raw + trail
        url = raw if raw.startswith(("http://", "https://")) else "https://" + raw
        add(url, None)
        return f"<{url}>{trail}"

    def on_piece(piece: str, _line: int) -> str:
        out, last = [], 0
        for match in LINK_OR_AUTOLINK.finditer(piece):
            out.append(BARE_URL.sub(bare, piece[last : match.start()]))
            token = match.group(0)
            inner = re.match(r"\[([^\]]*)\]\((https?://[^)\s]+)", token)
            if inner:
                add(inner.group(2), inner.group(1) if not inner.group(1).startswith("Image: ") else None)
            elif token.startswith("<http"):
                add(token[1:-1], None)
            out.append(token)
            last = match.end()
        out.append(BARE_URL.sub(bare, piece[last:]))
        return "".join(out)

    text = map_prose(text, on_piece)
    return text, list(sources.values()), truncated
