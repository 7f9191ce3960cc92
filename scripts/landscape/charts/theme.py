"""The chart theme: colours and fonts of the light and dark schemes, as Vega-Lite config."""

from __future__ import annotations

from dataclasses import dataclass, field

from .layout import WIDTH


@dataclass(frozen=True)
class ChartTheme:
    """Colours and fonts for the light and dark schemes (a plugin option may override them)."""

    font: str = "Roboto, Helvetica, Arial, sans-serif"
    light: dict = field(default_factory=lambda: dict(
        text="#1f2328", muted="#5c6370", grid="#e3e5e8", domain="#9aa0a6",
        category=["#3f6fb5", "#e07b1f", "#2e9e6b", "#c2405a", "#7b5bb6", "#8c6d31", "#d45fa7", "#5f7d8c"],
        trend="#444444", halo="#ffffff", highlight="#b0005e",
    ))
    dark: dict = field(default_factory=lambda: dict(
        text="#e3e5e8", muted="#aab1bd", grid="#353a45", domain="#6b7280",
        category=["#7fa9e8", "#f5a25d", "#5cc79a", "#ee7a90", "#a98de0", "#c9a96b", "#ee92cb", "#93b2c1"],
        trend="#d0d0d0", halo="#1e2129", highlight="#ff8cc6",
    ))


def theme_config(colours: dict, font: str) -> dict:
    return {
        "background": None,
        "font": font,
        "view": {"stroke": None},
        "title": {"color": colours["text"], "subtitleColor": colours["muted"], "fontSize": 15, "subtitleFontSize": 12, "anchor": "start", "offset": 10},
        "axis": {
            "labelColor": colours["muted"], "titleColor": colours["text"], "gridColor": colours["grid"],
            "domainColor": colours["domain"], "tickColor": colours["domain"], "labelFontSize": 11, "titleFontSize": 12,
            "titleFontWeight": "normal",
        },
        "legend": {
            "labelColor": colours["text"], "titleColor": colours["text"], "orient": "top", "direction": "horizontal",
            "labelFontSize": 11, "titleFontSize": 11, "labelLimit": 2 * WIDTH, "titleLimit": 2 * WIDTH,
            "titleOrient": "top", "titleAnchor": "start", "columnPadding": 14, "rowPadding": 4,
        },
        "range": {"category": colours["category"]},
        "text": {"color": colours["text"]},
        "style": {
            "lc-trend": {"color": colours["trend"]},
            "lc-halo": {"color": colours.get("halo", "#ffffff"), "opacity": 0.85},
            "lc-label": {"color": colours["trend"]},
            "lc-note": {"color": colours["trend"]},
            "lc-note-halo": {"color": colours.get("halo", "#ffffff"), "stroke": colours.get("halo", "#ffffff"), "strokeWidth": 4, "strokeJoin": "round", "opacity": 0.9},
            "lc-highlight": {"color": colours.get("highlight", colours["text"])},
            "lc-highlight-label": {"color": colours.get("highlight", colours["text"])},
            "lc-credit": {"color": colours["muted"]},
        },
    }
