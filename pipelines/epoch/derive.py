"""Derive the project's YAML datasets from Epoch AI's CSV snapshots.

The CSVs (``../shared/data/epoch/``) are input material and are never committed; this pipeline selects
rows and columns, makes units explicit, gives every row one source, and renders each dataset as YAML
text in the format of CONTRIBUTING.md ("Datasets"). Rendering is deterministic: fixed key order,
rows sorted by stable keys, numbers in one canonical spelling, so two runs give identical bytes.

Every bad value found in the CSVs (unparseable number, date or price, missing column) becomes a
Problem naming the CSV file, the line where the record starts and the CSV column; all are collected
and raised together, and nothing is written.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Callable

import pandas as pd

from landscape.datasets import DatasetHeader, load_dataset
from landscape.problems import Problem

from .cells import DeriveError, read_epoch_csv
from .hardware import CHIP_COLUMNS, PRICE_COLUMNS, derive_hardware_prices, derive_ml_hardware
from .model import CHIPS_CSV, COSTS_CSV, MODELS_CSV, PRICES_CSV
from .models import COST_COLUMNS, MODEL_COLUMNS, derive_notable_models, derive_training_costs
from .render import render_dataset

REQUIRED = {
    MODELS_CSV: list(MODEL_COLUMNS.values()),
    CHIPS_CSV: list(CHIP_COLUMNS.values()),
    COSTS_CSV: list(COST_COLUMNS.values()),
    PRICES_CSV: list(PRICE_COLUMNS.values()),
}


def derive_all(epoch_dir: Path) -> dict[str, str]:
    """File name -> YAML text for every derived dataset; raises DeriveError listing every problem.

    A CSV that cannot be used at all (unreadable, no header, missing columns) stops the datasets
    built from it; the others are still derived so that one run reports every problem.
    """
    found: list[Problem] = []
    frames: dict[str, pd.DataFrame | None] = {}  # None: the CSV cannot be used
    for name, required in REQUIRED.items():
        frame, problems = read_epoch_csv(epoch_dir / name, required)
        frames[name] = frame
        found.extend(problems)
    derivations: list[tuple[tuple[str, ...], Callable[[], tuple[DatasetHeader, list[Problem]]]]] = [
        ((MODELS_CSV,), lambda: derive_notable_models(frames[MODELS_CSV], epoch_dir / MODELS_CSV)),
        ((CHIPS_CSV,), lambda: derive_ml_hardware(frames[CHIPS_CSV], epoch_dir / CHIPS_CSV)),
        ((COSTS_CSV, MODELS_CSV), lambda: derive_training_costs(frames[COSTS_CSV], epoch_dir / COSTS_CSV,
                                                                frames[MODELS_CSV], epoch_dir / MODELS_CSV)),
        ((PRICES_CSV,), lambda: derive_hardware_prices(frames[PRICES_CSV], epoch_dir / PRICES_CSV)),
    ]
    outputs: dict[str, str] = {}
    for inputs, derive in derivations:
        if any(frames[name] is None for name in inputs):
            continue
        dataset, problems = derive()
        found.extend(problems)
        name = f"{dataset.id}.yaml"
        outputs[name] = render_dataset(dataset)
        if not problems:
            found.extend(loader_problems(name, outputs[name]))
    if found:
        raise DeriveError(found)
    return dict(sorted(outputs.items()))


def loader_problems(name: str, text: str) -> list[Problem]:
    """What the site's dataset loader (landscape/datasets.py) finds wrong with a derived file: none, unless
    a derivation writes a unit pint does not know, a value of the wrong type or a row without a source."""
    with tempfile.TemporaryDirectory(prefix="derived-") as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8", newline="\n")
        _, problems = load_dataset(path)
    return [replace(p, file=f"{name} (as derived)") for p in problems]


def write_atomically(outputs: dict[str, str], out_dir: Path) -> list[Path]:
    """Write every file to a temporary sibling first, then rename them all into place.

    A failure while writing leaves the old datasets untouched (and removes the temporaries).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, text in outputs.items():
            target = out_dir / name
            temp = out_dir / f".{name}.tmp"
            staged.append((temp, target))
            temp.write_text(text, encoding="utf-8", newline="\n")
    except BaseException:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise
    for temp, target in staged:
        temp.replace(target)
    return [target for _, target in staged]