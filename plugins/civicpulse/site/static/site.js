/* civicpulse report site: the index's search and sorting, and the country pages' charts.
   Plain script (no modules, no fetch) so every page works when opened from file://. */
(function () {
  "use strict";

  // Colour-blind-safe (Okabe-Ito), so six WGI lines stay apart.
  var PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000"];

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setUpSearch() {
    var input = document.getElementById("search");
    if (!input) return;
    var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-search]"));
    var count = document.getElementById("search-count");
    var keys = rows.map(function (row) { return fold(row.getAttribute("data-search")); });
    function filter() {
      var query = fold(input.value.trim());
      var shown = 0;
      rows.forEach(function (row, i) {
        var hit = query === "" || keys[i].indexOf(query) !== -1;
        row.hidden = !hit;
        if (hit) shown += 1;
      });
      count.textContent = shown + " of " + rows.length + " countries";
    }
    input.addEventListener("input", filter);
    filter();
  }

  function sortKey(cell) {
    var value = cell.getAttribute("data-value");
    if (value === null) return cell.textContent.trim().toLowerCase();
    return value === "" ? null : Number(value);
  }

  function setUpSorting() {
    document.querySelectorAll("table.sortable th[data-sort]").forEach(function (th) {
      th.addEventListener("click", function () {
        var table = th.closest("table");
        var body = table.tBodies[0];
        var column = Array.prototype.indexOf.call(th.parentNode.children, th);
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th[aria-sort]").forEach(function (other) {
          other.removeAttribute("aria-sort");
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = sortKey(a.cells[column]);
          var y = sortKey(b.cells[column]);
          if (x === y) return 0;
          if (x === null) return 1; // blanks last, either way
          if (y === null) return -1;
          return (x < y ? -1 : 1) * (ascending ? 1 : -1);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function format(value) {
    if (Number.isInteger(value)) return value.toLocaleString("en");
    return Math.abs(value) < 1000 ? String(Number(value.toPrecision(3))) : value.toFixed(1);
  }

  function drawCharts() {
    var source = document.getElementById("chart-data");
    if (!source || typeof Chart === "undefined") return;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    JSON.parse(source.textContent).forEach(function (spec) {
      var bar = spec.kind === "bar";
      new Chart(document.getElementById(spec.id), {
        type: spec.kind,
        data: {
          datasets: spec.series.map(function (series, i) {
            var colour = PALETTE[i % PALETTE.length];
            return {
              label: series.label,
              data: series.points,
              borderColor: colour,
              backgroundColor: colour,
              borderWidth: bar ? 0 : 2,
              pointRadius: series.points.length > 1 ? 2 : 4,
            };
          }),
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          scales: {
            // Years as plain numbers on a linear axis: no date adapter needed.
            x: { type: "linear", offset: bar, ticks: { precision: 0, callback: String } },
            y: { beginAtZero: bar },
          },
          plugins: {
            legend: { display: spec.series.length > 1, position: "bottom" },
            tooltip: {
              callbacks: {
                title: function (items) { return String(items[0].parsed.x); },
                label: function (item) {
                  return item.dataset.label + ": " + format(item.parsed.y) +
                    " (release " + item.raw.vintage + ")";
                },
              },
            },
          },
        },
      });
    });
  }

  setUpSearch();
  setUpSorting();
  drawCharts();
})();
