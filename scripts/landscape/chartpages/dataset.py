"""Dataset pages, the data index and a dataset's downloads."""

from __future__ import annotations

import json
from typing import Any, Iterable

from .. import paths
from ..charts import Chart
from ..datasets import Dataset, records_csv, row_record
from .markup import MAX_TABLE_ROWS, _a, source_line, _used_by, cell, cell_html, esc, front_matter, html_table, index_page, md_link


def _chart_refs(used_by_charts: Iterable[Any]) -> list[tuple[str, str]]:
    refs = []
    for item in used_by_charts:
        if isinstance(item, Chart):
            refs.append((item.spec.title, paths.chart_page_uri(item.id)))
        else:
            refs.append(tuple(item))
    return refs


def dataset_page(dataset: Dataset, used_by_charts: Iterable[Any] = ()) -> str:
    uri = paths.dataset_page_uri(dataset.id)
    out = [front_matter(dataset.title, dataset.description), f"# {dataset.title}\n\n", " ".join(dataset.description.split()) + "\n\n"]
    out.append(f"Credit: {dataset.credit}. Licence: {dataset.licence}. {len(dataset.rows)} rows.\n\n")
    csv_link = md_link(uri, paths.dataset_asset_uri(dataset.id, "csv"))
    json_link = md_link(uri, paths.dataset_asset_uri(dataset.id, "json"))
    out.append(f"Downloads: [CSV]({csv_link}) · [JSON]({json_link})\n\n")
    out.append("## Columns\n\n| Column | Type | Unit | Description |\n|---|---|---|---|\n")
    for column in dataset.columns:
        out.append(f"| `{column.name}` | {column.type} | {cell(column.unit) if column.unit else '–'} | {cell(column.description)} |\n")
    out.append("\n## Sources\n\n")
    for key, source in dataset.sources.items():
        out.append(f"- `{key}`: {source_line(source)}\n")
    out.append("\n## Charts that use it\n\n" + _used_by(_chart_refs(used_by_charts), uri))
    out.append("\n## Rows\n\n")
    names = [c.name for c in dataset.columns]
    rows = [
        [*(cell_html(row.values.get(n)) for n in names), f"<code>{esc(row.source)}</code>", _a(row.reference, "link") if row.reference else "–"]
        for row in dataset.rows[:MAX_TABLE_ROWS]
    ]
    out.append(html_table([*names, "source", "reference"], rows))
    if len(dataset.rows) > MAX_TABLE_ROWS:
        out.append(f"\nThe first {MAX_TABLE_ROWS} of {len(dataset.rows)} rows; the downloads hold all of them.\n")
    return "".join(out)


def datasets_index(datasets: dict[str, Dataset]) -> str:
    uri = paths.DATASETS_INDEX_URI
    lines = (
        f"| [{cell(d.title)}]({md_link(uri, paths.dataset_page_uri(d.id))}) | {len(d.rows)} | {', '.join(f'`{c.name}`' for c in d.columns)} | {cell(d.licence)} |\n"
        for d in sorted(datasets.values(), key=lambda d: d.title.lower())
    )
    return index_page("Data", "Every dataset behind the charts: columns with units, sources, downloads.",
                      "| Dataset | Rows | Columns | Licence |\n|---|---:|---|---|\n", lines)


def dataset_artefacts(dataset: Dataset) -> dict[str, str]:
    records = [row_record(dataset, row) for row in dataset.rows]
    payload = {
        "id": dataset.id,
        "title": dataset.title,
        "licence": dataset.licence,
        "credit": dataset.credit,
        "columns": [{"name": c.name, "type": c.type, "unit": c.unit, "description": c.description} for c in dataset.columns],
        "sources": {k: {"title": s.title, "url": s.url, "publisher": s.publisher, "date": s.date.isoformat() if s.date else None} for k, s in dataset.sources.items()},
        "rows": records,
    }
    return {
        paths.dataset_asset_uri(dataset.id, "csv"): records_csv(records),
        paths.dataset_asset_uri(dataset.id, "json"): json.dumps(payload, sort_keys=True, indent=1, ensure_ascii=False) + "\n",
    }
