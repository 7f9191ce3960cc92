"""Datasets (charts/data/*.yaml): a page and downloads each, and the datasets index."""

from __future__ import annotations

from pathlib import Path

from .. import chartpages, datasets
from ..content import Content, Linked, layer_titles_of, users_graph
from ..link import simple_link_word
from ..pagekit import search_fields
from ..paths import DATASETS_INDEX_URI, dataset_page_uri
from ..schemas import Schema
from . import Kind, LoadContext


def _load(files: list[Path], context: LoadContext):
    return datasets.load_datasets(files, context.paths.cache if context.use_cache else None)


def _pages(content: Content, linked: Linked) -> dict[str, str]:
    out: dict[str, str] = {}
    for ident, dataset in content.datasets.items():
        charts = [chart for chart in content.charts.values() if ident in chart.datasets]
        users = [slug for chart in charts for slug in linked.users_of("chart", chart.id)]
        page = chartpages.dataset_page(dataset, charts)
        out[dataset_page_uri(ident)] = search_fields(page, "Dataset", layer_titles_of(content, linked, users))
    out[DATASETS_INDEX_URI] = chartpages.datasets_index(content.datasets)
    return out


def _artefacts(content: Content) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    for dataset in content.datasets.values():
        files.update(chartpages.dataset_artefacts(dataset))
    return files


DATASETS = Kind(
    name="dataset",
    plural="datasets",
    files=lambda paths: paths.dataset_files(),
    load=_load,
    link_words=lambda items: simple_link_word("dataset", items, dataset_page_uri),
    pages=_pages,
    artefacts=_artefacts,
    sources=lambda items: {dataset_page_uri(i): d.path for i, d in items.items()},
    graph=lambda content, linked: users_graph(content, linked, "chart"),
    reads=("chart",),  # a dataset's page lists the charts drawn from it
    watch=lambda paths: [paths.charts],
    schema=Schema("dataset", "landscape.datasets", "DatasetHeader", "Dataset", "charts/data/<id>.yaml"),
)
