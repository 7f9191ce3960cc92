"""Entity pages declared in YAML: a page for every model, chip and organisation in the data, links to
them from notes, and the errors a contributor sees for bad declarations and unknown names."""

from __future__ import annotations

import re

import pytest

from landscape.chartpages import reader_text
from landscape.cli import main
from landscape.config import read_site_config
from landscape.datasets import central
from landscape.paths import Paths
from landscape.link import link
from landscape.pipeline import load, pages, render

from .conftest import ROOT
from .test_cli import here, kb  # noqa: F401  (fixtures)

MODELS = """\
id: models
title: Models
description: Three models.
licence: CC BY 4.0
credit: Example
sources:
  db: {title: Model database, url: "https://example.org/db"}
columns:
  - {name: model, type: string}
  - {name: organization, type: string}
  - {name: compute, type: number, unit: FLOP}
  - {name: hardware, type: string}
rows:
  - {model: "GPT-4", organization: "OpenAI", compute: 2.1e+25, hardware: "Chip A", source: db, reference: "https://example.org/gpt4"}
  - {model: "GPT 4", organization: "Open AI Lab,DeepMind", compute: 1.0e+20, hardware: null, source: db}
  - {model: "Gopher", organization: "Google DeepMind", compute: 6.3e+23, hardware: "Chip A", source: db}
"""

DECLARATION = """\
id: {ident}
link: {link}
title: {title}
singular: {singular}
dataset: models
name: {name}
{extra}
"""


def declare(kb, ident="models", link="model", title="Models", singular="model", name="model", extra="fields: [{column: compute}, {column: organization}]\nlinks: {organization: orgs}\nrelated: [{type: neighbours, column: compute, label: Neighbours}]"):
    kb.write(f"charts/pages/{ident}.yaml", DECLARATION.format(ident=ident, link=link, title=title, singular=singular, name=name, extra=extra))


def check(capsys) -> tuple[int, str]:
    status = main(["check"])
    out = capsys.readouterr()
    return status, out.out + out.err


def checked_and_built(kb, capsys):
    """`landscape check` passes, then the site builds (--strict): the built site's folder."""
    status, out = check(capsys)
    assert status == 0, out
    site = kb.root / "site"
    result = kb.build(site)
    assert result.returncode == 0, result.stderr
    return site


def small_site(kb, models=MODELS):
    kb.write("charts/data/models.yaml", models)
    declare(kb)
    declare(kb, ident="orgs", link="org", title="Organisations", singular="organisation", name="organization",
            extra='split: ","\naliases: {Google DeepMind: [DeepMind]}\nrelated: [{type: mentioned_by, collection: models, column: organization, label: Models}]')


def test_pages_links_and_name_forms(here, capsys):
    small_site(here)
    here.note("compute", "one", "One", body="[[model:GPT-4]] and [[org:DeepMind]] and [[model:gpt 4|the other]].\n")
    site = checked_and_built(here, capsys)
    note = (site / "compute/one/index.html").read_text(encoding="utf-8")
    assert 'href="../../models/gpt-4-2/"' in note and 'href="../../orgs/google-deepmind/"' in note
    # "GPT 4" and "GPT-4" make one slug: told apart by a number, in name order, the same every build
    assert "<h1" in (site / "models/gpt-4/index.html").read_text(encoding="utf-8")
    assert ">GPT 4<a" in (site / "models/gpt-4/index.html").read_text(encoding="utf-8")
    page = (site / "models/gpt-4-2/index.html").read_text(encoding="utf-8")
    assert ">GPT-4<a" in page
    assert "2.10 × 10²⁵ FLOP" in page and "https://example.org/gpt4" in page
    assert "Notes that link here" in page and "../../compute/one/" in page
    org = (site / "orgs/google-deepmind/index.html").read_text(encoding="utf-8")
    assert "DeepMind" in org and "Gopher" in org and "GPT 4" in org  # both name forms' rows
    index = (site / "models/index.html").read_text(encoding="utf-8")
    assert "3 models" in index and index.count("<tr data-names") == 3


def test_unknown_entity_link_names_the_nearest(here, capsys):
    small_site(here)
    here.note("compute", "one", "One", body="Line one.\n\nSee [[model:GPT-5]].\n")
    status, out = check(capsys)
    assert status == 1
    line = next(l for l in out.splitlines() if l.startswith("notes/compute/one.md:"))
    number = int(line.split(":")[1])
    assert (here.root / "notes/compute/one.md").read_text(encoding="utf-8").splitlines()[number - 1] == "See [[model:GPT-5]]."
    assert line.endswith("wikilink: [[model:GPT-5]]: no model is named 'GPT-5'; nearest: 'GPT-4', 'GPT 4'")


@pytest.mark.parametrize(("extra", "field", "message"), [
    ("fields: [{column: flops}]", "fields[0].column", "has no column 'flops'"),
    ("slugs: {Gopher: gopher, GPT-4: gopher}", "slugs.GPT-4", "is also given to 'Gopher'"),
    ("aliases: {Nothing: [None at all]}", "aliases.Nothing", "no row"),
])
def test_bad_declarations_name_file_line_and_field(here, capsys, extra, field, message):
    here.write("charts/data/models.yaml", MODELS)
    declare(here, extra=extra)
    status, out = check(capsys)
    assert status == 1, out
    line = next(l for l in out.splitlines() if "charts/pages/models.yaml:" in l)
    assert f": {field}: " in line and message in line


def test_unknown_dataset_and_missing_name(here, capsys):
    here.write("charts/data/models.yaml", MODELS)
    here.write("charts/pages/models.yaml", "id: models\nlink: model\ntitle: M\nsingular: model\ndataset: nope\nname: model\n")
    here.write("charts/pages/other.yaml", "id: other\nlink: other\ntitle: O\nsingular: o\ndataset: models\n")
    status, out = check(capsys)
    assert status == 1
    assert "charts/pages/models.yaml:5: dataset: unknown dataset 'nope'" in out
    assert "charts/pages/other.yaml" in out and "name" in out


def test_a_collection_may_not_take_a_site_folder(here, capsys):
    here.write("charts/data/models.yaml", MODELS)
    declare(here, ident="charts")
    status, out = check(capsys)
    assert status == 1 and "is a folder the site already uses" in out


def test_real_site_model_page_matches_its_dataset_row():
    config = read_site_config(ROOT / "mkdocs.yml")
    paths = Paths(ROOT)
    content = load(paths, config)
    linked = link(content)
    render(content, paths)
    out = pages(content, linked)
    models = content.datasets["notable-models"]
    row = next(r for r in models.rows if r.get("model") == "GPT-4")
    page = out["models/gpt-4.md"]
    for column in ("compute", "released", "cost"):
        assert reader_text(row.get(column), models.column(column)) in page
    assert "[OpenAI](../organisations/openai.md)" in page
    assert len([u for u in out if u.startswith("models/")]) == len(models.rows) + 1
    chips = content.datasets["ml-hardware"]
    assert len([u for u in out if u.startswith("chips/")]) == len(chips.rows) + 1
    deepmind = out["organisations/google-deepmind.md"]
    assert "Also written: DeepMind." in deepmind
    h100 = out["chips/nvidia-h100-sxm5-80gb.md"]
    assert "989 TFLOP/s" in h100 and "## Models trained on it" in h100 and "../models/" in h100
    # its place in both GPU charts, and its price records (hardware-prices names it as ml-hardware does)
    for chart in ("gpu-price-performance", "compute-density"):
        assert f'id="chart-{chart}"' in h100 and len(_overlay_points(_figure(h100, chart), "wide")[0]) == 1
    prices = [r for r in content.datasets["hardware-prices"].rows if r.get("hardware") == "NVIDIA H100 SXM5 80GB"]
    assert "## Purchase and cloud rental prices" in h100 and f"And {len(prices) - 25} more" in h100
    assert "NVIDIA L40S (3)" in out["chips/index.md"]  # a price record naming no chip is listed, not lost
    tpu = out["chips/google-tpu-v4.md"]
    assert "[GPU price-performance](../charts/gpu-price-performance.md): it draws only rows whose Type is GPU (here: TPU)." in tpu
    # an organisation's models ringed against all: as many rings as training-compute draws of its rows
    drawn = [r for r in content.datasets["notable-models"].rows
             if {"Google DeepMind", "DeepMind"} & {name.strip() for name in str(r.get("organization")).split(",")}]
    in_chart = [r for r in drawn if (central(r.get("compute")) or 0) > 0]
    rings, _ = _overlay_points(_figure(deepmind, "training-compute"), "wide")
    assert len(rings) == len(in_chart) > 40
    gpt3 = out["models/gpt-3-175b-davinci.md"]
    assert gpt3.index('id="chart-training-compute"') < gpt3.index("## Just before and after")  # charts come first
    assert 'id="chart-training-cost"' in gpt3  # drawn from training-costs, joined by the model's name


def test_check_hints_at_names_not_linked(here, capsys):
    small_site(here)
    here.note("compute", "one", "One", body="Gopher was large. `Gopher` in code is not a mention.\n\n[[model:GPT-4]] and GPT-4 again.\n")
    status, out = check(capsys)
    assert status == 0, out  # a hint is not a problem
    hints = [l for l in out.splitlines() if ": hint: " in l]
    assert len(hints) == 1 and "'Gopher' has a page: link it with [[model:Gopher]]" in hints[0]
    assert hints[0].startswith("notes/compute/one.md:")
    assert main(["check", "--no-hints"]) == 0 and ": hint: " not in capsys.readouterr().out


CHARTED = MODELS.replace("  - {name: hardware, type: string}\n", "  - {name: hardware, type: string}\n  - {name: parameters, type: number, unit: dimensionless}\n").replace(
    'hardware: "Chip A", source: db, reference', 'hardware: "Chip A", parameters: 1.8e+12, source: db, reference').replace(
    'compute: 1.0e+20, hardware: null,', 'compute: 1.0e+20, hardware: null, parameters: 1.0e+9,').replace(
    'compute: 6.3e+23, hardware: "Chip A",', 'compute: 6.3e+23, hardware: "Chip A", parameters: 2.8e+11,') + (
    '  - {model: "Tiny & <Small>", organization: "OpenAI", compute: 3.0e+22, hardware: null, parameters: 5.0e+10, source: db}\n')

CHART = """\
id: scale
title: Compute against size
caption: Training compute against parameters.
alt: Scatter plot of training compute against parameters, both on log axes.
x: {title: Parameters, type: quantitative, scale: log}
y: {title: Training compute (FLOP), type: quantitative, scale: log}
layers:
  - dataset: models
    mark: point
    x: parameters
    y: compute
    name: model
    labels: [GPT-4]
    filter:
      - {field: compute, op: ">", value: 1e21}
"""


def _ring(svg: str, name: str) -> tuple[float, float]:
    """Where the chart's own SVG draws a mark named ``name``: the translate of its first path, inside the
    chart's outer group and its plot group (the SVG's first two translates)."""
    translate = r'transform="translate\(([-\d.]+),([-\d.]+)\)"'
    outer, plot = [tuple(map(float, m)) for m in re.findall(translate, svg[: svg.index(name)])[:2]]
    x, y = map(float, re.search(translate, svg[svg.index(name):]).groups())
    return outer[0] + plot[0] + x, outer[1] + plot[1] + y


def _figure(page: str, chart: str) -> str:
    start = page.index(f'id="chart-{chart}"')
    return page[start:page.index("</figure>", start)]


def _overlay_points(html_text: str, variant: str) -> tuple[list[tuple[float, float]], list[str]]:
    """The rings (in the SVG's own coordinates) and names of an entity page's first overlay of ``variant``."""
    svg = re.search(rf'<svg class="lc-mark lc-mark--{variant}".*?</svg>', html_text, re.S).group(0)
    ox, oy = map(float, re.search(r'translate\(([-\d.]+),([-\d.]+)\)', svg).groups())
    rings = [(ox + float(x), oy + float(y)) for x, y in re.findall(r'<circle cx="([-\d.]+)" cy="([-\d.]+)"', svg)]
    return rings, re.findall(r'<text class="lc-mark__text"[^>]*>([^<]*)</text>', svg)


def test_entity_pages_show_their_charts_with_the_entity_ringed(here, capsys):
    small_site(here, CHARTED)
    here.write("charts/scale.yaml", CHART)
    site = checked_and_built(here, capsys)
    chart_svg = (site / "charts/assets/scale.svg").read_text(encoding="utf-8")
    wide_ring = _ring(chart_svg, "lc_ring_0_marks")  # where the chart itself rings GPT-4
    gpt4 = (site / "models/gpt-4-2/index.html").read_text(encoding="utf-8")
    assert 'class="lc-chart lc-entity-chart" id="chart-scale"' in gpt4 and "../../charts/assets/scale.svg" in gpt4
    rings, names = _overlay_points(gpt4, "wide")
    assert len(rings) == 1 and abs(rings[0][0] - wide_ring[0]) < 0.2 and abs(rings[0][1] - wide_ring[1]) < 0.2
    assert names == []  # the chart names GPT-4 itself
    narrow_rings, _ = _overlay_points(gpt4, "narrow")
    narrow_ring = _ring((site / "charts/assets/scale.narrow.svg").read_text(encoding="utf-8"), "lc_ring_0_marks")
    assert abs(narrow_rings[0][0] - narrow_ring[0]) < 0.2 and abs(narrow_rings[0][1] - narrow_ring[1]) < 0.2
    assert "Compute against size: GPT-4 is ringed and named." in gpt4 and "charts/scale/?highlight=GPT-4" in gpt4
    gopher = (site / "models/gopher/index.html").read_text(encoding="utf-8")
    assert _overlay_points(gopher, "wide")[1] == ["Gopher"]
    tiny = (site / "models/tiny-small/index.html").read_text(encoding="utf-8")
    assert _overlay_points(tiny, "wide")[1] == ["Tiny &amp; &lt;Small&gt;"]  # data text is escaped in the overlay
    left_out = (site / "models/gpt-4/index.html").read_text(encoding="utf-8")  # "GPT 4": 10²⁰ FLOP, under the filter
    assert "lc-mark" not in left_out
    assert "Compute against size: it draws only rows whose compute is above 1.00 × 10²¹ FLOP (here: 1.00 × 10²⁰ FLOP)." in re.sub(r"<[^>]+>", "", left_out)
    openai = (site / "orgs/openai/index.html").read_text(encoding="utf-8")
    rings, names = _overlay_points(openai, "wide")
    assert len(rings) == 2 and names == []  # GPT-4 and Tiny; the highest, GPT-4, the chart names itself
    assert "2 of its points are ringed, the highest named." in openai
    deepmind = (site / "orgs/google-deepmind/index.html").read_text(encoding="utf-8")
    assert _overlay_points(deepmind, "wide")[1] == ["Gopher"]  # an organisation's point is named by its model


def test_a_repeated_name_shows_each_row_and_similar_names_are_told_apart(here):
    repeated = MODELS + ('  - {model: "Gopher", organization: "DeepMind", compute: 5.0e+23, hardware: null, source: db}\n'
                         '  - {model: "Sparrow", organization: "DeepMind, Google DeepMind", compute: 1.0e+23, hardware: null, source: db}\n')
    small_site(here, repeated)
    config = read_site_config(here.root / "mkdocs.yml")
    content = load(Paths(here.root), config)
    out = pages(content, link(content))
    gopher = out["models/gopher.md"]
    assert '!!! warning "2 rows under one name"' in gopher and "| Figure | Row 1 (line 16) | Row 2 (line 17) |" in gopher
    assert "| compute | 6.30 × 10²³ FLOP | 5.00 × 10²³ FLOP |" in gopher
    # "GPT 4" and "GPT-4" make one slug: each page links the other
    assert "Not to be confused with [GPT-4](gpt-4-2.md)" in out["models/gpt-4.md"]
    assert "Not to be confused with [GPT 4](gpt-4.md)" in out["models/gpt-4-2.md"]
    # a cell naming one organisation twice, in two of its forms, counts its row once
    assert "4 rows of [Models]" in out["orgs/google-deepmind.md"]
