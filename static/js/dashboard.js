// Draw the dashboard's charts from the JSON the page embeds; tables beside them carry the same numbers.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  var printButton = document.getElementById("print-report");
  if (printButton) {
    printButton.addEventListener("click", function () { window.print(); });
  }
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  Chart.defaults.animation = reducedMotion ? false : Chart.defaults.animation;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = "#212529";

  // Colours distinguishable with common colour-vision deficiencies, and dashed lines as a second cue.
  var palette = ["#1f3a5f", "#b35c00", "#5e3c99", "#1b7837"];

  var radar = document.getElementById("radar-chart");
  if (radar) {
    var datasets = [
      { label: data.text.current, data: data.radar.current, borderColor: palette[0], backgroundColor: "rgba(31,58,95,0.15)", borderWidth: 2, spanGaps: true },
      { label: data.text.target, data: data.radar.target, borderColor: palette[1], backgroundColor: "rgba(0,0,0,0)", borderDash: [6, 4], borderWidth: 2, spanGaps: true }
    ];
    if (data.radar.previous) {
      datasets.push({ label: data.text.previous, data: data.radar.previous, borderColor: palette[2], backgroundColor: "rgba(0,0,0,0)", borderDash: [2, 3], borderWidth: 2, spanGaps: true });
    }
    new Chart(radar, {
      type: "radar",
      data: { labels: data.radar.labels, datasets: datasets },
      options: {
        maintainAspectRatio: false,
        plugins: { title: { display: true, text: data.text.radar } },
        scales: { r: { min: 0, max: 4, ticks: { stepSize: 1 } } }
      }
    });
  }

  var trend = document.getElementById("trend-chart");
  if (trend && data.trend) {
    new Chart(trend, {
      type: "line",
      data: {
        labels: data.trend.labels,
        datasets: data.trend.series.map(function (series, index) {
          return { label: series.label, data: series.data, borderColor: palette[index % palette.length], backgroundColor: palette[index % palette.length], borderDash: index === 1 ? [6, 4] : (index === 2 ? [2, 3] : []), spanGaps: true };
        })
      },
      options: {
        maintainAspectRatio: false,
        plugins: { title: { display: true, text: data.text.trend } },
        scales: { y: { min: 0, max: 4, ticks: { stepSize: 1 } } }
      }
    });
  }

  // Redraw the charts at the printed size, and back.
  function resizeAll() {
    Object.values(Chart.instances).forEach(function (chart) { chart.resize(); });
  }
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
})();
