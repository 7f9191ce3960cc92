/* Interactive charts: progressive enhancement of the static SVG figures.
   Each live view takes the box of the static SVG it replaces (the narrow SVG on a phone, the wide one
   elsewhere), so nothing moves when the script takes over. On a chart's own page (data-lc-explore) the
   reader can find and highlight points, switch a log axis to linear and narrow the time range; that
   state lives in the URL, and the page's data table and "CSV of the rows shown" follow it.
   Linked only from pages with a chart or a computed table's explorer (overrides/partials/page-assets.html),
   as a module: it runs once a document, however often instant navigation inserts it again. */
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

  function getJSON(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": HTTP " + response.status);
      return response.json();
    });
  }

  // ------------------------------------------------------------------ size: the static SVG's box

  function variant(view) {
    var query = view.getAttribute("data-lc-media");
    return query && window.matchMedia(query).matches ? "narrow" : "wide";
  }

  function box(view, which) {
    var size = view.getAttribute(which === "narrow" ? "data-lc-narrow-size" : "data-lc-size").split(" ").map(Number);
    var figure = view.closest(".lc-chart") || view.parentNode;
    var width = Math.min(size[0], figure.clientWidth || size[0]);
    return { width: Math.floor(width), height: Math.round(width * size[1] / size[0]) };
  }

  // ------------------------------------------------------------------ state (chart pages only)

  function readState(meta) {
    var params = new URLSearchParams(window.location.search);
    var state = { highlight: [], linear: [], from: null, to: null };
    var names = params.get("highlight");
    if (names) state.highlight = names.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
    (params.get("linear") || "").split(",").forEach(function (axis) {
      if ((meta.scale || []).indexOf(axis) >= 0) state.linear.push(axis);
    });
    if (meta.time) {
      if (/^\d{4}(-\d\d-\d\d)?$/.test(params.get("from") || "")) state.from = params.get("from");
      if (/^\d{4}(-\d\d-\d\d)?$/.test(params.get("to") || "")) state.to = params.get("to");
    }
    return state;
  }

  function writeState(state) {
    var params = new URLSearchParams(window.location.search);
    ["highlight", "linear", "from", "to"].forEach(function (key) { params.delete(key); });
    if (state.highlight.length) params.set("highlight", state.highlight.join(","));
    if (state.linear.length) params.set("linear", state.linear.join(","));
    if (state.from) params.set("from", state.from);
    if (state.to) params.set("to", state.to);
    var query = params.toString().replace(/%2C/g, ",");
    window.history.replaceState(window.history.state, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  function isoDate(text, end) {
    if (!text) return null;
    return text.length === 4 ? text + (end ? "-12-31" : "-01-01") : text;
  }

  function eachLayer(spec, fn) {
    (spec.layer || [spec]).forEach(function (layer) {
      if (layer.layer) eachLayer(layer, fn); else fn(layer);
    });
  }

  function applyState(spec, state, years) {
    (spec.params || []).forEach(function (param) {
      if (param.name === "highlight") param.value = state.highlight.slice();
    });
    if (state.linear.length && spec.layer) {
      // the declared labels are placed for the log scale as built; on a linear one they would pile up
      spec.layer = spec.layer.filter(function (layer) { return !/^lc_(ring|label)_/.test(layer.name || ""); });
    }
    var extra = (spec.usermeta || {}).highlightLayers || [];
    if (state.highlight.length && extra.length && spec.layer) spec.layer = spec.layer.concat(extra);
    eachLayer(spec, function (layer) {
      var enc = layer.encoding || {};
      state.linear.forEach(function (axis) {
        var channel = enc[axis];
        if (!channel || !channel.scale || channel.scale.type !== "log") return;
        channel.scale.type = "linear";
        delete channel.scale.domainMin;
        delete channel.scale.domainMax;
        if (channel.axis) {
          delete channel.axis.values;
          delete channel.axis.labelExpr;
          channel.axis.format = "~e";
        }
      });
      if ((state.from || state.to) && enc.x && enc.x.type === "temporal" && enc.x.scale) {
        enc.x.scale.domain = [isoDate(state.from, false) || years[0] + "-01-01", isoDate(state.to, true) || years[1] + "-12-31"];
      }
    });
    return spec;
  }

  function inRange(value, state) {
    if (!state || (!state.from && !state.to) || value == null) return true;
    var text = String(value).slice(0, 10);
    var from = isoDate(state.from, false), to = isoDate(state.to, true);
    return (!from || text >= from) && (!to || text <= to);
  }

  // ------------------------------------------------------------------ embedding

  function embed(view) {
    var which = variant(view);
    var spec = JSON.parse(JSON.stringify(view.lcSpecs[which]));
    var meta = spec.usermeta || {};
    if (dark() && meta.darkConfig) spec.config = meta.darkConfig;
    if (view.lcState) applyState(spec, view.lcState, view.lcYears || [1900, 2100]);
    var size = box(view, which);
    spec.width = size.width;
    spec.height = size.height;
    spec.autosize = { type: "fit", contains: "padding" };
    view.lcBox = which + " " + size.width;
    var token = (view.lcToken || 0) + 1;
    view.lcToken = token;
    return window.vegaEmbed(view, spec, {
      renderer: "svg",
      tooltip: true,
      actions: { export: true, source: false, compiled: false, editor: false }
    }).then(function (result) {
      if (token !== view.lcToken) { result.view.finalize(); return; }
      if (view.lcView) view.lcView.finalize();
      view.lcView = result.view;
      view.hidden = false;
      var summary = view.querySelector(".vega-embed details > summary, details > summary");
      if (summary) summary.setAttribute("aria-label", "Chart actions: save as SVG or PNG");
      var figure = view.closest(".lc-chart");
      if (figure) figure.classList.add("lc-chart--live");
      view.dispatchEvent(new CustomEvent("lc-rendered", { bubbles: true }));
    });
  }

  function start(view) {
    if (view.lcStarted) return Promise.resolve();
    view.lcStarted = true;
    return loadBundle(view.getAttribute("data-lc-bundle"))
      .then(function () {
        return Promise.all([getJSON(view.getAttribute("data-lc-spec")), getJSON(view.getAttribute("data-lc-narrow-spec"))]);
      })
      .then(function (specs) {
        view.lcSpecs = { wide: specs[0], narrow: specs[1] };
        if (view.hasAttribute("data-lc-explore")) return explore(view);
      })
      .then(function () { return embed(view); })
      .then(function () { watchSize(view); })
      .catch(function (error) {
        view.lcStarted = false;
        if (window.console) console.warn("chart stays static:", error);
      });
  }

  var resizeTimer = null;
  var sized = [];
  var resizer = null;
  function watchSize(view) {
    if (!window.ResizeObserver) return;
    sized.push(view);
    if (!resizer) {
      resizer = new ResizeObserver(function () {
        clearTimeout(resizeTimer);
        resizeTimer = setTimeout(function () {
          sized.forEach(function (v) {
            if (!document.body.contains(v)) return;
            var which = variant(v);
            if (v.lcBox !== which + " " + box(v, which).width) { embed(v); if (v.lcBrush) v.lcBrush(); }
          });
        }, 120);
      });
    }
    resizer.observe(view.closest(".lc-chart") || view.parentNode);
  }

  // ------------------------------------------------------------------ explore controls

  function element(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text != null) node.textContent = text;
    return node;
  }

  function explore(view) {
    var meta = view.lcSpecs.wide.usermeta.explore || {};
    var id = view.getAttribute("data-lc-explore");
    return getJSON(view.getAttribute("data-lc-rows")).then(function (payload) {
      view.lcRows = payload;
      var state = readState(meta);
      view.lcState = state;
      var names = [];
      (meta.names || []).forEach(function (item) {
        payload.layers[item.layer].rows.forEach(function (row) {
          if (row[item.field] != null) names.push(String(row[item.field]));
        });
      });
      names = names.filter(function (name, i) { return names.indexOf(name) === i; }).sort();
      state.highlight = state.highlight.filter(function (name) { return names.indexOf(name) >= 0; });

      var panel = element("div", { "class": "lc-explore", role: "group", "aria-label": "Explore the chart" });
      var changed = function (fromBrush) {
        writeState(state); embed(view); updateTable(view); renderChips();
        if (view.lcBrush && fromBrush !== true) view.lcBrush();
      };

      // find a point
      var chips = element("span", { "class": "lc-explore__chips" });
      function renderChips() {
        chips.textContent = "";
        state.highlight.forEach(function (name) {
          var chip = element("button", { type: "button", "class": "lc-explore__chip", "aria-label": "Stop highlighting " + name }, name + " ×");
          chip.addEventListener("click", function () {
            state.highlight = state.highlight.filter(function (n) { return n !== name; });
            changed();
          });
          chips.appendChild(chip);
        });
      }
      if (names.length) {
        var listId = "lc-names-" + id;
        var list = element("datalist", { id: listId });
        names.forEach(function (name) { list.appendChild(element("option", { value: name })); });
        var label = element("label", { "class": "lc-explore__find" }, "Find a point ");
        var input = element("input", { type: "search", list: listId, placeholder: "e.g. " + ((meta.labels || [])[0] || names[0]), "data-lc-find": "", autocomplete: "off" });
        var pick = function () {
          var value = input.value.trim();
          var match = names.indexOf(value) >= 0 ? value : names.filter(function (n) { return n.toLowerCase() === value.toLowerCase(); })[0];
          if (!match) return;
          if (state.highlight.indexOf(match) < 0) state.highlight.push(match);
          input.value = "";
          changed();
        };
        input.addEventListener("change", pick);
        input.addEventListener("keydown", function (event) { if (event.key === "Enter") { event.preventDefault(); pick(); } });
        label.appendChild(input);
        panel.appendChild(label);
        panel.appendChild(list);
        panel.appendChild(chips);
      }

      // log / linear
      (meta.scale || []).forEach(function (axis) {
        var label = element("label", { "class": "lc-explore__scale" });
        var box = element("input", { type: "checkbox", "data-lc-log": axis });
        box.checked = state.linear.indexOf(axis) < 0;
        box.addEventListener("change", function () {
          state.linear = state.linear.filter(function (a) { return a !== axis; });
          if (!box.checked) state.linear.push(axis);
          changed();
        });
        label.appendChild(box);
        label.appendChild(document.createTextNode(" Log scale (" + axis + " axis)"));
        panel.appendChild(label);
      });

      // time range
      if (meta.time) {
        var years = [];
        payload.layers.forEach(function (layer, index) {
          layer.rows.forEach(function (row) {
            var value = row[meta.x[index]];
            if (typeof value === "string" && /^\d{4}/.test(value)) years.push(Number(value.slice(0, 4)));
          });
        });
        if (years.length) {
          var low = Math.min.apply(null, years), high = Math.max.apply(null, years);
          view.lcYears = [low, high];
          var range = element("span", { "class": "lc-explore__range" });
          var fromInput = yearInput("From", "from", low, high, state.from ? Number(state.from.slice(0, 4)) : low);
          var toInput = yearInput("to", "to", low, high, state.to ? Number(state.to.slice(0, 4)) : high);
          var onRange = function () {
            var a = Number(fromInput.input.value), b = Number(toInput.input.value);
            if (a > b) { var t = a; a = b; b = t; }
            state.from = a > low ? String(a) : null;
            state.to = b < high ? String(b) : null;
            fromInput.output.textContent = a;
            toInput.output.textContent = b;
            changed();
          };
          fromInput.input.addEventListener("change", onRange);
          toInput.input.addEventListener("change", onRange);
          range.appendChild(fromInput.label);
          range.appendChild(toInput.label);
          panel.appendChild(range);
          view.lcSetRange = function () {
            fromInput.input.value = fromInput.output.textContent = state.from ? state.from.slice(0, 4) : low;
            toInput.input.value = toInput.output.textContent = state.to ? state.to.slice(0, 4) : high;
            changed(true);
          };
        }
      }

      var reset = element("button", { type: "button", "class": "lc-explore__reset" }, "Reset view");
      reset.addEventListener("click", function () {
        state.highlight = []; state.linear = []; state.from = null; state.to = null;
        panel.querySelectorAll("input[data-lc-log]").forEach(function (b) { b.checked = true; });
        panel.querySelectorAll("input[type=range]").forEach(function (r) { r.value = r.getAttribute(r.name === "from" ? "min" : "max"); r.dispatchEvent(new Event("input")); });
        changed();
      });
      panel.appendChild(reset);
      var status = element("p", { "class": "lc-explore__status", "aria-live": "polite" });
      panel.appendChild(status);
      view.lcStatus = status;
      view.parentNode.insertBefore(panel, view.nextSibling);
      renderChips();
      updateTable(view);
      wireDownloads(view, id);
      if (meta.time && view.lcYears) brush(view, panel, payload, meta);
    });
  }

  // A strip under the chart with a tick per row of the first layer: drag across it to choose the time range
  // (the year sliders do the same from the keyboard). It sets the state like the sliders do.
  function brush(view, panel, payload, meta) {
    var field = meta.x[0];
    var values = payload.layers[0].rows.filter(function (row) { return row[field] != null; }).map(function (row) {
      var item = {}; item[field] = row[field]; return item;
    });
    // for the mouse and touch only: the year sliders are the same control for the keyboard and screen readers
    var strip = element("div", { "class": "lc-brush", "aria-hidden": "true", title: "Drag across the strip to choose a time range" });
    panel.parentNode.insertBefore(strip, panel);
    var timer = null;
    function draw() {
      var config = JSON.parse(JSON.stringify(dark() && view.lcSpecs.wide.usermeta.darkConfig ? view.lcSpecs.wide.usermeta.darkConfig : view.lcSpecs.wide.config));
      config.aria = false;
      var param = { name: "brush", select: { type: "interval", encodings: ["x"], mark: { aria: false } } };
      var state = view.lcState;
      if (state.from || state.to) {
        param.value = { x: [isoDate(state.from, false) || view.lcYears[0] + "-01-01", isoDate(state.to, true) || view.lcYears[1] + "-12-31"].map(function (d) {
          var p = d.split("-").map(Number); return { year: p[0], month: p[1], date: p[2] };
        }) };
      }
      var spec = {
        $schema: view.lcSpecs.wide.$schema, description: "Dates of the rows drawn; drag across to choose a time range", width: (view.closest(".lc-chart") || view).clientWidth, height: 36,
        autosize: { type: "fit-x", contains: "padding" }, data: { values: values }, config: config,
        mark: { type: "tick", thickness: 1, opacity: 0.4, aria: false },
        encoding: { x: { field: field, type: "temporal", title: null, axis: { format: "%Y", labelOverlap: true, grid: false } } },
        params: [param]
      };
      return window.vegaEmbed(strip, spec, { renderer: "svg", actions: false }).then(function (result) {
        if (strip.lcView) strip.lcView.finalize();
        strip.lcView = result.view;
        result.view.addSignalListener("brush", function (name, value) {
          clearTimeout(timer);
          timer = setTimeout(function () {
            var range = value && value[field];
            var state = view.lcState;
            if (range && range.length === 2) {
              var a = new Date(Math.min(range[0], range[1])).toISOString().slice(0, 10);
              var b = new Date(Math.max(range[0], range[1])).toISOString().slice(0, 10);
              state.from = a; state.to = b;
            } else {
              state.from = null; state.to = null;
            }
            view.lcSetRange();
          }, 350);
        });
      });
    }
    view.lcBrush = draw;
    return draw();
  }

  function yearInput(text, name, low, high, value) {
    var label = element("label", {}, text + " ");
    var input = element("input", { type: "range", name: name, min: low, max: high, step: 1, value: value, "aria-label": text === "to" ? "To year" : "From year" });
    var output = element("output", {}, String(value));
    input.addEventListener("input", function () { output.textContent = input.value; });
    label.appendChild(input);
    label.appendChild(output);
    return { label: label, input: input, output: output };
  }

  function shownRows(view) {
    var meta = view.lcSpecs.wide.usermeta.explore || {};
    var state = view.lcState;
    return view.lcRows.layers.map(function (layer, index) {
      return layer.rows.filter(function (row) { return !meta.time || inRange(row[meta.x[index]], state); });
    });
  }

  function updateTable(view) {
    var meta = view.lcSpecs.wide.usermeta.explore || {};
    var shown = shownRows(view);
    var total = view.lcRows.layers.reduce(function (n, layer) { return n + layer.rows.length; }, 0);
    var count = shown.reduce(function (n, rows) { return n + rows.length; }, 0);
    var state = view.lcState;
    document.querySelectorAll("table[data-lc-rows-of='" + view.getAttribute("data-lc-explore") + "'] tbody tr").forEach(function (row) {
      row.hidden = !inRange(row.getAttribute("data-lc-x"), meta.time ? state : null);
      row.classList.toggle("lc-row--highlight", state.highlight.indexOf(row.getAttribute("data-lc-name")) >= 0);
    });
    if (view.lcStatus) {
      var parts = [count === total ? "All " + total + " rows shown." : count + " of " + total + " rows in the time range."];
      if (state.highlight.length) parts.push("Highlighted: " + state.highlight.join(", ") + ".");
      view.lcStatus.textContent = parts.join(" ");
    }
  }

  function csvCell(value) {
    if (value == null) return "";
    var text = String(value);
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function rowsCsv(view, layers) {
    var columns = [];
    layers.forEach(function (rows) {
      rows.forEach(function (row) { Object.keys(row).forEach(function (k) { if (columns.indexOf(k) < 0) columns.push(k); }); });
    });
    var lines = [["layer"].concat(columns).map(csvCell).join(",")];
    layers.forEach(function (rows, index) {
      var info = view.lcRows.layers[index];
      var name = info.label || info.dataset;
      rows.forEach(function (row) {
        lines.push([name].concat(columns.map(function (c) { return row[c]; })).map(csvCell).join(","));
      });
    });
    return lines.join("\n") + "\n";
  }

  function wireDownloads(view, id) {
    document.querySelectorAll("[data-lc-shown-csv='" + id + "']").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var blob = new Blob([rowsCsv(view, shownRows(view))], { type: "text/csv" });
        var link = element("a", { href: URL.createObjectURL(blob), download: id + "-shown.csv" });
        document.body.appendChild(link);
        link.click();
        setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
      });
    });
    document.querySelectorAll("[data-lc-embed-code='" + id + "']").forEach(function (code) {
      var url = new URL(code.getAttribute("data-lc-embed-src"), window.location.href).href;
      code.value = '<iframe src="' + url + '" title="' + code.getAttribute("data-lc-embed-title") + '" width="100%" height="620" style="border:0" loading="lazy"></iframe>';
    });
  }

  // ------------------------------------------------------------------ computed tables: try other values
  // The outputs are recomputed from the JSON tree of each formula (built from the same parsed formula the
  // build evaluated; see formula.to_json_tree) by the interpreter below: nothing is passed to eval.
  // Values are held in SI base units: input x factor in, output / factor out.

  var COMPARE = {
    "==": function (a, b) { return a === b; }, "!=": function (a, b) { return a !== b; },
    "<": function (a, b) { return a < b; }, "<=": function (a, b) { return a <= b; },
    ">": function (a, b) { return a > b; }, ">=": function (a, b) { return a >= b; }
  };
  var FUNCTIONS = {
    min: function (a) { return Math.min.apply(null, a); }, max: function (a) { return Math.max.apply(null, a); },
    abs: function (a) { return Math.abs(a[0]); }, sqrt: function (a) { return Math.sqrt(a[0]); },
    log: function (a) { return Math.log(a[0]); }, log10: function (a) { return Math.log10(a[0]); },
    log2: function (a) { return Math.log2(a[0]); }, exp: function (a) { return Math.exp(a[0]); }
  };

  function evaluateTree(node, values) {
    if (Object.prototype.hasOwnProperty.call(node, "n")) return node.n;
    if (Object.prototype.hasOwnProperty.call(node, "v")) {
      if (!Object.prototype.hasOwnProperty.call(values, node.v)) throw new Error("unknown name " + node.v);
      return values[node.v];
    }
    var args = node.a.map(function (a) { return evaluateTree(a, values); });
    if (node.f) {
      if (!Object.prototype.hasOwnProperty.call(FUNCTIONS, node.f)) throw new Error("unknown function " + node.f);
      return FUNCTIONS[node.f](args);
    }
    switch (node.op) {
      case "neg": return -args[0];
      case "+": return args[0] + args[1];
      case "-": return args[0] - args[1];
      case "*": return args[0] * args[1];
      case "/": return args[0] / args[1];
      case "**": return Math.pow(args[0], args[1]);
      case "%": return args[0] - args[1] * Math.floor(args[0] / args[1]); // Python's remainder: the sign of the divisor
      case "cmp":
        for (var i = 0; i < node.ops.length; i++) if (!COMPARE[node.ops[i]](args[i], args[i + 1])) return 0;
        return 1;
    }
    throw new Error("unknown operator " + node.op);
  }

  function computeOutputs(definition, inputs) {
    var values = {}, results = {};
    definition.inputs.forEach(function (item) { values[item.name] = inputs[item.name] * item.factor; });
    definition.outputs.forEach(function (item) {
      var base = evaluateTree(item.tree, values);
      values[item.name] = base;
      results[item.name] = base / item.factor;
    });
    return results;
  }

  var SUPERSCRIPT = { "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻" };

  // units.format_number: significant figures, thousands separators, × 10ⁿ from 10¹⁵ and below 10⁻⁴
  function formatNumber(value, digits) {
    if (value == null || isNaN(value)) return "–";
    if (!isFinite(value)) return value > 0 ? "∞" : "−∞";
    if (value === 0) return "0";
    var magnitude = Math.floor(Math.log10(Math.abs(value)));
    var rounded = Number(value.toPrecision(digits));
    magnitude = Math.floor(Math.log10(Math.abs(rounded)));
    if (magnitude >= 15 || magnitude <= -5) {
      var mantissa = (rounded / Math.pow(10, magnitude)).toFixed(Math.max(digits - 1, 0));
      return mantissa + " × 10" + String(magnitude).split("").map(function (c) { return SUPERSCRIPT[c]; }).join("");
    }
    var decimals = Math.max(digits - 1 - magnitude, 0);
    return rounded.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  }

  function quantityText(value, item) {
    var label = value === 1 ? item.unit : item.units;
    var text = formatNumber(value, item.digits);
    return label && label !== "%" ? text + " " + label : text + (label || "");
  }

  function startTable(box) {
    if (box.lcStarted) return;
    box.lcStarted = true;
    var definition = JSON.parse(box.getAttribute("data-lc-table"));
    var params = new URLSearchParams(window.location.search);
    var inputs = {};
    definition.inputs.forEach(function (item) {
      var given = Number(params.get(item.name));
      inputs[item.name] = params.has(item.name) && isFinite(given) && params.get(item.name) !== "" ? given : item.value;
    });
    function field(name) { return box.querySelector("input[data-lc-input='" + name + "']"); }
    function slider(name) { return box.querySelector("input[data-lc-slider='" + name + "']"); }
    function render(write) {
      var results = computeOutputs(definition, inputs);
      definition.outputs.forEach(function (item) {
        var out = box.querySelector("output[data-lc-output='" + item.name + "']");
        out.setAttribute("data-lc-value", String(results[item.name]));
        out.textContent = quantityText(results[item.name], item);
      });
      if (write) {
        var query = new URLSearchParams(window.location.search);
        definition.inputs.forEach(function (item) {
          if (inputs[item.name] === item.value) query.delete(item.name); else query.set(item.name, String(inputs[item.name]));
        });
        var text = query.toString();
        window.history.replaceState(window.history.state, "", window.location.pathname + (text ? "?" + text : "") + window.location.hash);
      }
      box.setAttribute("data-lc-ready", "");
    }
    definition.inputs.forEach(function (item) {
      var number = field(item.name), range = slider(item.name);
      number.value = String(inputs[item.name]);
      if (range) range.value = String(inputs[item.name]);
      number.addEventListener("input", function () {
        if (number.value === "" || !isFinite(Number(number.value))) return;
        inputs[item.name] = Number(number.value);
        if (range) range.value = number.value;
        render(true);
      });
      if (range) range.addEventListener("input", function () {
        inputs[item.name] = Number(range.value);
        number.value = range.value;
        render(true);
      });
    });
    box.querySelector("[data-lc-reset]").addEventListener("click", function () {
      definition.inputs.forEach(function (item) {
        inputs[item.name] = item.value;
        field(item.name).value = String(item.value);
        if (slider(item.name)) slider(item.name).value = String(item.value);
      });
      render(true);
    });
    box.lcCompute = function (values) { return computeOutputs(definition, values); };
    box.hidden = false;
    render(false);
  }

  // ------------------------------------------------------------------ page wiring

  function views() {
    return Array.prototype.slice.call(document.querySelectorAll(".lc-chart__view[data-lc-spec]"));
  }

  var observer = null;
  function watchScheme() {
    if (observer || !window.MutationObserver) return;
    observer = new MutationObserver(function () {
      views().forEach(function (view) { if (view.lcSpecs) { embed(view); if (view.lcBrush) view.lcBrush(); } });
    });
    observer.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  }

  function run() {
    watchScheme();
    views().forEach(start);
    Array.prototype.slice.call(document.querySelectorAll(".lc-table-explorer[data-lc-table]")).forEach(startTable);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(run);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
