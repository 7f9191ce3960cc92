"""Site-wide chart assets: the one Vega bundle (served by the site itself), the loader script, the CSS."""

from __future__ import annotations

from pathlib import Path

import vl_convert as vlc

from . import cache, paths

LOADER_URI = "assets/javascripts/charts.js"
STYLES_URI = "assets/stylesheets/charts.css"

# The loader (static/charts.js): linked, with its styles, only from pages that have a chart view or a computed
# table's explorer (the theme overrides' partials/page-assets.html; embed pages link it themselves). Inside
# Material's document$ (instant navigation) it loads the Vega bundle once, embeds each
# chart's Vega-Lite spec in its static SVG's box, re-embeds on a new colour scheme or width, and on chart
# pages offers the explore controls. The styles are static/charts.css.
STATIC = Path(__file__).with_name("static")


def loader_js() -> str:
    return (STATIC / "charts.js").read_text("utf-8")


def styles_css() -> str:
    return (STATIC / "charts.css").read_text("utf-8")


def bundle_version() -> str:
    return f"{getattr(vlc, '__version__', 'unknown')}-vega{vlc.get_vega_version()}-embed{vlc.get_vega_embed_version()}"


def vega_bundle(cache_dir: Path) -> str:
    """vl-convert's JavaScript bundle (Vega, Vega-Lite, vega-embed), cached on disk per vl-convert version."""
    path = Path(cache_dir) / "vega" / f"vega-bundle-{bundle_version()}.js"
    text = cache.read_text(path)  # None unless this machine wrote it: a planted script is never served
    if text is not None:
        return text
    text = vlc.javascript_bundle()
    cache.write_text(path, text)
    return text


def site_assets(cache_dir: Path) -> dict[str, str | bytes]:
    return {
        paths.VEGA_BUNDLE_URI: vega_bundle(cache_dir),
        LOADER_URI: loader_js(),
        STYLES_URI: styles_css(),
    }
