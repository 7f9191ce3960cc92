"""Chart embeds, pages, embed pages, the gallery and a chart's files; fits and data quoted in notes."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
from typing import Any, Iterable

from .. import charts, paths
from ..charts import Chart, RenderedChart, TrendFit, credit_line, growth_text
from ..datasets import Dataset, Range, plain_value
from ..problems import shorten
from ..units import reader_quantity
from .markup import MAX_TABLE_ROWS, _a, source_line, _svg_size, _used_by, cell, cell_html, esc, front_matter, html_table, md_link



def chart_static(chart: Chart, rendered: RenderedChart, src_uri: str, lazy: bool = True) -> str:
    """The static chart: a light and a dark <picture>, each the narrow SVG on a phone, the wide one elsewhere."""
    alt = esc(chart.spec.alt)
    width, height = _svg_size(rendered.svg_light)
    narrow_width, narrow_height = _svg_size(rendered.svg_narrow_light) if rendered.svg_narrow_light else (width, height)
    loading = ' loading="lazy"' if lazy else ""
    parts = []
    for scheme, suffix in (("light", ""), ("dark", "dark.")):
        wide = paths.href(src_uri, paths.chart_asset_uri(chart.id, f"{suffix}svg"))
        narrow = paths.href(src_uri, paths.chart_asset_uri(chart.id, f"narrow.{suffix}svg"))
        source = (
            f'<source media="{charts.NARROW_MEDIA}" srcset="{narrow}" width="{narrow_width}" height="{narrow_height}">'
            if rendered.svg_narrow_light else ""
        )
        parts.append(
            f'<picture class="lc-chart__picture">{source}'
            f'<img class="lc-chart__img lc-chart__img--{scheme}" src="{wide}" alt="{alt}" width="{width}" height="{height}"{loading}>'
            "</picture>"
        )
    return '<div class="lc-chart__static">' + "".join(parts) + "</div>"


def chart_view(chart: Chart, rendered: RenderedChart, src_uri: str, explore: bool = False) -> str:
    """The placeholder the page script makes interactive: both specs, the box of each static SVG, and
    (on a chart's own page or embed) ``data-lc-explore``: the controls and the URL state."""
    width, height = _svg_size(rendered.svg_light)
    narrow_width, narrow_height = _svg_size(rendered.svg_narrow_light) if rendered.svg_narrow_light else (width, height)
    vl = paths.href(src_uri, paths.chart_asset_uri(chart.id, "vl.json"))
    narrow = paths.href(src_uri, paths.chart_asset_uri(chart.id, "narrow.vl.json"))
    rows = paths.href(src_uri, paths.chart_asset_uri(chart.id, "json"))
    bundle = paths.href(src_uri, paths.VEGA_BUNDLE_URI)
    extra = f' data-lc-explore="{esc(chart.id)}"' if explore else ""
    return (
        f'<div class="lc-chart__view" data-lc-spec="{vl}" data-lc-narrow-spec="{narrow}" data-lc-rows="{rows}"'
        f' data-lc-size="{width} {height}" data-lc-narrow-size="{narrow_width} {narrow_height}"'
        f' data-lc-media="{charts.NARROW_MEDIA}" data-lc-bundle="{bundle}"{extra} hidden></div>'
    )


def chart_embed(chart: Chart, rendered: RenderedChart, src_uri: str, explore: bool = False) -> str:
    """A <figure>: static light and dark SVG, a placeholder the loader makes interactive, caption, link."""
    spec = chart.spec
    page = paths.href(src_uri, paths.chart_page_uri(chart.id))
    return (
        f'<figure class="lc-chart" id="chart-{esc(chart.id)}">\n'
        + chart_static(chart, rendered, src_uri) + "\n"
        + chart_view(chart, rendered, src_uri, explore) + "\n"
        + f"<figcaption>{esc(' '.join(spec.caption.split()))} "
        f'<a href="{page}">Chart page: data, method and sources</a></figcaption>\n'
        f"</figure>\n"
    )


def _months(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def datum_text(dataset: Dataset, key: str, column: str) -> tuple[str | None, str]:
    """One cell of a dataset as a reader sees it, the row found by the dataset's first column.

    Returns (text, "") or (None, why not), with the nearest row names when the key matches none.
    """
    col = dataset.column(column)
    if col is None:
        return None, f"dataset {dataset.id!r} has no column {column!r} (columns: {', '.join(dataset.column_names)})"
    key_column = dataset.columns[0].name
    rows = dataset.rows_with_key(key)
    if not rows:
        names = sorted({str(row.get(key_column)) for row in dataset.rows})
        near = difflib.get_close_matches(key, names, n=3, cutoff=0.5)
        hint = f"; nearest: {', '.join(repr(n) for n in near)}" if near else ""
        return None, f"no row of {dataset.id!r} has {key_column} {key!r}{hint}"
    if len(rows) > 1:
        lines = ", ".join(str(row.line) for row in rows)
        return None, f"{len(rows)} rows of {dataset.id!r} have {key_column} {key!r} (lines {lines}): the key is ambiguous"
    value = rows[0].get(column)
    if value is None:
        return None, f"{key!r} has no {column} in {dataset.id!r} (the cell is empty)"
    return reader_text(value, col), ""


def reader_text(value: Any, column: Any) -> str:
    """A dataset cell as a reader sees it: numbers with their unit (a range with its bounds), dates in
    ISO form, yes/no, text as it is; an empty cell is "–"."""
    if value is None:
        return "–"
    if isinstance(value, Range):
        text = reader_quantity(value.central, column.unit)
        low = "?" if value.low is None else reader_quantity(value.low, column.unit)
        high = "?" if value.high is None else reader_quantity(value.high, column.unit)
        return f"{text} ({low} to {high})"
    if isinstance(value, bool) or column.type == "boolean":
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return reader_quantity(float(value), column.unit)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def fit_text(chart: Chart, fits: list[TrendFit], fit_id: str) -> str:
    """The computed fit in words, for {{fit CHART.FIT}} in prose and tables, e.g. "doubling every 6.6 months
    (×3.52 per year; 95% CI 5.8–7.7 months, ×3.03–4.09 per year; 357 points, 2010–2022; log-linear least squares)"."""
    trend = next((t for t in fits if t.id == fit_id), None)
    if trend is None:
        known = ", ".join(t.id for t in fits) or "none"
        raise KeyError(f"chart {shorten(chart.id)} has no trend {shorten(fit_id)} (trends: {known})")
    fit = trend.fit
    span = f"{int(fit.start)}–{int(fit.end)}"
    detail = f"{fit.n} points, {span}; {trend.method}"
    growth = f"×{growth_text(fit.growth_per_year)} per year"
    growth_interval = f"×{growth_text(fit.growth_low)}–{growth_text(fit.growth_high)} per year"
    if fit.doubling_months is not None and fit.doubling_months > 0:
        interval = (
            f"95% CI {_months(fit.doubling_low)}–{_months(fit.doubling_high)} months, {growth_interval}"
            if fit.doubling_low is not None
            else f"95% CI of the doubling time unbounded, {growth_interval}"
        )
        text = f"doubling every {fit.doubling_months:.1f} months ({growth}; {interval}; {detail})"
    elif fit.doubling_months is not None and fit.doubling_months < 0:
        interval = (
            f"95% CI {_months(-fit.doubling_low)}–{_months(-fit.doubling_high)} months, {growth_interval}"
            if fit.doubling_low is not None and fit.doubling_high is not None
            else f"95% CI {growth_interval}"
        )
        text = f"halving every {-fit.doubling_months:.1f} months ({growth}; {interval}; {detail})"
    else:
        text = f"no growth ({growth}; 95% CI {growth_interval}; {detail})"
    return text


def _published_fit(trend: TrendFit) -> str:
    published = trend.published
    if published is None:
        return "–"
    if published.doubling_months is not None:
        value = f"{published.doubling_months:g} months"
    else:
        value = f"×{published.growth_per_year:g}/yr"
    if published.low is not None and published.high is not None:
        value += f" ({published.low:g}–{published.high:g})"
    source = f"[{published.source.title}]({published.source.url})" if published.source.url else published.source.title
    return f"{value}, {source}"


def fits_table(rendered: RenderedChart) -> str:
    if not rendered.fits:
        return ""
    lines = [
        "| Trend | Window | Points | Growth per year (95% CI) | Doubling time, months (95% CI) | R² | Published |",
        "|---|---|---:|---|---|---:|---|",
    ]
    for trend in rendered.fits:
        fit = trend.fit
        growth = f"×{fit.growth_per_year:.2f} ({fit.growth_low:.2f}–{fit.growth_high:.2f})"
        doubling = (
            f"{_months(fit.doubling_months)} ({_months(fit.doubling_low)}–{_months(fit.doubling_high)})"
            if fit.doubling_months and fit.doubling_months > 0
            else "–"
        )
        window = f"{trend.window_from} to {trend.window_to} (data {fit.start:.1f}–{fit.end:.1f})"
        lines.append(f"| {cell(trend.label)} | {window} | {fit.n} | {growth} | {doubling} | {fit.r2:.2f} | {_published_fit(trend)} |")
    method = (
        "\nMethod: ordinary least squares of log10(value) on the decimal year, over the rows of the layer that "
        "fall inside the window (and match its extra filter); the 95% interval of the slope uses Student's t "
        "with n − 2 degrees of freedom. Growth per year = 10^slope; doubling time = 12 · log10(2) / slope months. "
        "Computed when the site is built.\n"
    )
    return "\n".join(lines) + "\n" + method


def _rows_table(chart: Chart, rendered: RenderedChart, datasets: dict[str, Dataset]) -> str:
    parts = []
    for index, series in enumerate(chart.spec.series):
        dataset = datasets[series.dataset]
        records = rendered.rows[index]
        names = [c.name for c in dataset.columns]
        heads = []
        for column in dataset.columns:
            heads.append(f"{column.name} ({column.unit})" if column.unit else column.name)
        title = series.label or dataset.title
        parts.append(f"### Layer {index + 1}: {title}\n\n{len(records)} rows drawn from [{dataset.title}]({md_link(paths.chart_page_uri(chart.id), paths.dataset_page_uri(dataset.id))}).\n")
        if not records:
            continue
        rows, row_attrs = [], []
        for record in records[:MAX_TABLE_ROWS]:
            x_value, name_value = record.get(series.x), record.get(series.name) if series.name else None
            row_attrs.append((f' data-lc-x="{esc(plain_value(x_value))}"' if x_value is not None else "")
                             + (f' data-lc-name="{esc(name_value)}"' if name_value is not None else ""))
            values = []
            for name in names:
                value = record.get(name)
                if f"{name}_low" in record and value is not None:
                    value = Range(record[f"{name}_low"], value, record[f"{name}_high"])
                values.append(cell_html(value))
            source = dataset.sources.get(record.get("source"))
            values.append(_a(source.url, esc(source.title)) if source and source.url else cell_html(record.get("source")))
            rows.append(values)
        lines = [html_table([*heads, "source"], rows, f' data-lc-rows-of="{esc(chart.id)}"', row_attrs)]
        if len(records) > MAX_TABLE_ROWS:
            lines.append(f"\nThe first {MAX_TABLE_ROWS} of {len(records)} rows; the CSV and JSON downloads hold all of them.")
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def _year(chart: Chart, datasets: dict[str, Dataset]) -> str:
    dates = [s.date for d in chart.datasets for s in datasets[d].sources.values() if s.date]
    return str(max(dates).year) if dates else "n.d."


def data_version(chart: Chart, datasets: dict[str, Dataset]) -> str:
    """The version of the data a chart draws: each dataset's id, the first 12 hex digits of the SHA-256 of
    its file, and the date of its latest source, e.g. "notable-models sha256:1a2b3c4d5e6f (2025-08-07)"."""
    parts = []
    for dataset_id in chart.datasets:
        dataset = datasets[dataset_id]
        digest = hashlib.sha256(dataset.path.read_bytes()).hexdigest()[:12] if dataset.path and dataset.path.is_file() else "unknown"
        dates = [s.date for s in dataset.sources.values() if s.date]
        parts.append(f"{dataset_id} sha256:{digest}" + (f" ({max(dates)})" if dates else ""))
    return "; ".join(parts)


def cite_text(chart: Chart, datasets: dict[str, Dataset], site_name: str, rendered: RenderedChart | None = None) -> tuple[str, str]:
    year = _year(chart, datasets)
    credit = credit_line(chart, datasets)
    version = data_version(chart, datasets)
    text = f'"{chart.spec.title}". {site_name}, chart `{chart.id}`. {credit}. Data version: {version}.'
    bibtex = (
        f"@misc{{landscape-{chart.id},\n"
        f"  title = {{{chart.spec.title}}},\n"
        f"  howpublished = {{{site_name}, chart {chart.id}}},\n"
        f"  note = {{{credit}. Data version: {version}}},\n"
        f"  year = {{{year}}}\n"
        f"}}"
    )
    return text, bibtex


def takeaway(chart: Chart, rendered: RenderedChart, datasets: dict[str, Dataset]) -> str:
    """"Take it away": image, data and spec downloads, and the embed code (filled in with the page's
    address by the page script; the relative address without it)."""
    uri = paths.chart_page_uri(chart.id)

    def link(suffix: str) -> str:
        return md_link(uri, paths.chart_asset_uri(chart.id, suffix))

    embed_src = paths.href(uri, paths.chart_embed_uri(chart.id))
    snippet = f'<iframe src="{embed_src}" title="{chart.spec.title}" width="100%" height="620" style="border:0" loading="lazy"></iframe>'
    return (
        "## Take it away\n\n"
        f"- Image: [PNG, light]({link('png')}) · [PNG, dark]({link('dark.png')}) (twice the size on screen) · "
        f"[SVG, light]({link('svg')}) · [SVG, dark]({link('dark.svg')})\n"
        f"- Data: [CSV of all rows drawn]({link('csv')}) · [JSON]({link('json')}) · "
        f'<button type="button" class="lc-button lc-shown-csv" data-lc-shown-csv="{esc(chart.id)}" hidden>CSV of the rows shown now</button>\n'
        f"- Chart: [Vega-Lite spec]({link('vl.json')}) · [embed page]({md_link(uri, paths.chart_embed_uri(chart.id))})\n\n"
        '<div class="lc-takeaway" markdown="0">\n'
        f'<label for="lc-embed-{esc(chart.id)}">Embed this chart: copy this code into a page</label>\n'
        f'<textarea id="lc-embed-{esc(chart.id)}" rows="3" readonly data-lc-embed-code="{esc(chart.id)}" '
        f'data-lc-embed-src="{esc(embed_src)}" data-lc-embed-title="{esc(chart.spec.title)}">{esc(snippet)}</textarea>\n'
        "</div>\n\n"
        "A link to this page keeps what you highlight, the scale and the time range you choose (they are in its address).\n\n"
    )


def embed_page(chart: Chart, rendered: RenderedChart, datasets: dict[str, Dataset], site_name: str) -> str:
    """A chart alone, for an <iframe>: the chart (static SVG, made live by the same script), its title,
    credit and a link back to its page; no site chrome. Relative URLs only, so it works offline."""
    uri = paths.chart_embed_uri(chart.id)
    css = paths.href(uri, "assets/stylesheets/charts.css")
    script = paths.href(uri, "assets/javascripts/charts.js")
    page = paths.href(uri, paths.chart_page_uri(chart.id))
    title = esc(chart.spec.title)
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title} · {esc(site_name)}</title>\n"
        f'<link rel="stylesheet" href="{css}">\n'
        "<style>body{margin:0;padding:8px;font:14px/1.4 Roboto,Helvetica,Arial,sans-serif;color:#1f2328;background:#fff}"
        "main{max-width:900px}h1{font-size:1rem;margin:0 0 .3rem}p{margin:.3rem 0;font-size:.8rem;color:#5c6370}"
        "a{color:#3f51b5}@media (prefers-color-scheme: dark){body{color:#e3e5e8;background:#1e2129}p{color:#aab1bd}a{color:#9fa8da}}</style>\n"
        "</head>\n"
        '<body data-md-color-scheme="default">\n<main>\n'
        f"<h1>{title}</h1>\n"
        f'<figure class="lc-chart" id="chart-{esc(chart.id)}">\n'
        + chart_static(chart, rendered, uri, lazy=False) + "\n"
        + chart_view(chart, rendered, uri, explore=False) + "\n"
        + "</figure>\n"
        f"<p>{esc(credit_line(chart, datasets))}. Data version: {esc(data_version(chart, datasets))}.</p>\n"
        f'<p><a href="{page}" target="_top">{title}: data, method and sources at {esc(site_name)}</a></p>\n'
        "</main>\n"
        "<script>if (window.matchMedia && matchMedia('(prefers-color-scheme: dark)').matches) document.body.setAttribute('data-md-color-scheme', 'slate');</script>\n"
        f'<script src="{script}"></script>\n'
        "</body>\n</html>\n"
    )


def chart_page(chart: Chart, rendered: RenderedChart, datasets: dict[str, Dataset], used_by: list[tuple[str, str]], site_name: str) -> str:
    spec = chart.spec
    uri = paths.chart_page_uri(chart.id)
    out = [front_matter(spec.title, spec.caption), f"# {spec.title}\n\n"]
    out.append(chart_embed(chart, rendered, uri, explore=True) + "\n")
    out.append("## What it shows\n\n" + " ".join(spec.caption.split()) + "\n\n")
    if spec.subtitle:
        out.append(f"{spec.subtitle}.\n\n" if not spec.subtitle.endswith(".") else f"{spec.subtitle}\n\n")
    out.append(f"Text description: {' '.join(spec.alt.split())}\n\n")
    method = []
    for index, series in enumerate(spec.series):
        filters = "; ".join(f"{f.field} {f.op} {f.value if f.op != 'notnull' else ''}".strip() for f in series.filter)
        method.append(f"- Layer {index + 1} ({series.mark}): `{series.y}` against `{series.x}` from [{datasets[series.dataset].title}]({md_link(uri, paths.dataset_page_uri(series.dataset))})"
                      + (f", rows where {filters}" if filters else "") + f"; {len(rendered.rows[index])} rows drawn.")
    out.append("## Method\n\n" + "\n".join(method) + "\n\n")
    if spec.y.scale == "log" or spec.x.scale == "log":
        out.append("Log scales: equal distances are equal ratios. Rows without a value, or with a value of zero or less on a log axis, are not drawn.\n\n")
    if rendered.fits:
        out.append("## Trends\n\n" + fits_table(rendered) + "\n")
    out.append(takeaway(chart, rendered, datasets))
    out.append("## Data\n\n")
    out.append(_rows_table(chart, rendered, datasets) + "\n")
    out.append("## Sources\n\n")
    for dataset_id in chart.datasets:
        dataset = datasets[dataset_id]
        out.append(f"- [{dataset.title}]({md_link(uri, paths.dataset_page_uri(dataset.id))}): {dataset.credit}. Licence: {dataset.licence}.\n")
        for key, source in dataset.sources.items():
            out.append(f"    - {source_line(source)}\n")
    for trend in rendered.fits:
        if trend.published:
            out.append(f"- Published figure for “{trend.label}”: {_published_fit(trend)}\n")
    text, bibtex = cite_text(chart, datasets, site_name, rendered)
    out.append(f"\n## Cite this\n\n{text}\n\n```bibtex\n{bibtex}\n```\n\n")
    out.append("## Used by\n\n" + _used_by(used_by, uri))
    return "".join(out)


def gallery_page(charts: dict[str, Chart] | Iterable[Chart], rendered: dict[str, RenderedChart]) -> str:
    items = sorted(charts.values() if isinstance(charts, dict) else charts, key=lambda c: c.spec.title.lower())
    uri = paths.GALLERY_URI
    out = [front_matter("Charts", "Every chart on the site, with its data and method."), "# Charts\n\n"]
    out.append(f"{len(items)} charts. Each links to its page: the interactive chart, method, trend fits, data (CSV, JSON) and sources.\n\n")
    out.append('<div class="lc-gallery">\n')
    for chart in items:
        result = rendered.get(chart.id)
        width, height = _svg_size(result.svg_light) if result else ("640", "400")
        page = paths.href(uri, paths.chart_page_uri(chart.id))
        light = paths.href(uri, paths.chart_asset_uri(chart.id, "svg"))
        dark = paths.href(uri, paths.chart_asset_uri(chart.id, "dark.svg"))
        out.append(
            f'<a class="lc-gallery__item" href="{page}">'
            f'<img class="lc-chart__img lc-chart__img--light" src="{light}" alt="{esc(chart.spec.alt)}" width="{width}" height="{height}" loading="lazy">'
            f'<img class="lc-chart__img lc-chart__img--dark" src="{dark}" alt="{esc(chart.spec.alt)}" width="{width}" height="{height}" loading="lazy">'
            f'<span class="lc-gallery__title">{esc(chart.spec.title)}</span></a>\n'
        )
    out.append("</div>\n")
    return "".join(out)


def chart_artefacts(chart: Chart, rendered: RenderedChart, datasets: dict[str, Dataset] | None = None, site_name: str = "") -> dict[str, str | bytes]:
    files = {paths.chart_embed_uri(chart.id): embed_page(chart, rendered, datasets, site_name)} if datasets is not None else {}
    return files | {
        paths.chart_asset_uri(chart.id, "svg"): rendered.svg_light,
        paths.chart_asset_uri(chart.id, "dark.svg"): rendered.svg_dark,
        paths.chart_asset_uri(chart.id, "narrow.svg"): rendered.svg_narrow_light,
        paths.chart_asset_uri(chart.id, "narrow.dark.svg"): rendered.svg_narrow_dark,
        paths.chart_asset_uri(chart.id, "png"): rendered.png_light,
        paths.chart_asset_uri(chart.id, "dark.png"): rendered.png_dark,
        paths.chart_asset_uri(chart.id, "vl.json"): json.dumps(rendered.spec, sort_keys=True, ensure_ascii=False, separators=(",", ":")),
        paths.chart_asset_uri(chart.id, "narrow.vl.json"): json.dumps(rendered.narrow_spec, sort_keys=True, ensure_ascii=False, separators=(",", ":")),
        paths.chart_asset_uri(chart.id, "csv"): rendered.csv,
        paths.chart_asset_uri(chart.id, "json"): rendered.json,
    }
