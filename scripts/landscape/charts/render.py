"""Rendering with vl-convert: light and dark SVG of the wide and narrow specs and PNGs, cached under a
hash of everything they are made from (spec inputs, the package's code, the vl-convert version); the
cache is authenticated JSON (cache.py)."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import vl_convert as vlc
from pydantic import BaseModel, ConfigDict, model_validator

from .. import cache
from ..datasets import Dataset
from .downloads import rows_csv, rows_json
from .layout import layouts
from .model import Chart, TrendFit, drawn_records
from .theme import ChartTheme
from .vegalite import credit_line, vega_lite_specs


@dataclass
class RenderedChart:
    svg_light: str
    svg_dark: str
    spec: dict  # the Vega-Lite spec (light config; the dark config is in spec["usermeta"]["darkConfig"])
    rows: list[list[dict]]  # per series, the rows drawn (plain values)
    csv: str
    json: str
    fits: list[TrendFit]
    from_cache: bool
    key: str = ""
    seconds: float = 0.0
    narrow_spec: dict = field(default_factory=dict)  # the same chart laid out for a phone (NARROW_TOTAL px)
    svg_narrow_light: str = ""
    svg_narrow_dark: str = ""
    png_light: bytes = b""  # the wide chart at twice its size, on the page colour
    png_dark: bytes = b""


def vl_convert_version() -> str:
    return f"vl-convert {getattr(vlc, '__version__', '?')}; vega {vlc.get_vega_version()}; vega-lite {vlc.get_vegalite_versions()[-1]}"


def cache_key(chart: Chart, records: list[list[dict]], fits: list[TrendFit], theme: ChartTheme, credit: str) -> str:
    """A hash of everything the spec and its SVGs are made from: the chart file's content, the rows drawn,
    the fits, the theme, the credit line, the package's code (cache.code_version) and the vl-convert / Vega / Vega-Lite versions."""
    digest = hashlib.sha256()
    parts = (
        chart.spec.model_dump_json(by_alias=True),
        json.dumps(records, sort_keys=True, default=str),
        json.dumps([(t.id, t.fit.slope_log10_per_year, t.fit.intercept_log10) for t in fits]),
        json.dumps([theme.font, theme.light, theme.dark], sort_keys=True),
        credit,
        cache.code_version(),
        vl_convert_version(),
    )
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:24]


def render_chart(chart: Chart, datasets: dict[str, Dataset], cache_dir: Path, theme: ChartTheme | None = None) -> RenderedChart:
    """Chart + data -> Vega-Lite specs (wide and narrow), light and dark SVG of each, light and dark PNG
    (wide, 2x), downloads and fits.

    Specs, SVGs and PNGs are kept in ``cache_dir/charts`` under a hash of their inputs; when nothing
    changed, they are read back and neither Altair nor vl-convert runs (``from_cache`` is True).
    """
    started = time.perf_counter()
    theme = theme or ChartTheme()
    fits = chart.fits
    records = drawn_records(chart, datasets)
    key = cache_key(chart, records, fits, theme, credit_line(chart, datasets))
    folder = Path(cache_dir) / "charts"
    entry = folder / f"{chart.id}-{key}.json"
    cached = cache.read_model(entry, CachedChart)
    if cached is not None:
        texts, binaries = cached.texts, {name: base64.b64decode(data) for name, data in cached.binaries.items()}
        from_cache = True
    else:
        variants = layouts(chart.spec)
        light, dark, _ = vega_lite_specs(chart, datasets, theme, fits, records, variants["wide"])
        narrow_light, narrow_dark, _ = vega_lite_specs(chart, datasets, theme, fits, records, variants["narrow"])
        texts = {
            "vl.json": json.dumps(light, sort_keys=True, ensure_ascii=False),
            "svg": _svg(light, chart),
            "dark.svg": _svg(dark, chart),
            "narrow.vl.json": json.dumps(narrow_light, sort_keys=True, ensure_ascii=False),
            "narrow.svg": _svg(narrow_light, chart),
            "narrow.dark.svg": _svg(narrow_dark, chart),
            "csv": rows_csv(chart, records),
            "rows.json": rows_json(chart, datasets, records),
        }
        binaries = {"png": _png(light, theme.light), "dark.png": _png(dark, theme.dark)}
        cache.write_model(entry, CachedChart(texts=texts, binaries={n: base64.b64encode(d).decode("ascii") for n, d in binaries.items()}))
        cache.prune(folder, chart.id, entry)
        from_cache = False
    csv_text, json_text = texts["csv"], texts["rows.json"]
    return RenderedChart(
        svg_light=texts["svg"],
        svg_dark=texts["dark.svg"],
        spec=json.loads(texts["vl.json"]),
        rows=records,
        csv=csv_text,
        json=json_text,
        fits=fits,
        from_cache=from_cache,
        key=key,
        seconds=time.perf_counter() - started,
        narrow_spec=json.loads(texts["narrow.vl.json"]),
        svg_narrow_light=texts["narrow.svg"],
        svg_narrow_dark=texts["narrow.dark.svg"],
        png_light=binaries["png"],
        png_dark=binaries["dark.png"],
    )


class CachedChart(BaseModel):
    """A rendered chart as the cache keeps it (one JSON entry: specs and SVGs by name, PNGs in base64)."""

    model_config = ConfigDict(extra="forbid")
    texts: dict[Literal["vl.json", "svg", "dark.svg", "narrow.vl.json", "narrow.svg", "narrow.dark.svg", "csv", "rows.json"], str]
    binaries: dict[Literal["png", "dark.png"], str]

    @model_validator(mode="after")
    def _complete(self):
        if len(self.texts) != 8 or len(self.binaries) != 2:
            raise ValueError("a cached chart holds eight texts and two PNGs")
        return self


def _png(spec: dict, colours: dict) -> bytes:
    """The chart as a PNG at twice its size, on the page colour of its scheme (a PNG has no page behind it)."""
    painted = dict(spec, config=dict(spec["config"], background=colours.get("halo", "#ffffff")))
    return vlc.vegalite_to_png(painted, scale=2)


def _svg(spec: dict, chart: Chart) -> str:
    svg = vlc.vegalite_to_svg(spec)
    # accessible name for the static image's inline use; <img alt> carries it on pages
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(chart.spec.alt)}" ', 1)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
