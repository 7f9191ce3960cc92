"""The stages in process, on small fixture trees: load → link (a graph; renders nothing) → render → emit,
`check` as the first half of the build, and a new content kind added without editing the generator."""

from __future__ import annotations

import subprocess
import sys

import pytest

from landscape import pipeline
from landscape.cli import main
from landscape.config import read_site_config
from landscape.link import EMBED, link
from landscape.paths import Paths

from .conftest import KnowledgeBase
from .test_charts import CHART, DATASET

TABLE = """\
id: energy
title: Energy of a run
description: Power times time.
sources:
  s1: {title: A datasheet, url: "https://example.org/sheet", publisher: Example Labs, date: 2024-05-01}
inputs:
  - {name: power, label: Power, value: 2, unit: MW, source: s1}
  - {name: hours, label: Time, value: 10, unit: hour, source: s1}
outputs:
  - {name: energy, label: Energy, formula: "power * hours", unit: MWh, digits: 3}
"""


@pytest.fixture
def site(tmp_path) -> KnowledgeBase:
    kb = KnowledgeBase(tmp_path / "kb")
    kb.write("charts/data/models.yaml", DATASET)
    kb.write("charts/training.yaml", CHART)
    kb.write("charts/tables/energy.yaml", TABLE)
    kb.note("compute", "scaling", "Scaling", body="""\
        Compute grew {{fit training.all}}; a run used {{value energy.energy}}.
        See [[dataset:models]] and [[Energy notes]].

        {{chart training}}

        > [!note] Inside a callout
        > {{table energy}}
        """)
    kb.note("systems", "energy-notes", "Energy notes", body="Back to [[scaling]].\n")
    return kb


def loaded(kb: KnowledgeBase):
    config = read_site_config(kb.root / "mkdocs.yml")
    return pipeline.load(Paths(kb.root), config), Paths(kb.root)


def test_link_builds_the_graph_and_renders_nothing(site):
    content, _ = loaded(site)
    linked = link(content)
    assert content.outputs == {} and content.rendered == {}  # no chart was rendered
    assert linked.backlinks == {"scaling": ["energy-notes"], "energy-notes": ["scaling"]}
    assert linked.users == {"chart:training": ["scaling"], "table:energy": ["scaling"]}
    assert linked.linkers["datasets/models.md"] == ["scaling"]
    body = linked.bodies["scaling"]
    assert EMBED.format(kind="chart", ident="training") in body
    assert "    " + EMBED.format(kind="table", ident="energy") in body  # indented inside the callout
    assert "doubling every" in body and "20.0 MWh" in body  # quoted values are text already
    assert "[Energy notes](../systems/energy-notes.md)" in body and "[Test models](../datasets/models.md)" in body


def test_render_fills_the_embeds_and_every_kind_gives_its_pages(site):
    content, paths = loaded(site)
    linked = link(content)
    pipeline.render(content, paths)
    pages = pipeline.pages(content, linked)
    note = pages["compute/scaling.md"]
    assert "\ue000" not in note
    assert '<figure class="lc-chart" id="chart-training">' in note
    assert "    **Energy of a run**" in note  # the table embed keeps the callout's indent on every line
    assert "## Linked from" in note and "[Energy notes](../systems/energy-notes.md)" in note
    assert "[A source](https://example.org/source)" in note
    assert {"compute/index.md", "systems/index.md", "sources.md", "charts/training.md", "charts/index.md",
            "tables/energy.md", "tables/index.md", "datasets/models.md", "datasets/index.md"} <= set(pages)
    chart_page = pages["charts/training.md"]
    assert chart_page.startswith('---\nkind: "Chart"\nlayers: ["Compute"]\n')
    assert "[Scaling](../compute/scaling.md)" in chart_page
    assert pages["datasets/models.md"].startswith('---\nkind: "Dataset"\nlayers: ["Compute"]\n')
    table_page = pages["tables/energy.md"]
    assert "[A datasheet](https://example.org/sheet) — Example Labs, 2024-05-01" in table_page
    sources = pipeline.page_sources(content)
    assert sources["charts/training.md"].name == "training.yaml" and sources["compute/scaling.md"].name == "scaling.md"


def test_check_is_the_first_half_of_the_build_and_writes_nothing(site):
    config = read_site_config(site.root / "mkdocs.yml")
    site.note("data", "broken", "Broken", body="{{chart nope}}\n\nSee [[no-such-note]] and {{fit training.none}}.\n")
    checked = pipeline.check(site.root, config)
    assert not (site.root / ".cache").exists()
    codes = sorted((p.code, p.ref) for p in checked.problems)
    assert codes == [("link.unknown-id", "chart:nope"), ("link.unknown-note", "note:no-such-note"),
                     ("link.unknown-value", "chart:training")]


def test_a_link_to_an_item_that_failed_to_load_repeats_nothing(here_site, capsys):
    here_site.write("charts/tables/energy.yaml", TABLE.replace("power * hours", "power *"))
    status = main(["check"])
    out = capsys.readouterr()
    text = out.out + out.err
    assert status == 1
    assert "charts/tables/energy.yaml" in text
    assert "unknown table id" not in text and "refers to nothing" not in text  # the link problems are dropped


@pytest.fixture
def here_site(site, monkeypatch):
    monkeypatch.chdir(site.root)
    return site


# ------------------------------------------------------------------------------ a new content kind

TERMS_KIND = '''\
"""Terms: one YAML file each under charts/terms/, one page each. Nothing else in the generator knows."""

from landscape.kinds import Kind
from landscape.link import simple_link_word
from landscape.pagekit import front_matter, md_escape
from landscape.problems import problem
from landscape.yamlio import YamlError, parse_yaml, read_text


class Term:
    def __init__(self, ident, title, meaning, path):
        self.id, self.title, self.meaning, self.path = ident, title, meaning, path


def load(files, context):
    items, problems = {}, []
    for path in files:
        try:
            data = parse_yaml(read_text(path), path)
        except YamlError as exc:
            problems.append(exc.problem)
            continue
        if not isinstance(data.get("meaning"), str):
            problems.append(problem(path, 1, "meaning", "a term needs its meaning"))
            continue
        items[path.stem] = Term(path.stem, str(data.get("title")), data["meaning"], path)
    return items, problems


def pages(content, linked):
    out = {}
    for ident, term in content.items["term"].items():
        users = ", ".join(sorted(linked.linkers.get(f"terms/{ident}.md", [])))
        out[f"terms/{ident}.md"] = front_matter(title=term.title) + f"# {md_escape(term.title)}\\n\\n{md_escape(term.meaning)}\\n\\nLinked from: {users}\\n"
    return out


TERMS = Kind(
    name="term",
    plural="terms",
    files=lambda paths: sorted((paths.charts / "terms").glob("*.yaml")),
    load=load,
    link_words=lambda items: simple_link_word("term", items, lambda ident: f"terms/{ident}.md"),
    pages=pages,
    sources=lambda items: {f"terms/{i}.md": t.path for i, t in items.items()},
)
'''


@pytest.fixture
def terms_site(tmp_path, monkeypatch):
    kb = KnowledgeBase(tmp_path / "kb")
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "terms_kind.py").write_text(TERMS_KIND, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "plugins"))
    config = (kb.root / "mkdocs.yml").read_text(encoding="utf-8")
    kb.write("mkdocs.yml", config.replace("  - landscape:\n", '  - landscape:\n      kinds: ["terms_kind:TERMS"]\n', 1))
    kb.write("charts/terms/flop.yaml", "title: FLOP\nmeaning: One floating-point operation.\n")
    kb.note("compute", "counting", "Counting", body="Compute is counted in [[term:flop]].\n")
    return kb


def test_a_new_kind_is_one_module_named_in_mkdocs_yml(terms_site, tmp_path):
    config = read_site_config(terms_site.root / "mkdocs.yml")
    assert config.kinds == ("terms_kind:TERMS",)
    artefacts = pipeline.run(terms_site.root, config)
    page = artefacts.files["terms/flop.md"]
    assert "# FLOP" in page and "One floating-point operation." in page and "Linked from: counting" in page
    assert "[FLOP](../terms/flop.md)" in artefacts.files["compute/counting.md"]
    assert artefacts.sources["terms/flop.md"] == terms_site.root / "charts/terms/flop.yaml"


def test_a_new_kind_reports_its_problems_and_counts_in_check(terms_site, monkeypatch, capsys):
    monkeypatch.chdir(terms_site.root)
    terms_site.note("compute", "bad", "Bad", body="See [[term:nope]].\n")
    terms_site.write("charts/terms/empty.yaml", "title: Empty\n")
    assert main(["check"]) == 1
    out = capsys.readouterr()
    assert "charts/terms/empty.yaml:1: meaning: a term needs its meaning" in out.out
    assert "notes/compute/bad.md:12: wikilink: [[term:nope]]: unknown term id 'nope'" in out.out
    assert "2 terms" in out.err


@pytest.mark.slow
def test_a_new_kind_builds_with_mkdocs(terms_site, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=terms_site.root, capture_output=True, text=True, timeout=600,
        env={**__import__("os").environ, "PYTHONPATH": str(tmp_path / "plugins"), "SOURCE_DATE_EPOCH": "1700000000"},
    )
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "terms" / "flop" / "index.html").read_text(encoding="utf-8")
    assert "One floating-point operation." in html


# ------------------------------------------------------------------------------ the edit loop's memo


def test_a_rebuild_reuses_only_what_its_change_leaves_alone(site):
    config = read_site_config(site.root / "mkdocs.yml")
    memo = pipeline.Memo()
    first = pipeline.run(site.root, config, memo=memo)
    site.note("systems", "energy-notes", "Energy notes", body="Back to [[scaling]], edited.\n")
    second = pipeline.run(site.root, config, memo=memo)
    assert "edited." in second.files["systems/energy-notes.md"]
    assert second.files["charts/training.md"] is first.files["charts/training.md"]  # reused, not rebuilt
    assert second.files["tables/energy.md"] is first.files["tables/energy.md"]
    assert second.files == pipeline.run(site.root, config).files  # the same files as a full build

    # a note that starts using the table changes the table's page (its users), nothing about the chart
    site.note("systems", "energy-notes", "Energy notes", body="Back to [[scaling]]: {{value energy.energy}}.\n")
    third = pipeline.run(site.root, config, memo=memo)
    assert "[Energy notes](../systems/energy-notes.md)" in third.files["tables/energy.md"]
    assert third.files["charts/training.md"] is first.files["charts/training.md"]

    # a dataset edit re-renders the chart drawn from it and rebuilds its pages
    site.write("charts/data/models.yaml", DATASET.replace("compute: 1.05e23", "compute: 2.05e23"))
    fourth = pipeline.run(site.root, config, memo=memo)
    assert fourth.files["charts/training.md"] is not first.files["charts/training.md"]
    assert fourth.files["charts/assets/training.csv"] != first.files["charts/assets/training.csv"]
    assert fourth.files == pipeline.run(site.root, config).files
