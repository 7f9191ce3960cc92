/* Search, the part loaded when the reader opens it (by search.js, with Pagefind's Component UI):
 * the dialog, built from Pagefind's modal, with the kind and layer filters and a result template that
 * adds the kind and layers to Pagefind's own result markup.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 60; /* search this long after the last keystroke (Pagefind's default: 300 ms) */
  var MAX_RESULTS = 50;
  var modal = null;

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
  function build(options) {
    window.PagefindComponents.configureInstance("default", options);
    modal = document.createElement("pagefind-modal");
    modal.className = "lsc-search__modal";
    document.body.appendChild(modal);
    var filters = document.createElement("div");
    filters.className = "lsc-search__filters";
    filters.innerHTML =
      '<pagefind-filter-dropdown filter="kind" label="Kind" hide-clear></pagefind-filter-dropdown>' +
      '<pagefind-filter-dropdown filter="layer" label="Layer" hide-clear></pagefind-filter-dropdown>';
    modal.querySelector(".pf-modal-header-content").appendChild(filters);
    /* Pagefind's filter buttons are comboboxes, which take no name from their text, and Pagefind names
       them only while a value is selected ("Kind, 1 filter selected"): name them otherwise. */
    Array.prototype.forEach.call(filters.querySelectorAll("pagefind-filter-dropdown"), function (dropdown) {
      var trigger = dropdown.querySelector(".pf-dropdown-trigger");
      if (!trigger) return;
      var name = function () {
        if (!trigger.hasAttribute("aria-label")) trigger.setAttribute("aria-label", dropdown.getAttribute("label") + " filter");
      };
      name();
      new MutationObserver(name).observe(trigger, { attributes: true, attributeFilter: ["aria-label"] });
    });
    var input = modal.querySelector("pagefind-input");
    input.setAttribute("placeholder", "Search notes, charts, datasets and tables");
    input.setAttribute("debounce", String(DEBOUNCE_MS));
    var results = modal.querySelector("pagefind-results");
    /* Pagefind lays out every result of a query: a common word at 5,000 notes matches thousands of
       pages and their layout took seconds. The summary still counts them all; filters narrow them. */
    results.setAttribute("max-results", String(MAX_RESULTS));
    results.resultTemplate = resultTemplate(results);
    scheme();
    new MutationObserver(scheme).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    /* Keys typed in search are search's: Material's page shortcuts (n, p, ...) must not see them. */
    modal.addEventListener("keydown", function (event) { event.stopPropagation(); });
    /* Material's instant navigation follows a result without reloading the page: close the dialog. */
    modal.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("a[href]")) modal.close();
    });
    return modal;
  }

  window.lscSearchModal = { build: build };
})();
