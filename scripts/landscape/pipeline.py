"""The build, one line a stage: load, validate, render charts, link, render pages, emit.

``run`` returns plain data (Artefacts); only plugin.py knows MkDocs. Each stage collects every problem
it finds and raises one ProblemsError carrying all of them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from . import assets, chartpages, charts, datasets, notes, tables
from .notes import Layer
from .paths import Paths
from .problems import Problem, ProblemsError, problem, raise_if_any
from .site import Content, home_sections, link, pages


@dataclass
class Artefacts:
    files: dict[str, str | bytes]  # source URI -> content: generated pages (.md) and assets
    home: str  # Markdown for the home page's generated sections
    watch: list[Path]
    timings: dict[str, float] = field(default_factory=dict)
    charts_rendered: int = 0
    charts_cached: int = 0


def collect(paths: Paths, layers: list[Layer], cache: bool = False) -> tuple[Content, list[Problem]]:
    """Load and validate every input; return what loaded and every problem found (never raises).
    With ``cache``, unchanged datasets are read back from the build cache instead of parsed."""
    found: list[Problem] = []
    note_list, problems = notes.load_notes(paths.note_files() + paths.stray_note_files(), layers, paths.notes)
    found += problems
    overviews, problems = notes.load_overviews(paths.notes, layers)
    found += problems
    dataset_map, problems = datasets.load_datasets(paths.dataset_files(), paths.cache if cache else None)
    found += problems
    chart_map, problems = charts.load_charts(paths.chart_files(), dataset_map)
    found += problems
    table_map, problems = tables.load_tables(paths.table_files())
    found += problems
    return Content(layers, note_list, overviews, dataset_map, chart_map, table_map), found


def load(paths: Paths, layers: list[Layer]) -> Content:
    """Load and validate every input; raise once with every problem found."""
    content, found = collect(paths, layers, cache=True)
    raise_if_any(found)
    return content


def render_charts(content: Content, cache_dir: Path) -> None:
    content.rendered = {
        ident: charts.render_chart(chart, content.datasets, cache_dir) for ident, chart in sorted(content.charts.items())
    }


def emit(content: Content, page_files: dict[str, str], cache_dir: Path) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = dict(page_files)
    for ident, chart in sorted(content.charts.items()):
        files.update(chartpages.chart_artefacts(chart, content.rendered[ident], content.datasets))
    for dataset in content.datasets.values():
        files.update(chartpages.dataset_artefacts(dataset))
    files.update(assets.site_assets(cache_dir))
    return files


def run(root: Path, layers: list[Layer]) -> Artefacts:
    paths = Paths(root)
    clock = _Clock()
    content = clock.stage("load", lambda: load(paths, layers))
    clock.stage("render charts", lambda: render_charts(content, paths.cache))
    linked = clock.stage("link", lambda: link(content))
    page_files = clock.stage("render pages", lambda: pages(content, linked))
    files = clock.stage("emit", lambda: emit(content, page_files, paths.cache))
    rendered = content.rendered.values()
    return Artefacts(
        files=files,
        home=home_sections(content),
        watch=[paths.notes, paths.charts],
        timings=clock.timings,
        charts_rendered=sum(1 for r in rendered if not r.from_cache),
        charts_cached=sum(1 for r in rendered if r.from_cache),
    )


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
