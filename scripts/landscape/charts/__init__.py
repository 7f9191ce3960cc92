"""Charts (``charts/<id>.yaml``): validated against their datasets, drawn through Altair to Vega-Lite,
rendered to light and dark SVG with vl-convert (cached by a hash of spec + data + code + vl-convert
version), with log-linear trend fits computed at build time.

One module a concern: ``model`` (the file's schema, loading, validation, the rows drawn and their fits),
``layout`` (sizes, axes, legend, label placement), ``theme`` (colours), ``vegalite`` (the specs),
``render`` (SVG and PNG, cached) and ``downloads`` (CSV and JSON of the rows drawn). The names other
modules use are importable from here.
"""

from .downloads import rows_csv, rows_json
from .layout import (
    NARROW_MEDIA, NARROW_TOTAL, Layout, category_labels, label_places, layouts, legend_columns,
    log_ticks, place_labels, wrap_label,
)
from .model import (
    Chart, ChartModel, SeriesModel, TrendFit, chart_fits, check_chart, compute_fit, drawn_records, series_rows,
    load_chart, load_charts, matches,
)
from .render import CachedChart, RenderedChart, cache_key, render_chart, vl_convert_version
from .theme import ChartTheme, theme_config
from .vegalite import build_chart, credit_line, explore_meta, fit_label, growth_text, tooltip_title, unit_text, vega_lite_specs

__all__ = [
    "build_chart", "cache_key", "CachedChart", "category_labels", "Chart", "chart_fits", "ChartModel", "ChartTheme",
    "check_chart", "compute_fit", "credit_line", "drawn_records", "explore_meta", "fit_label", "growth_text",
    "label_places", "Layout", "layouts", "legend_columns", "load_chart", "load_charts", "log_ticks",
    "matches", "NARROW_MEDIA", "NARROW_TOTAL", "place_labels", "render_chart", "RenderedChart",
    "rows_csv", "rows_json", "series_rows", "SeriesModel", "theme_config", "tooltip_title", "TrendFit", "unit_text",
    "vega_lite_specs", "vl_convert_version", "wrap_label",
]
