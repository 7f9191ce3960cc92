"""Tests for the Epoch pipeline (pipelines/epoch, `python -m pipelines.epoch`) on small fixture CSVs."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
import yaml

from pydantic import ValidationError

from landscape.datasets import Range, load_datasets
from landscape.yamlio import parse_yaml
from pipelines.epoch import __main__ as entry
from pipelines.epoch import cells, derive, hardware, models
from pipelines.epoch.model import build_dataset, column
from pipelines.epoch.derive import DeriveError, derive_all, write_atomically
from pipelines.epoch.render import yaml_number, yaml_string

MODEL_HEADER = list(models.MODEL_COLUMNS.values()) + ["Notes"]
CHIP_HEADER = list(hardware.CHIP_COLUMNS.values()) + ["INT8 performance (OP/s)"]
COST_HEADER = list(models.COST_COLUMNS.values())
PRICE_HEADER = list(hardware.PRICE_COLUMNS.values())


def model(**values: str) -> dict[str, str]:
    return {name: values.get(key, "") for key, name in models.MODEL_COLUMNS.items()} | {"Notes": values.get("notes", "")}


def chip(**values: str) -> dict[str, str]:
    row = {name: values.get(key, "") for key, name in hardware.CHIP_COLUMNS.items()}
    return row | {"INT8 performance (OP/s)": values.get("int8", "")}


GPT3 = model(model="GPT-3 175B (davinci)", domain="Language", organization="OpenAI", released="2020-05-28",
             link="https://arxiv.org/abs/2005.14165", parameters="175000000000.0", compute="3.14e+23",
             dataset_size="374000000000.0", hardware="NVIDIA Tesla V100 DGXS 32 GB", confidence="Confident",
             accessibility="API access", cost="$2056969.34", rank="2",
             hardware_quantity="10000.0", training_time="355.2", chip_hours="3552000.0",
             power_draw="5100759.605963441", mfu="0.1966", epochs="0.6", numerical_format="FP16,FP32",
             notes="a note\nthat spans\nthree lines")
GROK = model(model="Grok-3", domain="Language", organization="xAI", released="2025-02-17", compute="4.6400000000000005e+26",
             compute_low="2.1e+26", compute_high="1.1299999999999998e+27", confidence="Confident", rank="1",
             hardware_quantity="100000.0", power_draw="137435820.25246143", post_training_compute="9.4e+22",
             link="https://x.ai/blog/grok-3\nhttps://example.org/second")
ODD = model(model='Mi:dm "200B" #1', domain="Vision,Language", organization="KT", released="2023-10-31",
            compute="1.2e+24", compute_low="5e+24", link="arxiv.org/abs/2501.14818", rank="11", confidence="Likely")
# Same year as GPT-3, more compute and a cluster, but a fine-tune: never the year's largest run.
TUNED = model(model="GPT-3 tuned", domain="Language", organization="OpenAI", released="2020-09-01",
              compute="4e+23", hardware_quantity="64", base_model="GPT-3 175B (davinci)")
# Same year as GPT-3, more compute, but no hardware quantity.
NO_CLUSTER = model(model="Bigger 2020", domain="Language", released="2020-12-01", compute="5e+23")
NO_COMPUTE = model(model="No compute", released="2020-01-01", parameters="1000")
NO_DATE = model(model="No date", compute="1e+20")

V100 = chip(chip="NVIDIA Tesla V100 SXM2", manufacturer="NVIDIA", type="GPU", released="2017-07-01", price="$11500.00",
            fp32="15670000000000", fp16="31330000000000", tensor="125000000000000", die_size="815.0", tdp="300.0",
            transistors="21100", process="12", memory="16000000000", bandwidth="897000000000",
            datasheet="https://images.nvidia.com/v100.pdf\nhttps://www.techpowerup.com/v100", ml_hardware="checked",
            fp64="7800000000000", int8="62000000000000")
RTX = chip(chip="NVIDIA GeForce RTX 4090", manufacturer="NVIDIA", type="GPU", released="2022-09-20", price="$4299.00",
           fp32="82580000000000", die_size="608.5", tdp="450.0", fp8="660000000000000")
CPU = chip(chip="Some CPU", manufacturer="Intel", type="CPU", released="2018-10-01", tdp="28.0")


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]], bom: bool = False) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(("\ufeff" if bom else "") + buffer.getvalue(), encoding="utf-8", newline="")


@pytest.fixture
def epoch_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "epoch"
    folder.mkdir()
    write_csv(folder / "ai-models.csv", MODEL_HEADER, [GPT3, GROK, ODD, NO_COMPUTE, NO_DATE, TUNED, NO_CLUSTER])
    write_csv(folder / "chips.csv", CHIP_HEADER, [RTX, V100, CPU], bom=True)
    write_csv(folder / "model-costs.csv", COST_HEADER, [
        {"Model": "GPT-3 175B (davinci)", "Cloud_Cost": "4336473.295238095",
         "Hardware_Acquisition_Cost": "242000906.32961005", "Hardware_Capex_Energy_Cost": "2198104.5650957455"},
        {"Model": "Grok-3", "Cloud_Cost": "", "Hardware_Acquisition_Cost": "",
         "Hardware_Capex_Energy_Cost": "300872431.98936605"},
    ])
    write_csv(folder / "hardware-prices.csv", PRICE_HEADER, [
        {"Hardware model": "NVIDIA V100", "Manufacturer": "NVIDIA", "Vendor": "", "Price date": "2017-07-01",
         "Price per chip-hour (on-demand)": "", "Price per chip-hour (1-year CUD)": "",
         "Price per chip-hour (3-year CUD)": "", "Price (hardware purchase)": "18625.00", "Number of GPUs": "8",
         "Price source": "https://web.archive.org/web/2017/v100"},
        {"Hardware model": "NVIDIA V100", "Manufacturer": "NVIDIA", "Vendor": "Google Cloud", "Price date": "2019-01-01",
         "Price per chip-hour (on-demand)": "2.48", "Price per chip-hour (1-year CUD)": "1.56",
         "Price per chip-hour (3-year CUD)": "1.11", "Price (hardware purchase)": "", "Number of GPUs": "1",
         "Price source": ""},
        {"Hardware model": "NVIDIA V100", "Manufacturer": "NVIDIA", "Vendor": "", "Price date": "2019-01-01",
         "Price per chip-hour (on-demand)": "", "Price per chip-hour (1-year CUD)": "",
         "Price per chip-hour (3-year CUD)": "", "Price (hardware purchase)": "", "Number of GPUs": "",
         "Price source": ""},
    ])
    return folder


def load(outputs: dict[str, str], name: str) -> dict:
    return parse_yaml(outputs[f"{name}.yaml"], f"{name}.yaml")


def rows_by(data: dict, key: str) -> dict:
    return {row[key]: row for row in data["rows"]}


# --- what the datasets hold -------------------------------------------------------------------


def test_every_dataset_has_metadata_header_and_the_agreed_columns(epoch_dir: Path) -> None:
    outputs = derive_all(epoch_dir)
    assert sorted(outputs) == ["hardware-prices.yaml", "ml-hardware.yaml", "notable-models.yaml", "training-costs.yaml"]
    expected_columns = {
        "notable-models": ["model", "organization", "domain", "released", "parameters", "compute", "dataset_size",
                           "hardware", "cost", "confidence", "frontier", "accessibility",
                           "hardware_quantity", "training_time", "chip_hours", "power_draw", "mfu",
                           "post_training_compute", "epochs", "numerical_format", "base_model",
                           "data_per_parameter", "largest_with_cluster"],
        "ml-hardware": ["chip", "manufacturer", "type", "released", "price", "fp32", "fp16", "tensor", "die_size",
                        "tdp", "transistors", "process", "memory", "bandwidth", "fp32_per_usd", "tensor_per_usd",
                        "fp32_density", "tensor_density", "fp32_per_watt", "ml_hardware",
                        "fp64", "tf32", "fp8", "fp4", "tensor_per_watt", "bandwidth_per_tensor"],
        "training-costs": ["model", "organization", "released", "compute", "cloud_cost",
                           "hardware_acquisition_cost", "amortized_cost"],
    }
    for name, columns in expected_columns.items():
        text = outputs[f"{name}.yaml"]
        assert text.startswith("# Generated by `python -m pipelines.epoch` from Epoch AI's CSVs; do not edit by hand.\n")
        data = load(outputs, name)
        assert data["id"] == name
        assert data["licence"] == "CC BY 4.0" and data["credit"] == "Epoch AI"
        assert data["title"] and "2025-08-07" in data["description"]
        assert [c["name"] for c in data["columns"]] == columns


def test_units_follow_the_pint_names(epoch_dir: Path) -> None:
    outputs = derive_all(epoch_dir)
    units = {c["name"]: c.get("unit") for c in load(outputs, "ml-hardware")["columns"]}
    assert units == {
        "chip": None, "manufacturer": None, "type": None, "released": None, "price": "USD", "fp32": "FLOP/s",
        "fp16": "FLOP/s", "tensor": "FLOP/s", "die_size": "mm^2", "tdp": "W", "transistors": "dimensionless",
        "process": "nm", "memory": "byte", "bandwidth": "byte/s", "fp32_per_usd": "FLOP/s/USD",
        "tensor_per_usd": "FLOP/s/USD", "fp32_density": "FLOP/s/mm^2", "tensor_density": "FLOP/s/mm^2",
        "fp32_per_watt": "FLOP/s/W", "ml_hardware": None, "fp64": "FLOP/s", "tf32": "FLOP/s", "fp8": "FLOP/s",
        "fp4": "FLOP/s", "tensor_per_watt": "FLOP/s/W", "bandwidth_per_tensor": "byte/FLOP",
    }
    models = {c["name"]: c.get("unit") for c in load(outputs, "notable-models")["columns"]}
    assert models["compute"] == "FLOP" and models["parameters"] == "parameter" and models["cost"] == "USD"
    assert models["dataset_size"] == "dimensionless"
    assert models["training_time"] == models["chip_hours"] == "hour" and models["power_draw"] == "W"
    assert models["post_training_compute"] == "FLOP"
    assert models["hardware_quantity"] == models["mfu"] == models["epochs"] == models["data_per_parameter"] == "dimensionless"
    assert models["numerical_format"] is None and models["base_model"] is None and models["largest_with_cluster"] is None
    costs = {c["name"]: c.get("unit") for c in load(outputs, "training-costs")["columns"]}
    assert costs["amortized_cost"] == costs["cloud_cost"] == costs["hardware_acquisition_cost"] == "USD"


def test_notable_models_keeps_rows_with_compute_and_date_and_converts_values(epoch_dir: Path) -> None:
    data = load(derive_all(epoch_dir), "notable-models")
    rows = rows_by(data, "model")
    assert sorted(rows) == sorted(["GPT-3 175B (davinci)", "Grok-3", 'Mi:dm "200B" #1', "GPT-3 tuned", "Bigger 2020"])
    gpt3 = rows["GPT-3 175B (davinci)"]
    assert gpt3["compute"] == 3.14e23 and isinstance(gpt3["compute"], float)
    assert gpt3["parameters"] == 175_000_000_000 and gpt3["dataset_size"] == 374_000_000_000
    assert gpt3["released"] == dt.date(2020, 5, 28)
    assert gpt3["cost"] == 2056969.34
    assert gpt3["frontier"] is True and gpt3["domain"] == "Language"
    assert gpt3["reference"] == "https://arxiv.org/abs/2005.14165"
    grok = rows["Grok-3"]
    assert grok["compute"] == {"low": 2.1e26, "central": 4.64e26, "high": 1.13e27}
    assert grok["reference"] == "https://x.ai/blog/grok-3"
    odd = rows['Mi:dm "200B" #1']
    assert odd["domain"] == "Vision"  # first listed
    assert odd["compute"] == 1.2e24  # a lower bound above the central value is dropped
    assert odd["frontier"] is False  # rank 11
    assert "reference" not in odd  # no scheme: not an http(s) URL
    assert [r["released"] for r in data["rows"]] == sorted(r["released"] for r in data["rows"])


def test_notable_models_carry_cluster_power_and_training_columns_from_the_csv(epoch_dir: Path) -> None:
    rows = rows_by(load(derive_all(epoch_dir), "notable-models"), "model")
    gpt3 = rows["GPT-3 175B (davinci)"]
    assert gpt3["hardware_quantity"] == 10000 and gpt3["training_time"] == 355.2
    assert gpt3["chip_hours"] == 3552000 and gpt3["power_draw"] == pytest.approx(5100759.605963441, rel=1e-14)
    assert gpt3["mfu"] == 0.1966 and gpt3["epochs"] == 0.6 and gpt3["numerical_format"] == "FP16,FP32"
    assert gpt3["post_training_compute"] is None and gpt3["base_model"] is None
    assert gpt3["data_per_parameter"] == pytest.approx(374e9 / 175e9, rel=1e-5)  # 2.13714, 6 significant figures
    grok = rows["Grok-3"]
    assert grok["hardware_quantity"] == 100000 and grok["post_training_compute"] == 9.4e22
    assert grok["power_draw"] == pytest.approx(137435820.25246143, rel=1e-14)
    assert grok["training_time"] is None and grok["data_per_parameter"] is None  # no parameters, no dataset size
    assert rows["GPT-3 tuned"]["base_model"] == "GPT-3 175B (davinci)"


def test_largest_with_cluster_is_the_top_compute_of_each_year_with_a_cluster_and_no_base_model(epoch_dir: Path) -> None:
    data = load(derive_all(epoch_dir), "notable-models")
    marked = sorted(r["model"] for r in data["rows"] if r["largest_with_cluster"])
    # 2020: "Bigger 2020" has no hardware quantity and "GPT-3 tuned" is a fine-tune, so GPT-3 is the year's run;
    # 2023: Mi:dm has no hardware quantity, so no model is marked.
    assert marked == ["GPT-3 175B (davinci)", "Grok-3"]
    assert all(isinstance(r["largest_with_cluster"], bool) for r in data["rows"])
    assert "(2 years;" in data["description"]


def test_ml_hardware_reads_bom_prices_and_computes_derived_columns(epoch_dir: Path) -> None:
    data = load(derive_all(epoch_dir), "ml-hardware")
    rows = rows_by(data, "chip")
    assert sorted(rows) == ["NVIDIA GeForce RTX 4090", "NVIDIA Tesla V100 SXM2"]  # the CPU has no FLOP/s
    rtx = rows["NVIDIA GeForce RTX 4090"]
    assert rtx["price"] == 4299
    assert rtx["fp32_per_usd"] == pytest.approx(82580000000000 / 4299, rel=1e-5)  # 6 significant figures
    assert rtx["fp32_density"] == pytest.approx(82580000000000 / 608.5, rel=1e-5)
    assert rtx["fp32_per_watt"] == pytest.approx(82580000000000 / 450, rel=1e-5)
    assert rtx["tensor"] is None and rtx["tensor_per_usd"] is None and rtx["ml_hardware"] is False
    v100 = rows["NVIDIA Tesla V100 SXM2"]
    assert (v100["fp32"], v100["fp16"], v100["tensor"]) == (1.567e13, 3.133e13, 1.25e14)
    assert (v100["die_size"], v100["tdp"], v100["process"]) == (815, 300, 12)
    assert v100["transistors"] == 21_100_000_000  # Epoch's millions, as a count
    assert v100["memory"] == 16e9 and v100["bandwidth"] == 8.97e11
    assert v100["reference"] == "https://images.nvidia.com/v100.pdf"
    assert v100["ml_hardware"] is True
    assert "int8" not in v100
    assert v100["fp64"] == 7.8e12 and v100["tf32"] is None and v100["fp8"] is None and v100["fp4"] is None
    assert v100["tensor_per_watt"] == pytest.approx(1.25e14 / 300, rel=1e-5)
    assert v100["bandwidth_per_tensor"] == pytest.approx(8.97e11 / 1.25e14, rel=1e-5)
    assert rtx["fp8"] == 6.6e14 and rtx["fp4"] is None and rtx["bandwidth_per_tensor"] is None  # no tensor figure


def test_later_chip_columns_do_not_change_which_duplicate_record_is_kept(epoch_dir: Path) -> None:
    sparse = V100 | {"FP8 performance (FLOP/s)": "1e15", "FP4 performance (FLOP/s)": "2e15",
                     "TF32 (TensorFloat-32) performance (FLOP/s)": "1e14", "Memory bandwidth (byte/s)": ""}
    write_csv(epoch_dir / "chips.csv", CHIP_HEADER, [V100, sparse], bom=True)
    v100 = rows_by(load(derive_all(epoch_dir), "ml-hardware"), "chip")["NVIDIA Tesla V100 SXM2"]
    assert v100["bandwidth"] == 8.97e11 and v100["fp8"] is None  # the first record has more of the original values


def test_training_costs_join_the_models_database(epoch_dir: Path) -> None:
    data = load(derive_all(epoch_dir), "training-costs")
    rows = rows_by(data, "model")
    gpt3 = rows["GPT-3 175B (davinci)"]
    assert gpt3["organization"] == "OpenAI" and gpt3["released"] == dt.date(2020, 5, 28)
    assert gpt3["compute"] == 3.14e23
    assert gpt3["amortized_cost"] == pytest.approx(2198104.5650957455, rel=1e-14)
    assert gpt3["cloud_cost"] == pytest.approx(4336473.295238095, rel=1e-14)
    assert rows["Grok-3"]["cloud_cost"] is None
    assert "December 2024" in data["description"]
    assert set(data["sources"]) == {"epoch-costs", "epoch-costs-code"}
    assert data["sources"]["epoch-costs"]["url"] == "https://arxiv.org/abs/2405.21015"


def test_hardware_prices_skip_records_without_a_price(epoch_dir: Path) -> None:
    data = load(derive_all(epoch_dir), "hardware-prices")
    assert len(data["rows"]) == 2
    listed, cloud = data["rows"]
    assert listed["purchase"] == 18625 and listed["chips"] == 8 and listed["vendor"] is None
    assert cloud["on_demand"] == 2.48 and cloud["cud_3y"] == 1.11 and "reference" not in cloud


def test_every_row_has_exactly_one_declared_source(epoch_dir: Path) -> None:
    outputs = derive_all(epoch_dir)
    for name in outputs:
        data = parse_yaml(outputs[name], name)
        for row in data["rows"]:
            assert row["source"] in data["sources"]
            assert "sources" not in row


def test_rows_are_one_flow_mapping_per_line(epoch_dir: Path) -> None:
    text = derive_all(epoch_dir)["notable-models.yaml"]
    rows_part = text.split("\nrows:\n", 1)[1]
    assert all(line.startswith("  - {") and line.endswith("}") for line in rows_part.splitlines())
    assert len(rows_part.splitlines()) == 5


def test_derived_files_load_with_the_sites_dataset_loader(epoch_dir: Path, tmp_path: Path) -> None:
    outputs = derive_all(epoch_dir)
    for name, text in outputs.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    loaded, problems = load_datasets(sorted(tmp_path.glob("*.yaml")))
    assert problems == []
    assert {ident: len(d.rows) for ident, d in loaded.items()} == {
        "hardware-prices": 2, "ml-hardware": 2, "notable-models": 5, "training-costs": 2}
    grok = next(r for r in loaded["notable-models"].rows if r.get("model") == "Grok-3")
    assert grok.get("compute") == Range(2.1e26, 4.64e26, 1.13e27)


def test_a_derived_file_the_loader_rejects_is_a_problem_naming_the_file_and_field(epoch_dir: Path, monkeypatch) -> None:
    rendered = derive.render_dataset
    monkeypatch.setattr(derive, "render_dataset", lambda d: rendered(d).replace('unit: "parameter",', 'unit: "parsec-banana",'))
    [found] = problems_of(epoch_dir)
    assert found.startswith("notable-models.yaml (as derived):") and "columns[4].unit" in found


def test_columns_and_sources_are_the_sites_dataset_models() -> None:
    with pytest.raises(ValidationError):
        column("model", "text", "not a column type of the dataset format")
    with pytest.raises(ValidationError):
        build_dataset("x", "X", "D", {"s": {"title": "S", "url": "ftp://example.org"}}, [], [])


# --- determinism and writing ------------------------------------------------------------------


def test_two_runs_are_byte_identical(epoch_dir: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert entry.main(["--epoch-dir", str(epoch_dir), "--out", str(first)]) == 0
    assert entry.main(["--epoch-dir", str(epoch_dir), "--out", str(second)]) == 0
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_missing_csv_directory_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert entry.main(["--epoch-dir", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "nowhere" in err
    assert not (tmp_path / "out").exists()


def test_bad_input_leaves_old_datasets_intact(epoch_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notable-models.yaml").write_text("old\n", encoding="utf-8")
    write_csv(epoch_dir / "ai-models.csv", MODEL_HEADER, [GPT3 | {"Training compute (FLOP)": "lots"}])
    assert entry.main(["--epoch-dir", str(epoch_dir), "--out", str(out)]) == 1
    assert (out / "notable-models.yaml").read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in out.iterdir()) == ["notable-models.yaml"]
    assert "Training compute (FLOP): 'lots' is not a number" in capsys.readouterr().err


def test_write_atomically_removes_temporaries_when_a_write_fails(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.yaml").write_text("old a\n", encoding="utf-8")
    real_write = Path.write_text

    def failing_write(self: Path, text: str, *args, **kwargs):
        if self.name == ".b.yaml.tmp":
            raise OSError("disk full")
        return real_write(self, text, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", failing_write)
    with pytest.raises(OSError):
        write_atomically({"a.yaml": "new a\n", "b.yaml": "new b\n"}, tmp_path)
    monkeypatch.undo()
    assert (tmp_path / "a.yaml").read_text(encoding="utf-8") == "old a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]


# --- bad input --------------------------------------------------------------------------------


def problems_of(epoch_dir: Path) -> list[str]:
    with pytest.raises(DeriveError) as caught:
        derive_all(epoch_dir)
    return [str(p) for p in caught.value.problems]


def test_bad_values_name_file_line_and_column(epoch_dir: Path) -> None:
    # GPT-3 spans lines 2-4 (notes), Grok-3 lines 5-6 (two links), so Mi:dm starts on line 7.
    write_csv(epoch_dir / "ai-models.csv", MODEL_HEADER, [
        GPT3,
        GROK | {"Publication date": "2025-02-30", "Training compute cost (2023 USD)": "about $5M"},
        ODD | {"Parameters": "-5"},
    ])
    write_csv(epoch_dir / "chips.csv", CHIP_HEADER, [RTX | {"Release price (USD)": "4299 USD"}], bom=True)
    found = problems_of(epoch_dir)
    models = next(p for p in found if "2025-02-30" in p).split(":")[0]
    assert models.endswith("ai-models.csv")
    assert any(p.endswith("ai-models.csv:5: Publication date: '2025-02-30' is not a date YYYY-MM-DD") for p in found)
    assert any("ai-models.csv:7: Parameters: '-5' is not a finite number >= 0" in p for p in found)
    assert any("chips.csv:2: Release price (USD): '4299 USD' is not a US dollar amount like $4299.00" in p
               for p in found)
    # training-costs.yaml joins Grok-3, whose date is bad: the problem is reported once, not per dataset
    assert sum("2025-02-30" in p for p in found) == 1


def test_missing_columns_are_reported_for_every_file(epoch_dir: Path) -> None:
    write_csv(epoch_dir / "chips.csv", ["Hardware name", "Manufacturer"], [{"Hardware name": "X", "Manufacturer": "Y"}])
    (epoch_dir / "model-costs.csv").write_text("", encoding="utf-8")
    found = problems_of(epoch_dir)
    assert any(p.endswith("chips.csv:1: Release date: required column is missing") for p in found)
    assert any(p.endswith("model-costs.csv:1: file is empty: no header line") for p in found)


def test_unknown_model_in_costs_and_ragged_records(epoch_dir: Path) -> None:
    (epoch_dir / "model-costs.csv").write_text(
        "Model,Cloud_Cost,Hardware_Acquisition_Cost,Hardware_Capex_Energy_Cost\nNobody,1,2,3\nGPT-3 175B (davinci),1\n",
        encoding="utf-8")
    found = problems_of(epoch_dir)
    assert any(p.endswith("model-costs.csv:2: Model: model 'Nobody' is not in ai-models.csv") for p in found)
    assert any(p.endswith("model-costs.csv:3: record has 2 fields, header has 4") for p in found)


def test_stray_carriage_return_inside_a_name_does_not_split_the_record(epoch_dir: Path) -> None:
    write_csv(epoch_dir / "chips.csv", CHIP_HEADER, [RTX | {"Hardware name": "NVIDIA GeForce RTX 4090\r"}], bom=True)
    data = load(derive_all(epoch_dir), "ml-hardware")
    assert [r["chip"] for r in data["rows"]] == ["NVIDIA GeForce RTX 4090"]


def test_not_utf8_is_a_problem(epoch_dir: Path) -> None:
    (epoch_dir / "hardware-prices.csv").write_bytes(b"Hardware model\n\xff\xfe\n")
    assert any(p.endswith("hardware-prices.csv:2: file is not valid UTF-8") for p in problems_of(epoch_dir))


# --- YAML spelling ----------------------------------------------------------------------------


@pytest.mark.parametrize("value, text", [
    (3.14e23, "3.14e+23"),
    (1e27, "1.0e+27"),
    (1.1299999999999998e27, "1.13e+27"),
    (175000000000.0, "175000000000"),
    (2056969.34, "2056969.34"),
    (0.5, "0.5"),
    (1.5e-5, "1.5e-05"),
    (2e15, "2.0e+15"),
])
def test_numbers_have_one_spelling_that_yaml_reads_as_numbers(value: float, text: str) -> None:
    assert yaml_number(value) == text
    loaded = yaml.safe_load(text)
    assert isinstance(loaded, (int, float)) and loaded == pytest.approx(value, rel=1e-14)
    assert yaml_number(float(loaded)) == text  # re-deriving from the text gives the same text


@pytest.mark.parametrize("text", [
    'Mi:dm "200B" #1', "yes", "null", "1e5", "- item", "tab\there", "line\nbreak", "bell\x07", "del\x7f",
    "sep\u2028arator", "bom\ufeff", "Vastai Tech 瀚博半导体 SV100", "back\\slash", "{braces}: [x]",
])
def test_strings_survive_a_yaml_round_trip(text: str) -> None:
    rendered = yaml_string(text)
    assert "\n" not in rendered
    assert yaml.safe_load(f"key: {rendered}") == {"key": text}


@pytest.mark.parametrize("cell, url", [
    ("https://a.example/x;", "https://a.example/x"),
    ("see arxiv.org/abs/1 https://b.example/y", "https://b.example/y"),
    ("https://c.example/1,https://c.example/2", "https://c.example/1"),
    ("ftp://d.example/file", None),
    ("", None),
])
def test_reference_is_the_first_http_url_in_the_cell(cell: str, url: str | None) -> None:
    assert cells.first_url(cell) == url


# --- the committed datasets against Epoch's CSVs ------------------------------------------------

EPOCH_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "epoch"
DATA_DIR = Path(__file__).resolve().parents[1] / "charts" / "data"


def csv_records(name: str, key: str) -> dict[str, dict[str, str]]:
    with (EPOCH_DIR / name).open(encoding="utf-8-sig", newline="") as handle:
        return {row[key].replace("\r", "").strip(): row for row in csv.DictReader(handle)}


def csv_number(cell: str) -> float | None:
    return float(cell.replace(",", "")) if cell.strip() else None


@pytest.mark.skipif(not (EPOCH_DIR / "ai-models.csv").is_file(), reason="Epoch's CSVs are not beside the project")
def test_committed_notable_models_match_the_csv_in_every_added_column() -> None:
    records = csv_records("ai-models.csv", "Model")
    data = parse_yaml((DATA_DIR / "notable-models.yaml").read_text(encoding="utf-8"), "notable-models.yaml")
    numeric = {"hardware_quantity": "Hardware quantity", "training_time": "Training time (hours)",
               "chip_hours": "Training chip-hours", "power_draw": "Training power draw (W)",
               "mfu": "Hardware utilization (MFU)", "post_training_compute": "Post-training compute (FLOP)",
               "epochs": "Epochs"}
    checked = 0
    for row in data["rows"]:
        record = records[row["model"]]
        for column, header in numeric.items():
            expected = csv_number(record[header])
            assert row[column] == (None if expected is None else pytest.approx(expected, rel=1e-14)), (row["model"], column)
        assert row["numerical_format"] == (record["Numerical format"].strip() or None)
        assert row["base_model"] == (record["Base model"].strip() or None)
        parameters, size = csv_number(record["Parameters"]), csv_number(record["Training dataset size (datapoints)"])
        if parameters and size is not None:
            assert row["data_per_parameter"] == pytest.approx(size / parameters, rel=1e-5)
        else:
            assert row["data_per_parameter"] is None
        checked += 1
    assert checked == len(data["rows"]) == 988
    llama = rows_by(data, "model")["Llama 3.1-405B"]
    assert llama["hardware_quantity"] == 16384 and llama["data_per_parameter"] == pytest.approx(15.6e12 / 405e9, rel=1e-5)
    # one model per year; 2025's is Grok-3 on 100,000 chips, 2022's is PaLM, not its fine-tune Minerva
    marked = {r["released"].year: r["model"] for r in data["rows"] if r["largest_with_cluster"]}
    assert marked[2025] == "Grok-3" and marked[2022] == "PaLM (540B)" and marked[2020] == "GPT-3 175B (davinci)"
    for year, name in marked.items():
        top = max(central(r["compute"]) for r in data["rows"] if r["released"].year == year
                  and r["hardware_quantity"] is not None and r["base_model"] is None)
        assert central(rows_by(data, "model")[name]["compute"]) == top


@pytest.mark.skipif(not (EPOCH_DIR / "chips.csv").is_file(), reason="Epoch's CSVs are not beside the project")
def test_committed_ml_hardware_matches_the_csv_in_every_added_column() -> None:
    with (EPOCH_DIR / "chips.csv").open(encoding="utf-8-sig", newline="") as handle:
        text = handle.read().replace("\r", "")
    candidates: dict[str, list[dict[str, str]]] = {}
    for record in csv.DictReader(io.StringIO(text)):
        if None not in record.values() and None not in record:  # ragged records are dropped by the derivation
            candidates.setdefault(record["Hardware name"].strip(), []).append(record)
    data = parse_yaml((DATA_DIR / "ml-hardware.yaml").read_text(encoding="utf-8"), "ml-hardware.yaml")
    rows = rows_by(data, "chip")
    added = [("fp64", "FP64 (double precision) performance (FLOP/s)"), ("tf32", "TF32 (TensorFloat-32) performance (FLOP/s)"),
             ("fp8", "FP8 performance (FLOP/s)"), ("fp4", "FP4 performance (FLOP/s)")]
    for name, row in rows.items():
        # the record the row came from: one with the same name and the same release date and FP32 figure
        source = [r for r in candidates[name] if r["Release date"].strip() == row["released"].isoformat()
                  and csv_number(r["FP32 (single precision) performance (FLOP/s)"]) == row["fp32"]]
        assert source, name
        assert any(all(row[column] == csv_number(r[header]) for column, header in added) for r in source), name
        for column, numerator, denominator in [("tensor_per_watt", "tensor", "tdp"), ("bandwidth_per_tensor", "bandwidth", "tensor")]:
            if row[numerator] is None or not row[denominator]:
                assert row[column] is None, (name, column)
            else:
                assert row[column] == pytest.approx(row[numerator] / row[denominator], rel=1e-5), (name, column)
    for chip_name in ["NVIDIA H100 SXM5 80GB", "NVIDIA B200", "NVIDIA GB200 NVL2", "AMD Instinct MI300X", "Google TPU v4"]:
        assert rows[chip_name]["tensor_per_watt"] is not None
    assert rows["NVIDIA B200"]["fp8"] == 4.5e15 and rows["NVIDIA H100 SXM5 80GB"]["fp8"] is None


def central(value):
    return value["central"] if isinstance(value, dict) else value
