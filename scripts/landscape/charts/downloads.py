"""The downloads of a chart: the rows it draws as CSV and JSON."""

from __future__ import annotations

import csv
import io
import json

from ..datasets import Dataset
from .model import Chart
from .vegalite import credit_line


def rows_csv(chart: Chart, records: list[list[dict]]) -> str:
    """The rows drawn, every series, as CSV with a leading column named `layer` (the series' label or
    dataset id; the name readers of the downloads already know)."""
    columns: list[str] = []
    for series_records in records:
        for record in series_records:
            for name in record:
                if name not in columns:
                    columns.append(name)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["layer", *columns])
    for index, series_records in enumerate(records):
        series = chart.spec.series[index]
        name = series.label or series.dataset
        for record in series_records:
            writer.writerow([name, *("" if record.get(c) is None else record.get(c) for c in columns)])
    return out.getvalue()


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
