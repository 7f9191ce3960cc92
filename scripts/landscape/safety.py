"""What reaches a page is safe by construction: rendered HTML is parsed and held to an allow-list.

Every HTML fragment that reaches a page is checked after Markdown rendering, never as source text:

- note bodies (and layer overviews), paragraph by paragraph, so a problem names the paragraph's line;
- every text field of dataset, chart and table files (description, caption, notes, labels, titles,
  credits, source titles, ...), each rendered as Markdown and named by its YAML key's line;
- every page MkDocs renders (``scan_page``, called from the plugin): the final guarantee, covering
  what the generator wrote around the contributed text.

The parser is html5lib, which implements the WHATWG parsing algorithm that browsers use: tag and
attribute names are lower-cased and attribute values are decoded (named, decimal and hexadecimal
entities, with or without ``;``) exactly as a browser decodes them. The fragment is parsed inside a
whole document, so ``<body onload=...>`` lands on the body element as it would in a browser. A URL is
judged as a browser resolves it: ASCII tabs and newlines are removed wherever they are, leading and
trailing controls and spaces are cut, and the scheme is compared case-insensitively.

Anything outside the allow-list is refused, not repaired: the build and ``landscape check`` report it as
``file:line: html: message`` and exit non-zero, so a contributor sees what was wrong and nothing is
silently changed on the page.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import html5lib

from . import cache
from .allowlist import (
    GENERATED_TAGS, GLOBAL_ATTRIBUTES, HTML_TAGS, RESERVED_DATA, SAFE_SCHEMES, SITE_URL_DATA, STYLE_PROPERTIES,
    STYLE_VALUE, SVG_ATTRIBUTES, SVG_TAGS, TAG_ATTRIBUTES, UNSAFE_SCHEMES, URL_ATTRIBUTES,
)
from .problems import Problem, problem, shorten

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_URL_TRIM = "".join(chr(c) for c in range(0x21)) + "\x7f"  # C0 controls, space and DEL


@dataclass(frozen=True)
class Finding:
    """One thing on the allow-list's wrong side, with the element it was found on."""

    message: str
    element: str


# ------------------------------------------------------------------------------------- scanning


def scan(fragment: str, *, authored: bool = True) -> list[Finding]:
    """Everything in an HTML fragment that is not on the allow-list, as a browser would parse it.

    ``authored``: the fragment is contributed text (a note, a YAML field), which may not use the
    attributes reserved for the site's scripts. Generated pages (``authored=False``) may.
    """
    if not fragment or ("<" not in fragment and "&" not in fragment):
        return []
    document = html5lib.parse(f"<!DOCTYPE html><html><head></head><body>{fragment}</body></html>",
                              treebuilder="etree", namespaceHTMLElements=False)
    found: list[Finding] = []
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        namespace, tag = _split(element.tag)
        found += _element_findings(namespace, tag, element, authored)
    head = document.find("head")
    if head is not None:
        for element in head:
            if isinstance(element.tag, str):
                found.append(Finding(f"HTML element <{_split(element.tag)[1]}> is not allowed", _split(element.tag)[1]))
    return _unique(found)


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local.lower()
    return "", tag.lower()


def _element_findings(namespace: str, tag: str, element: Any, authored: bool) -> list[Finding]:
    found: list[Finding] = []
    svg = namespace.endswith("/svg")
    structural = tag in ("html", "head", "body") and not namespace
    if not structural:
        allowed = SVG_TAGS if svg else HTML_TAGS
        if namespace and not svg:
            found.append(Finding(f"<{tag}> ({'MathML' if 'MathML' in namespace else namespace}) is not allowed", tag))
            return found
        if tag not in allowed and not (not authored and not svg and tag in GENERATED_TAGS):
            found.append(Finding(f"HTML element <{tag}> is not allowed", tag))
            return found
    for raw_name, value in element.attrib.items():
        attr_ns, name = _split(raw_name)
        if attr_ns.endswith("xlink"):
            name = "xlink:" + name
        found += _attribute_findings(tag, name, value, svg, structural, authored)
    return found


def _attribute_findings(tag: str, name: str, value: str, svg: bool, structural: bool, authored: bool) -> list[Finding]:
    where = f"<{tag}>"
    if name.startswith("on"):
        return [Finding(f"event-handler attribute {name}= is not allowed", tag)]
    if structural:
        return [Finding(f"attribute {name}= on {where} is not allowed", tag)]
    if name.startswith("data-"):
        if authored and RESERVED_DATA.match(name):
            return [Finding(f"attribute {name}= is reserved for the site's scripts", tag)]
        if name in SITE_URL_DATA:
            return _url_findings(name, value, where, site_only=True)
        scheme = url_scheme(value)  # a data value is text ("MI:dm" names a model), unless it is a script URL
        if scheme in UNSAFE_SCHEMES:
            return [Finding(f"{scheme}: URLs are not allowed ({name}= on {where})", tag)]
        return []
    if name.startswith("aria-") or name in GLOBAL_ATTRIBUTES:
        return []
    allowed = SVG_ATTRIBUTES if svg else TAG_ATTRIBUTES.get(tag) or (frozenset() if authored else GENERATED_TAGS.get(tag, frozenset()))
    if name not in allowed and not (svg and name == "xlink:href"):
        return [Finding(f"attribute {name}= is not allowed on {where}", tag)]
    if name == "style":
        return _style_findings(value, where, tag)
    if name in URL_ATTRIBUTES or (svg and name in ("href", "xlink:href")):
        return _url_findings(name, value, where)
    return []


def url_scheme(value: str) -> str | None:
    """The scheme a browser would read from an attribute value (already entity-decoded), lower-cased."""
    url = value.strip(_URL_TRIM).replace("\t", "").replace("\n", "").replace("\r", "")
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else None


def _url_findings(name: str, value: str, where: str, site_only: bool = False) -> list[Finding]:
    tag = where.strip("<>")
    candidates = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
    for url in candidates:
        scheme = url_scheme(url)
        if site_only and (scheme or url.strip(_URL_TRIM).replace("\\", "/").startswith("//")):
            return [Finding(f"{name}= on {where} must be a URL on this site", tag)]
        if scheme and scheme not in SAFE_SCHEMES:
            return [Finding(f"{scheme}: URLs are not allowed ({name}= on {where})", tag)]
    return []


def _style_findings(value: str, where: str, tag: str) -> list[Finding]:
    for declaration in value.split(";"):
        if not declaration.strip():
            continue
        prop, colon, css_value = declaration.partition(":")
        prop = prop.strip().lower()
        if not colon or prop not in STYLE_PROPERTIES or not STYLE_VALUE.match(css_value):
            return [Finding(f"style={shorten(value, 40)} on {where} is not allowed (only {', '.join(sorted(STYLE_PROPERTIES))} with plain values)", tag)]
    return []


def _unique(found: list[Finding]) -> list[Finding]:
    seen: dict[str, Finding] = {}
    for item in found:
        seen.setdefault(item.message, item)
    return list(seen.values())


# ------------------------------------------------------------------------------------- Markdown


Render = Callable[[str], str]


def markdown_renderer(extensions: list[Any], configs: dict[str, Any]) -> Render:
    """Python-Markdown with the site's extensions: text is rendered as the page will render it."""
    import markdown

    md = markdown.Markdown(extensions=extensions, extension_configs=configs)

    def render(text: str) -> str:
        md.reset()
        return md.convert(text)

    names = sorted(e if isinstance(e, str) else type(e).__name__ for e in extensions)
    render.fingerprint = hashlib.sha256(repr(names).encode("utf-8")).hexdigest()[:12]  # type: ignore[attr-defined]
    return render


def renderer_for(root: Path) -> Render:
    """The renderer mkdocs.yml describes (markdown_extensions), for checks that run without MkDocs."""
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    _Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader) or {}
    extensions: list[str] = []
    configs: dict[str, Any] = {}
    for item in config.get("markdown_extensions") or []:
        if isinstance(item, str):
            extensions.append(item)
        elif isinstance(item, dict):
            for name, options in item.items():
                extensions.append(name)
                if isinstance(options, dict):
                    configs[name] = options
    if "toc" in configs:  # permalinks and slugs do not change what is safe; a callable slugify cannot be read here
        configs["toc"] = {k: v for k, v in configs["toc"].items() if k in ("permalink", "baselevel")}
    return markdown_renderer(extensions, configs)


_ACTIVE: list[Render] = []


def use_renderer(render: Render) -> None:
    """Set the renderer the loaders check text fields with (the pipeline sets the site's)."""
    _ACTIVE[:] = [render]


def renderer() -> Render:
    """The renderer set by ``use_renderer``, else Python-Markdown with the extensions notes use."""
    if not _ACTIVE:
        _ACTIVE.append(markdown_renderer(DEFAULT_EXTENSIONS, {}))
    return _ACTIVE[0]


DEFAULT_EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables",
                      "pymdownx.details", "pymdownx.superfences"]


# ------------------------------------------------------------------------------------- verdicts


@dataclass
class Verdicts:
    """Texts found safe by an earlier build, by hash (kept in the authenticated build cache): a warm
    build does not render and parse again what it has already passed. Only "safe" is remembered, so a
    lost, stale or planted entry can at worst cost the time of checking again."""

    path: Path | None = None
    known: set[str] = field(default_factory=set)
    passed: set[str] = field(default_factory=set)

    @classmethod
    def open(cls, path: Path | None) -> "Verdicts":
        verdicts = cls(path)
        if path is not None:
            text = cache.read_text(path)
            if text:
                verdicts.known = {line for line in text.split("\n") if re.fullmatch(r"[0-9a-f]{32}", line)}
        return verdicts

    @staticmethod
    def digest(kind: str, text: str) -> str:
        return hashlib.sha256(f"{cache.code_version()}\0{kind}\0{text}".encode("utf-8")).hexdigest()[:32]

    def safe(self, digest: str) -> bool:
        if digest in self.known:
            self.passed.add(digest)
            return True
        return False

    def save(self) -> None:
        if self.path is not None and self.passed != self.known:
            cache.write_text(self.path, "\n".join(sorted(self.passed)))
            self.known = set(self.passed)


_VERDICTS: list[Verdicts] = [Verdicts()]


def use_verdicts(verdicts: Verdicts) -> None:
    _VERDICTS[:] = [verdicts]


def verdicts() -> Verdicts:
    return _VERDICTS[0]


def _checked(kind: str, text: str, check: Callable[[], list]) -> list:
    """``check()``, skipped when this text passed before; a text that passes is remembered."""
    store = verdicts()
    digest = Verdicts.digest(kind, text)
    if store.safe(digest):
        return []
    found = check()
    if not found:
        store.passed.add(digest)
    return found


# ------------------------------------------------------------------------------------- notes


_FENCE = re.compile(r"^\s*(```+|~~~+)")


def blocks(body: str, first_line: int) -> list[tuple[int, str]]:
    """The body's top-level blocks (split at blank lines outside fenced code) with their first line."""
    out: list[tuple[int, str]] = []
    current: list[str] = []
    start = first_line
    fence: str | None = None
    for offset, line in enumerate(body.splitlines()):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)
        elif fence is not None and match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
            fence = None
        if not line.strip() and fence is None:
            if current:
                out.append((start, "\n".join(current)))
            current = []
            continue
        if not current:
            start = first_line + offset
        current.append(line)
    if current:
        out.append((start, "\n".join(current)))
    return out


def body_problems(path: Path, body: str, first_line: int, render: Render) -> list[Problem]:
    """Unsafe HTML in a Markdown body, each named by the line of its paragraph.

    The whole body is rendered first (reference links and footnotes resolve across paragraphs); only
    when it holds something unsafe are the paragraphs rendered one by one to find where it is."""
    whole = _checked(f"body:{getattr(render, 'fingerprint', '')}", body, lambda: scan(render(body)))
    if not whole:
        return []
    found: list[Problem] = []
    located: set[str] = set()
    for line, block in blocks(body, first_line):
        findings = scan(render(block))
        if not findings:
            continue
        messages = {f.message for f in findings}
        lines = block.splitlines()
        shown: set[str] = set()
        if len(lines) > 1:  # name the line within the paragraph where a line shows the finding on its own
            for offset, text in enumerate(lines):
                for finding in scan(render(text)):
                    if finding.message in messages:
                        found.append(problem(path, line + offset, "html", finding.message))
                        shown.add(finding.message)
        found += [problem(path, line, "html", message) for message in sorted(messages - shown)]
        located |= messages
    for finding in whole:
        if finding.message not in located:
            found.append(problem(path, _definition_line(body, first_line) or first_line, "html", finding.message))
    return found


def _definition_line(body: str, first_line: int) -> int | None:
    """The first reference-link definition (``[id]: url``): where a finding no paragraph shows alone comes from."""
    for offset, line in enumerate(body.splitlines()):
        if re.match(r"^\s{0,3}\[[^\]]+\]:\s*\S", line):
            return first_line + offset
    return None


# ------------------------------------------------------------------------------------- YAML files

# Keys whose values are not text that reaches a page as HTML (identifiers, URLs checked by their
# schemas, formulas, units), and rows, whose cells are escaped when written (the page check covers them).
NOT_TEXT = frozenset("id url reference formula unit type mark dataset x y color date as expr rows".split())


def yaml_text_problems(path: Path, raw: Any, render: Render) -> list[Problem]:
    """Every text field of a YAML file (any depth, rows excepted), rendered as Markdown and checked;
    each problem names the line of the field's key and the field's path (``sources.s1.title``)."""
    found: list[Problem] = []
    kind = f"field:{getattr(render, 'fingerprint', '')}"
    for field_name, line, text in _text_fields(raw, (), getattr(raw, "line", None)):
        for finding in _checked(kind, text, lambda: scan(render(text))):
            found.append(problem(path, line, field_name, finding.message))
    return found


def _text_fields(node: Any, where: tuple, line: int | None) -> Iterable[tuple[str, int | None, str]]:
    if isinstance(node, str):
        if any(mark in node for mark in "<&[:"):
            yield ".".join(where) or "value", line, node
    elif isinstance(node, dict):
        lines = getattr(node, "key_lines", {})
        for key, value in node.items():
            if str(key) == "rows" or (str(key) in NOT_TEXT and isinstance(value, str) and where[-1:] != ("sources",)):
                continue
            yield from _text_fields(value, (*where, str(key)), lines.get(key, line))
    elif isinstance(node, list):
        lines = getattr(node, "item_lines", [])
        for index, value in enumerate(node):
            name = (*where[:-1], f"{where[-1]}[{index}]") if where else (f"[{index}]",)
            yield from _text_fields(value, name, lines[index] if index < len(lines) else line)


# ------------------------------------------------------------------------------------- pages


def note_problems(notes: Iterable[Any], overviews: Iterable[Any], render: Render) -> list[Problem]:
    """Unsafe HTML in note bodies, layer overviews and front-matter text (titles, summaries, sources)."""
    found: list[Problem] = []
    for note in notes:
        found += body_problems(note.path, note.body, note.body_line, render)
        found += yaml_text_problems(note.path, note.meta_lines, render)
    for overview in overviews:
        found += body_problems(overview.path, overview.body, overview.body_line, render)
    return found


def page_problems(html: str, source: Path | str, line: int | None = None) -> list[Problem]:
    """The final check of a rendered page's content (generated markup included), named by its source."""
    found = _checked("page", html, lambda: scan(html, authored=False))
    return [problem(source, line, "html", finding.message) for finding in found]


def theme_text(value: str) -> str:
    """A page title or description as the theme writes it, unescaped, into elements and attributes."""
    import html as _html

    return _html.escape(value, quote=False).replace('"', "&quot;")  # attributes use ""
