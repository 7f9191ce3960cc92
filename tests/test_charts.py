"""Charts: loading checks, rendering to SVG and Vega-Lite, the chart page and its downloads, the cache."""

import csv
import datetime as dt
import math
import re
import io
import json
import posixpath
import textwrap
import time

import pytest

from landscape import paths
from landscape.assets import LOADER_URI, STYLES_URI, site_assets
from landscape.chartpages import chart_artefacts, chart_embed, chart_page, fit_text, gallery_page
from landscape.charts import category_labels, legend_columns, load_charts, render_chart
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
        assert "All: doubling 6.0 mo (95% CI 6.0–6.0), ×4.00/yr; published 6 mo (5–7)" in svg  # the trend key
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
    text = fit_text(world["chart"], world["rendered"].fits, "all")
    assert text == "doubling every 6.0 months (×4.00 per year; 95% CI 6.0–6.0 months, ×4.00–4.00 per year; 6 points, 2012–2022; log-linear least squares)"
    with pytest.raises(KeyError, match="no trend 'nope'"):
        fit_text(world["chart"], world["rendered"].fits, "nope")


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
    page = chart_page(chart, rendered, world["datasets"], [("A note", "compute/a-note.md")], "Generative AI Landscape")
    uri = paths.chart_page_uri("training")
    here = posixpath.dirname(uri)
    assert page.startswith('---\ntitle: "Training compute of test models"\n')
    assert "# Training compute of test models" in page
    assert f'src="{paths.href(uri, paths.chart_asset_uri("training", "svg"))}"' in page
    assert f'src="{paths.href(uri, paths.chart_asset_uri("training", "dark.svg"))}"' in page
    assert f'data-lc-spec="{paths.href(uri, paths.chart_asset_uri("training", "vl.json"))}"' in page
    assert f'data-lc-bundle="{paths.href(uri, paths.VEGA_BUNDLE_URI)}"' in page
    assert f"[CSV of all rows drawn]({posixpath.relpath(paths.chart_asset_uri('training', 'csv'), here)})" in page
    assert f"[JSON]({posixpath.relpath(paths.chart_asset_uri('training', 'json'), here)})" in page
    for label, suffix in (("PNG, light", "png"), ("PNG, dark", "dark.png"), ("SVG, light", "svg"), ("SVG, dark", "dark.svg"),
                          ("Vega-Lite spec", "vl.json"), ("embed page", None)):
        target = paths.chart_asset_uri("training", suffix) if suffix else paths.chart_embed_uri("training")
        assert f"[{label}]({posixpath.relpath(target, here)})" in page, label
    assert 'data-lc-shown-csv="training" hidden>CSV of the rows shown now</button>' in page
    assert "&lt;iframe src=&quot;../embed/training.html&quot;" in page  # the embed code, before the script makes it absolute
    assert re.search(r"Data version: models sha256:[0-9a-f]{12} \(2025-08-07\)", page)
    assert "| 6 | ×" in page and "Compute Trends" in page  # the trend table, with the published figure
    assert "https://epoch.ai/data/ai-models" in page
    assert "@misc{landscape-training," in page
    assert f"[A note]({posixpath.relpath('compute/a-note.md', here)})" in page
    files = chart_artefacts(chart, rendered, world["datasets"], "Generative AI Landscape")
    suffixes = ("svg", "dark.svg", "narrow.svg", "narrow.dark.svg", "png", "dark.png", "vl.json", "narrow.vl.json", "csv", "json")
    assert set(files) == {paths.chart_asset_uri("training", s) for s in suffixes} | {paths.chart_embed_uri("training")}
    assert json.loads(files[paths.chart_asset_uri("training", "vl.json")]) == rendered.spec
    assert files[paths.chart_asset_uri("training", "csv")] == rendered.csv
    for suffix in ("png", "dark.png"):  # PNGs at twice the SVG's size
        png = files[paths.chart_asset_uri("training", suffix)]
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width = int.from_bytes(png[16:20], "big")
        assert abs(width - 2 * float(re.search(r'<svg[^>]*width="([\d.]+)"', rendered.svg_light).group(1))) <= 2
    embed = files[paths.chart_embed_uri("training")]
    assert "<h1>Training compute of test models</h1>" in embed and 'href="../training/" target="_top"' in embed
    assert "md-header" not in embed and 'src="../../assets/javascripts/charts.js"' in embed
    assert 'src="../assets/training.svg"' in embed and 'srcset="../assets/training.narrow.svg"' in embed


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
    ("color: domain", "color: domain\n    name: model\n    labels: [A, Z]", "layers[0].labels", "no point drawn has model = 'Z'"),
    ("color: domain", "color: domain\n    labels: [A]", "layers[0].labels", "need `name`"),
    ("color: domain", "color: {field: domain, values: [Vision, Vision]}", "layers[0].color.values", "listed twice"),
    ("color: domain", "color: {field: kind, values: [Vision]}", "layers[0].color", "has no column 'kind'"),
    ("annotations:", "explore: {scale: [x]}\nannotations:", "explore.scale", "the x axis is not log"),
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


# ----------------------------------------------------------------------------- bars on log axes, key, legend, tooltips

BARS_DATASET = """\
id: growth
title: Growth factors
description: Synthetic rows for tests.
licence: CC BY 4.0
credit: Test credit
sources:
  s: {title: A source, url: https://example.org/s, publisher: Example, date: 2024-01-01}
columns:
  - {name: factor, type: string, description: Factor}
  - {name: series, type: string, description: "Assumed or observed, and by whom, in a long legend title"}
  - {name: growth, type: number, unit: dimensionless, description: Growth per year}
  - {name: days, type: number, unit: day, description: Days to a milestone}
  - {name: density, type: number, unit: FLOP/s/mm^2, description: Density}
rows:
  - {factor: Algorithmic progress, series: Assumed in the 2020 report, growth: 1.32, days: 5, density: 1, source: s}
  - {factor: Algorithmic progress, series: Observed by later measurements, growth: 3.0, days: 62, density: 2, source: s}
  - {factor: Effective compute, series: Assumed in the 2020 report, growth: 2.46, days: 274, density: 3, source: s}
  - {factor: Effective compute, series: Observed by later measurements, growth: 10.7, days: 912, density: 4, source: s}
  - {factor: Willingness to spend, series: Assumed in the 2020 report, growth: 1.41, days: 30, density: 5, source: s}
"""

UPRIGHT_LOG_BARS = """\
id: upright
title: Upright bars on a log axis
caption: Caption.
alt: Alt.
x: {title: Factor, type: nominal}
y: {title: Growth per year (x), type: quantitative, scale: log}
layers:
  - dataset: growth
    mark: bar
    x: factor
    y: growth
    color: series
    tooltip: [factor, series, growth, density]
params:
  - {name: rate, label: "Assumed growth (x per year)  ", min: 1, max: 3, step: 0.1, value: 2}
"""

HORIZONTAL_LOG_BARS = """\
id: horizontal
title: Horizontal bars on a log axis
caption: Caption.
alt: Alt.
x: {title: Days, type: quantitative, scale: log}
y: {title: Factor and series, type: nominal}
layers:
  - dataset: growth
    mark: bar
    x: days
    y: series
    tooltip: [series, days]
    filter: [{field: factor, op: "==", value: Effective compute}]
"""


@pytest.fixture(scope="module")
def bars(tmp_path_factory):
    root = tmp_path_factory.mktemp("bars")
    (root / "growth.yaml").write_text(BARS_DATASET, "utf-8")
    (root / "upright.yaml").write_text(UPRIGHT_LOG_BARS, "utf-8")
    (root / "horizontal.yaml").write_text(HORIZONTAL_LOG_BARS, "utf-8")
    datasets, problems = load_datasets([root / "growth.yaml"])
    assert problems == []
    charts, problems = load_charts([root / "upright.yaml", root / "horizontal.yaml"], datasets)
    assert problems == []
    return {name: render_chart(chart, datasets, root / "cache") for name, chart in charts.items()}


def _bar_paths(svg: str) -> list[str]:
    group = re.search(r'<g class="mark-rect role-mark[^"]*"[^>]*>(.*?)</g>', svg, re.S)
    assert group, "no bar marks in the SVG"
    return re.findall(r'<path d="([^"]*)"', group.group(1))


@pytest.mark.parametrize("name, channel, baseline, rows", [("upright", "y", 1.0, 5), ("horizontal", "x", 100.0, 2)])
def test_bars_on_a_log_axis_start_at_the_domain_minimum_and_are_all_drawn(bars, name, channel, baseline, rows):
    rendered = bars[name]
    layer = rendered.spec["layer"][0]
    scale = layer["encoding"][channel]["scale"]
    assert scale["type"] == "log" and "zero" not in scale and scale["padding"] == 0  # Vega-Lite warns about zero on log
    assert scale["domainMin"] == baseline and math.isfinite(scale["domainMax"]) and scale["domainMax"] > baseline
    assert layer["encoding"][f"{channel}2"] == {"datum": baseline}  # an explicit, finite baseline: no bar from 0
    for svg in (rendered.svg_light, rendered.svg_dark):
        assert "NaN" not in svg
        paths = _bar_paths(svg)
        assert len(paths) == rows and all(re.search(r"[1-9]", d) for d in paths)


def test_bars_sharing_a_category_stand_side_by_side_and_long_names_wrap(bars):
    encoding = bars["upright"].spec["layer"][0]["encoding"]
    assert encoding["xOffset"]["field"] == "series"  # grouped, not drawn over each other
    axis = encoding["x"]["axis"]
    assert axis["labelAngle"] == 0 and "labelExpr" not in axis  # three names, each fits its band on one line
    expr, lines = category_labels(["Algorithmic progress", "FLOP per dollar", "Physical compute", "Effective compute", "Willingness to spend"], 640)
    assert lines == 2 and '"Willingness to spend": ["Willingness to", "spend"]' in expr and "FLOP per dollar" not in expr
    assert category_labels(["A", "B"], 640) == (None, 1)
    assert encoding["x"]["sort"] is None  # categories in data order
    assert "xOffset" not in bars["horizontal"].spec["layer"][0]["encoding"]  # one bar per category


def test_legend_entries_fit_without_a_label_limit_cutting_them(bars):
    color = bars["upright"].spec["layer"][0]["encoding"]["color"]
    assert color["legend"]["columns"] == 2 and color["title"].startswith("Assumed or observed")  # both fit one row
    legend = bars["upright"].spec["config"]["legend"]
    assert legend["orient"] == "top" and legend["labelLimit"] >= 1000 and legend["titleLimit"] >= 1000
    assert "…" not in bars["upright"].svg_light


def test_legend_columns():
    assert legend_columns([]) == 1
    assert legend_columns(["AMD", "ATI", "Huawei", "Moore Threads", "NVIDIA"]) == 5  # one row
    assert legend_columns(["Effective stock of public text, central estimate"] * 2 + ["a"]) == 1
    assert legend_columns(["x" * 40] * 4) == 2


def test_tooltips_carry_units_but_not_dimensionless_ones(bars):
    titles = [item["title"] for item in bars["upright"].spec["layer"][0]["encoding"]["tooltip"]]
    assert titles == ["factor", "series", "growth", "density (FLOP/s/mm²)"]
    assert [t["title"] for t in bars["horizontal"].spec["layer"][0]["encoding"]["tooltip"]] == ["series", "days (day)"]


def test_slider_label_has_no_trailing_space(bars):
    (param,) = [p for p in bars["upright"].spec["params"] if p["name"] == "rate"]
    assert param["bind"]["name"] == "Assumed growth (x per year)"


def test_trend_key_sits_under_the_plot_above_the_credit_and_off_the_data(world):
    rendered = world["rendered"]
    svg = rendered.svg_light
    key = re.search(r'<text[^>]*transform="translate\(([\d.]+),([\d.]+)\)"[^>]*>All: doubling', svg)
    credit = re.search(r'<text[^>]*transform="translate\(([\d.]+),([\d.]+)\)"[^>]*>Data: Epoch AI', svg)
    assert key and credit
    assert float(key.group(2)) > 360 + 30  # below the plot and its x-axis labels
    assert float(credit.group(2)) > float(key.group(2))
    width = float(re.search(r'<svg[^>]*\bwidth="([\d.]+)"', svg).group(1))
    assert float(key.group(1)) + 6.5 * len("All: doubling 6.0 mo (95% CI 6.0–6.0), ×4.00/yr; published 6 mo (5–7)") < width
    layers = rendered.spec["layer"]
    dashed = [layer for layer in layers if layer["mark"].get("style") == "lc-trend" and layer["mark"]["type"] == "line"]
    samples = [layer for layer in layers if layer["mark"].get("style") == "lc-trend" and layer["mark"]["type"] == "rule"]
    assert len(dashed) == len(samples) == 1 and dashed[0]["mark"]["strokeDash"] == samples[0]["mark"]["strokeDash"]
    assert not any(layer["mark"].get("style") == "lc-label" and layer["mark"].get("align") == "right" for layer in layers)


def test_each_trend_has_its_own_dash(world, tmp_path):
    text = CHART.replace("annotations:", """  - id: late
    label: Late
    from: 2016-01-01
    to: 2023-12-31
annotations:""")
    path = write_chart(tmp_path, text)
    charts, problems = load_charts([path], world["datasets"])
    assert problems == []
    rendered = render_chart(charts["training"], world["datasets"], tmp_path / "cache")
    dashes = [layer["mark"]["strokeDash"] for layer in rendered.spec["layer"] if layer["mark"].get("style") == "lc-trend" and layer["mark"]["type"] == "line"]
    assert len(dashes) == 2 and dashes[0] != dashes[1]
    assert "Late: doubling" in rendered.svg_light and "NaN" not in rendered.svg_light


def test_fit_text_halving_and_no_growth():
    from landscape.charts import TrendFit
    from landscape.trends import fit_log_linear

    years = [2010.0, 2011.0, 2012.0, 2013.0]
    falling = fit_log_linear(years, [1000.0, 100.0, 10.5, 1.0])
    unclear = fit_log_linear(years, [10.0, 12.0, 9.0, 13.0])  # rising, but the interval includes no change

    def text_for(fit):
        trend = TrendFit("t", "T", 0, dt.date(2010, 1, 1), dt.date(2013, 12, 31), fit, None)
        return fit_text(None, [trend], "t")

    halving = text_for(falling)
    assert halving.startswith("halving every 3.6 months (×0.10 per year; 95% CI ")
    low, high = re.search(r"95% CI ([\d.]+)–([\d.]+) months", halving).groups()
    assert float(low) < 3.6 < float(high)
    unbounded = text_for(unclear)
    assert unbounded.startswith("doubling every ") and "95% CI of the doubling time unbounded, ×0." in unbounded
    assert unbounded.endswith("; 4 points, 2010–2013; log-linear least squares)")


# ----------------------------------------------------------------------------- colour groups, labelled points, phone layout

LABELLED = CHART.replace("    color: domain\n", "    color: {field: domain, title: Domain, values: [Language, Vision], other: Other domains}\n"
                         "    name: model\n    labels: [A, B, C, D, F]\n").replace("value: Games}", "value: Nothing}")


@pytest.fixture(scope="module")
def labelled(world, tmp_path_factory):
    root = tmp_path_factory.mktemp("labelled")
    (root / "training.yaml").write_text(LABELLED, "utf-8")
    charts, problems = load_charts([root / "training.yaml"], world["datasets"])
    assert problems == []
    return charts["training"], render_chart(charts["training"], world["datasets"], root / "cache")


def test_grouped_colour_has_the_declared_legend_order_and_groups_the_rest(labelled):
    chart, rendered = labelled
    for svg in (rendered.svg_light, rendered.svg_narrow_light):
        legend = svg[svg.index('class="mark-group role-legend"'):]
        names = re.findall(r"<text[^>]*>([^<]+)</text>", legend)
        assert [n for n in names if n in ("Language", "Vision", "Other domains")] == ["Language", "Vision", "Other domains"], names
        assert "Games" not in names and "Domain" in names
    colour = rendered.spec["layer"][0]["encoding"]["color"]
    assert colour["scale"]["domain"] == ["Language", "Vision", "Other domains"]


def _label_boxes(svg: str) -> list[tuple[str, float, float]]:
    """(text, x, y) of each labelled point's name in a static SVG (the text layer, not its halo)."""
    found = []
    for group in re.finditer(r'<g class="mark-text role-mark lc_label_\d+_lc_label_marks"[^>]*>(.*?)</g>', svg, re.S):
        match = re.search(r'<text[^>]*transform="translate\(([-\d.]+),([-\d.]+)\)"[^>]*>([^<]+)</text>', group.group(1))
        found.append((match.group(3), float(match.group(1)), float(match.group(2))))
    return found


def test_labelled_points_are_named_in_both_static_svgs_and_do_not_overlap(labelled):
    _, rendered = labelled
    for svg in (rendered.svg_light, rendered.svg_narrow_light):
        labels = _label_boxes(svg)
        assert sorted(t for t, _, _ in labels) == ["A", "B", "C", "D", "F"]
        positions = {(round(x), round(y)) for _, x, y in labels}
        assert len(positions) == len(labels)
    # the placement itself: crowded points get places whose boxes do not overlap
    from landscape.charts.layout import _label_box, _overlap, place_labels

    points = [(100 + 3 * i, 100 + 2 * i, f"Model number {i}") for i in range(6)]
    places = place_labels(points, 400, 300)
    assert sum(place is not None for place in places) >= 5
    boxes = [_label_box(x, y, place, text) for (x, y, text), place in zip(points, places) if place is not None]
    assert all(_overlap(a, b) == 0 for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert all(0 <= b[0] and b[2] <= 400 and 0 <= b[1] and b[3] <= 300 for b in boxes)


def test_narrow_variant_fits_a_phone_and_wraps_its_key(world, labelled):
    from landscape.charts import NARROW_TOTAL

    rendered = world["rendered"]
    width = float(re.search(r'<svg[^>]*width="([\d.]+)"', rendered.svg_narrow_light).group(1))
    assert NARROW_TOTAL - 40 <= width <= NARROW_TOTAL + 10
    assert rendered.narrow_spec["width"] < rendered.spec["width"]
    # the highlight layers wait in usermeta until a reader highlights a point
    _, labelled_render = labelled
    extra = labelled_render.spec["usermeta"]["highlightLayers"]
    assert extra and all(layer["name"].startswith("lc_highlight_") for layer in extra)
    assert not any(str(layer.get("name", "")).startswith("lc_highlight_") for layer in labelled_render.spec["layer"])
    assert labelled_render.spec["usermeta"]["explore"]["names"] == [{"layer": 0, "field": "model"}]


def test_a_label_with_no_free_place_is_left_out_not_overlapped():
    from landscape.charts import place_labels

    crowd = [(60, 50, f"Model {i}") for i in range(40)]  # forty names on one spot
    places = place_labels(crowd, 200, 120)
    assert places[0] is not None and None in places
