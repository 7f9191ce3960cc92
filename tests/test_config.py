"""The site configuration (plugins -> landscape in mkdocs.yml), read by one function for the plugin, the
CLI and the tests: the options a knowledge base sets, and the error a contributor sees for a bad one."""

from __future__ import annotations

import pytest

from landscape import pipeline
from landscape.cli import main
from landscape.config import read_site_config

from .conftest import KnowledgeBase
from .test_charts import CHART, DATASET
from .test_pipeline import TABLE


@pytest.fixture
def site(tmp_path, monkeypatch) -> KnowledgeBase:
    kb = KnowledgeBase(tmp_path / "kb")
    kb.note("compute", "one", "One")
    monkeypatch.chdir(kb.root)
    return kb


def configure(kb: KnowledgeBase, options: str) -> None:
    """Add option lines (indented as plugin options) under `- landscape:` in the knowledge base's mkdocs.yml."""
    text = (kb.root / "mkdocs.yml").read_text(encoding="utf-8")
    kb.write("mkdocs.yml", text.replace("  - landscape:\n", "  - landscape:\n" + options, 1))


def check(capsys) -> tuple[int, str]:
    status = main(["check"])
    out = capsys.readouterr()
    return status, out.out + out.err


@pytest.mark.parametrize(("options", "message"), [
    ("      colours: {}\n", "mkdocs.yml: plugins -> landscape: unknown option 'colours'"),
    ("      chart_theme: [red]\n", "chart_theme takes font (text), light and dark (colour maps)"),
    ("      chart_theme: {light: red}\n", "chart_theme -> light must map colour names to colours"),
    ("      chart_theme: {font: 12}\n", "chart_theme -> font must be text"),
    ("      units: FLOP\n", "units must be a list of pint unit definitions"),
    ("      kinds: [terms]\n", "kinds: 'terms' is not module:NAME"),
])
def test_a_bad_option_names_mkdocs_yml_and_the_option(site, capsys, options, message):
    configure(site, options)
    status, out = check(capsys)
    assert status != 0
    assert message in out


def test_bad_layer_keywords_are_named(site, capsys):
    text = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    start = text.index("          keywords: [")
    site.write("mkdocs.yml", text[:start] + "          keywords: gpu\n" + text[text.index("\n", start) + 1:])
    status, out = check(capsys)
    assert status != 0 and "layers[0] -> keywords must be a list of words" in out


def test_a_kind_that_cannot_load_and_a_bad_unit_are_problems_of_mkdocs_yml(site, capsys):
    configure(site, '      kinds: ["no_such_module:KIND"]\n      units: ["widget = [widget", "FLOP = [other]"]\n')
    status, out = check(capsys)
    assert status == 1
    assert "mkdocs.yml: kinds: cannot load 'no_such_module:KIND': No module named 'no_such_module'" in out
    assert "mkdocs.yml: units: unit definition 'widget = [widget'" in out


def test_site_units_and_chart_theme_reach_tables_and_charts(site):
    configure(site, '      units: ["petaFLOP_day = 8.64e19 * FLOP = pfs_day"]\n'
                    '      chart_theme: {font: "DejaVu Sans", light: {category: ["#123456", "#654321"]}}\n')
    site.write("charts/data/models.yaml", DATASET)
    site.write("charts/training.yaml", CHART)
    table = TABLE.replace("inputs:\n", "inputs:\n  - {name: compute, label: Compute, value: 1e21, unit: FLOP, source: s1}\n")
    site.write("charts/tables/energy.yaml", table + "  - {name: runs, label: Runs, formula: compute, unit: pfs_day, digits: 3}\n")
    config = read_site_config(site.root / "mkdocs.yml")
    assert config.units == ("petaFLOP_day = 8.64e19 * FLOP = pfs_day",)
    artefacts = pipeline.run(site.root, config)
    assert "11.6 pfs_day" in artefacts.files["tables/energy.md"]
    svg = artefacts.files["charts/assets/training.svg"]
    assert "#123456" in svg and "DejaVu Sans" in svg
