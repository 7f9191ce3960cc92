"""Where things go on a chart: the wide and narrow layouts, axis scales and ticks (log ticks, wrapped
category names), legend columns and the placement of point labels."""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from typing import Any

import vl_convert as vlc

from ..datasets import plain_value
from ..trends import decimal_year
from ..yamlio import to_date
from .model import AxisModel, ChartModel


WIDTH, HEIGHT = 640, 360  # px: the plot of the wide variant (desktop)
NARROW_TOTAL = 360  # px: the whole narrow variant (phones), axes, legend and key included
NARROW_HEIGHT = 280  # px: the plot of the narrow variant
NARROW_MEDIA = "(max-width: 37.5em)"  # where pages show the narrow variant (static and live alike)
NARROW_CATEGORY_PX = 100  # px: the widest category name on a nominal y axis of the narrow variant
WIDE_CATEGORY_PX = 170  # px: the same on the wide variant (longer names wrap)
LABEL_CHAR_PX = 6.0  # px: a generous width of one character of 10 px text (point labels; browser fonts vary)
CATEGORY_LABEL_LIMIT = 320  # px: category names on a nominal axis are shown whole up to this width
TREND_DASHES = ([10, 4], [2, 3], [10, 3, 2, 3], [10, 3, 2, 3, 2, 3], [4, 4], [1, 5])  # one per trend, in order
KEY_TOP = 44  # px below the plot where the trend key (then the credit line) starts, under one line of x labels
LABEL_LINE = 13  # px per extra line of x-axis labels
LEGEND_SYMBOL_PX = 34  # px: a legend entry's symbol and the gaps around it
CHAR_PX = 6.2  # px: a rough width of one character of 11 px text, to wrap labels and lay out legends
KEY_LINE = 15  # px per line of the trend key
ANNOTATION_GAP = 7  # px between an annotation's point and its label
KEY_SAMPLE = 30  # px: length of the dash sample before each key line


def log_ticks(values: list[float]) -> list[float] | None:
    """Tick values for a log axis: powers of ten (every 2nd, 3rd or 5th over many decades), with 2 and 5
    times each power as well when the values span three decades or fewer."""
    positive = [v for v in values if v and v > 0 and math.isfinite(v)]
    if not positive:
        return None
    low = math.floor(math.log10(min(positive)))
    high = math.ceil(math.log10(max(positive)))
    span = max(high - low, 1)
    if span <= 3:
        return [m * 10.0**e for e in range(low, high + 1) for m in (1, 2, 5) if m * 10.0**e <= 10.0**high]
    step = 1 if span <= 10 else 2 if span <= 20 else 3 if span <= 30 else 5
    first = low - (low % step)
    return [10.0**e for e in range(first, high + 1, step)]


def nice_log_top(value: float) -> float:
    """The smallest of 1, 2 or 5 times a power of ten that leaves the longest bar some room (5%)."""
    target = value * 1.05
    exponent = math.floor(math.log10(target))
    for multiple in (1, 2, 5, 10):
        top = multiple * 10.0**exponent
        if top >= target:
            return top
    return 10.0 ** (exponent + 1)


def wrap_label(text: str, width: int) -> list[str]:
    """A category name broken at spaces into lines of at most ``width`` characters (a longer word stays whole)."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [str(text)]


def category_labels(values: list[Any], width_px: float) -> tuple[str | None, int]:
    """For the categories under an x axis of ``width_px``: a Vega label expression that wraps the names
    too long for their band (None if all fit), and the number of label lines."""
    if not values:
        return None, 1
    chars = max(8, int(width_px / len(values) / CHAR_PX) - 1)
    wrapped = {str(v): wrap_label(str(v), chars) for v in values}
    long = {name: lines for name, lines in wrapped.items() if len(lines) > 1}
    if not long:
        return None, 1
    mapping = json.dumps(long, ensure_ascii=False, sort_keys=True)
    return f"{mapping}[datum.label] || datum.label", max(len(lines) for lines in wrapped.values())


_EXP = "round(log(datum.value) / LN10)"
_DIGITS = "'⁰¹²³⁴⁵⁶⁷⁸⁹'"
EXPONENT_LABEL_EXPR = (
    f"'10' + ({_EXP} < 0 ? '⁻' : '')"
    f" + (abs({_EXP}) >= 10 ? substring({_DIGITS}, floor(abs({_EXP}) / 10), floor(abs({_EXP}) / 10) + 1) : '')"
    f" + substring({_DIGITS}, abs({_EXP}) % 10, abs({_EXP}) % 10 + 1)"
)


def log_baseline(axis: AxisModel, values: list[float]) -> float | None:
    """Where bars start on a log axis (which has no zero): the axis's own domain minimum if the chart
    gives one, else the power of ten at or below the smallest positive value drawn."""
    if axis.domain:
        try:
            low = float(axis.domain[0])
        except (TypeError, ValueError):
            low = float("nan")
        if math.isfinite(low) and low > 0:
            return low
    positive = [v for v in values if v > 0 and math.isfinite(v)]
    if not positive:
        return None
    return 10.0 ** math.floor(math.log10(min(positive)))


def _axis(axis: AxisModel, values: list[float], bars: bool = False, categories: list[Any] | None = None, width: int = WIDTH) -> tuple[dict, dict, int]:
    """Vega-Lite (scale, axis) settings for an axis, given the numbers drawn on it, and its label lines.

    ``bars``: bars run along this axis. On a linear axis they start at zero; on a log axis (which has no
    zero) at ``log_baseline``; either way the domain starts at the baseline exactly, without padding, so
    that bars stand on the axis line. ``categories``: the names on a nominal x axis, in order, to wrap.
    """
    scale: dict = {"padding": 8} if axis.type in ("quantitative", "temporal") else {}
    settings: dict = {"title": axis.title}
    lines = 1
    if axis.scale:
        scale["type"] = axis.scale
    if axis.domain:
        scale["domain"] = [plain_value(v) for v in axis.domain]
    if bars and axis.type == "quantitative":
        scale["padding"] = 0
        baseline = log_baseline(axis, values) if axis.scale == "log" else None
        if baseline is not None:  # (no "zero: false": Vega-Lite drops it on a log scale, with a warning)
            values = [*values, baseline]
            if not axis.domain:
                scale["domainMin"] = baseline
                top = max((v for v in values if math.isfinite(v)), default=baseline)
                scale["domainMax"] = nice_log_top(max(top, baseline))
                values.append(scale["domainMax"])
    if axis.type == "temporal":
        settings["format"] = axis.format or "%Y"
        settings["labelOverlap"] = True
    elif axis.format:
        settings["format"] = axis.format
    elif axis.scale == "log":
        ticks = log_ticks(values)
        if ticks:
            top = math.log10(ticks[-1])
            bottom = math.log10(ticks[0])
            if top > 5 or bottom < -3:
                settings["values"] = ticks
                settings["labelExpr"] = EXPONENT_LABEL_EXPR
            else:
                settings["values"] = ticks
                settings["format"] = "~s"
    elif axis.type == "quantitative":
        settings["format"] = "~s"
    if axis.type in ("nominal", "ordinal"):
        settings["labelLimit"] = CATEGORY_LABEL_LIMIT
        if categories is not None:
            expr, lines = category_labels(categories, width)
            settings["labelAngle"] = 0
            if expr:
                settings["labelExpr"] = expr
    return scale, settings, lines


def legend_columns(labels: list[str], width: float = WIDTH) -> int:
    """How many legend entries fit side by side across the plot without cutting a label: all of them in
    one row if they fit, else as many columns of the widest entry as fit (at least one)."""
    if not labels:
        return 1
    widths = [LEGEND_SYMBOL_PX + CHAR_PX * len(label) for label in labels]
    if sum(widths) <= width:
        return len(labels)
    return max(1, min(len(labels), int(width // max(widths))))


@dataclass(frozen=True)
class Layout:
    """One size a chart is drawn at: the wide variant (desktop) or the narrow one (phones)."""

    name: str  # "wide" | "narrow"
    width: int  # px, the plot
    height: int  # px, the plot
    total: int  # px, roughly the whole chart: the width titles, legend, key and credit wrap to

    @property
    def narrow(self) -> bool:
        return self.name == "narrow"


def layouts(spec: ChartModel) -> dict[str, Layout]:
    """The wide layout, and a narrow one whose plot takes what a 360 px column leaves beside the y axis:
    a nominal y axis gets wrapped names up to NARROW_CATEGORY_PX and no title, other axes about 60 px."""
    names = spec.y.type in ("nominal", "ordinal")
    axis = NARROW_CATEGORY_PX + 14 if names else 62
    wide = WIDTH + 70 - 10 - (WIDE_CATEGORY_PX + 30) if names else WIDTH  # names on y: the whole stays ~700 px
    return {
        "wide": Layout("wide", wide, HEIGHT, WIDTH + 70),
        "narrow": Layout("narrow", NARROW_TOTAL - 10 - axis, NARROW_HEIGHT, NARROW_TOTAL - 10),
    }


def _room_right(value: Any, spec: ChartModel, x_scale: dict, series_records: list[list[dict]], categories: list[Any] | None, plot_width: int = WIDTH) -> float:
    """Roughly how many pixels lie between an x value and the plot's right edge (with a margin for a
    plot drawn a little narrower on a small screen)."""
    width = plot_width * 0.9
    if categories is not None:
        if value not in categories:
            return width
        return width * (1 - (categories.index(value) + 0.5) / len(categories))
    position = _position_fn(spec.x)
    points = [position(r.get(series.x)) for i, series in enumerate(spec.series) for r in series_records[i]]
    points += [position(n.x) for n in spec.annotations]
    for key in ("domainMin", "domainMax"):
        if key in x_scale:
            points.append(position(x_scale[key]))
    for bound in x_scale.get("domain", []):
        points.append(position(bound))
    known = [p for p in points if p is not None]
    here = position(value)
    if here is None or not known or max(known) == min(known):
        return width
    return width * (max(known) - here) / (max(known) - min(known))


def _position_fn(axis: AxisModel):
    """A value on an axis as a number on which the scale is linear: decimal years, log10, or the value."""
    if axis.type == "temporal":
        def position(v: Any) -> float | None:
            date = to_date(v) if not isinstance(v, dt.date) else v
            return decimal_year(date) if date else None
    else:
        def position(v: Any) -> float | None:
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v):
                return None
            if axis.scale == "log":
                return math.log10(v) if v > 0 else None
            return float(v)
    return position


# candidate places for a point's label: (dx, dy, align, baseline), nearest first
LABEL_PLACES = (
    (7, 0, "left", "middle"), (-7, 0, "right", "middle"), (0, -8, "center", "bottom"), (0, 8, "center", "top"),
    (5, -6, "left", "bottom"), (-5, -6, "right", "bottom"), (5, 6, "left", "top"), (-5, 6, "right", "top"),
    (0, -20, "center", "bottom"), (0, 20, "center", "top"), (12, -16, "left", "bottom"), (-12, -16, "right", "bottom"),
    (12, 16, "left", "top"), (-12, 16, "right", "top"), (-8, 22, "right", "top"), (-8, -22, "right", "bottom"),
    (-10, 34, "right", "top"), (8, 34, "left", "top"), (-10, -34, "right", "bottom"), (8, -34, "left", "bottom"),
)


def _label_box(x: float, y: float, place: tuple, text: str) -> tuple[float, float, float, float]:
    dx, dy, align, baseline = place
    width, height = LABEL_CHAR_PX * len(text) + 2, 11.0
    left = x + dx - (width if align == "right" else width / 2 if align == "center" else 0)
    top = y + dy - (height if baseline == "bottom" else height / 2 if baseline == "middle" else 0)
    return left, top, left + width, top + height


def _overlap(a: tuple, b: tuple) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def place_labels(points: list[tuple[float, float, str]], width: float, height: float) -> list[tuple | None]:
    """For labelled points (px, py, text) in a plot of width x height px: a place each (dx, dy, align,
    baseline) from LABEL_PLACES, chosen in order so that no label covers another label or a labelled point
    and each stays inside the plot; None where no place is free (the point keeps its ring, unnamed:
    a crowded narrow plot names fewer points rather than overlap their names)."""
    placed: list[tuple] = []
    markers = [(x - 4, y - 4, x + 4, y + 4) for x, y, _ in points]
    result = []
    for x, y, text in points:
        best, best_cost = LABEL_PLACES[0], math.inf
        for place in LABEL_PLACES:
            box = _label_box(x, y, place, text)
            cost = sum(_overlap(box, other) for other in placed) + sum(_overlap(box, m) for m in markers)
            outside = max(0, -box[0]) + max(0, box[2] - width) + max(0, -box[1]) + max(0, box[3] - height)
            cost += outside * 200  # marks are clipped to the plot (the zoom binds its scales)
            if cost < best_cost:
                best, best_cost = place, cost
            if cost == 0:
                break
        if best_cost > 0:
            result.append(None)
            continue
        placed.append(_label_box(x, y, best, text))
        result.append(best)
    return result


def _wrap_expr(values: list[Any], chars: int) -> str | None:
    """A Vega label expression giving the names longer than ``chars`` as lines (None if all fit)."""
    long = {str(v): wrap_label(str(v), chars) for v in values if len(str(v)) > chars}
    long = {name: lines for name, lines in long.items() if len(lines) > 1}
    if not long:
        return None
    return f"{json.dumps(long, ensure_ascii=False, sort_keys=True)}[datum.label] || datum.label"


RING_NAME = "lc_ring_"  # Vega-Lite view names of the rings on labelled points (lc_ring_0_marks in Vega)
LABEL_NAME = "lc_label_"  # and of their names (placed for the chart as built: the page script drops them in other views)


def _move_labels(spec: dict, places: list[tuple]) -> None:
    """Give the text views of labelled point ``n`` (named LABEL_NAME + n) the place ``places[n]``:
    the spec as ``build_chart`` with those places would draw it, without building it again."""
    kept = []
    for view in spec.get("layer", []):
        name = str(view.get("name", ""))
        place = places[int(name[len(LABEL_NAME):].split("_")[0])] if name.startswith(LABEL_NAME) else ()
        if place is None:
            continue  # no free place: the name is left out
        kept.append(view)
        if not place:
            continue
        dx, dy, align, baseline = place
        mark = view["mark"] if isinstance(view["mark"], dict) else {"type": view["mark"]}
        mark.update(dx=dx, dy=dy, align=align, baseline=baseline)
        view["mark"] = mark
    spec["layer"] = kept


def label_places(vega_lite: dict, labels: list[str], width: float, height: float) -> dict[str, tuple]:
    """Places for the labels of labelled points: where Vega drew each ring (read from vl-convert's
    scenegraph of the chart), then ``place_labels``."""
    graph = vlc.vegalite_to_scenegraph(vega_lite)
    positions: dict[int, tuple[float, float]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            name = node.get("name") or ""
            if name.startswith(RING_NAME) and node.get("items"):
                item = node["items"][0]
                positions[int(name[len(RING_NAME):].split("_")[0])] = (float(item.get("x", 0)), float(item.get("y", 0)))
            for child in node.get("items", []) or []:
                walk(child)
            if "root" in node:
                walk(node["root"])

    walk(graph.get("scenegraph", graph))
    points = [(positions[n][0], positions[n][1], text) for n, text in enumerate(labels) if n in positions]
    return dict(zip([p[2] for p in points], place_labels(points, width, height)))

