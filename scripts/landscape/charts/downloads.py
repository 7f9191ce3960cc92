"""The downloads of a chart: the rows it draws as CSV and JSON."""

from __future__ import annotations

import json

from ..datasets import Dataset, records_csv
from .model import Chart
from .vegalite import credit_line


def rows_csv(chart: Chart, records: list[list[dict]]) -> str:
    """The rows drawn, every series, as CSV with a leading column named `layer` (the series' label or
    dataset id; the name readers of the downloads already know)."""
    named = (
        {"layer": series.label or series.dataset, **record}
        for series, series_records in zip(chart.spec.series, records)
        for record in series_records
    )
    return records_csv(named, lead=("layer",))


def rows_json(chart: Chart, datasets: dict[str, Dataset], records: list[list[dict]]) -> str:
    payload = {
        "chart": chart.id,
        "title": chart.spec.title,
        "credit": credit_line(chart, datasets),
        "layers": [
            {"dataset": series.dataset, "label": series.label, "rows": records[index]}
            for index, series in enumerate(chart.spec.series)
        ],
    }
    return json.dumps(payload, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
