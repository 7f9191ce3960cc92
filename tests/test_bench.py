"""The benchmark's synthetic knowledge bases are valid, and `bench` runs end to end at a tiny size.

No timing is asserted: figures depend on the machine. These tests check that the generator writes
notes, datasets and charts the build accepts, and that a run prints and records its figures."""

from __future__ import annotations

import argparse
import json

import pytest

from landscape.cli import read_config
from landscape.pipeline import check
from tools.bench import cli, fixtures

from .conftest import ROOT


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> fixtures.Generated:
    return fixtures.generate(tmp_path_factory.mktemp("bench") / "kb", fixtures.Size(notes=25, charts=6), ROOT, seed=3)


def test_synthetic_knowledge_base_passes_every_check(synthetic):
    checked = check(synthetic.root, read_config(synthetic.root / "mkdocs.yml"))
    assert checked.problems == []
    assert len(checked.content.notes) == 25
    assert sorted(checked.content.charts) == synthetic.chart_ids
    assert sorted(checked.content.datasets) == synthetic.dataset_ids
    assert all(len(d.rows) == fixtures.ROWS_PER_DATASET for d in checked.content.datasets.values())


def test_synthetic_notes_look_like_real_ones(synthetic):
    checked = check(synthetic.root, read_config(synthetic.root / "mkdocs.yml"))
    notes = checked.content.notes
    assert {n.layer for n in notes} == set(fixtures.LAYER_IDS)
    assert all(n.meta.sources and n.meta.tags and "[[" in n.body for n in notes)
    assert 1500 < synthetic.note_bytes / len(notes) < 4000  # the real notes average about 2.7 KB
    embedded = [n for n in notes if "{{chart " in n.body]
    assert sorted(n.body.split("{{chart ")[1].split("}}")[0] for n in embedded) == synthetic.chart_ids
    plain = next(n for n in notes if f"{n.layer}/{n.slug}" == synthetic.plain_note)
    assert "{{chart" not in plain.body


def test_generator_is_deterministic(tmp_path):
    first = fixtures.generate(tmp_path / "a", fixtures.Size(8, 2), ROOT, seed=5)
    second = fixtures.generate(tmp_path / "b", fixtures.Size(8, 2), ROOT, seed=5)
    for path in sorted((first.root / "notes").rglob("*.md")) + sorted((first.root / "charts").rglob("*.yaml")):
        relative = path.relative_to(first.root)
        assert path.read_bytes() == (second.root / relative).read_bytes(), relative


def test_sizes_and_chart_counts():
    assert [fixtures.size_for(n).charts for n in (100, 1000, 5000)] == [20, 100, 200]
    assert fixtures.size_for(40) == fixtures.Size(40, 8)
    assert cli.parse_sizes("100, 1_000,5000") == [100, 1000, 5000]


@pytest.mark.parametrize("text", ["", "100,abc", "1", "100,-5"])
def test_bad_sizes_are_refused(text):
    with pytest.raises(argparse.ArgumentTypeError):
        cli.parse_sizes(text)


def test_bad_sizes_on_the_command_line_exit_with_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--sizes", "ten"])
    assert exit_info.value.code == 2
    assert "--sizes" in capsys.readouterr().err


@pytest.mark.slow
def test_bench_runs_end_to_end_at_a_tiny_size(tmp_path, capsys):
    out = tmp_path / "results"
    status = cli.main(
        ["--sizes", "10", "--no-real", "--no-zensical", "--no-browser", "--repeat", "1",
         "--serve-timeout", "300", "--work", str(tmp_path / "work"), "--out", str(out)],
        project=ROOT,
    )
    printed = capsys.readouterr().out
    assert status == 0, printed
    [path] = list(out.glob("bench-*.json"))
    results = json.loads(path.read_text("utf-8"))
    [size] = results["sizes"]
    assert size["notes"] == 10 and size["charts"] == 2
    assert size["cold"]["ok"] and size["warm"]["ok"]
    assert size["cold"]["charts_rendered"] == 2 and size["warm"]["charts_cached"] == 2
    assert size["warm"]["charts_rendered"] == 0
    assert size["warm"]["search_index_mb"] > 0 and size["warm"]["output_mb"] > 0
    assert size["warm"]["search_pages"] >= 10 and size["warm"]["search_index_s"] > 0
    assert size["plain_material"]["ok"] and size["overhead_wall"] > 0
    weight = size["page_weight"]
    assert not weight["note_without_chart"]["loads_vega"] and weight["chart_page"]["loads_vega"]
    assert weight["home"]["total"]["gzip"] < weight["home"]["total"]["bytes"]
    assert size["serve"]["note_save_to_page_s"] is not None and size["serve"]["dataset_save_to_page_s"] is not None
    assert "Targets:" in printed and str(path) in printed
    assert not (tmp_path / "work" / "kb-10").exists()  # the synthetic knowledge base is removed
