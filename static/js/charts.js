// Chart defaults shared by the results dashboard and the sector overview: palette, line dashes,
// the 0–4 scale, reduced motion, and redrawing for print. Load after Chart.js, before the page's script.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }

  if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) { Chart.defaults.animation = false; }
  Chart.defaults.font.size = 13;
  Chart.defaults.color = "#212529";
  // Every chart sits in a .chart-box whose CSS height sizes the canvas.
  Chart.defaults.maintainAspectRatio = false;

  // Colours distinguishable with common colour-vision deficiencies, and dashed lines as a second cue.
  var palette = ["#1f3a5f", "#b35c00", "#5e3c99", "#1b7837"];
  var dashes = [[], [6, 4], [2, 3], [8, 3, 2, 3]];

  function at(list, index) { return list[index % list.length]; }

  // On a phone, long labels would be cut at the canvas edge: legend entries end in "…", and a
  // radar's axes are labelled by number, as in the table beside the chart that names them in full.
  var NARROW = 576;
  function narrow(chart) { return chart.width < NARROW; }
  function shorten(text, length) { return text.length > length ? text.slice(0, length - 1).trimEnd() + "…" : text; }
  var defaultLegendLabels = Chart.defaults.plugins.legend.labels.generateLabels;
  Chart.defaults.plugins.legend.labels.generateLabels = function (chart) {
    var items = defaultLegendLabels.call(this, chart);
    if (narrow(chart)) { items.forEach(function (item) { item.text = shorten(item.text, 32); }); }
    return items;
  };

  window.museumCharts = {
    palette: palette,
    // The index-th series' colour and dash pattern.
    colour: function (index) { return at(palette, index); },
    dash: function (index) { return at(dashes, index).slice(); },
    // The index-th colour, see-through (a radar's filled area).
    fill: function (index, alpha) {
      var hex = at(palette, index);
      var rgb = [1, 3, 5].map(function (start) { return parseInt(hex.slice(start, start + 2), 16); });
      return "rgba(" + rgb.join(",") + "," + alpha + ")";
    },
    // A 0–4 maturity axis, whole levels only (a new object each time: Chart.js keeps what it is given).
    levelScale: function () { return { min: 0, max: 4, ticks: { stepSize: 1 } }; },
    // The same as a radar's radial axis; on a phone its axes are numbered 1, 2, 3 … in order
    // (the tooltips still give the names).
    radarScale: function () {
      var scale = this.levelScale();
      scale.pointLabels = {
        callback: function (label, index) { return narrow(this.chart) ? String(index + 1) : label; }
      };
      return scale;
    },
    // The JSON the page embeds with json_script, or null.
    data: function (id) {
      var source = document.getElementById(id);
      return source ? JSON.parse(source.textContent) : null;
    }
  };

  // Redraw the charts at the printed size, and back.
  function resizeAll() {
    Object.values(Chart.instances).forEach(function (chart) { chart.resize(); });
  }
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
})();
