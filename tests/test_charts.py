"""Charts: loading checks, rendering to SVG and Vega-Lite, the chart page and its downloads, the cache."""

import csv
import io
import json
import posixpath
import textwrap
import time

import pytest

from landscape import paths
from landscape.assets import LOADER_URI, STYLES_URI, site_assets
from landscape.chartpages import chart_artefacts, chart_embed, chart_page, fit_text, gallery_page
from landscape.charts import load_charts, render_chart
from landscape.datasets import load_datasets

DATASET = """\
id: models
title: Test models
description: Synthetic rows for tests.
licence: CC BY 4.0
credit: Test credit
sources:
  epoch: {title: Data on AI Models, url: https://epoch.ai/data/ai-models, publisher: Epoch AI, date: 2025-08-07}
columns:
  - {name: model, type: string, description: Model}
  - {name: released, type: date, description: Publication date}
  - {name: compute, type: number, unit: FLOP, description: Training compute}
  - {name: domain, type: string, description: Domain}
rows:
  - {model: A, released: 2012-01-01, compute: 1e17, domain: Vision, source: epoch}
  - {model: B, released: 2014-01-01, compute: 1.6e18, domain: Language, source: epoch}
  - {model: C, released: 2016-01-01, compute: 2.56e19, domain: Vision, source: epoch}
  - {model: D, released: 2018-01-01, compute: 4.1e20, domain: Language, source: epoch}
  - {model: E, released: 2020-01-01, compute: {low: 2e21, central: 6.55e21, high: 9e21}, domain: Language, source: epoch}
  - {model: F, released: 2022-01-01, compute: 1.05e23, domain: Language, source: epoch}
  - {model: G, released: 2023-01-01, compute: null, domain: Language, source: epoch}
  - {model: H, released: 2019-01-01, compute: 5e20, domain: Games, source: epoch}
"""

CHART = """\
id: training
title: Training compute of test models
subtitle: Log scale
caption: Compute grows sixteenfold every two years in this synthetic data.
alt: Points rising along a straight line on a log scale.
x: {title: Publication date, type: temporal}
y: {title: Training compute (FLOP), type: quantitative, scale: log}
layers:
  - dataset: models
    mark: point
    x: released
    y: compute
    color: domain
    tooltip: [model, released, compute]
    filter:
      - {field: domain, op: "!=", value: Games}
trends:
  - id: all
    label: All
    from: 2010-01-01
    to: 2023-12-31
    published: {doubling_months: 6.0, low: 5, high: 7, source: {title: Compute Trends, url: "https://arxiv.org/abs/2202.05924"}}
annotations:
  - {x: 2020-01-01, y: 6.55e21, text: Model E}
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("kb")
    (root / "data").mkdir()
    (root / "data" / "models.yaml").write_text(DATASET, "utf-8")
    (root / "training.yaml").write_text(CHART, "utf-8")
    datasets, problems = load_datasets([root / "data" / "models.yaml"])
    assert problems == []
    charts, problems = load_charts([root / "training.yaml"], datasets)
    assert problems == []
    cache = root / "cache"
    started = time.perf_counter()
    rendered = render_chart(charts["training"], datasets, cache)
    cold = time.perf_counter() - started
    return {"root": root, "datasets": datasets, "chart": charts["training"], "rendered": rendered, "cache": cache, "cold": cold}


def test_render_produces_svg_with_title_credit_and_fit(world):
    rendered = world["rendered"]
    assert rendered.from_cache is False
    for svg in (rendered.svg_light, rendered.svg_dark):
        assert svg.startswith("<svg") and "Training compute of test models" in svg
        assert "Data: Epoch AI (CC BY 4.0)" in svg
        assert "doubling 6.0 mo (published 6 mo)" in svg
    assert rendered.svg_light != rendered.svg_dark  # the dark scheme has its own colours
    assert 'aria-label="Points rising along a straight line on a log scale."' in rendered.svg_light


def test_spec_is_vega_lite_with_data_log_axis_zoom_and_dark_config(world):
    spec = world["rendered"].spec
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    data_layer = spec["layer"][0]
    assert [r["model"] for r in data_layer["data"]["values"]] == ["A", "B", "C", "D", "E", "F"]
    y = data_layer["encoding"]["y"]
    assert y["scale"]["type"] == "log" and "labelExpr" in y["axis"] and y["axis"]["values"][0] == 1e16
    assert data_layer["encoding"]["x"]["axis"]["format"] == "%Y"
    assert spec["params"][0]["bind"] == "scales" and spec["params"][0]["name"] == "zoom"
    assert spec["usermeta"]["darkConfig"]["axis"]["labelColor"] != spec["config"]["axis"]["labelColor"]


def test_fit_recovers_the_synthetic_doubling_time(world):
    (trend,) = world["rendered"].fits
    assert trend.fit.n == 6 and trend.fit.doubling_months == pytest.approx(6.0, rel=0.01)
    text = fit_text(world["chart"], world["rendered"], "all")
    assert text.startswith("doubling every 6.0 months (95% CI ")
    assert text.endswith("; 6 points, 2012–2022; log-linear least squares)")
    with pytest.raises(KeyError, match="no trend 'nope'"):
        fit_text(world["chart"], world["rendered"], "nope")


def test_downloads_hold_exactly_the_rows_drawn(world):
    rendered = world["rendered"]
    rows = list(csv.DictReader(io.StringIO(rendered.csv)))
    assert [r["model"] for r in rows] == ["A", "B", "C", "D", "E", "F"]  # G has no compute, H is filtered out
    assert rows[4]["compute"] == "6.55e+21" and rows[4]["compute_low"] == "2e+21"
    payload = json.loads(rendered.json)
    assert [r["model"] for r in payload["layers"][0]["rows"]] == ["A", "B", "C", "D", "E", "F"]
    assert payload["credit"] == "Data: Epoch AI (CC BY 4.0)"


def test_chart_page_has_svg_interactive_spec_downloads_sources_and_citation(world):
    chart, rendered = world["chart"], world["rendered"]
    page = chart_page(chart, rendered, world["datasets"], [("A note", "compute/a-note.md")])
    uri = paths.chart_page_uri("training")
    here = posixpath.dirname(uri)
    assert page.startswith('---\ntitle: "Training compute of test models"\n')
    assert "# Training compute of test models" in page
    assert f'src="{paths.href(uri, paths.chart_asset_uri("training", "svg"))}"' in page
    assert f'src="{paths.href(uri, paths.chart_asset_uri("training", "dark.svg"))}"' in page
    assert f'data-lc-spec="{paths.href(uri, paths.chart_asset_uri("training", "vl.json"))}"' in page
    assert f'data-lc-bundle="{paths.href(uri, paths.VEGA_BUNDLE_URI)}"' in page
    assert f"[CSV]({posixpath.relpath(paths.chart_asset_uri('training', 'csv'), here)})" in page
    assert f"[JSON]({posixpath.relpath(paths.chart_asset_uri('training', 'json'), here)})" in page
    assert "| 6 | ×" in page and "Compute Trends" in page  # the trend table, with the published figure
    assert "https://epoch.ai/data/ai-models" in page
    assert "@misc{landscape-training," in page
    assert f"[A note]({posixpath.relpath('compute/a-note.md', here)})" in page
    files = chart_artefacts(chart, rendered)
    assert set(files) == {paths.chart_asset_uri("training", s) for s in ("svg", "dark.svg", "vl.json", "csv", "json")}
    assert json.loads(files[paths.chart_asset_uri("training", "vl.json")]) == rendered.spec
    assert files[paths.chart_asset_uri("training", "csv")] == rendered.csv


def test_embed_and_gallery(world):
    chart, rendered = world["chart"], world["rendered"]
    embed = chart_embed(chart, rendered, "compute/a-note.md")
    assert embed.startswith('<figure class="lc-chart" id="chart-training">')
    assert "Compute grows sixteenfold" in embed and 'alt="Points rising' in embed and "hidden" in embed
    gallery = gallery_page({"training": chart}, {"training": rendered})
    assert paths.href(paths.GALLERY_URI, paths.chart_asset_uri("training", "svg")) in gallery


def test_cache_skips_an_unchanged_chart(world):
    started = time.perf_counter()
    again = render_chart(world["chart"], world["datasets"], world["cache"])
    warm = time.perf_counter() - started
    assert again.from_cache is True
    assert again.svg_light == world["rendered"].svg_light and again.spec == world["rendered"].spec
    assert warm < 0.25 and warm < world["cold"] / 3


def test_changed_data_is_rendered_again(world, tmp_path):
    (tmp_path / "models.yaml").write_text(DATASET.replace("compute: 1e17", "compute: 2e17"), "utf-8")
    datasets, _ = load_datasets([tmp_path / "models.yaml"])
    again = render_chart(world["chart"], datasets, world["cache"])
    assert again.from_cache is False and again.key != world["rendered"].key


def write_chart(tmp_path, text):
    path = tmp_path / "training.yaml"
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


@pytest.mark.parametrize("old, new, field, message", [
    ("dataset: models", "dataset: nothing", "layers[0].dataset", "unknown dataset 'nothing'"),
    ("y: compute", "y: flops", "layers[0].y", "has no column 'flops'"),
    ("tooltip: [model, released, compute]", "tooltip: [model, size]", "layers[0].tooltip", "has no column 'size'"),
    ('{field: domain, op: "!=", value: Games}', '{field: released, op: ">", value: someday}', "layers[0].filter[0].value", "not a date"),
    ('{field: domain, op: "!=", value: Games}', '{field: domain, op: "~", value: Games}', "layers.0.filter.0.op", "Input should be"),
    ("to: 2023-12-31", "to: 2009-12-31", "trends[0].to", "must end after it starts"),
    ("from: 2010-01-01", "from: 2021-06-01", "trends[0]", "at least 3 points"),
    ("layer: 0\n", "layer: 3\n", "trends[0].layer", "no layer 3"),
    ("id: training", "id: other", "id", "must equal the file name"),
    ("mark: point", "mark: pie", "layers.0.mark", "Input should be"),
])
def test_chart_errors_name_file_line_and_field(world, tmp_path, old, new, field, message):
    text = CHART.replace("    label: All\n", "    label: All\n    layer: 0\n") if "layer: 0" in old else CHART
    assert old in text
    path = write_chart(tmp_path, text.replace(old, new, 1))
    charts, problems = load_charts([path], world["datasets"])
    assert charts == {}
    matching = [p for p in problems if p.field == field and message in p.message]
    assert matching, problems
    assert matching[0].line is not None and matching[0].file.endswith("training.yaml")


def test_site_assets(world):
    assets = site_assets(world["cache"])
    assert "window.vegaEmbed" in assets[paths.VEGA_BUNDLE_URI]
    loader = assets[LOADER_URI]
    assert "document$" in loader and "data-lc-spec" in loader and "data-md-color-scheme" in loader and "darkConfig" in loader
    assert '[data-md-color-scheme="slate"] .lc-chart__img--light' in assets[STYLES_URI]
    assert site_assets(world["cache"])[paths.VEGA_BUNDLE_URI] == assets[paths.VEGA_BUNDLE_URI]
