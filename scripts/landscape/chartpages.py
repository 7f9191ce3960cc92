"""Markdown and HTML for charts, datasets and computed tables: embeds, pages, gallery, indexes, downloads.

Links between generated pages are Markdown links to ``.md`` paths relative to the page being written
(MkDocs resolves and checks them); raw HTML uses ``paths.href``, which MkDocs does not rewrite.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import html
import json
import posixpath
import re
from typing import Any, Iterable, Sequence

from . import paths
from . import charts
from .charts import Chart, RenderedChart, TrendFit, credit_line, growth_text
from .datasets import Dataset, Range, plain_value, records_csv, row_record
from .tables import ComputedTable, browser_definition, published_text, value_text
from .units import format_number, reader_quantity
from .problems import shorten

SITE_NAME = "Generative AI Landscape"
MAX_TABLE_ROWS = 100


# ----------------------------------------------------------------------------- helpers


def md_link(src_uri: str, to_uri: str) -> str:
    """A relative Markdown link target from page ``src_uri`` to a page or file URI."""
    return posixpath.relpath(to_uri, posixpath.dirname(src_uri) or ".")


def esc(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def cell(value: Any) -> str:
    """A value for a Markdown table cell: escaped pipes, no newlines."""
    if value is None:
        return "–"
    if isinstance(value, Range):
        low = "?" if value.low is None else _number(value.low)
        high = "?" if value.high is None else _number(value.high)
        return f"{_number(value.central)} ({low}–{high})"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return _number(value)
    text = str(plain_value(value))
    if text.startswith(("https://", "http://")):
        return f"[link]({text})"
    return text.replace("|", "\\|").replace("\n", " ")


def cell_html(value: Any) -> str:
    """A value as the HTML of a table cell: the text ``cell`` gives, escaped, with URLs as links."""
    if value is None or isinstance(value, (Range, bool, float)):
        return esc(cell(value))
    text = str(plain_value(value))
    if text.startswith(("https://", "http://")):
        return _a(text, "link")
    return esc(text.replace("\n", " "))


def _a(url: str, label_html: str) -> str:
    return f'<a href="{esc(url)}">{label_html}</a>'


def html_table(heads: Sequence[str], rows: Iterable[Sequence[str]], attrs: str = "", row_attrs: Sequence[str] | None = None) -> str:
    """A table of many rows as a raw HTML block (cells already HTML). Python-Markdown would run every
    inline pattern over every cell of a pipe table, which made long tables most of the build.
    Rows stay out of the search index but for their names (the first cell of a row: a model, a chip, an
    estimate): a page is found by its title, description, columns and the names in its rows."""
    head = "".join(f"<th>{esc(h)}</th>" for h in heads)
    rows = list(rows)
    extra = list(row_attrs) if row_attrs is not None else [""] * len(rows)
    body = "\n".join(
        f"<tr{extra[i]}>" + "".join(f"<td>{value}</td>" if j == 0 else f"<td data-pagefind-ignore>{value}</td>" for j, value in enumerate(row)) + "</tr>"
        for i, row in enumerate(rows)
    )
    return f"<table{attrs}>\n<thead data-pagefind-ignore>\n<tr>{head}</tr>\n</thead>\n<tbody>\n{body}\n</tbody>\n</table>\n"


def _number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return format_number(value, 3)


def front_matter(title: str, description: str) -> str:
    return f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\ndescription: {json.dumps(' '.join(description.split()), ensure_ascii=False)}\n---\n\n"


def _svg_size(svg: str) -> tuple[str, str]:
    match = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg)
    return (match.group(1), match.group(2)) if match else ("640", "400")


def _source_line(source: Any) -> str:
    title = f"[{source.title}]({source.url})" if getattr(source, "url", None) else source.title
    extra = ", ".join(x for x in (getattr(source, "publisher", None), str(source.date) if getattr(source, "date", None) else None) if x)
    return f"{title}" + (f" ({extra})" if extra else "")


def _used_by(used_by: Sequence[tuple[str, str]], src_uri: str) -> str:
    if not used_by:
        return "No note embeds this yet.\n"
    return "".join(f"- [{title}]({md_link(src_uri, uri)})\n" for title, uri in sorted(used_by))


# ----------------------------------------------------------------------------- charts


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
    rows = [row for row in dataset.rows if str(row.get(key_column)) == key]
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


def fit_text(chart: Chart, rendered: RenderedChart, fit_id: str) -> str:
    """The computed fit in words, for {{fit CHART.FIT}} in prose and tables, e.g. "doubling every 6.6 months
    (×3.52 per year; 95% CI 5.8–7.7 months, ×3.03–4.09 per year; 357 points, 2010–2022; log-linear least squares)"."""
    trend = next((t for t in rendered.fits if t.id == fit_id), None)
    if trend is None:
        known = ", ".join(t.id for t in rendered.fits) or "none"
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


def cite_text(chart: Chart, datasets: dict[str, Dataset], site_name: str = SITE_NAME, rendered: RenderedChart | None = None) -> tuple[str, str]:
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


def embed_page(chart: Chart, rendered: RenderedChart, datasets: dict[str, Dataset], site_name: str = SITE_NAME) -> str:
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


def chart_page(chart: Chart, rendered: RenderedChart, datasets: dict[str, Dataset], used_by: list[tuple[str, str]], site_name: str = SITE_NAME) -> str:
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
            out.append(f"    - {_source_line(source)}\n")
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


def chart_artefacts(chart: Chart, rendered: RenderedChart, datasets: dict[str, Dataset] | None = None) -> dict[str, str | bytes]:
    files = {paths.chart_embed_uri(chart.id): embed_page(chart, rendered, datasets)} if datasets is not None else {}
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


# ----------------------------------------------------------------------------- datasets


def _chart_refs(used_by_charts: Iterable[Any]) -> list[tuple[str, str]]:
    refs = []
    for item in used_by_charts:
        if isinstance(item, Chart):
            refs.append((item.spec.title, paths.chart_page_uri(item.id)))
        else:
            refs.append(tuple(item))
    return refs


def dataset_page(dataset: Dataset, used_by_charts: Iterable[Any] = ()) -> str:
    uri = paths.dataset_page_uri(dataset.id)
    out = [front_matter(dataset.title, dataset.description), f"# {dataset.title}\n\n", " ".join(dataset.description.split()) + "\n\n"]
    out.append(f"Credit: {dataset.credit}. Licence: {dataset.licence}. {len(dataset.rows)} rows.\n\n")
    csv_link = md_link(uri, paths.dataset_asset_uri(dataset.id, "csv"))
    json_link = md_link(uri, paths.dataset_asset_uri(dataset.id, "json"))
    out.append(f"Downloads: [CSV]({csv_link}) · [JSON]({json_link})\n\n")
    out.append("## Columns\n\n| Column | Type | Unit | Description |\n|---|---|---|---|\n")
    for column in dataset.columns:
        out.append(f"| `{column.name}` | {column.type} | {cell(column.unit) if column.unit else '–'} | {cell(column.description)} |\n")
    out.append("\n## Sources\n\n")
    for key, source in dataset.sources.items():
        out.append(f"- `{key}`: {_source_line(source)}\n")
    out.append("\n## Charts that use it\n\n" + _used_by(_chart_refs(used_by_charts), uri))
    out.append("\n## Rows\n\n")
    names = [c.name for c in dataset.columns]
    rows = [
        [*(cell_html(row.values.get(n)) for n in names), f"<code>{esc(row.source)}</code>", _a(row.reference, "link") if row.reference else "–"]
        for row in dataset.rows[:MAX_TABLE_ROWS]
    ]
    out.append(html_table([*names, "source", "reference"], rows))
    if len(dataset.rows) > MAX_TABLE_ROWS:
        out.append(f"\nThe first {MAX_TABLE_ROWS} of {len(dataset.rows)} rows; the downloads hold all of them.\n")
    return "".join(out)


def datasets_index(datasets: dict[str, Dataset]) -> str:
    uri = paths.DATASETS_INDEX_URI
    out = [front_matter("Data", "Every dataset behind the charts: columns with units, sources, downloads."), "# Data\n\n"]
    out.append("| Dataset | Rows | Columns | Licence |\n|---|---:|---|---|\n")
    for dataset in sorted(datasets.values(), key=lambda d: d.title.lower()):
        columns = ", ".join(f"`{c.name}`" for c in dataset.columns)
        out.append(f"| [{cell(dataset.title)}]({md_link(uri, paths.dataset_page_uri(dataset.id))}) | {len(dataset.rows)} | {columns} | {cell(dataset.licence)} |\n")
    return "".join(out)


def dataset_artefacts(dataset: Dataset) -> dict[str, str]:
    records = [row_record(dataset, row) for row in dataset.rows]
    payload = {
        "id": dataset.id,
        "title": dataset.title,
        "licence": dataset.licence,
        "credit": dataset.credit,
        "columns": [{"name": c.name, "type": c.type, "unit": c.unit, "description": c.description} for c in dataset.columns],
        "sources": {k: {"title": s.title, "url": s.url, "publisher": s.publisher, "date": s.date.isoformat() if s.date else None} for k, s in dataset.sources.items()},
        "rows": records,
    }
    return {
        paths.dataset_asset_uri(dataset.id, "csv"): records_csv(records),
        paths.dataset_asset_uri(dataset.id, "json"): json.dumps(payload, sort_keys=True, indent=1, ensure_ascii=False) + "\n",
    }


# ----------------------------------------------------------------------------- computed tables


def _table_markdown(table: ComputedTable, src_uri: str) -> str:
    lines = ["| Quantity | Value | How | Source |", "|---|---|---|---|"]
    for item in table.inputs:
        source = table.sources.get(item.source or "")
        source_text = f"[{cell(source.title)}]({source.url})" if source and source.url else cell(item.source)
        lines.append(f"| {cell(item.label)} | {cell(value_text(table, item.name))} | input | {source_text} |")
    for item in table.outputs:
        lines.append(f"| **{cell(item.label)}** | **{cell(value_text(table, item.name))}** | `{item.formula.replace('|', '/')}` | computed |")
        for published in table.published_for(item.name):
            source = table.sources.get(published.source)
            source_text = f"[{cell(source.title)}]({source.url})" if source and source.url else cell(published.source)
            lines.append(f"| ↳ {cell(published.label)} | {cell(published_text(published, item))} | published estimate | {source_text} |")
    for item in table.inputs:
        for published in table.published_for(item.name):
            source = table.sources.get(published.source)
            lines.append(f"| ↳ {cell(published.label)} | {cell(published_text(published, item))} | published | {cell(source.title if source else published.source)} |")
    return "\n".join(lines) + "\n"


def table_embed(table: ComputedTable, src_uri: str) -> str:
    page = md_link(src_uri, paths.table_page_uri(table.id))
    ranges = any(v.low is not None for v in table.inputs)
    note = " Ranges in brackets are the lowest and highest results over every combination of the input ranges." if ranges else ""
    return (
        f"**{table.title}**\n\n" + _table_markdown(table, src_uri)
        + f"\nComputed when the site is built, with units checked.{note} [Inputs, method and sources]({page})\n"
    )


def table_page(table: ComputedTable, used_by: list[tuple[str, str]]) -> str:
    uri = paths.table_page_uri(table.id)
    out = [front_matter(table.title, table.description), f"# {table.title}\n\n", " ".join(table.description.split()) + "\n\n"]
    out.append(_table_markdown(table, uri) + "\n")
    if any(v.low is not None for v in table.inputs):
        out.append("Ranges in brackets are the lowest and highest results over every combination of the input ranges (interval arithmetic over the corners).\n\n")
    out.append(table_explorer(table))
    notes = [v for v in [*table.inputs, *table.outputs] if v.note]
    notes += [p for p in table.published if p.note]
    if notes:
        out.append("## Notes on the figures\n\n")
        for item in notes:
            out.append(f"- **{item.label}**: {' '.join(item.note.split())}\n")
        out.append("\n")
    if table.notes:
        out.append("## Method and caveats\n\n" + table.notes.strip() + "\n\n")
    out.append("## Sources\n\n")
    for key, source in table.sources.items():
        out.append(f"- `{key}`: {_source_line(source)}\n")
    out.append("\n## Used by\n\n" + _used_by(used_by, uri))
    return "".join(out)


def table_explorer(table: ComputedTable) -> str:
    """"Try other values": a number field for every input (and a slider between low and high where it
    has a range) and the outputs recomputed by the page script from the same parsed formulas, with the
    build's unit conversions. Hidden until the script runs; the build's table above stays as sourced."""
    definition, why = browser_definition(table)
    if definition is None:
        return f"The outputs are not recomputed in the browser: {esc(why)}.\n\n"
    fields = []
    for item in definition["inputs"]:
        ident = f"lc-in-{table.id}-{item['name']}"
        unit = f" ({esc(item['units'])})" if item["units"] else ""
        slider = ""
        if item["low"] is not None:
            step = (item["high"] - item["low"]) / 100 or "any"
            slider = (f'<input type="range" id="{ident}-range" aria-label="{esc(item["label"])}, from {item["low"]:g} to {item["high"]:g}" '
                      f'data-lc-slider="{esc(item["name"])}" min="{item["low"]!r}" max="{item["high"]!r}" step="{step!r}" value="{item["value"]!r}">')
        fields.append(
            f'<div class="lc-table-input"><label for="{ident}">{esc(item["label"])}{unit}</label> '
            f'<input type="number" id="{ident}" data-lc-input="{esc(item["name"])}" step="any" value="{item["value"]!r}">{slider}</div>'
        )
    rows = "".join(
        f'<tr><td>{esc(o["label"])}</td><td><output data-lc-output="{esc(o["name"])}">{esc(value_text(table, o["name"]).split(" (")[0])}</output></td></tr>'
        for o in definition["outputs"]
    )
    return (
        f'<div class="lc-table-explorer" data-lc-table="{esc(json.dumps(definition, sort_keys=True, ensure_ascii=False))}" hidden markdown="0">\n'
        '<h2 id="try-other-values">Try other values</h2>\n'
        "<p>Change an input: the outputs are recomputed in your browser from the same formulas, with the same unit "
        "conversions, as the table above. The page's address keeps your values.</p>\n"
        + "\n".join(fields)
        + '\n<p><button type="button" class="lc-button" data-lc-reset>Reset to the sourced values</button></p>\n'
        f'<table data-lc-outputs data-search-exclude><thead><tr><th>Output</th><th>At your values</th></tr></thead><tbody>{rows}</tbody></table>\n'
        "</div>\n\n"
    )


def tables_index(tables: dict[str, ComputedTable]) -> str:
    uri = paths.TABLES_INDEX_URI
    out = [front_matter("Computed tables", "Estimates computed from sourced inputs, with units checked."), "# Computed tables\n\n"]
    out.append("| Table | Inputs | Outputs |\n|---|---:|---|\n")
    for table in sorted(tables.values(), key=lambda t: t.title.lower()):
        outputs = "; ".join(f"{o.label}: {value_text(table, o.name)}" for o in table.outputs)
        out.append(f"| [{cell(table.title)}]({md_link(uri, paths.table_page_uri(table.id))}) | {len(table.inputs)} | {cell(outputs)} |\n")
    return "".join(out)
