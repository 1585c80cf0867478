// Charts of the sector overview; the tables on the page carry the same numbers.
// Shared defaults (palette, print redraw) come from charts.js.
(function () {
  "use strict";
  var charts = window.museumCharts;
  var data = charts && charts.data("overview-data");
  if (!data) { return; }

  var levels = document.getElementById("levels-chart");
  if (levels) {
    new Chart(levels, {
      type: "bar",
      data: { labels: data.levels.labels, datasets: [{ label: "", data: data.levels.counts, backgroundColor: charts.colour(0) }] },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
  var areas = document.getElementById("areas-chart");
  if (areas) {
    new Chart(areas, {
      type: "bar",
      data: {
        labels: data.areas.labels,
        datasets: data.areas.series.map(function (item, index) {
          return { label: item.label, data: item.data, backgroundColor: charts.colour(index) };
        })
      },
      options: { scales: { y: charts.levelScale() } }
    });
  }
})();
