// Charts of the sector overview; the tables on the page carry the same numbers.
(function () {
  "use strict";
  var source = document.getElementById("overview-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) { Chart.defaults.animation = false; }
  Chart.defaults.color = "#212529";
  var palette = ["#1f3a5f", "#b35c00", "#5e3c99"];

  var levels = document.getElementById("levels-chart");
  if (levels) {
    new Chart(levels, {
      type: "bar",
      data: { labels: data.levels.labels, datasets: [{ label: "", data: data.levels.counts, backgroundColor: palette[0] }] },
      options: { maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
  var areas = document.getElementById("areas-chart");
  if (areas) {
    new Chart(areas, {
      type: "bar",
      data: {
        labels: data.areas.labels,
        datasets: data.areas.series.map(function (series, index) {
          return { label: series.label, data: series.data, backgroundColor: palette[index % palette.length] };
        })
      },
      options: { maintainAspectRatio: false, scales: { y: { min: 0, max: 4, ticks: { stepSize: 1 } } } }
    });
  }

  // Redraw the charts at the printed size, and back.
  function resizeAll() {
    Object.values(Chart.instances).forEach(function (chart) { chart.resize(); });
  }
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
})();
