"""Datasets: values normalised, and every kind of bad input reported with file, line and field."""

import datetime as dt
import posixpath
import textwrap

import pytest

from landscape import paths
from landscape.chartpages import dataset_artefacts, dataset_page, datasets_index
from landscape.datasets import Range, load_datasets

GOOD = """\
id: chips
title: Chips
description: One row per chip.
licence: CC BY 4.0
credit: Test credit
sources:
  epoch: {title: Data on Machine Learning Hardware, url: https://epoch.ai/data/machine-learning-hardware, publisher: Epoch AI, date: 2025-08-07}
columns:
  - {name: chip, type: string, description: Chip name}
  - {name: released, type: date, description: Release date}
  - {name: fp32, type: number, unit: FLOP/s, description: Peak FP32}
  - {name: dies, type: integer, description: Dies}
  - {name: ml, type: boolean, description: ML chip}
rows:
  - {chip: V100, released: 2017-06-21, fp32: 1.57e13, dies: 1, ml: true, source: epoch, reference: https://example.org/v100}
  - {chip: Example, released: "2020-01-01", fp32: {low: 1e13, central: 2e13, high: 3e13}, dies: null, ml: false, source: epoch}
  - {chip: 42, released: 2021-01-01, fp32: 1e21, source: epoch}
"""


def write(tmp_path, text, name="chips.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


def test_good_dataset_is_normalised(tmp_path):
    datasets, problems = load_datasets([write(tmp_path, GOOD)])
    assert problems == []
    data = datasets["chips"]
    first, second, third = data.rows
    assert first.values["released"] == dt.date(2017, 6, 21)
    assert first.values["fp32"] == 1.57e13 and isinstance(first.values["fp32"], float)
    assert first.values["dies"] == 1 and first.values["ml"] is True
    assert second.values["released"] == dt.date(2020, 1, 1)
    assert second.values["fp32"] == Range(1e13, 2e13, 3e13)
    assert third.values["fp32"] == 1e21  # "1e21" without a dot is read as text by YAML
    assert third.values["chip"] == "42" and third.values["dies"] is None
    assert [r.line for r in data.rows] == [15, 16, 17]
    assert data.column("fp32").unit == "FLOP/s"
    assert data.sources["epoch"].date == dt.date(2025, 8, 7)


@pytest.mark.parametrize("old, new, line, field, message", [
    ("unit: FLOP/s", "unit: FLOPS/parsec", 11, "columns[2].unit", "unknown unit"),
    ("fp32: 1.57e13,", "fp32: fast,", 15, "rows[0].fp32", "expected a number, got 'fast'"),
    ("released: 2017-06-21", "released: last June", 15, "rows[0].released", "expected a date"),
    ("ml: true, source: epoch, reference", "ml: true, reference", 15, "rows[0].source", "row has no source"),
    ("ml: true, source: epoch,", "ml: true, source: wikipedia,", 15, "rows[0].source", "unknown source 'wikipedia'"),
    ("dies: 1,", "dies: 1.5,", 15, "rows[0].dies", "whole number"),
    ("ml: true,", "ml: yes please,", 15, "rows[0].ml", "expected true or false"),
    ("dies: 1,", "dies: 1, colour: red,", 15, "rows[0].colour", "unknown column 'colour'"),
    ("{low: 1e13, central: 2e13, high: 3e13}", "{low: 3e13, central: 2e13, high: 1e13}", 16, "rows[1].fp32", "low <= central <= high"),
    ("reference: https://example.org/v100", "reference: example.org", 15, "rows[0].reference", "URL"),
    ("id: chips", "id: other", 1, "id", "must equal the file name"),
    ("{name: chip, type: string,", "{name: chip, type: text,", 9, "columns.0.type", "Input should be"),
    ("{name: ml, type: boolean,", "{name: ml, type: boolean, unit: W,", 13, "columns[4].unit", "only number and integer columns"),
    ("licence: CC BY 4.0\n", "", None, "licence", "required field is missing"),
])
def test_each_bad_case_is_reported(tmp_path, old, new, line, field, message):
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    _, problems = load_datasets([path])
    matching = [p for p in problems if p.field == field and message in p.message]
    assert matching, problems
    if line is not None:
        assert matching[0].line == line
    assert matching[0].file.endswith("chips.yaml")


def test_impossible_yaml_date_is_a_problem_not_a_crash(tmp_path):
    # PyYAML itself constructs YYYY-MM-DD scalars and raises on 2017-13-01, before validation sees the row
    _, problems = load_datasets([write(tmp_path, GOOD.replace("released: 2017-06-21", "released: 2017-13-01"))])
    assert len(problems) == 1 and "month must be in 1..12" in problems[0].message
    assert problems[0].file.endswith("chips.yaml")


def test_problems_are_collected_not_first_only(tmp_path):
    text = GOOD.replace("fp32: 1.57e13,", "fp32: fast,").replace("released: 2021-01-01", "released: soon")
    _, problems = load_datasets([write(tmp_path, text)])
    assert {p.field for p in problems} == {"rows[0].fp32", "rows[2].released"}


def test_invalid_yaml_names_the_line(tmp_path):
    _, problems = load_datasets([write(tmp_path, GOOD.replace("rows:\n", "rows:\n  - {chip: [unclosed\n"))])
    assert problems and problems[0].line is not None and "invalid YAML" in problems[0].message


def test_duplicate_ids(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    _, problems = load_datasets([write(tmp_path / "a", GOOD), write(tmp_path / "b", GOOD)])
    assert any("also used by" in p.message for p in problems)


def test_dataset_page_and_downloads(tmp_path):
    datasets, _ = load_datasets([write(tmp_path, GOOD)])
    data = datasets["chips"]
    page = dataset_page(data, [("Some chart", "charts/some.md")])
    assert "| `fp32` | number | FLOP/s | Peak FP32 |" in page
    csv_uri, json_uri = paths.dataset_asset_uri("chips", "csv"), paths.dataset_asset_uri("chips", "json")
    page_dir = posixpath.dirname(paths.dataset_page_uri("chips"))
    assert f"[CSV]({posixpath.relpath(csv_uri, page_dir)})" in page
    assert f"[Some chart]({posixpath.relpath('charts/some.md', page_dir)})" in page
    files = dataset_artefacts(data)
    csv_text = files[csv_uri]
    assert csv_text.splitlines()[0] == "chip,released,fp32,dies,ml,source,reference,fp32_low,fp32_high"
    assert len(csv_text.splitlines()) == 4
    assert '"licence": "CC BY 4.0"' in files[json_uri]
    index_dir = posixpath.dirname(paths.DATASETS_INDEX_URI)
    assert f"[Chips]({posixpath.relpath(paths.dataset_page_uri('chips'), index_dir)})" in datasets_index(datasets)
