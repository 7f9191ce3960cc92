"""The benchmark's synthetic knowledge bases are valid, and `bench` runs end to end at a tiny size.

No timing is asserted: figures depend on the machine. These tests check that the generator writes
notes, datasets and charts the build accepts, and that a run prints and records its figures."""

from __future__ import annotations

import argparse
import json
import shutil

import pytest

from landscape.cli import read_config
from landscape.pipeline import check
from landscape.yamlio import parse_yaml
from tools.bench import cli, fixtures, pages, report, runs

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
def test_bench_runs_end_to_end_at_a_tiny_size(tmp_path, capsys, zensical):
    out = tmp_path / "results"
    status = cli.main(
        ["--sizes", "10", "--no-real", "--no-browser", "--repeat", "1",
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
    # save to page with both engines, and Zensical alone on its own Markdown
    for serve in (size["serve"], size["serve_zensical"]):
        assert serve["note_save_to_page_s"] is not None and serve["dataset_save_to_page_s"] is not None, serve
    assert size["zensical"]["warm"]["ok"] and size["zensical"]["serve"]["note_save_to_page_s"] is not None
    assert "landscape serve --engine zensical: first build" in printed and "zensical serve (its own Markdown)" in printed
    assert "Targets:" in printed and str(path) in printed
    assert not (tmp_path / "work" / "kb-10").exists()  # the synthetic knowledge base is removed


def test_build_figures_come_from_the_plugins_record_not_its_log(tmp_path):
    site = tmp_path / "site"
    (site / "compute" / "a").mkdir(parents=True)
    (site / "compute" / "a" / "index.html").write_text("<html></html>", "utf-8")
    record = {"generated_files": 12, "charts_rendered": 1, "charts_cached": 4, "stages": {"load": 0.51234, "render charts": 2.0},
              "search": {"pages": 9, "words": 300, "filters": 2, "seconds": 1.23456, "files": 5, "bytes": 1000}}
    run = runs.Run(["mkdocs", "build"], wall_s=3.0, cpu_s=2.5, peak_mb=200.0, returncode=0,
                   log="landscape: 99 generated files; charts rendered 7, from cache 7; load 9.00s", record=record)
    build = runs.describe_build(run, site)
    assert (build.charts_rendered, build.charts_cached, build.pages, build.search_pages) == (1, 4, 1, 9)
    assert build.stage_s == {"load": 0.512, "render charts": 2.0} and build.search_index_s == 1.235
    plain = runs.describe_build(runs.Run(["mkdocs", "build"], 1.0, 1.0, 100.0, 0), site)  # no landscape plugin
    assert plain.charts_rendered is None and plain.stage_s == {} and plain.search_index_s is None


def test_real_site_edits_change_a_note_and_the_row_behind_an_entity_page(tmp_path):
    notes = [path for path in sorted((ROOT / "notes").glob("*/*.md")) if path.name != "_index.md"]
    (tmp_path / "notes" / "algorithms").mkdir(parents=True)
    (tmp_path / "notes" / "algorithms" / "_index.md").write_text("---\ntitle: Algorithms\n---\n", "utf-8")  # an overview, not a note
    (tmp_path / "notes" / notes[0].parent.name).mkdir(parents=True, exist_ok=True)
    shutil.copy(notes[0], tmp_path / "notes" / notes[0].parent.name / notes[0].name)
    (tmp_path / "charts" / "data").mkdir(parents=True)
    shutil.copy(ROOT / "charts" / "data" / "notable-models.yaml", tmp_path / "charts" / "data")
    note, entity = cli.real_edits(tmp_path)
    assert note.url == f"{notes[0].parent.name}/{notes[0].stem}/" and entity.url == "models/gpt-3-175b-davinci/"
    for edit in (note, entity):
        assert pages.apply(edit) and edit.marker in edit.path.read_text("utf-8")
    data = parse_yaml(entity.path.read_text("utf-8"), "notable-models.yaml")
    [gpt3] = [row for row in data["rows"] if row["model"] == "GPT-3 175B (davinci)"]
    assert gpt3["organization"] == f"OpenAI {entity.marker}"
    missing = pages.Edit("x", note.path, "", "new", "new", old="text that is not in the note")
    assert not pages.apply(missing)


def test_report_shows_save_to_page_times_against_their_targets():
    build = {"wall_s": 50.0, "cpu_s": 45.0, "peak_mb": 900.0, "output_mb": 140.0, "search_index_mb": 3.0, "pages": 3718}
    results = {"date": "2026-12-03", "machine": {"cpus": 2, "python": "3.11", "mkdocs": "1.6", "material": "9"},
               "real_site": {"cold": build, "warm": {**build, "ok": True},
                             "serve": {"first_build_s": 60.0, "note_save_to_page_s": 1.4, "entity_save_to_page_s": 2.5},
                             "serve_zensical": {"server": "landscape serve --engine zensical", "first_build_s": 90.0,
                                                "note_save_to_page_s": 0.6, "entity_save_to_page_s": 3.0}},
               "sizes": []}
    printed = report.report(results)
    assert "Real site, mkdocs serve: first build 60.0 s, note saved -> page 1.4 s, entity saved -> page 2.5 s" in printed
    assert "Real site, landscape serve --engine zensical: first build 90.0 s, note saved -> page 0.6 s" in printed
    assert "[MISS] real site (MkDocs): note saved -> page < 1 s: 1.4 s" in printed
    assert "[met ] real site (Zensical): note saved -> page < 1 s: 0.6 s" in printed


@pytest.mark.parametrize("text", ["", "hugo", "mkdocs,jekyll"])
def test_bad_serve_engines_are_refused(text):
    with pytest.raises(argparse.ArgumentTypeError):
        cli.parse_engines(text)


def test_serve_engines_parse():
    assert cli.parse_engines("zensical") == ["zensical"] and cli.parse_engines("mkdocs, zensical") == ["mkdocs", "zensical"]
