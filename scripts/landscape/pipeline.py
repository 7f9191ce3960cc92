"""The build, one line a stage: load, validate, render charts, link, render pages, emit.

``run`` returns plain data (Artefacts); only plugin.py knows MkDocs. Each stage collects every problem
it finds and raises one ProblemsError carrying all of them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from . import assets, chartpages, charts, datasets, entities, highlight, notes, safety, tables
from .notes import Layer
from .paths import RESERVED_FOLDERS, Paths
from .problems import Problem, ProblemsError, problem, raise_if_any
from .site import Content, home_sections, link, pages


@dataclass
class Artefacts:
    files: dict[str, str | bytes]  # source URI -> content: generated pages (.md) and assets
    home: str  # Markdown for the home page's generated sections
    watch: list[Path]
    tags: dict[str, list[str]] = field(default_factory=dict)  # note slug -> its tags (the tags page's input)
    timings: dict[str, float] = field(default_factory=dict)
    charts_rendered: int = 0
    charts_cached: int = 0
    sources: dict[str, Path] = field(default_factory=dict)  # generated page URI -> the file it is made from


def collect(paths: Paths, layers: list[Layer], cache: bool = False, render: safety.Render | None = None) -> tuple[Content, list[Problem]]:
    """Load and validate every input; return what loaded and every problem found (never raises).
    With ``cache``, unchanged datasets are read back from the build cache instead of parsed.
    ``render`` is the site's Markdown renderer (read from mkdocs.yml when not given): text that reaches a
    page is checked as rendered HTML (safety.py)."""
    found: list[Problem] = []
    render = render or safety.renderer_for(paths.root)
    safety.use_renderer(render)
    safety.use_verdicts(safety.Verdicts.open(paths.cache / "safety" / "passed.txt" if cache else None))
    note_list, problems = notes.load_notes(paths.note_files() + paths.stray_note_files(), layers, paths.notes)
    found += problems
    overviews, problems = notes.load_overviews(paths.notes, layers)
    found += problems
    found += safety.note_problems(note_list, overviews.values(), render)
    dataset_map, problems = datasets.load_datasets(paths.dataset_files(), paths.cache if cache else None)
    found += problems
    chart_map, problems = charts.load_charts(paths.chart_files(), dataset_map)
    found += problems
    table_map, problems = tables.load_tables(paths.table_files())
    found += problems
    collections, problems = entities.load_collections(paths.entity_files(), dataset_map)
    found += problems
    reserved = RESERVED_FOLDERS | {layer.id for layer in layers}
    for ident, collection in sorted(collections.items()):
        if ident in reserved:
            found.append(problem(collection.path, 1, "id", f"collection id {ident!r} is a folder the site already uses ({', '.join(sorted(reserved))})"))
    return Content(layers, note_list, overviews, dataset_map, chart_map, table_map, collections=collections), found


def load(paths: Paths, layers: list[Layer], render: safety.Render | None = None) -> Content:
    """Load and validate every input; raise once with every problem found."""
    content, found = collect(paths, layers, cache=True, render=render)
    raise_if_any(found)
    return content


def render_charts(content: Content, cache_dir: Path) -> None:
    content.rendered = {
        ident: charts.render_chart(chart, content.datasets, cache_dir) for ident, chart in sorted(content.charts.items())
    }
    content.marks = highlight.chart_marks(content.charts, content.rendered, cache_dir, entities.drawn_datasets(content.collections))


def emit(content: Content, page_files: dict[str, str], cache_dir: Path) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = dict(page_files)
    for ident, chart in sorted(content.charts.items()):
        files.update(chartpages.chart_artefacts(chart, content.rendered[ident], content.datasets))
    for dataset in content.datasets.values():
        files.update(chartpages.dataset_artefacts(dataset))
    files.update(assets.site_assets(cache_dir))
    return files


def run(root: Path, layers: list[Layer], render: safety.Render | None = None) -> Artefacts:
    paths = Paths(root)
    clock = _Clock()
    content = clock.stage("load", lambda: load(paths, layers, render))
    safety.verdicts().save()
    clock.stage("render charts", lambda: render_charts(content, paths.cache))
    linked = clock.stage("link", lambda: link(content))
    page_files = clock.stage("render pages", lambda: pages(content, linked))
    files = clock.stage("emit", lambda: emit(content, page_files, paths.cache))
    rendered = content.rendered.values()
    return Artefacts(
        files=files,
        home=home_sections(content),
        watch=[paths.notes, paths.charts],
        tags={note.slug: list(note.meta.tags or []) for note in content.notes},
        timings=clock.timings,
        charts_rendered=sum(1 for r in rendered if not r.from_cache),
        charts_cached=sum(1 for r in rendered if r.from_cache),
        sources=page_sources(content),
    )


def page_sources(content: Content) -> dict[str, Path]:
    """The source file of each generated page, to name it when its rendered HTML fails the safety check."""
    from .paths import chart_page_uri, dataset_page_uri, layer_index_uri, note_uri, table_page_uri

    found: dict[str, Path] = {note_uri(n.layer, n.slug): n.path for n in content.notes}
    found.update({layer_index_uri(layer): o.path for layer, o in content.overviews.items()})
    found.update({chart_page_uri(i): c.path for i, c in content.charts.items()})
    found.update({dataset_page_uri(i): d.path for i, d in content.datasets.items()})
    found.update({table_page_uri(i): t.path for i, t in content.tables.items()})
    return found


@dataclass
class Checked:
    content: Content  # what loaded and validated
    problems: list[Problem]  # load problems and link problems, all of them


def check(root: Path, layers: list[Layer]) -> Checked:
    """The build's validation (load, then link) without rendering charts or writing anything.

    Unlike the build, link also runs when loading found problems, over what did load, so that one
    run reports every problem; charts get their trend fits (quoted by {{fit ...}}) but no SVG.
    """
    content, found = collect(Paths(root), layers)
    for ident, chart in sorted(content.charts.items()):
        try:
            fits = charts.chart_fits(chart, content.datasets)
        except (ValueError, KeyError) as exc:
            found.append(problem(chart.path, None, "trends", str(exc)))
            fits = []
        content.rendered[ident] = charts.RenderedChart(
            svg_light="", svg_dark="", spec={}, rows=[], csv="", json="", fits=fits, from_cache=True
        )
    try:
        link(content)
    except ProblemsError as exc:
        found += exc.problems
    return Checked(content, found)


class _Clock:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    def stage(self, name, fn):
        start = time.perf_counter()
        result = fn()
        self.timings[name] = time.perf_counter() - start
        return result
