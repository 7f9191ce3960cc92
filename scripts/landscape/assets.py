"""Site-wide chart assets: the one Vega bundle (served by the site itself), the loader script, the CSS."""

from __future__ import annotations

from pathlib import Path

import vl_convert as vlc

from . import cache, paths

LOADER_URI = "assets/javascripts/charts.js"
STYLES_URI = "assets/stylesheets/charts.css"

# The loader: runs on every page (mkdocs.yml extra_javascript), does nothing where there is no chart.
# Inside Material's document$ (instant navigation) it loads the Vega bundle once, embeds each chart's
# Vega-Lite spec with tooltips, and re-embeds with the dark config when the colour scheme changes.
LOADER_JS = r"""/* Interactive charts: progressive enhancement of the static SVG figures. */
(function () {
  "use strict";
  var bundle = null;

  function loadBundle(url) {
    if (window.vegaEmbed) return Promise.resolve();
    if (!bundle) {
      bundle = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = url;
        script.async = true;
        script.onload = function () { resolve(); };
        script.onerror = function () { bundle = null; reject(new Error("cannot load " + url)); };
        document.head.appendChild(script);
      });
    }
    return bundle;
  }

  function dark() {
    return document.body.getAttribute("data-md-color-scheme") === "slate";
  }

  function embed(view) {
    var spec = JSON.parse(JSON.stringify(view.lcSpec));
    var meta = spec.usermeta || {};
    if (dark() && meta.darkConfig) spec.config = meta.darkConfig;
    spec.width = "container";
    spec.autosize = { type: "fit-x", contains: "padding" };
    return window.vegaEmbed(view, spec, {
      renderer: "svg",
      tooltip: true,
      actions: { export: true, source: false, compiled: false, editor: false }
    }).then(function (result) {
      if (view.lcView) view.lcView.finalize();
      view.lcView = result.view;
      view.hidden = false;
      var summary = view.querySelector(".vega-embed details > summary");
      if (summary) summary.setAttribute("aria-label", "Chart actions: save as SVG or PNG");
      var figure = view.closest(".lc-chart");
      if (figure) figure.classList.add("lc-chart--live");
    });
  }

  function start(view) {
    if (view.lcStarted) return Promise.resolve();
    view.lcStarted = true;
    var specUrl = view.getAttribute("data-lc-spec");
    return loadBundle(view.getAttribute("data-lc-bundle"))
      .then(function () { return fetch(specUrl); })
      .then(function (response) {
        if (!response.ok) throw new Error(specUrl + ": HTTP " + response.status);
        return response.json();
      })
      .then(function (spec) { view.lcSpec = spec; return embed(view); })
      .catch(function (error) {
        view.lcStarted = false;
        if (window.console) console.warn("chart stays static:", error);
      });
  }

  function views() {
    return Array.prototype.slice.call(document.querySelectorAll(".lc-chart__view[data-lc-spec]"));
  }

  function init() {
    views().forEach(start);
  }

  var observer = null;
  function watchScheme() {
    if (observer || !window.MutationObserver) return;
    observer = new MutationObserver(function () {
      views().forEach(function (view) { if (view.lcSpec) embed(view); });
    });
    observer.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  }

  // Accessible names axe-core asks for: Material's search dialog and progress bar have none, and
  // vega-embed's actions menu is a <summary> holding only an icon.
  function nameLandmarks() {
    var names = { ".md-search[role=dialog]": "Search", ".md-progress[role=progressbar]": "Page loading" };
    Object.keys(names).forEach(function (selector) {
      var node = document.querySelector(selector);
      if (node && !node.hasAttribute("aria-label")) node.setAttribute("aria-label", names[selector]);
    });
  }

  function run() { nameLandmarks(); watchScheme(); init(); }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(run);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
"""

STYLES_CSS = """/* Charts: show the static SVG of the current colour scheme until the interactive view replaces it. */
.lc-chart { margin: 1.5em 0; }
/* .md-typeset prefixes outrank Material's ".md-typeset figure img { display: block }". */
.md-typeset .lc-chart__img, .lc-chart__img { display: block; max-width: 100%; height: auto; }
.md-typeset .lc-chart__img--dark, .lc-chart__img--dark { display: none; }
[data-md-color-scheme="slate"] .md-typeset .lc-chart__img--light, [data-md-color-scheme="slate"] .lc-chart__img--light { display: none; }
[data-md-color-scheme="slate"] .md-typeset .lc-chart__img--dark, [data-md-color-scheme="slate"] .lc-chart__img--dark { display: block; }
.lc-chart--live .lc-chart__static { display: none; }
.lc-chart__view { width: 100%; }
.lc-chart__view.vega-embed { width: 100%; display: block; }
.lc-chart figcaption { font-size: .7rem; color: var(--md-default-fg-color--light); max-width: none; }
.lc-chart__view .vega-bindings { font-size: .7rem; margin-top: .5em; }
.lc-gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 1rem; }
.lc-gallery__item { display: block; border: 1px solid var(--md-default-fg-color--lightest); border-radius: .2rem; padding: .5rem; }
.lc-gallery__item:hover { border-color: var(--md-accent-fg-color); }
.lc-gallery__title { display: block; margin-top: .4rem; font-size: .7rem; }
/* vega-embed's actions menu is a <details>: undo Material's admonition styling of details/summary. */
.md-typeset .lc-chart__view details { position: absolute; top: 0; right: 0; z-index: 2; border: 0; border-radius: 0; box-shadow: none; background: transparent; margin: 0; padding: 0; overflow: visible; font-size: .65rem; }
.md-typeset .lc-chart__view details > summary { margin: 0; padding: 2px 6px; border: 1px solid var(--md-default-fg-color--lightest); border-radius: 999px; background: var(--md-default-bg-color); color: var(--md-default-fg-color--light); }
.md-typeset .lc-chart__view details > summary::before, .md-typeset .lc-chart__view details > summary::after { display: none; }
.md-typeset .lc-chart__view .vega-actions { background: var(--md-default-bg-color); }
.md-typeset .lc-chart__view .vega-actions a { color: var(--md-default-fg-color); }
/* Readability (axe-core): links in running text are underlined, not told apart by colour alone;
   the footer's copyright line and attribute names in code reach a 4.5:1 contrast. */
.md-typeset p a:not(.md-button), .md-typeset li a:not(.md-button), .md-typeset td a, .md-typeset figcaption a { text-decoration: underline; text-underline-offset: .15em; }
.md-copyright { color: var(--md-footer-fg-color--light); }
.md-typeset .highlight .na { color: var(--md-code-fg-color); }
#vg-tooltip-element { font-family: var(--md-text-font-family, sans-serif); font-size: .65rem; }
@media print { .lc-chart__view { display: none !important; } .lc-chart--live .lc-chart__static { display: block; } }
"""


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
        LOADER_URI: LOADER_JS,
        STYLES_URI: STYLES_CSS,
    }
