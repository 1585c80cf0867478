// After a failed submit, move keyboard and screen-reader focus to the error summary.
(function () {
  "use strict";
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }
})();

// Arriving at a #place of the page (after a save, from a link): keyboard and screen-reader focus go
// there too, when it is made to take focus (tabindex="-1"), unless an error summary took it.
(function () {
  "use strict";
  if (!window.location.hash || document.getElementById("form-errors")) { return; }
  var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
  if (target && target.getAttribute("tabindex") === "-1") { target.focus(); }
})();
