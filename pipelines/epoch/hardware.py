"""ml-hardware and hardware-prices: Epoch's chip data and its hardware price records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from landscape.datasets import DatasetHeader
from landscape.problems import Problem

from .cells import CellParser, first_url, ratio, DERIVED_DIGITS
from .model import SNAPSHOT_NOTE, SOURCES, build_dataset, column


CHIP_COLUMNS = {
    "chip": "Hardware name",
    "manufacturer": "Manufacturer",
    "type": "Type",
    "released": "Release date",
    "price": "Release price (USD)",
    "fp32": "FP32 (single precision) performance (FLOP/s)",
    "fp16": "FP16 (half precision) performance (FLOP/s)",
    "tensor": "Tensor-FP16/BF16 performance (FLOP/s)",
    "die_size": "Die Size (mm^2)",
    "tdp": "TDP (W)",
    "transistors": "Number of transistors (millions)",
    "process": "Process size (nm)",
    "memory": "Memory size per board (Byte)",
    "bandwidth": "Memory bandwidth (byte/s)",
    "datasheet": "Link to datasheet",
    "ml_hardware": "ML hardware",
    "fp64": "FP64 (double precision) performance (FLOP/s)",
    "tf32": "TF32 (TensorFloat-32) performance (FLOP/s)",
    "fp8": "FP8 performance (FLOP/s)",
    "fp4": "FP4 performance (FLOP/s)",
}
PERFORMANCE_KEYS = ("fp32", "fp16", "tensor")


def chip_row(row: pd.Series, cells: CellParser) -> dict[str, Any]:
    c = CHIP_COLUMNS
    price = cells.usd(row, c["price"])
    fp32 = cells.number(row, c["fp32"])
    tensor = cells.number(row, c["tensor"])
    die = cells.number(row, c["die_size"])
    tdp = cells.number(row, c["tdp"])
    bandwidth = cells.number(row, c["bandwidth"])
    return {
        "chip": cells.text(row, c["chip"]),
        "manufacturer": cells.text(row, c["manufacturer"]),
        "type": cells.text(row, c["type"]),
        "released": cells.date(row, c["released"]),
        "price": price,
        "fp32": fp32,
        "fp16": cells.number(row, c["fp16"]),
        "tensor": tensor,
        "die_size": die,
        "tdp": tdp,
        "transistors": cells.number(row, c["transistors"], scale=1e6),
        "process": cells.number(row, c["process"]),
        "memory": cells.number(row, c["memory"]),
        "bandwidth": bandwidth,
        "fp32_per_usd": ratio(fp32, price),
        "tensor_per_usd": ratio(tensor, price),
        "fp32_density": ratio(fp32, die),
        "tensor_density": ratio(tensor, die),
        "fp32_per_watt": ratio(fp32, tdp),
        "ml_hardware": (cells.text(row, c["ml_hardware"]) or "").lower() == "checked",
        "fp64": cells.number(row, c["fp64"]),
        "tf32": cells.number(row, c["tf32"]),
        "fp8": cells.number(row, c["fp8"]),
        "fp4": cells.number(row, c["fp4"]),
        "tensor_per_watt": ratio(tensor, tdp),
        "bandwidth_per_tensor": ratio(bandwidth, tensor),
        "source": "epoch-hardware",
        "reference": first_url(cells.text(row, c["datasheet"])),
    }


# Columns added after the first release of ml-hardware; they do not take part in choosing between
# duplicate records, so adding them leaves the row set and every earlier cell unchanged.
LATER_CHIP_KEYS = frozenset({"fp64", "tf32", "fp8", "fp4", "tensor_per_watt", "bandwidth_per_tensor"})


def filled(row: dict[str, Any]) -> int:
    return sum(value is not None for key, value in row.items() if key not in LATER_CHIP_KEYS)


def derive_ml_hardware(chips: pd.DataFrame, path: Path) -> tuple[DatasetHeader, list[Problem]]:
    cells = CellParser(path)
    named = 0
    by_name: dict[str, dict[str, Any]] = {}
    duplicates = 0
    for _, row in chips.iterrows():
        if cells.text(row, CHIP_COLUMNS["chip"]) is None:
            continue
        named += 1
        derived = chip_row(row, cells)
        if derived["released"] is None or all(derived[k] is None for k in PERFORMANCE_KEYS):
            continue
        name = derived["chip"]
        if name in by_name:
            duplicates += 1
            if filled(derived) <= filled(by_name[name]):
                continue  # keep the record with more values; on a tie, the first in the file
        by_name[name] = derived
    rows = sorted(by_name.values(), key=lambda r: (r["released"], r["chip"]))
    ml = sum(r["ml_hardware"] for r in rows)
    priced = sum(r["price"] is not None for r in rows)
    description = (
        f"One row per chip in Epoch AI's chip database (CSV 'Chip dataset-Grid view', {named} named chips, "
        f"which underlies Epoch's Machine Learning Hardware data) that has a release date and at least one of "
        f"FP32, FP16 or tensor FP16/BF16 peak performance: {len(rows)} chips. Where a chip name appears twice, "
        f"the record with more values is kept ({duplicates} dropped). ml_hardware marks the {ml} chips "
        f"Epoch counts as machine-learning hardware (its 'ML hardware' flag). price is the release price in "
        f"nominal USD, given for {priced} chips. transistors is a count (Epoch gives millions). "
        f"Derived columns are computed by the script from Epoch's values: fp32_per_usd = fp32 / price, "
        f"tensor_per_usd = tensor / price, fp32_density = fp32 / die_size, tensor_density = tensor / die_size, "
        f"fp32_per_watt = fp32 / tdp, tensor_per_watt = tensor / tdp, bandwidth_per_tensor = bandwidth / tensor (bytes of memory traffic per tensor FLOP), each to {DERIVED_DIGITS} significant figures. "
        f"fp64, tf32, fp8 and fp4 are Epoch's peak FP64, TF32, FP8 and FP4 throughputs (dense or sparse as Epoch gives them; null where Epoch gives none). INT8 throughput is left out (Epoch gives it in OP/s, not FLOP/s). "
        f"reference is the first datasheet URL Epoch lists. {SNAPSHOT_NOTE}"
    )
    columns = [
        column("chip", "string", "Chip name as in Epoch's data"),
        column("manufacturer", "string", "Manufacturer"),
        column("type", "string", "Chip type (GPU, TPU, ...)"),
        column("released", "date", "Release date"),
        column("price", "number", "Release price, nominal", "USD"),
        column("fp32", "number", "Peak FP32 (single precision) throughput", "FLOP/s"),
        column("fp16", "number", "Peak FP16 (half precision) throughput, without tensor cores", "FLOP/s"),
        column("tensor", "number", "Peak tensor FP16/BF16 throughput", "FLOP/s"),
        column("die_size", "number", "Die area", "mm^2"),
        column("tdp", "number", "Thermal design power", "W"),
        column("transistors", "number", "Number of transistors (count; Epoch's millions x 1e6)", "dimensionless"),
        column("process", "number", "Process node", "nm"),
        column("memory", "number", "Memory per board", "byte"),
        column("bandwidth", "number", "Memory bandwidth", "byte/s"),
        column("fp32_per_usd", "number", "fp32 / price", "FLOP/s/USD"),
        column("tensor_per_usd", "number", "tensor / price", "FLOP/s/USD"),
        column("fp32_density", "number", "fp32 / die_size", "FLOP/s/mm^2"),
        column("tensor_density", "number", "tensor / die_size", "FLOP/s/mm^2"),
        column("fp32_per_watt", "number", "fp32 / tdp", "FLOP/s/W"),
        column("ml_hardware", "boolean", "In Epoch's Machine Learning Hardware data ('ML hardware' flag)"),
        column("fp64", "number", "Peak FP64 (double precision) throughput", "FLOP/s"),
        column("tf32", "number", "Peak TF32 (TensorFloat-32) throughput", "FLOP/s"),
        column("fp8", "number", "Peak FP8 throughput", "FLOP/s"),
        column("fp4", "number", "Peak FP4 throughput", "FLOP/s"),
        column("tensor_per_watt", "number", "tensor / tdp", "FLOP/s/W"),
        column("bandwidth_per_tensor", "number", "bandwidth / tensor: bytes of memory traffic per tensor FLOP", "byte/FLOP"),
    ]
    dataset = build_dataset("ml-hardware", "Machine-learning hardware: performance, price, power and die size",
                      description, {"epoch-hardware": SOURCES["epoch-hardware"]}, columns, rows)
    return dataset, cells.problems


PRICE_COLUMNS = {
    "hardware": "Hardware model",
    "manufacturer": "Manufacturer",
    "vendor": "Vendor",
    "date": "Price date",
    "on_demand": "Price per chip-hour (on-demand)",
    "cud_1y": "Price per chip-hour (1-year CUD)",
    "cud_3y": "Price per chip-hour (3-year CUD)",
    "purchase": "Price (hardware purchase)",
    "gpus": "Number of GPUs",
    "link": "Price source",
}


def derive_hardware_prices(prices: pd.DataFrame, path: Path) -> tuple[DatasetHeader, list[Problem]]:
    cells = CellParser(path)
    c = PRICE_COLUMNS
    rows = []
    for _, row in prices.iterrows():
        date = cells.date(row, c["date"])
        hardware = cells.text(row, c["hardware"])
        if date is None or hardware is None:
            continue
        derived = {
            "hardware": hardware,
            "manufacturer": cells.text(row, c["manufacturer"]),
            "vendor": cells.text(row, c["vendor"]),
            "date": date,
            "purchase": cells.usd(row, c["purchase"]),
            "chips": cells.number(row, c["gpus"]),
            "on_demand": cells.usd(row, c["on_demand"]),
            "cud_1y": cells.usd(row, c["cud_1y"]),
            "cud_3y": cells.usd(row, c["cud_3y"]),
            "source": "epoch-hardware",
            "reference": first_url(cells.text(row, c["link"])),
        }
        if all(derived[k] is None for k in ("purchase", "on_demand", "cud_1y", "cud_3y")):
            continue
        rows.append(derived)
    rows.sort(key=lambda r: (r["date"], r["hardware"], r["vendor"] or "", r["reference"] or "",
                             tuple(-1.0 if r[k] is None else r[k] for k in ("purchase", "on_demand", "cud_1y", "cud_3y"))))
    description = (
        f"One row per price record in Epoch AI's hardware price data (CSV 'Hardware prices') that has a date, a "
        f"hardware name and at least one price: {len(rows)} records. purchase is the purchase price in nominal USD "
        f"for the number of chips in chips (a server such as a DGX-1 holds 8); on_demand, cud_1y and cud_3y are "
        f"cloud rental prices per chip-hour in nominal USD, on demand and with 1-year or 3-year committed-use "
        f"discounts. reference is the archived price page. {SNAPSHOT_NOTE}"
    )
    columns = [
        column("hardware", "string", "Hardware model as in Epoch's chip data"),
        column("manufacturer", "string", "Manufacturer"),
        column("vendor", "string", "Cloud vendor or seller (null for list prices)"),
        column("date", "date", "Date of the price"),
        column("purchase", "number", "Purchase price of the item, nominal", "USD"),
        column("chips", "number", "Chips in the priced item (Epoch's 'Number of GPUs')", "dimensionless"),
        column("on_demand", "number", "Cloud price per chip-hour, on demand, nominal", "USD/hour"),
        column("cud_1y", "number", "Cloud price per chip-hour, 1-year committed use, nominal", "USD/hour"),
        column("cud_3y", "number", "Cloud price per chip-hour, 3-year committed use, nominal", "USD/hour"),
    ]
    dataset = build_dataset("hardware-prices", "Purchase and cloud rental prices of ML hardware", description,
                      {"epoch-hardware": SOURCES["epoch-hardware"]}, columns, rows)
    return dataset, cells.problems


