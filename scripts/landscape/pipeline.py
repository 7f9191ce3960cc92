"""The build, one line a stage: load and validate → link → render → emit.

``check`` is exactly the first half of ``build``: load (every kind, in registry order) and link. ``run``
returns plain data (Artefacts); only the emitters (plugin.py for MkDocs, folder.py for any engine) know
an engine. Each stage collects every problem it finds and raises one ProblemsError carrying all of them.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import assets, safety, units
from .config import SiteConfig
from .content import Content, Linked
from .kinds import Kind, KindError, LoadContext, builtin, registry
from .link import link, link_collecting
from .notepages import home_sections
from .paths import Paths
from .problems import Problem, ProblemsError, problem, raise_if_any


@dataclass
class Artefacts:
    files: dict[str, str | bytes]  # source URI -> content: generated pages (.md) and assets
    home: str  # Markdown for the home page's generated sections
    watch: list[Path]
    tags: dict[str, list[str]] = field(default_factory=dict)  # note slug -> its tags (the tags page's input)
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    charts_rendered: int = 0
    charts_cached: int = 0
    sources: dict[str, Path] = field(default_factory=dict)  # generated page URI -> the file it is made from

    def record(self) -> dict:
        """The build's figures as plain data (the benchmark and tools read this, never a log line)."""
        return {
            "generated_files": len(self.files),
            "generated_pages": sum(1 for uri in self.files if uri.endswith(".md")),
            "charts_rendered": self.charts_rendered,
            "charts_cached": self.charts_cached,
            "stages": dict(self.timings),
        }


class Memo:
    """What a long-lived caller (the MkDocs plugin under `mkdocs serve`) keeps from one run to the next, so
    that the work of a rebuild follows the change: a kind whose files (and the files of the kinds it
    reads) are unchanged is not loaded, rendered or emitted again, and its pages are reused when it
    declares the part of the link graph they read and that part is unchanged too.

    Files are compared by path, size and modification time; any change of configuration starts afresh.
    A full build (`mkdocs build`, `landscape build`) uses no memo."""

    def __init__(self) -> None:
        self.config: SiteConfig | None = None
        self.keys: dict[str, str] = {}  # kind -> key of its inputs at the last run
        self.loads: dict[str, tuple[str, dict, list[Problem]]] = {}
        self.outputs: dict[str, tuple[str, dict]] = {}
        self.pages: dict[str, tuple[str, dict[str, str]]] = {}
        self.artefacts: dict[str, tuple[str, dict]] = {}
        self.scratch: dict[str, dict] = {}  # kind -> its loader's own store (LoadContext.scratch)
        self.stale: set[str] = set()  # kinds whose key is from the last run (not yet computed in this one)

    def start(self, config: SiteConfig) -> None:
        if config != self.config:
            self.__init__()
            self.config = config

    def key(self, kind: Kind, files: list[Path]) -> str:
        digest = hashlib.sha256(kind.name.encode("utf-8"))
        for path in files:
            try:
                stat = path.stat()
                digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode("utf-8"))
            except OSError:
                digest.update(f"{path}\0missing\n".encode("utf-8"))
        for name in kind.reads:  # the kinds loaded before this one; pages_key adds the rest
            if name in self.keys and name not in self.stale:
                digest.update(self.keys[name].encode("utf-8"))
        self.keys[kind.name] = digest.hexdigest()
        self.stale.discard(kind.name)
        return self.keys[kind.name]

    def pages_key(self, kind: Kind, graph: str) -> str:
        return "".join(self.keys.get(name, "") for name in (kind.name, *kind.reads)) + graph

    @staticmethod
    def reuse(store: dict, name: str, key: str, make):
        hit = store.get(name)
        if hit is not None and hit[0] == key:
            return hit[1]
        value = make()
        store[name] = (key, value)
        return value


def collect(paths: Paths, config: SiteConfig, cache: bool = False, render: safety.Render | None = None,
            kinds: list[Kind] | None = None, memo: Memo | None = None) -> tuple[Content, list[Problem]]:
    """Load and validate every kind; return what loaded and every problem found (never raises).
    With ``cache``, unchanged inputs are read back from the build cache instead of parsed.
    ``render`` is the site's Markdown renderer (read from mkdocs.yml when not given): text that reaches a
    page is checked as rendered HTML (safety.py)."""
    setup: list[Problem] = []
    try:
        kinds = kinds if kinds is not None else registry(config)
    except KindError as exc:
        setup.append(problem(paths.root / "mkdocs.yml", None, "kinds", str(exc)))
        kinds = builtin()
    try:
        units.define_site_units(config.units)
    except ValueError as exc:
        setup.append(problem(paths.root / "mkdocs.yml", None, "units", str(exc)))
    if setup:
        return Content(config, kinds), setup
    render = render or safety.renderer_for(paths.root)
    safety.use_renderer(render)
    safety.use_verdicts(safety.Verdicts.open(paths.cache / "safety" / "passed.txt" if cache else None))
    content = Content(config, kinds)
    context = LoadContext(paths, config, content.items, use_cache=cache)
    found: list[Problem] = []
    if memo is not None:
        memo.start(config)
        memo.stale = set(memo.keys)
    for kind in kinds:
        files = kind.files(paths)
        context.scratch = memo.scratch.setdefault(kind.name, {}) if memo is not None else {}
        if memo is None:
            content.items[kind.name], problems = kind.load(files, context)
        else:
            content.items[kind.name], problems = memo.reuse(memo.loads, kind.name, memo.key(kind, files), lambda: kind.load(files, context))
        found += problems
    return content, found


def load(paths: Paths, config: SiteConfig, render: safety.Render | None = None, kinds: list[Kind] | None = None,
         memo: Memo | None = None) -> Content:
    """Load and validate every input; raise once with every problem found."""
    content, found = collect(paths, config, cache=True, render=render, kinds=kinds, memo=memo)
    raise_if_any(found)
    return content


def render(content: Content, paths: Paths, memo: Memo | None = None) -> None:
    """Each kind's work before pages (charts to SVG and PNG, cached by input hash)."""
    for kind in content.kinds:
        if kind.render is None:
            continue
        if memo is None:
            kind.render(content, paths)
        else:
            def make(kind=kind):
                kind.render(content, paths)
                return content.outputs.get(kind.name, {})
            content.outputs[kind.name] = memo.reuse(memo.outputs, kind.name, memo.keys[kind.name], make)


def pages(content: Content, linked: Linked, memo: Memo | None = None) -> dict[str, str]:
    """Every generated page, by source URI, from every kind."""
    out: dict[str, str] = {}
    for kind in content.kinds:
        if memo is None or kind.graph is None:
            out.update(kind.pages(content, linked))
            continue
        graph = hashlib.sha256(json.dumps(kind.graph(content, linked), sort_keys=True, default=str).encode("utf-8")).hexdigest()
        out.update(memo.reuse(memo.pages, kind.name, memo.pages_key(kind, graph), lambda kind=kind: kind.pages(content, linked)))
    return out


def emit(content: Content, page_files: dict[str, str], cache_dir: Path, memo: Memo | None = None) -> dict[str, str | bytes]:
    """The pages and every other generated file (downloads, site assets), as one map for an emitter."""
    files: dict[str, str | bytes] = dict(page_files)
    for kind in content.kinds:
        if memo is None:
            files.update(kind.artefacts(content))
        else:
            files.update(memo.reuse(memo.artefacts, kind.name, memo.keys[kind.name], lambda kind=kind: kind.artefacts(content)))
    files.update(assets.site_assets(cache_dir))
    return files


def run(root: Path, config: SiteConfig, render_markdown: safety.Render | None = None, kinds: list[Kind] | None = None,
        memo: Memo | None = None) -> Artefacts:
    """The whole build. ``memo`` (the plugin's, under `mkdocs serve`) lets a rebuild reuse what did not change."""
    paths = Paths(root)
    clock = _Clock()
    content = clock.stage("load", lambda: load(paths, config, render_markdown, kinds, memo))
    safety.verdicts().save()
    linked = clock.stage("link", lambda: link(content))
    clock.stage("render", lambda: render(content, paths, memo))
    page_files = clock.stage("render pages", lambda: pages(content, linked, memo))
    files = clock.stage("emit", lambda: emit(content, page_files, paths.cache, memo))
    rendered = content.rendered.values()
    return Artefacts(
        files=files,
        home=home_sections(content),
        watch=sorted({folder for kind in content.kinds for folder in kind.watch(paths)}),
        tags={note.slug: list(note.meta.tags or []) for note in content.notes},
        timings=clock.timings,
        charts_rendered=sum(1 for r in rendered if not r.from_cache),
        charts_cached=sum(1 for r in rendered if r.from_cache),
        sources=page_sources(content),
    )


def page_sources(content: Content) -> dict[str, Path]:
    """The source file of each generated page, to name it when its rendered HTML fails the safety check."""
    found: dict[str, Path] = {}
    for kind in content.kinds:
        found.update(kind.sources(content.items.get(kind.name, {})))
    return found


@dataclass
class Checked:
    content: Content  # what loaded and validated
    problems: list[Problem]  # load problems and link problems, all of them


def check(root: Path, config: SiteConfig, kinds: list[Kind] | None = None) -> Checked:
    """The build's first half, load then link, writing nothing. Unlike the build, link also runs when
    loading found problems, over what did load, so that one run reports every problem."""
    content, found = collect(Paths(root), config, kinds=kinds)
    _, problems = link_collecting(content)
    return Checked(content, found + problems)


class _Clock:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    def stage(self, name, fn):
        start = time.perf_counter()
        result = fn()
        self.timings[name] = time.perf_counter() - start
        return result

