"""notable-models and training-costs: Epoch's database of AI models and its training-cost estimates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from landscape.datasets import DatasetHeader, Range
from landscape.problems import Problem, problem, shorten

from .cells import LINE_COLUMN, CellParser, first_listed, first_url, ratio, DERIVED_DIGITS
from .model import MODELS_CSV, SNAPSHOT_NOTE, SOURCES, build_dataset, column


MODEL_COLUMNS = {
    "model": "Model",
    "domain": "Domain",
    "organization": "Organization",
    "released": "Publication date",
    "link": "Link",
    "parameters": "Parameters",
    "compute": "Training compute (FLOP)",
    "compute_low": "Training compute lower bound",
    "compute_high": "Training compute upper bound",
    "dataset_size": "Training dataset size (datapoints)",
    "hardware": "Training hardware",
    "confidence": "Confidence",
    "accessibility": "Model accessibility",
    "cost": "Training compute cost (2023 USD)",
    "rank": "Compute rank when published",
    "hardware_quantity": "Hardware quantity",
    "training_time": "Training time (hours)",
    "chip_hours": "Training chip-hours",
    "power_draw": "Training power draw (W)",
    "mfu": "Hardware utilization (MFU)",
    "post_training_compute": "Post-training compute (FLOP)",
    "epochs": "Epochs",
    "numerical_format": "Numerical format",
    "base_model": "Base model",
}
FRONTIER_RANK = 10
# Columns copied from Epoch's CSV as they are (numbers parsed, text trimmed).
MODEL_NUMBERS_AS_GIVEN = ("hardware_quantity", "training_time", "chip_hours", "power_draw", "mfu",
                          "post_training_compute", "epochs")
MODEL_TEXTS_AS_GIVEN = ("numerical_format", "base_model")


def mark_largest_with_cluster(rows: list[dict[str, Any]]) -> int:
    """Set ``largest_with_cluster`` on every row; returns how many rows it marks.

    True for the one model per calendar year of publication with the most training compute (central
    estimate) among that year's models with a hardware quantity and no base model; a tie goes to the
    earlier row in the dataset's order (publication date, then name). False for every other row.
    Fine-tunes are left out because Epoch's compute for them includes the base model's training,
    while their hardware quantity is the fine-tuning cluster's (Minerva: PaLM's compute, 1,024 chips).
    """
    best: dict[int, dict[str, Any]] = {}
    for row in rows:
        row["largest_with_cluster"] = False
        if row["hardware_quantity"] is None or row["base_model"] is not None:
            continue
        year = row["released"].year
        if year not in best or central_value(row["compute"]) > central_value(best[year]["compute"]):
            best[year] = row
    for row in best.values():
        row["largest_with_cluster"] = True
    return len(best)


def central_value(value: float | Range) -> float:
    return value.central if isinstance(value, Range) else value


def compute_value(central: float, low: float | None, high: float | None) -> float | Range:
    """Central estimate, or a range when Epoch gives a bound on the correct side of it.

    A bound on the wrong side of the central value (lower bound above it) is dropped; a range whose
    bounds both equal the central value collapses to the number.
    """
    low = low if low is not None and low <= central else None
    high = high if high is not None and high >= central else None
    if low is None and high is None:
        return central
    if low == central and high == central:
        return central
    return Range(low, central, high)


def derive_notable_models(models: pd.DataFrame, path: Path) -> tuple[DatasetHeader, list[Problem]]:
    cells = CellParser(path)
    c = MODEL_COLUMNS
    rows = []
    total = len(models)
    with_compute = 0
    for _, row in models.iterrows():
        compute = cells.number(row, c["compute"])
        if compute is None:
            continue
        with_compute += 1
        released = cells.date(row, c["released"])
        if released is None:
            continue
        low = cells.number(row, c["compute_low"])
        high = cells.number(row, c["compute_high"])
        rank = cells.number(row, c["rank"])
        rows.append({
            "model": cells.text(row, c["model"]),
            "organization": cells.text(row, c["organization"]),
            "domain": first_listed(cells.text(row, c["domain"])),
            "released": released,
            "parameters": cells.number(row, c["parameters"]),
            "compute": compute_value(compute, low, high),
            "dataset_size": cells.number(row, c["dataset_size"]),
            "hardware": cells.text(row, c["hardware"]),
            "cost": cells.usd(row, c["cost"]),
            "confidence": cells.text(row, c["confidence"]),
            "frontier": rank is not None and rank <= FRONTIER_RANK,
            "accessibility": cells.text(row, c["accessibility"]),
            **{key: cells.number(row, c[key]) for key in MODEL_NUMBERS_AS_GIVEN},
            **{key: cells.text(row, c[key]) for key in MODEL_TEXTS_AS_GIVEN},
            "source": "epoch-models",
            "reference": first_url(cells.text(row, c["link"])),
        })
    rows.sort(key=lambda r: (r["released"], r["model"] or ""))
    for r in rows:
        r["data_per_parameter"] = ratio(r["dataset_size"], r["parameters"])
    marked = mark_largest_with_cluster(rows)
    ranges = sum(isinstance(r["compute"], Range) for r in rows)
    frontier = sum(r["frontier"] for r in rows)
    description = (
        f"One row per model in Epoch AI's database of AI models (CSV 'All ML Systems - full view', "
        f"{total} models) that has a training compute estimate and a publication date: {len(rows)} of the "
        f"{with_compute} models with training compute. Values are Epoch's, converted to numbers; "
        f"compute is a range (low/central/high) for the {ranges} models where Epoch gives a lower or upper "
        f"bound on the correct side of the central estimate (a missing side is null). "
        f"frontier is true when Epoch's 'Compute rank when published' is {FRONTIER_RANK} or less "
        f"({frontier} models), false when the rank is higher or Epoch gives no rank. "
        f"dataset_size is Epoch's 'Training dataset size (datapoints)': the unit of a datapoint depends on "
        f"the domain (words or tokens for language, images for vision), so it is declared dimensionless. "
        f"cost is Epoch's 'Training compute cost (2023 USD)': amortized hardware and energy cost of the "
        f"final training run. reference is the row's own paper or announcement (Epoch's 'Link'). "
        f"hardware_quantity, training_time, chip_hours, power_draw, mfu, post_training_compute, epochs, "
        f"numerical_format and base_model are Epoch's columns 'Hardware quantity', 'Training time (hours)', "
        f"'Training chip-hours', 'Training power draw (W)', 'Hardware utilization (MFU)', 'Post-training compute "
        f"(FLOP)', 'Epochs', 'Numerical format' and 'Base model' (the model a fine-tune starts from), as Epoch gives "
        f"them; power_draw is Epoch's estimate of the training hardware's power, not a measurement. "
        f"data_per_parameter = dataset_size / parameters, computed by the script to {DERIVED_DIGITS} significant "
        f"figures (tokens or words per parameter for language models). largest_with_cluster marks, for each "
        f"calendar year, the model with the most training compute among that year's models with a hardware "
        f"quantity and no base model ({marked} years; a fine-tune's compute includes its base model's, but its "
        f"hardware quantity is the fine-tuning cluster's). "
        f"{SNAPSHOT_NOTE}"
    )
    columns = [
        column("model", "string", "Model name as in Epoch's database"),
        column("organization", "string", "Developing organization(s), comma-separated as in Epoch's data"),
        column("domain", "string", "Epoch's first listed domain (Language, Vision, Biology, ...)"),
        column("released", "date", "Publication date"),
        column("parameters", "number", "Trainable parameters", "parameter"),
        column("compute", "number", "Training compute; a range where Epoch gives bounds", "FLOP"),
        column("dataset_size", "number",
               "Training dataset size in Epoch's datapoints (unit depends on domain: words, tokens, images, ...)",
               "dimensionless"),
        column("hardware", "string", "Training hardware, as named in Epoch's chip data"),
        column("cost", "number", "Training compute cost in 2023 USD, amortized hardware and energy (Epoch)", "USD"),
        column("confidence", "string", "Epoch's confidence in the compute estimate (Confident, Likely, Speculative)"),
        column("frontier", "boolean", f"Among the top {FRONTIER_RANK} by training compute when published (Epoch's rank)"),
        column("accessibility", "string", "Model accessibility (open weights, API access, unreleased, ...)"),
        column("hardware_quantity", "number", "Number of training chips (Epoch's 'Hardware quantity')", "dimensionless"),
        column("training_time", "number", "Training time (wall clock)", "hour"),
        column("chip_hours", "number", "Training chip-hours", "hour"),
        column("power_draw", "number", "Power draw of the training hardware, Epoch's estimate", "W"),
        column("mfu", "number", "Hardware utilization (model FLOP utilization, a fraction of peak)", "dimensionless"),
        column("post_training_compute", "number", "Post-training compute", "FLOP"),
        column("epochs", "number", "Passes over the training dataset", "dimensionless"),
        column("numerical_format", "string", "Numerical format(s) of training (FP8, BF16, ...)"),
        column("base_model", "string", "The model this one was fine-tuned from (Epoch's 'Base model')"),
        column("data_per_parameter", "number", "dataset_size / parameters (datapoints per parameter)", "dimensionless"),
        column("largest_with_cluster", "boolean",
               "Most training compute of its publication year among models with a hardware quantity and no base model"),
    ]
    dataset = build_dataset("notable-models", "Notable AI models: training compute, parameters and data",
                      description, {"epoch-models": SOURCES["epoch-models"]}, columns, rows)
    return dataset, cells.problems


COST_COLUMNS = {
    "model": "Model",
    "cloud": "Cloud_Cost",
    "acquisition": "Hardware_Acquisition_Cost",
    "amortized": "Hardware_Capex_Energy_Cost",
}


def derive_training_costs(costs: pd.DataFrame, costs_path: Path,
                          models: pd.DataFrame, models_path: Path) -> tuple[DatasetHeader, list[Problem]]:
    cells = CellParser(costs_path)
    model_cells = CellParser(models_path)
    by_name = {str(r[MODEL_COLUMNS["model"]]).strip(): r for _, r in models.iterrows()}
    rows = []
    for _, row in costs.iterrows():
        name = cells.text(row, COST_COLUMNS["model"])
        if name is None:
            cells.problems.append(problem(costs_path, int(row[LINE_COLUMN]), COST_COLUMNS["model"], "model name is empty"))
            continue
        match = by_name.get(name)
        if match is None:
            cells.problems.append(problem(costs_path, int(row[LINE_COLUMN]), COST_COLUMNS["model"],
                                          f"model {shorten(name)} is not in {MODELS_CSV}"))
            continue
        rows.append({
            "model": name,
            "organization": model_cells.text(match, MODEL_COLUMNS["organization"]),
            "released": model_cells.date(match, MODEL_COLUMNS["released"]),
            "compute": model_cells.number(match, MODEL_COLUMNS["compute"]),
            "cloud_cost": cells.number(row, COST_COLUMNS["cloud"]),
            "hardware_acquisition_cost": cells.number(row, COST_COLUMNS["acquisition"]),
            "amortized_cost": cells.number(row, COST_COLUMNS["amortized"]),
            "source": "epoch-costs",
            "reference": first_url(model_cells.text(match, MODEL_COLUMNS["link"])),
        })
    rows.sort(key=lambda r: (r["released"] or dt.date.max, r["model"]))
    description = (
        f"One row per model in Epoch AI's training-cost estimates (model_costs.csv of the repository "
        f"epoch-research/training-cost-trends, code for Cottier et al., 'The rising costs of training frontier "
        f"AI models', arXiv 2405.21015): {len(rows)} models, each joined by name to Epoch's database of AI models "
        f"for organization, publication date and training compute. Three estimates of the final training run: "
        f"cloud_cost (cloud rental at 3-year committed-use prices), hardware_acquisition_cost (buying the "
        f"training cluster's hardware) and amortized_cost (amortized hardware CapEx + energy, the paper's main "
        f"method); null where Epoch gives no estimate. Dollar basis: USD of December 2024, not the 2023 USD of "
        f"the paper and of Epoch's 'Training compute cost (2023 USD)' column. The repository's "
        f"update_model_costs.ipynb adjusts costs to 2024-12 with the US producer price index for data "
        f"processing and hosting (FRED PCU518210518210), and for the models whose estimate is otherwise unchanged "
        f"amortized_cost equals Epoch's 2023 USD figure times 1.0027, the ratio of that index in December 2024 "
        f"(119.349) to December 2023 (119.029). reference is the model's own paper or announcement. "
        f"{SNAPSHOT_NOTE}"
    )
    columns = [
        column("model", "string", "Model name as in Epoch's data"),
        column("organization", "string", "Developing organization(s)"),
        column("released", "date", "Publication date"),
        column("compute", "number", "Training compute", "FLOP"),
        column("cloud_cost", "number", "Cloud rental cost of the final training run, December 2024 USD", "USD"),
        column("hardware_acquisition_cost", "number",
               "Acquisition cost of the training hardware, December 2024 USD", "USD"),
        column("amortized_cost", "number",
               "Amortized hardware CapEx + energy of the final training run, December 2024 USD", "USD"),
    ]
    sources = {key: SOURCES[key] for key in ("epoch-costs", "epoch-costs-code")}
    dataset = build_dataset("training-costs", "Training costs of frontier AI models", description, sources, columns, rows)
    return dataset, cells.problems + model_cells.problems


