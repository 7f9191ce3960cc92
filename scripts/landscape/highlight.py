"""Entities marked on the static charts they are drawn in: a ring and a name laid over the chart's own SVG.

A chart's SVG is shared by every page that shows it; an entity page lays a small inline SVG of the same
size over it (a ring on each of the entity's points, a name beside one), so the chart needs no copy per
entity and the page needs no script. Where each drawn row sits is read once a chart from vl-convert's
scenegraph of the chart's own Vega-Lite specs (wide and narrow), and kept in the build cache under the
chart's cache key: a page only looks positions up and writes a few elements.

Marks are matched to rows by order: Vega draws a point series' items in the order of its data, which
is the order of the chart's drawn records (``RenderedChart.rows``); a series whose item count differs is
left unmarked rather than guessed.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any, Iterable

import vl_convert as vlc
from pydantic import BaseModel, ConfigDict

from . import cache
from .charts import Chart, RenderedChart
from .charts.layout import LABEL_NAME, LABEL_PLACES, RING_NAME, _label_box, _overlap

FONT_SIZE = 10  # px, the entity's name, bold (the size charts.place_labels lays labels out for)
RING = 6.5  # px, the ring's radius around one point
RING_MANY = 3.5  # px, around each of many points (an organisation's models), with a thinner line
LABEL_NUDGE = {"bottom": -0.2, "middle": 0.35, "top": 0.8}  # baseline -> y shift, in em, of the text's baseline
ANCHOR = {"left": "start", "right": "end", "center": "middle"}


class Variant(BaseModel):
    """Where a chart drawn at one size puts its plot and its points (px, plot coordinates)."""

    model_config = ConfigDict(extra="forbid")
    width: float  # the whole SVG
    height: float
    origin: tuple[float, float]  # the plot's top left corner in the SVG
    plot: tuple[float, float]  # the plot's width and height
    series: dict[int, list[tuple[float, float]]]  # chart series -> position of each drawn record, in order
    named: list[str]  # the points the chart names itself
    obstacles: list[tuple[float, float, float, float]]  # boxes of the chart's own labels and their rings


class ChartMarks(BaseModel):
    model_config = ConfigDict(extra="forbid")
    chart: str
    variants: dict[str, Variant]  # "wide", and "narrow" when the chart has a narrow SVG


def chart_marks(charts: dict[str, Chart], rendered: dict[str, RenderedChart], cache_dir: Path | None,
                datasets: set[str]) -> dict[str, ChartMarks]:
    """For every chart with a point series drawing one of ``datasets``: where its points are, read from the
    cache when the chart is unchanged (the chart's own cache key names the entry: it hashes the
    chart's inputs and the package's code, this module's too)."""
    out: dict[str, ChartMarks] = {}
    for ident, chart in sorted(charts.items()):
        result = rendered.get(ident)
        if result is None or not result.spec or not any(s.mark == "point" and s.dataset in datasets for s in chart.spec.series):
            continue
        entry = Path(cache_dir) / "marks" / f"{ident}-{result.key}.json" if cache_dir is not None else None
        marks = cache.read_model(entry, ChartMarks) if entry is not None else None
        if marks is None:
            marks = locate(chart, result)
            if entry is not None:
                cache.write_model(entry, marks)
                cache.prune(entry.parent, ident, entry)
        out[ident] = marks
    return out


def locate(chart: Chart, rendered: RenderedChart) -> ChartMarks:
    variants = {"wide": _variant(chart, rendered.spec, rendered.rows)}
    if rendered.svg_narrow_light and rendered.narrow_spec:
        variants["narrow"] = _variant(chart, rendered.narrow_spec, rendered.rows)
    return ChartMarks(chart=chart.id, variants=variants)


def _variant(chart: Chart, spec: dict, rows: list[list[dict]]) -> Variant:
    spec = json.loads(json.dumps(spec))
    spec.pop("usermeta", None)
    names: dict[int, str] = {}
    for index, series in enumerate(chart.spec.series):  # series n is Vega-Lite view n
        if series.mark == "point" and index < len(spec.get("layer", [])):
            view = spec["layer"][index]
            view.setdefault("name", f"lc_points_{index}")  # a view with params is named already
            names[index] = f"{view['name']}_marks"
    graph = vlc.vegalite_to_scenegraph(spec)
    origin = tuple(float(v) for v in graph.get("origin", (0, 0)))
    root = graph["scenegraph"]
    frame = (root.get("items") or [{}])[0]
    found: dict[str, list[dict]] = {}

    def walk(node: dict, dx: float, dy: float) -> None:
        for item in node.get("items") or []:
            if node.get("marktype") == "group":
                for child in item.get("items") or []:
                    walk(child, dx + float(item.get("x", 0)), dy + float(item.get("y", 0)))
            else:
                found.setdefault(node.get("name") or "", []).append(dict(item, x=dx + float(item.get("x", 0)), y=dy + float(item.get("y", 0))))

    for child in frame.get("items") or []:
        walk(child, 0.0, 0.0)
    located = {}
    for index, name in names.items():
        items = found.get(name, [])
        if len(items) == len(rows[index]):  # else the order cannot be trusted: the series stays unmarked
            located[index] = [(round(i["x"], 2), round(i["y"], 2)) for i in items]
    named, obstacles = [], []
    for name, items in found.items():  # the chart's own labelled points: their rings and names
        if name.startswith(RING_NAME):
            obstacles += [(i["x"] - 5, i["y"] - 5, i["x"] + 5, i["y"] + 5) for i in items]
        elif name.startswith(LABEL_NAME) and name.endswith("_lc_label_marks"):
            for i in items:
                text = str(i.get("text", ""))
                named.append(text)
                place = (float(i.get("dx", 0)), float(i.get("dy", 0)), i.get("align", "left"), i.get("baseline", "middle"))
                obstacles.append(_label_box(i["x"], i["y"], place, text))
    return Variant(width=float(graph["width"]), height=float(graph["height"]), origin=origin,
                   plot=(float(frame.get("width", 0)), float(frame.get("height", 0))), series=located, named=named,
                   obstacles=[tuple(round(v, 1) for v in box) for box in obstacles])


# ----------------------------------------------------------------------------- overlays


def overlay(variant: Variant, points: list[tuple[float, float]], label: tuple[float, float, str] | None, css: str) -> str:
    """An inline SVG the size of the chart's SVG: a ring on each point and, beside ``label``'s point,
    its text, placed where it covers none of the chart's own labels and stays in the plot."""
    radius, line = (RING, 2.5) if len(points) <= 3 else (RING_MANY, 1.5)
    parts = [f'<g class="lc-mark__rings" fill="none" stroke="#b0005e" stroke-width="{line:g}">']
    parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:g}"></circle>' for x, y in points]
    parts.append("</g>")
    if label is not None and label[2] not in variant.named:  # else the chart names it itself
        x, y, text = label
        place = _place(variant, x, y, text)
        dx, dy, align, baseline = place
        tx, ty = x + dx, y + dy + FONT_SIZE * LABEL_NUDGE[baseline]
        attrs = (f'x="{tx:.1f}" y="{ty:.1f}" text-anchor="{ANCHOR[align]}" font-size="{FONT_SIZE}" font-weight="bold"'
                 ' font-family="Roboto, Helvetica, Arial, sans-serif"')
        body = html.escape(text, quote=False)
        parts.append(f'<text class="lc-mark__halo" {attrs} fill="none" stroke="#ffffff" stroke-width="4" stroke-linejoin="round">{body}</text>')
        parts.append(f'<text class="lc-mark__text" {attrs} fill="#b0005e">{body}</text>')
    ox, oy = variant.origin
    return (f'<svg class="lc-mark {css}" viewBox="0 0 {variant.width:g} {variant.height:g}" width="{variant.width:g}" height="{variant.height:g}"'
            f' aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg"><g transform="translate({ox:g},{oy:g})">'
            + "".join(parts) + "</g></svg>")


def _place(variant: Variant, x: float, y: float, text: str) -> tuple:
    """The first of the chart's label places (charts.LABEL_PLACES) where the name covers none of the chart's
    own labels and rings and stays in the plot; the least covering one if none is free."""
    width, height = variant.plot
    best, best_cost = LABEL_PLACES[0], float("inf")
    for place in LABEL_PLACES:
        box = _label_box(x, y, place, text)
        outside = max(0, -box[0]) + max(0, box[2] - width) + max(0, -box[1]) + max(0, box[3] - height)
        cost = outside * 200 + sum(_overlap(box, other) for other in variant.obstacles)
        if cost < best_cost:
            best, best_cost = place, cost
        if cost == 0:
            break
    return best


def points_of(variant: Variant, spots: Iterable[tuple[int, int]]) -> list[tuple[float, float]]:
    """Positions of (series, record index) pairs that the variant located."""
    out = []
    for series, index in spots:
        positions = variant.series.get(series)
        if positions is not None and index < len(positions):
            out.append(positions[index])
    return out


def topmost(points: list[tuple[Any, tuple[float, float]]]) -> Any:
    """The key of the highest point (the largest value on an upward y axis)."""
    return min(points, key=lambda p: (p[1][1], p[1][0]))[0] if points else None
