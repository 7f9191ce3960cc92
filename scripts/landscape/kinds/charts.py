"""Charts (charts/*.yaml): trend fits at load, SVG/PNG/spec at render, a page each, the gallery."""

from __future__ import annotations

from pathlib import Path

from .. import chartpages, charts
from ..content import Content, Linked, layer_titles_of, users_graph, note_titles
from ..link import simple_link_word
from ..pagekit import search_fields
from ..paths import GALLERY_URI, Paths, chart_page_uri
from ..schemas import Schema
from . import Kind, LoadContext


def _load(files: list[Path], context: LoadContext):
    return charts.load_charts(files, context.loaded.get("dataset", {}))  # trend fits included


def chart_theme(options: dict) -> charts.ChartTheme:
    """The chart theme: the built-in one, with mkdocs.yml's chart_theme (font, light, dark) over it."""
    default = charts.ChartTheme()
    return charts.ChartTheme(
        font=options.get("font", default.font),
        light={**default.light, **options.get("light", {})},
        dark={**default.dark, **options.get("dark", {})},
    )


def _render(content: Content, paths: Paths) -> None:
    theme = chart_theme(content.config.chart_theme)
    content.outputs["chart"] = {
        ident: charts.render_chart(chart, content.datasets, paths.cache, theme) for ident, chart in sorted(content.charts.items())
    }


def _pages(content: Content, linked: Linked) -> dict[str, str]:
    titles = note_titles(content)
    out: dict[str, str] = {}
    for ident, chart in content.charts.items():
        slugs = linked.users_of("chart", ident)
        page = chartpages.chart_page(chart, content.rendered[ident], content.datasets, [titles[s] for s in slugs], content.config.site_name)
        out[chart_page_uri(ident)] = search_fields(page, "Chart", layer_titles_of(content, linked, slugs))
    out[GALLERY_URI] = chartpages.gallery_page(content.charts, content.rendered)
    return out


def _artefacts(content: Content) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    for ident, chart in sorted(content.charts.items()):
        files.update(chartpages.chart_artefacts(chart, content.rendered[ident], content.datasets, content.config.site_name))
    return files


CHARTS = Kind(
    name="chart",
    plural="charts",
    files=lambda paths: paths.chart_files(),
    load=_load,
    link_words=lambda items: simple_link_word("chart", items, chart_page_uri),
    embed_word="chart",
    embed=lambda chart, content, src_uri: chartpages.chart_embed(chart, content.rendered[chart.id], src_uri),
    quote_word="fit",
    quote=lambda chart, name: chartpages.fit_text(chart, chart.fits, name),
    render=_render,
    pages=_pages,
    artefacts=_artefacts,
    sources=lambda items: {chart_page_uri(i): c.path for i, c in items.items()},
    graph=lambda content, linked: users_graph(content, linked, "chart"),
    reads=("dataset",),
    schema=Schema("chart", "landscape.charts", "ChartModel", "Chart", "charts/<id>.yaml"),
)
