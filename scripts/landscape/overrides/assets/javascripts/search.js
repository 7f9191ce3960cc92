/* Search: Pagefind's Component UI in a dialog, opened from the header button or with "/", "s" or "f".
 *
 * Nothing of Pagefind is requested until the reader opens search: then its stylesheet and script are
 * loaded from the site's own pagefind/ folder (found from Material's base URL, so the site works under
 * any path, e.g. a GitHub Pages project site), and Pagefind fetches only the index chunks a query needs.
 * Results show the title, the kind and layers, the excerpt with the match marked, and up to three
 * headings of the page that match (sub-results).
 */
(function () {
  "use strict";

  var KEYS = { "/": true, s: true, f: true }; /* Material's own search shortcuts */
  var DEBOUNCE_MS = 60; /* search this long after the last keystroke (Pagefind's default: 300 ms) */
  var root = siteRoot();
  var loading = null;
  var modal = null;

  function siteRoot() {
    var base = ".";
    var config = document.getElementById("__config");
    if (config) {
      try {
        base = JSON.parse(config.textContent).base || ".";
      } catch (error) {
        base = ".";
      }
    }
    return new URL(base.replace(/\/?$/, "/"), window.location.href);
  }

  function load() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var bundle = new URL("pagefind/", root).href;
        var style = document.createElement("link");
        style.rel = "stylesheet";
        style.href = bundle + "pagefind-component-ui.css";
        document.head.appendChild(style);
        /* the search module itself, fetched alongside the UI rather than after it */
        var core = document.createElement("link");
        core.rel = "modulepreload";
        core.href = bundle + "pagefind.js";
        document.head.appendChild(core);
        var script = document.createElement("script");
        script.src = bundle + "pagefind-component-ui.js";
        script.onload = function () {
          window.PagefindComponents.configureInstance("default", {
            bundlePath: bundle,
            baseUrl: root.pathname,
            excerptLength: 24,
            ranking: { metaWeights: { title: 8, tags: 2 } }
          });
          resolve();
        };
        script.onerror = function () {
          loading = null;
          reject(new Error("cannot load " + script.src));
        };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function href(url) {
    return /^(\/|https?:)/.test(url || "") ? url : "#";
  }

  /* One result: Pagefind's own markup (so its keyboard navigation and styles apply) plus the kind and
     layers. Excerpts are Pagefind's: page text escaped, the matched words in <mark>. */
  function resultTemplate(results) {
    return function (result) {
      var filters = result.filters || {};
      var tags = (filters.kind || []).map(function (kind) {
        return '<span class="lsc-search__kind">' + esc(kind) + "</span>";
      }).concat((filters.layer || []).map(function (layer) {
        return '<span class="lsc-search__layer">' + esc(layer) + "</span>";
      }));
      var title = result.meta.title || result.url;
      /* the page's own h1 is a heading with an id too: it is the result itself, not a sub-result */
      var subs = (results.instance ? results.instance.getDisplaySubResults(result, 4) : []).filter(function (sub) {
        return sub.title !== title;
      }).slice(0, 3);
      var html = '<li class="pf-result"><div class="pf-result-card"><div class="pf-result-content">' +
        '<p class="pf-result-title"><a class="pf-result-link" href="' + esc(href(result.meta.url || result.url)) + '">' +
        esc(title) + "</a></p>" +
        (tags.length ? '<p class="lsc-search__tags">' + tags.join("") + "</p>" : "") +
        (result.excerpt ? '<p class="pf-result-excerpt">' + result.excerpt + "</p>" : "") +
        "</div></div>";
      if (subs.length) {
        html += '<ul class="pf-heading-chips">' + subs.map(function (sub) {
          return '<li class="pf-heading-chip"><a class="pf-heading-link" href="' + esc(href(sub.url)) + '">' +
            esc(sub.title) + '</a><p class="pf-heading-excerpt">' + sub.excerpt + "</p></li>";
        }).join("") + "</ul>";
      }
      return html + "</li>";
    };
  }

  function scheme() {
    var dark = document.body.getAttribute("data-md-color-scheme") === "slate";
    modal.setAttribute("data-pf-theme", dark ? "dark" : "light");
  }

  /* Pagefind's modal builds its own structure when it is first connected (a structure given to it
     beforehand gets its header set up twice); the filters, placeholder and result template are added
     to that structure afterwards. */
  function build() {
    modal = document.createElement("pagefind-modal");
    modal.className = "lsc-search__modal";
    document.body.appendChild(modal);
    var filters = document.createElement("div");
    filters.className = "lsc-search__filters";
    filters.innerHTML =
      '<pagefind-filter-dropdown filter="kind" label="Kind" hide-clear></pagefind-filter-dropdown>' +
      '<pagefind-filter-dropdown filter="layer" label="Layer" hide-clear></pagefind-filter-dropdown>';
    modal.querySelector(".pf-modal-header-content").appendChild(filters);
    var input = modal.querySelector("pagefind-input");
    input.setAttribute("placeholder", "Search notes, charts, datasets and tables");
    input.setAttribute("debounce", String(DEBOUNCE_MS));
    var results = modal.querySelector("pagefind-results");
    results.resultTemplate = resultTemplate(results);
    scheme();
    new MutationObserver(scheme).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    /* Keys typed in search are search's: Material's page shortcuts (n, p, ...) must not see them. */
    modal.addEventListener("keydown", function (event) { event.stopPropagation(); });
    /* Material's instant navigation follows a result without reloading the page: close the dialog. */
    modal.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("a[href]")) modal.close();
    });
  }

  function open() {
    return load().then(function () {
      if (!modal) build();
      modal.open();
    }).catch(function (error) {
      if (window.console) console.error("search:", error.message);
    });
  }

  function editable(element) {
    if (!element || element === document.body) return false;
    var tag = element.tagName;
    return element.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-lsc-search-open]");
    if (!button) return;
    event.preventDefault();
    open();
  });

  document.addEventListener("keydown", function (event) {
    if (!KEYS[event.key] || event.ctrlKey || event.metaKey || event.altKey) return;
    if (editable(document.activeElement) || (modal && modal.isOpen)) return;
    event.preventDefault();
    event.stopPropagation();
    open();
  }, true);
})();
