"""The downloads of a chart: the rows it draws as CSV and JSON."""

from __future__ import annotations

import csv
import io
import json

from ..datasets import Dataset
from .model import Chart
from .vegalite import credit_line


def rows_csv(chart: Chart, records: list[list[dict]]) -> str:
    """The rows drawn, every layer, as CSV with a leading `layer` column (label or dataset id)."""
    columns: list[str] = []
    for layer_records in records:
        for record in layer_records:
            for name in record:
                if name not in columns:
                    columns.append(name)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["layer", *columns])
    for index, layer_records in enumerate(records):
        layer = chart.spec.layers[index]
        name = layer.label or layer.dataset
        for record in layer_records:
            writer.writerow([name, *("" if record.get(c) is None else record.get(c) for c in columns)])
    return out.getvalue()


def rows_json(chart: Chart, datasets: dict[str, Dataset], records: list[list[dict]]) -> str:
    payload = {
        "chart": chart.id,
        "title": chart.spec.title,
        "credit": credit_line(chart, datasets),
        "layers": [
            {"dataset": layer.dataset, "label": layer.label, "rows": records[index]}
            for index, layer in enumerate(chart.spec.layers)
        ],
    }
    return json.dumps(payload, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
