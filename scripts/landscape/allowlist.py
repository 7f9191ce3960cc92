"""The allow-list of what HTML may reach a page: tags, attributes, URL schemes and styles (safety.py checks
rendered HTML against it)."""

from __future__ import annotations

import re

HTML_TAGS = frozenset("""
a abbr b bdi bdo blockquote br caption cite code col colgroup dd del details dfn div dl dt em figcaption
figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p picture pre q rp rt ruby s samp small source span
strong sub summary sup table tbody td tfoot th thead time tr u ul var wbr section article aside header
footer nav main
""".split())

# Inline SVG as charts and icons draw it; no <script>, <foreignObject>, <animate>/<set> (which can set
# an href), <style> or <image> with a remote source.
SVG_TAGS = frozenset("""
svg g defs symbol use path rect circle ellipse line polyline polygon text tspan title desc lineargradient
radialgradient stop clippath mask pattern marker
""".split())

GLOBAL_ATTRIBUTES = frozenset("class id title lang dir role hidden tabindex translate markdown".split())

TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset("href hreflang rel target name download type".split()),
    "img": frozenset("src srcset alt width height loading decoding sizes".split()),
    "source": frozenset("srcset type media sizes width height".split()),
    "picture": frozenset(),
    "ol": frozenset("start reversed type".split()),
    "li": frozenset(["value"]),
    "td": frozenset("colspan rowspan align headers style".split()),
    "th": frozenset("colspan rowspan align headers scope abbr style".split()),
    "col": frozenset("span width style".split()),
    "colgroup": frozenset(["span"]),
    "table": frozenset(["summary"]),
    "time": frozenset(["datetime"]),
    "details": frozenset(["open"]),
    "blockquote": frozenset(["cite"]),
    "q": frozenset(["cite"]),
    "del": frozenset("cite datetime".split()),
    "ins": frozenset("cite datetime".split()),
    "abbr": frozenset(),
    "div": frozenset(["style"]),
    "span": frozenset(["style"]),
    "p": frozenset(["style"]),
    "figure": frozenset(),
}

SVG_ATTRIBUTES = frozenset("""
viewbox width height x y x1 y1 x2 y2 cx cy r rx ry d points transform fill fill-opacity fill-rule stroke
stroke-width stroke-opacity stroke-dasharray stroke-linecap stroke-linejoin opacity href xmlns version
preserveaspectratio font-family font-size font-weight text-anchor dominant-baseline dx dy offset
stop-color stop-opacity gradientunits gradienttransform clip-path clip-rule mask marker-start marker-end
marker-mid markerwidth markerheight refx refy orient patternunits focusable
""".split())

# Controls the generator itself writes (chart explorers, computed tables' inputs, entity filters): allowed
# in generated pages, never in contributed text.
GENERATED_TAGS: dict[str, frozenset[str]] = {
    "button": frozenset("type disabled value name".split()),
    "input": frozenset("type min max step value name placeholder readonly inputmode checked disabled size list autocomplete spellcheck".split()),
    "label": frozenset(["for"]),
    "textarea": frozenset("readonly rows cols spellcheck wrap name".split()),
    "output": frozenset("for name".split()),
    "select": frozenset(["name"]),
    "option": frozenset("value selected".split()),
    "datalist": frozenset(),
}
UNSAFE_SCHEMES = frozenset(["javascript", "vbscript", "data"])

URL_ATTRIBUTES = frozenset("href src srcset cite action formaction poster background data ping xlink:href".split())
SAFE_SCHEMES = frozenset(["http", "https", "mailto"])
# Attributes the site's own scripts read (the chart loader, Material): generated markup may carry them,
# contributed text may not, and their URLs must stay on the site.
RESERVED_DATA = re.compile(r"^data-(lc|md)-")
SITE_URL_DATA = frozenset(["data-lc-spec", "data-lc-bundle"])

# style="..." only as Python-Markdown's tables write it and as plain sizes: no url(), expression(),
# escapes or comments can pass the value pattern.
STYLE_PROPERTIES = frozenset("text-align vertical-align width min-width max-width height white-space".split())
STYLE_VALUE = re.compile(r"^[#\w\s.,%-]*$")
