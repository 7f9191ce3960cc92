/* Entity index pages (/models/, /chips/, /organisations/): sort by a column, filter by name.
   Runs inside Material's document$ (instant navigation); does nothing on other pages. */
(function () {
  "use strict";

  function enhance(root) {
    var table = root.querySelector("table");
    var input = root.querySelector("input.landscape-filter");
    var count = root.querySelector(".landscape-count");
    if (!table || table.dataset.enhanced) return;
    table.dataset.enhanced = "1";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);

    function key(row, index, numeric) {
      var text = row.cells[index].getAttribute("data-sort") || "";
      if (!numeric) return text;
      var value = parseFloat(text);
      return isNaN(value) ? null : value;
    }

    heads.forEach(function (th, index) {
      var button = th.querySelector("button");
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var numeric = th.getAttribute("data-kind") === "number";
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var sorted = rows.slice().sort(function (a, b) {
          var x = key(a, index, numeric), y = key(b, index, numeric);
          if (x === y) return 0;
          if (x === null || x === "") return 1;   /* empty cells last, either way */
          if (y === null || y === "") return -1;
          var order = x < y ? -1 : 1;
          return ascending ? order : -order;
        });
        sorted.forEach(function (row) { body.appendChild(row); });
      });
    });

    function filter() {
      var words = input.value.toLowerCase().trim().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var names = row.getAttribute("data-names") || "";
        var text = names + " " + row.textContent.toLowerCase();
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        row.hidden = !match;
        if (match) shown += 1;
      });
      count.textContent = shown.toLocaleString("en") + " shown";
    }
    input.addEventListener("input", filter);
    filter();
  }

  function start() {
    document.querySelectorAll(".landscape-entities").forEach(enhance);
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
