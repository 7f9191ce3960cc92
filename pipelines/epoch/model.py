"""What every derived dataset shares: Epoch's sources and snapshot, and landscape's dataset models
(DatasetHeader, ColumnModel, Source) that each derivation builds, so that a derived dataset has the
shape the site's loader checks (landscape/datasets.py), not a shape of its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from landscape.datasets import ColumnModel, DatasetHeader
from landscape.model import Source

SNAPSHOT_DATE = "2025-08-07"
LICENCE = "CC BY 4.0"
CREDIT = "Epoch AI"

MODELS_CSV = "ai-models.csv"
CHIPS_CSV = "chips.csv"
COSTS_CSV = "model-costs.csv"
PRICES_CSV = "hardware-prices.csv"
INPUT_FILES = (MODELS_CSV, CHIPS_CSV, COSTS_CSV, PRICES_CSV)

EPOCH_SOURCE = {"publisher": "Epoch AI", "date": dt.date.fromisoformat(SNAPSHOT_DATE)}
SOURCES: dict[str, dict[str, Any]] = {
    "epoch-models": {
        "title": "Parameter, Compute and Data Trends in Machine Learning (Epoch AI database of AI models)",
        "url": "https://epoch.ai/data/ai-models",
        **EPOCH_SOURCE,
    },
    "epoch-hardware": {
        "title": "Data on Machine Learning Hardware",
        "url": "https://epoch.ai/data/machine-learning-hardware",
        **EPOCH_SOURCE,
    },
    "epoch-costs": {
        "title": "The rising costs of training frontier AI models",
        "url": "https://arxiv.org/abs/2405.21015",
        "publisher": "Epoch AI",
    },
    "epoch-costs-code": {
        "title": "training-cost-trends: code and data for 'The rising costs of training frontier AI models'",
        "url": "https://github.com/epoch-research/training-cost-trends",
        **EPOCH_SOURCE,
    },
}

SNAPSHOT_NOTE = (
    f"Snapshot: Epoch AI's CSVs as kept in the repository epoch-research/training-cost-trends "
    f"(commit 263c40a, data last changed {SNAPSHOT_DATE})."
)


def column(name: str, type: str, description: str, unit: str | None = None) -> ColumnModel:
    return ColumnModel(name=name, type=type, unit=unit, description=description)


def build_dataset(ident: str, title: str, description: str, sources: dict[str, dict[str, Any]],
            columns: list[ColumnModel], rows: list[dict[str, Any]]) -> DatasetHeader:
    """A derived dataset: Epoch's licence and credit, sources checked as the loader checks them; rows are
    plain dicts (column name -> value, plus source and reference), rendered by render.py."""
    return DatasetHeader(id=ident, title=title, description=description, licence=LICENCE, credit=CREDIT,
                         sources={key: Source(**source) for key, source in sources.items()},
                         columns=columns, rows=rows)
