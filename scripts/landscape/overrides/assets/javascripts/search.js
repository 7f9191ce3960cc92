/* Search (see landscape/search.py): this file only listens for the header button and Material's keys
 * "/", "s", "f". Opening search loads Pagefind's UI and search module from the site's pagefind/ folder
 * and the dialog (search-modal.js, .css); nothing before. */
(function () {
  "use strict";

  var KEYS = { "/": true, s: true, f: true }; /* Material's own search shortcuts */
  var assets = new URL("..", document.currentScript.src); /* this file is assets/javascripts/search.js */
  var root = new URL("..", assets);
  var loading = null;
  var modal = null;

  function add(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement(tag);
      Object.keys(attributes).forEach(function (name) { element[name] = attributes[name]; });
      element.onload = resolve;
      element.onerror = function () { reject(new Error("cannot load " + (attributes.src || attributes.href))); };
      document.head.appendChild(element);
    });
  }

  function load() {
    if (!loading) {
      var bundle = new URL("pagefind/", root).href;
      add("link", { rel: "modulepreload", href: bundle + "pagefind.js" }).catch(function () {});
      loading = Promise.all([
        add("link", { rel: "stylesheet", href: bundle + "pagefind-component-ui.css" }),
        add("link", { rel: "stylesheet", href: new URL("stylesheets/search-modal.css", assets).href }),
        add("script", { src: bundle + "pagefind-component-ui.js" }),
        add("script", { src: new URL("javascripts/search-modal.js", assets).href })
      ]).then(function () {
        modal = window.lscSearchModal.build({
          bundlePath: bundle,
          baseUrl: root.pathname,
          excerptLength: 24,
          ranking: { metaWeights: { names: 10, title: 8, tags: 2 }, termSimilarity: 5 }
        });
      }, function (error) {
        loading = null;
        throw error;
      });
    }
    return loading;
  }

  function open() {
    return load().then(function () {
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
