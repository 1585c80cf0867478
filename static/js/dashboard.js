// Draw the dashboard's charts from the JSON the page embeds; tables beside them carry the same numbers.
// Shared defaults (palette, dashes, print redraw) come from charts.js.
(function () {
  "use strict";
  var printButton = document.getElementById("print-report");
  if (printButton) {
    printButton.addEventListener("click", function () { window.print(); });
  }
  // A link to a quote inside a folded area opens the fold, so the quote is there to read.
  function openFoldOfTarget() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") { node.open = true; }
    }
    if (target) { target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", openFoldOfTarget);
  openFoldOfTarget();
  // The printed page carries everything: folded lists open before printing, and fold back after.
  var folded = [];
  window.addEventListener("beforeprint", function () {
    folded = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (item) {
      item.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    folded.forEach(function (item) { item.open = false; });
    folded = [];
  });
  var charts = window.museumCharts;
  var data = charts && charts.data("chart-data");
  if (!data) { return; }

  var radar = document.getElementById("radar-chart");
  if (radar) {
    var series = [
      { label: data.text.current, data: data.radar.current, fill: charts.fill(0, 0.15) },
      { label: data.text.target, data: data.radar.target },
      { label: data.text.previous, data: data.radar.previous },
      { label: data.text.median, data: data.radar.median }
    ];
    new Chart(radar, {
      type: "radar",
      data: {
        labels: data.radar.labels,
        datasets: series.filter(function (item) { return item.data; }).map(function (item, index) {
          return {
            label: item.label,
            data: item.data,
            borderColor: charts.colour(index),
            backgroundColor: item.fill || "rgba(0,0,0,0)",
            borderDash: charts.dash(index),
            borderWidth: 2,
            spanGaps: true
          };
        })
      },
      options: {
        plugins: { title: { display: true, text: data.text.radar } },
        scales: { r: charts.radarScale() }
      }
    });
  }

  var trend = document.getElementById("trend-chart");
  if (trend && data.trend) {
    new Chart(trend, {
      type: "line",
      data: {
        labels: data.trend.labels,
        datasets: data.trend.series.map(function (item, index) {
          return {
            label: item.label,
            data: item.data,
            borderColor: charts.colour(index),
            backgroundColor: charts.colour(index),
            borderDash: charts.dash(index),
            spanGaps: true
          };
        })
      },
      options: {
        plugins: { title: { display: true, text: data.text.trend } },
        scales: { y: charts.levelScale() }
      }
    });
  }
})();
