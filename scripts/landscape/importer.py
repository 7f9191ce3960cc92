"""Turn notes kept elsewhere (Jekyll posts, Obsidian vaults, scraped threads, transcripts) into drafts.

Each transformation is a pure function, text in and text out, that also says what it did. ``convert``
runs them in order on one file's text; ``plan_imports`` converts a batch (so wikilinks between the
imported files resolve) without writing anything; the CLI writes the plan only when nothing failed.

Order: repair mojibake -> split Jekyll front matter -> collapse repeated blocks -> Obsidian syntax
(tags, highlights, callouts, embeds) and links -> bare URLs to sources -> headings -> front matter.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import quote, urlsplit

import yaml

from . import safety
from .markdown import CALLOUT_TYPES, FENCE, INLINE_CODE
from .notes import TAG_PATTERN, Layer, split_front_matter
from .paths import Paths
from .problems import shorten

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp")
IMPORTED_ASSETS = Path("assets") / "imported"  # under docs/: imported images are static assets


class ImportError_(Exception):
    """A source file that cannot be imported (unreadable, not UTF-8, unreadable front matter)."""


# ============================================================================ mojibake


# UTF-8 read as cp1252 (or latin-1): a lead byte C2-F4 shows as Â..ô, continuation bytes 80-BF as
# the cp1252 punctuation, C1 controls (latin-1) or NBSP..¿.
_CP1252_CONT = "\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_CP1252_RUN = re.compile(f"(?:[\u00c2-\u00f4][{_CP1252_CONT}]+)+")
# UTF-8 read as cp874 / TIS-620 (Thai): byte b in A1-FB shows as U+0E00 + (b - 0xA0); lead bytes
# C2-F4 show as U+0E22-U+0E54, continuation bytes A1-BF as U+0E01-U+0E1F, 80-A0 as cp874 punctuation,
# C1 controls or NBSP.
_THAI_CONT = "\u0e01-\u0e1f\u0080-\u00a0€…‘’“”•–—"
_THAI_RUN = re.compile(f"(?:[\u0e22-\u0e54][{_THAI_CONT}]+)+")
_THAI_LETTER = re.compile("[\u0e01-\u0e5b]")
_REMOVED_AT_LINE_START = "\ue000"  # private-use sentinel: a removed run at a line start takes its space


def _byte_of(char: str, codec: str) -> int | None:
    try:
        return char.encode(codec)[0]
    except UnicodeEncodeError:
        code = ord(char)
        return code if code <= 0xFF else None


def _utf8_needs(lead: int) -> int:
    return 1 if 0xC2 <= lead <= 0xDF else 2 if 0xE0 <= lead <= 0xEF else 3 if 0xF0 <= lead <= 0xF4 else -1


def _truncated_utf8(data: bytes) -> bool:
    """True when ``data`` is made only of UTF-8 sequences that lost some continuation bytes."""
    index, truncated = 0, False
    while index < len(data):
        need = _utf8_needs(data[index])
        if need < 0:
            return False
        index += 1
        got = 0
        while index < len(data) and 0x80 <= data[index] <= 0xBF and got < need:
            index += 1
            got += 1
        truncated = truncated or got < need
    return truncated


def repair_mojibake(text: str) -> tuple[str, list[str]]:
    """Repair UTF-8 text that was decoded with a single-byte code page (cp1252, latin-1, cp874).

    A run is replaced only when re-encoding it gives valid UTF-8, so ordinary accented letters and
    punctuation stay as they are. Thai-codepage runs whose UTF-8 bytes are partly lost (the tail of an
    emoji, say) cannot be repaired: they are removed and reported. Documents written in Thai (a fifth
    of their letters or more, not counting the runs themselves) are left alone.
    """
    notes: list[str] = []

    def fix(match: re.Match, codec: str) -> str:
        run = match.group(0)
        data = bytes(b for b in (_byte_of(c, codec) for c in run) if b is not None)
        line = text.count("\n", 0, match.start()) + 1
        try:
            fixed = data.decode("utf-8")
        except UnicodeDecodeError:
            if codec == "cp874" and _truncated_utf8(data):
                notes.append(f"line {line}: removed {shorten(run)}, the remains of a UTF-8 character whose other bytes are lost ({data.hex(' ').upper()})")
                at_line_start = match.start() == 0 or match.string[match.start() - 1] == "\n"
                return _REMOVED_AT_LINE_START if at_line_start else ""
            return run
        notes.append(f"line {line}: repaired {shorten(run)} -> {shorten(fixed)} (UTF-8 read as {codec})")
        return fixed

    for _ in range(2):  # twice: text can be mis-decoded twice over
        before = text
        text = _CP1252_RUN.sub(lambda m: fix(m, "cp1252"), text)
        if text == before:
            break
    outside_runs = _THAI_RUN.sub("", text)  # Thai letters that are not part of a mojibake-like run
    letters = sum(1 for c in outside_runs if c.isalpha())
    if len(_THAI_LETTER.findall(outside_runs)) <= 0.2 * letters:
        text = _THAI_RUN.sub(lambda m: fix(m, "cp874"), text)
        text = re.sub(_REMOVED_AT_LINE_START + " ?", "", text)  # a removed run at the start of a line takes its space with it
    return text, notes


# ============================================================================ front matter


@dataclass
class SourceFields:
    """What the source's own front matter says, mapped to ours."""

    title: str | None = None
    tags: list[str] = field(default_factory=list)
    updated: dt.date | None = None
    authors: list[str] = field(default_factory=list)
    mapped: list[str] = field(default_factory=list)  # "modified_date -> updated"
    dropped: list[str] = field(default_factory=list)


DATE_FORMATS = ("%Y-%m-%d", "%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def parse_loose_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = re.sub(r"\s+", " ", value.strip())
    text = re.sub(r"([+-]\d{2}:?\d{2}|Z)$", "", text).strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v is not None]
    return [part for part in re.split(r"[,\s]+", str(value)) if part] if not isinstance(value, dict) else []


def split_source_front_matter(text: str) -> tuple[dict[str, Any] | None, str]:
    """(front matter mapping or None, body). Raise ImportError_ when a front-matter block is unreadable."""
    parts = split_front_matter(text)
    if parts is None:
        return None, text
    yaml_text, body, _ = parts
    try:
        data = yaml.safe_load(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        raise ImportError_(f"front matter is not valid YAML{where}") from None
    if data is None:
        return {}, body
    if not isinstance(data, dict):
        raise ImportError_("front matter is not a mapping of fields")
    return data, body


def map_front_matter(data: dict[str, Any]) -> SourceFields:
    """Jekyll/Obsidian/Hugo fields -> ours: title; categories/tags -> tags; modified_date/date -> updated."""
    out = SourceFields()
    dates: dict[str, dt.date] = {}
    for key in sorted(data, key=str):
        value = data[key]
        name = str(key).lower()
        if name == "title" and value:
            out.title = str(value).strip()
            out.mapped.append("title -> title")
        elif name in ("categories", "category", "tags", "tag", "keywords"):
            out.tags.extend(_as_list(value))
            out.mapped.append(f"{key} -> tags")
        elif name in ("modified_date", "last_modified_at", "modified", "updated", "lastmod", "date"):
            parsed = parse_loose_date(value)
            if parsed is None:
                out.dropped.append(f"{key} (unreadable date {shorten(value)})")
            else:
                dates[name] = parsed
        elif name in ("author", "authors"):
            out.authors.extend(_as_list(value) if isinstance(value, list) else [str(value)])
            out.mapped.append(f"{key} -> review box")
        else:
            out.dropped.append(str(key))
    for name in ("modified_date", "last_modified_at", "modified", "updated", "lastmod", "date"):
        if name in dates:
            out.updated = dates[name]
            out.mapped.append(f"{name} -> updated")
            break
    return out


# ============================================================================ repeated blocks


def collapse_repeats(text: str, max_block: int = 40, min_chars: int = 20) -> tuple[str, int]:
    """Collapse a block of lines that is immediately repeated (scraped threads show posts twice).

    A block counts when it holds at least ``min_chars`` non-blank characters, so a repeated short line
    (a table rule, a closing brace) is left alone; fenced code is never touched. Returns the text and
    the number of copies removed.
    """
    lines = text.split("\n")
    key = [line.rstrip() for line in lines]
    in_code = _fenced_mask(lines)
    out: list[str] = []
    removed = 0
    index = 0
    while index < len(lines):
        if in_code[index] or not key[index].strip():
            out.append(lines[index])
            index += 1
            continue
        found = 0
        for size in range(min(max_block, (len(lines) - index) // 2), 0, -1):
            if key[index + size] != key[index]:
                continue
            block = key[index : index + size]
            if key[index + size : index + 2 * size] != block:
                continue
            if any(in_code[index : index + 2 * size]) or sum(len(line.strip()) for line in block) < min_chars:
                continue
            found = size
            break
        if not found:
            out.append(lines[index])
            index += 1
            continue
        copies = 2
        while key[index + copies * found : index + (copies + 1) * found] == key[index : index + found]:
            copies += 1
        out.extend(lines[index : index + found])
        removed += copies - 1
        index += copies * found
    result = "\n".join(out)
    return _collapse_blank_separated(result, removed, min_chars)


def _collapse_blank_separated(text: str, removed: int, min_chars: int) -> tuple[str, int]:
    """Paragraphs separated by blank lines and repeated back to back: keep the first copy."""
    paragraphs = re.split(r"(\n[ \t]*\n+)", text)
    out: list[str] = []
    for piece in paragraphs:
        if (
            out
            and len(out) >= 2
            and piece.strip()
            and piece.strip() == out[-2].strip()
            and len(piece.strip()) >= min_chars
            and "```" not in piece
            and "~~~" not in piece
        ):
            out.pop()  # the separator before the copy
            removed += 1
            continue
        out.append(piece)
    return "".join(out), removed


def _fenced_mask(lines: list[str]) -> list[bool]:
    mask, fence = [], None
    for line in lines:
        match = FENCE.match(line)
        if fence is not None:
            mask.append(True)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
        elif match:
            fence = match.group(1)
            mask.append(True)
        else:
            mask.append(False)
    return mask


def map_prose(text: str, fn: Callable[[str, int], str]) -> str:
    """Apply ``fn(piece, line_no)`` to every part of the text outside fenced code and inline code."""
    lines = text.split("\n")
    mask = _fenced_mask(lines)
    out = []
    for number, (line, code) in enumerate(zip(lines, mask), start=1):
        if code:
            out.append(line)
            continue
        pieces, last = [], 0
        for match in INLINE_CODE.finditer(line):
            pieces.append(fn(line[last : match.start()], number))
            pieces.append(match.group(0))
            last = match.end()
        pieces.append(fn(line[last:], number))
        out.append("".join(pieces))
    return "\n".join(out)


# ============================================================================ Obsidian syntax

HASHTAG = re.compile(r"(?<![\w#/&\]\[(`=\"'])#([A-Za-z][\w\-/]*)")
HIGHLIGHT = re.compile(r"(?<![=\w])==(?=\S)(.+?)(?<=\S)==(?![=\w])")
CALLOUT = re.compile(r"^(\s*>\s*)\[!([^\]]+)\]")


def normalise_tag(tag: str) -> str | None:
    cleaned = re.sub(r"[_/]+", "-", tag.strip().lower()).strip("-")
    return cleaned if cleaned and TAG_PATTERN.match(cleaned) else None


def extract_hashtags(text: str) -> tuple[str, list[str]]:
    """``#tag`` words (not headings, not URL fragments) become tags; lines left empty are dropped."""
    found: list[str] = []

    def on_piece(piece: str, _line: int) -> str:
        if re.match(r"^\s{0,3}#{1,6}(\s|$)", piece):  # a heading: keep its text, take tags after it
            head, rest = re.match(r"^(\s{0,3}#{1,6}\s*)(.*)$", piece).groups()
            return head + on_piece(rest, _line)

        def take(match: re.Match) -> str:
            found.append(match.group(1))
            return ""

        return HASHTAG.sub(take, piece)

    lines_before = text.split("\n")
    converted = map_prose(text, on_piece).split("\n")
    kept = [new.rstrip() if new != old else new for old, new in zip(lines_before, converted) if not (new.strip() == "" and old.strip() != "")]
    return "\n".join(kept), found


def convert_highlights(text: str) -> tuple[str, int]:
    count = 0

    def on_piece(piece: str, _line: int) -> str:
        nonlocal count
        new, n = HIGHLIGHT.subn(r"<mark>\1</mark>", piece)
        count += n
        return new

    return map_prose(text, on_piece), count


def normalise_callouts(text: str) -> tuple[str, list[str]]:
    """Obsidian callouts are rendered by the build; unknown types become [!note] (reported)."""
    notes: list[str] = []
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        match = CALLOUT.match(line)
        if match:
            kind = match.group(2).strip().lower()
            if kind not in CALLOUT_TYPES:
                notes.append(f"line {number}: callout type [!{match.group(2)}] is not known; made [!note]")
                line = f"{match.group(1)}[!note]{line[match.end():]}"
        out.append(line)
    return "\n".join(out), notes


# ============================================================================ images and links

OBSIDIAN_EMBED = re.compile(r"!\[\[([^\[\]|#]+)(#[^\[\]|]*)?(?:\|([^\[\]]*))?\]\]")
MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
MD_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
WIKILINK = re.compile(r"(?<!!)\[\[([^\[\]|#]+)(#[^\[\]|]*)?(?:\|([^\[\]]+))?\]\]")


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


# ============================================================================ URLs -> sources

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


# ============================================================================ things the check rejects


BRACES = re.compile(r"\{\{.*?\}\}")
ANCHOR_RESIDUE = re.compile(r"""['"]\s*target=['"]_blank['"]\s*>""")


def neutralise(text: str) -> tuple[str, list[str]]:
    """``{{...}}`` (our embed syntax) goes into inline code; unsafe HTML is escaped so it shows as text."""
    notes: list[str] = []

    def on_piece(piece: str, number: int) -> str:
        def code(match: re.Match) -> str:
            notes.append(f"line {number}: {shorten(match.group(0))} put in inline code (it is embed syntax here)")
            return f"`{match.group(0)}`"

        piece = BRACES.sub(code, piece)
        if ANCHOR_RESIDUE.search(piece):
            notes.append(f"line {number}: left-over HTML of a scraped link removed")
            piece = ANCHOR_RESIDUE.sub(" ", piece)
        render = safety.renderer()
        if safety.scan(render(piece)):  # judged on the rendered HTML, as the build judges it
            notes.append(f"line {number}: unsafe HTML escaped so it shows as text")
            piece = piece.replace("<", "&lt;")
            piece = re.sub(r"(?i)(javascript|vbscript|data):", r"\1&#58;", piece)
            if safety.scan(render(piece)):  # an encoded scheme in a Markdown link: show the line as code
                piece = "`` " + piece.replace("`", "'") + " ``"
        return piece

    return _neutralise_blocks(map_prose(text, on_piece), notes), notes


def _neutralise_blocks(text: str, notes: list[str]) -> str:
    """What is unsafe only across lines (an attribute list under a paragraph, a reference definition):
    escape the paragraph's ``{`` and ``<``, or show it as code when that is not enough."""
    render = safety.renderer()
    if not safety.scan(render(text)):
        return text
    lines = text.split("\n")
    for start, block in safety.blocks(text, 1):
        if not safety.scan(render(block)):
            continue
        count = len(block.splitlines())
        escaped = [line.replace("<", "&lt;").replace("{", "&#123;") for line in lines[start - 1 : start - 1 + count]]
        if safety.scan(render("\n".join(escaped))):
            escaped = ["`` " + line.replace("`", "'") + " ``" for line in lines[start - 1 : start - 1 + count]]
        lines[start - 1 : start - 1 + count] = escaped
        notes.append(f"line {start}: unsafe HTML escaped so it shows as text")
    return "\n".join(lines)


LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def paragraphs_from_lines(text: str, min_lines: int = 10) -> tuple[str, bool]:
    """Scraped threads and transcripts put one post or utterance a line with no blank lines, which
    Markdown would run together into one paragraph: give each line its own paragraph (list items stay
    together). Text that already uses blank lines is left as it is."""
    lines = text.strip("\n").split("\n")
    if len(lines) < min_lines or any(not line.strip() for line in lines) or any(_fenced_mask(lines)):
        return text, False
    out = [lines[0]]
    for previous, line in zip(lines, lines[1:]):
        if not (LIST_ITEM.match(previous) and LIST_ITEM.match(line)):
            out.append("")
        out.append(line)
    return "\n".join(out) + "\n", True


def adjust_headings(text: str, title: str) -> str:
    """Drop a first heading that repeats the title; demote every heading a level if any is an H1
    (the title is the page's only H1)."""
    lines = text.split("\n")
    mask = _fenced_mask(lines)
    headings = [(i, re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)) for i, line in enumerate(lines) if not mask[i]]
    headings = [(i, m) for i, m in headings if m]
    if headings and headings[0][1].group(2).strip().lower() == title.strip().lower():
        first = headings[0][0]
        if all(not line.strip() for line in lines[:first]):
            lines[first] = ""
            headings = headings[1:]
    if any(len(m.group(1)) == 1 for _, m in headings):
        for i, m in headings:
            lines[i] = "#" * min(len(m.group(1)) + 1, 6) + " " + m.group(2)
    return "\n".join(lines)


# ============================================================================ title, slug, layer


def slugify(text: str, max_length: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length and slug:
            break
        slug = candidate[:max_length]
    return slug


def looks_like_title(stem: str) -> bool:
    """Obsidian names a note by its title; exported or scraped files often carry ids instead."""
    words = re.findall(r"[A-Za-z]{2,}", stem)
    hexish = re.fullmatch(r"[\d_\-]*[0-9a-f_\-]{8,}", stem.lower()) is not None
    return bool(words) and not hexish and not re.search(r"[0-9a-f]{10,}", stem.lower())


def guess_title(body: str, stem: str) -> str:
    lines = body.split("\n")
    mask = _fenced_mask(lines)
    for i, line in enumerate(lines):
        if not mask[i] and re.match(r"^#\s+\S", line):
            return clean_title(line.lstrip("#"))
    if looks_like_title(stem):
        return clean_title(stem.replace("_", " "))
    for i, line in enumerate(lines):
        if not mask[i] and re.match(r"^#{2,6}\s+\S", line):
            return clean_title(line.lstrip("#"))
    for i, line in enumerate(lines):
        text = re.sub(r"!\[\[[^\]]*\]\]|!\[[^\]]*\]\([^)]*\)|<[^>]+>|[*_>#`]", "", line).strip()
        if not mask[i] and len(re.findall(r"[A-Za-z]{2,}", text)) >= 4 and "://" not in text:
            return clean_title(text)
    return stem


def clean_title(text: str, limit: int = 120) -> str:
    text = re.sub(r"\s+", " ", re.sub(r"[*_`]|\[\[|\]\]", "", text)).strip().strip(":").strip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + "…"
    return text


# Keywords a note on each of the five standard layers tends to use. Layers other than these (another
# knowledge base) are scored on the words of their title and summary in mkdocs.yml only.
LAYER_KEYWORDS: dict[str, tuple[str, ...]] = {
    "compute": ("gpu", "gpus", "tpu", "tpus", "chip", "chips", "asic", "asics", "fpga", "hardware", "semiconductor",
                "transistor", "transistors", "nvidia", "amd", "v100", "a100", "h100", "tflops", "flop/s",
                "price-performance", "moore", "compute density", "accelerator", "accelerators", "memory bandwidth"),
    "data": ("data", "dataset", "datasets", "corpus", "tokens", "common crawl", "labeled", "labelled", "scraping",
             "synthetic data", "data-pruning", "data pruning", "run out of data", "stock of data", "text data"),
    "algorithms": ("algorithm", "algorithms", "algorithmic", "scaling law", "scaling laws", "llm", "llms",
                   "language model", "language models", "transformer", "transformers", "perplexity", "grokking",
                   "emergence", "emergent", "bioanchors", "biological anchors", "forecast", "parameters",
                   "compute trends", "training compute", "doubling", "architecture", "attention", "prompting",
                   "prompt", "efficiency", "fine-tune", "fine-tuning"),
    "systems": ("api", "apis", "inference", "serving", "latency", "training cost", "cost", "costs", "energy", "mwh",
                "kwh", "twh", "power", "emissions", "co2", "carbon", "pue", "watts", "deployment", "data center",
                "data centers", "datacenter", "infrastructure", "cloud"),
    "products": ("product", "products", "users", "startup", "startups", "market", "adoption", "chatgpt",
                 "midjourney", "copilot", "app", "apps", "customers", "newsletter", "company", "companies",
                 "revenue", "china", "export", "games", "consumer"),
}
_STOPWORDS = frozenset("the and from with that this them their they into over what which about there other how much "
                       "built behind trends".split())


def layer_keywords(layer: Layer) -> tuple[str, ...]:
    own = {w for w in re.findall(r"[a-z][a-z\-]{3,}", f"{layer.title} {layer.summary}".lower()) if w not in _STOPWORDS}
    return tuple(sorted(set(LAYER_KEYWORDS.get(layer.id, ())) | own))


def suggest_layer(title: str, body: str, layers: list[Layer]) -> tuple[str, dict[str, int]]:
    """The layer whose keywords occur most often (title words count three times); ties go to the
    layer listed first in mkdocs.yml."""
    text_title, text_body = title.lower(), body.lower()
    scores: dict[str, int] = {}
    for layer in layers:
        score = 0
        for word in layer_keywords(layer):
            pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
            score += 3 * len(pattern.findall(text_title)) + len(pattern.findall(text_body))
        scores[layer.id] = score
    best = max(layers, key=lambda layer: scores[layer.id]).id  # max keeps the first of equals
    return best, scores


# ============================================================================ one file


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
        front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
        box = ["> [!warning] Imported draft: review before publishing"]
        box += [f"> - {item}" for item in self.review]
        body = self.body.strip("\n")
        return f"---\n{front}---\n\n" + "\n".join(box) + "\n\n" + body + "\n"


def convert(
    text: str,
    source: Path,
    layers: list[Layer],
    *,
    layer: str | None = None,
    title: str | None = None,
    today: dt.date | None = None,
    source_dir: Path | None = None,
) -> Draft:
    """One source file's text -> a Draft (wikilinks still unresolved: see ``plan_imports``)."""
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
        chosen, scores = suggest_layer(note_title, body, layers)
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


# ============================================================================ a batch


@dataclass
class Plan:
    drafts: list[Draft]
    errors: list[str]  # one line each: "SRC: message"


def read_source(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise ImportError_("is a folder, not a file") from None
    except OSError as exc:
        raise ImportError_(f"cannot read file: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportError_(f"line {line}: file is not valid UTF-8 (byte 0x{raw[exc.start]:02X}); convert it to UTF-8 first") from None


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
) -> Plan:
    """Convert every source; nothing is written. Errors name the source file."""
    drafts: list[Draft] = []
    errors: list[str] = []
    for source in sources:
        try:
            drafts.append(convert(read_source(source), source, layers, layer=layer, title=title, today=today))
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
