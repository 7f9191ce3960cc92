"""Computed tables: the GPT-3 worked example, ranges, published estimates, and clear errors."""

from pathlib import Path
import textwrap

import pytest

from landscape.chartpages import table_embed, table_page, tables_index
from landscape.tables import load_tables, published_text, value_text

ROOT = Path(__file__).resolve().parents[1]
GPT3 = ROOT / "charts" / "tables" / "gpt3-training-energy.yaml"


@pytest.fixture(scope="module")
def gpt3():
    tables, problems = load_tables([GPT3])
    assert problems == []
    return tables["gpt3-training-energy"]


def test_gpt3_figures(gpt3):
    assert gpt3.value("days").value == pytest.approx(12.98, abs=0.01)
    assert value_text(gpt3, "days") == "13.0 days"
    # 10,000 GPUs x 300 W x 12.98 days = 934.6 MWh (the seed rounds to 13 days: 936 MWh)
    assert gpt3.value("gpu_energy").value == pytest.approx(934.6, abs=0.1)
    facility = gpt3.value("facility_energy")
    assert facility.value == pytest.approx(1401.8, abs=0.1)  # seed: 1,404 MWh from the rounded 936
    assert facility.low == pytest.approx(934.6 * 1.1, abs=0.2)
    assert facility.high == pytest.approx(934.6 * 1.58, abs=0.2)
    assert value_text(gpt3, "facility_energy") == "1,400 MWh (1,030–1,480)"
    assert value_text(gpt3, "compute") == "3.14 × 10²³ FLOP"
    assert value_text(gpt3, "gpus") == "10,000 GPUs"


def test_gpt3_published_estimates_beside(gpt3):
    published = gpt3.published_for("facility_energy")
    assert [p.value for p in published] == [1287, 190000]
    assert published_text(published[1], gpt3.value("facility_energy")) == "190,000 kWh (= 190 MWh)"
    embed = table_embed(gpt3, "compute/gpt3.md")
    assert "Patterson et al. (2021)" in embed and "1,287 MWh" in embed
    assert "`compute / (gpus * peak)`" in embed
    assert "(../tables/gpt3-training-energy.md)" in embed
    page = table_page(gpt3, [("GPT-3 energy", "compute/gpt3.md")])
    assert page.startswith("---\ntitle:") and "# GPT-3 training time" in page
    assert "https://arxiv.org/abs/2104.10350" in page and "https://www.theregister.com/2020/11/04/gpt3_carbon_footprint_estimate/" in page
    assert "'300W per day'" in page  # the seed's unit error is explained
    assert "[GPT-3 energy](../compute/gpt3.md)" in page
    assert "gpt3-training-energy.md" in tables_index({"gpt3-training-energy": gpt3})


def write(tmp_path, body, name="t.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), "utf-8")
    return path


HEADER = """\
id: t
title: T
description: D
sources:
  s: {title: S, url: https://example.org/s}
"""


def test_unit_mismatch_names_file_line_and_formula(tmp_path):
    path = write(tmp_path, HEADER + """\
inputs:
  - {name: power, label: P, value: 300, unit: W, source: s}
  - {name: compute, label: C, value: 1e21, unit: FLOP, source: s}
outputs:
  - {name: bad, label: Bad, formula: "power + compute", unit: W}
""")
    tables, problems = load_tables([path])
    assert tables == {}
    (found,) = problems
    assert found.line == 10 and found.field == "outputs[0].formula"
    assert "'power + compute'" in found.message and "cannot add W and FLOP" in found.message
    assert str(found).startswith(f"{found.file}:10: outputs[0].formula:")


def test_output_unit_that_does_not_fit(tmp_path):
    path = write(tmp_path, HEADER + """\
inputs:
  - {name: power, label: P, value: 300, unit: W, source: s}
outputs:
  - {name: energy, label: E, formula: "power * 2", unit: MWh}
""")
    _, problems = load_tables([path])
    assert "gives W" in problems[0].message and "'MWh'" in problems[0].message


def test_payload_in_a_table_file_is_rejected_and_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    path = write(tmp_path, HEADER + f"""\
inputs:
  - {{name: x, label: X, value: 1, unit: dimensionless, source: s}}
outputs:
  - {{name: ok, label: OK, formula: "x * 2", unit: dimensionless}}
  - {{name: evil, label: Evil, formula: "__import__('os').system('touch {marker}')", unit: dimensionless}}
""")
    tables, problems = load_tables([path])
    assert tables == {} and not marker.exists()
    assert problems[0].field == "outputs[1].formula" and "dunder name '__import__'" in problems[0].message


@pytest.mark.parametrize("inputs, outputs, field, message", [
    ("{name: x, label: X, value: 1, unit: bananas, source: s}", "{name: y, label: Y, formula: x, unit: dimensionless}", "inputs[0].unit", "unknown unit 'bananas'"),
    ("{name: x, label: X, value: 1, unit: W, source: nowhere}", "{name: y, label: Y, formula: x, unit: W}", "inputs[0].source", "unknown source 'nowhere'"),
    ("{name: x, label: X, value: 1, low: 2, high: 3, unit: W, source: s}", "{name: y, label: Y, formula: x, unit: W}", "inputs.0", "low <= value <= high"),
    ("{name: x, label: X, value: 1, unit: W, source: s}", "{name: y, label: Y, formula: z, unit: W}", "outputs[0].formula", "unknown name 'z'"),
    ("{name: x, label: X, value: one, unit: W, source: s}", "{name: y, label: Y, formula: x, unit: W}", "inputs.0.value", "valid number"),
])
def test_schema_errors(tmp_path, inputs, outputs, field, message):
    path = write(tmp_path, HEADER + f"inputs:\n  - {inputs}\noutputs:\n  - {outputs}\n")
    _, problems = load_tables([path])
    assert any(p.field == field and message in p.message for p in problems), problems


def test_ranges_propagate_through_later_outputs(tmp_path):
    path = write(tmp_path, HEADER + """\
inputs:
  - {name: a, label: A, value: 2, low: 1, high: 3, unit: W, source: s}
  - {name: b, label: B, value: 10, low: 5, high: 20, unit: hour, source: s}
outputs:
  - {name: e, label: E, formula: "a * b", unit: Wh, digits: 3}
  - {name: f, label: F, formula: "e / b", unit: W, digits: 2}
""")
    tables, problems = load_tables([path])
    assert problems == []
    table = tables["t"]
    e = table.value("e")
    assert (e.value, e.low, e.high) == (20, 5, 60)
    assert value_text(table, "e") == "20.0 Wh (5.00–60.0)"
    f = table.value("f")
    assert (f.value, f.low, f.high) == (2, 1, 3)
