// Warn before leaving the questionnaire with unsaved answers (nothing typed is lost by accident).
(function () {
  "use strict";
  var form = document.getElementById("questionnaire");
  if (!form) { return; }
  var state = document.getElementById("save-state");
  var dirty = false;
  function markDirty() {
    if (!dirty && state) { state.textContent = state.dataset.unsaved || "Unsaved changes"; }
    dirty = true;
  }
  if (state) { state.dataset.unsaved = form.dataset.unsavedState || "Unsaved changes"; }
  // A page shown again after a failed save or a conflict holds input that is not saved yet.
  if (form.dataset.dirty === "true") { markDirty(); }
  form.addEventListener("input", markDirty);
  form.addEventListener("change", markDirty);
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = form.dataset.unsavedWarning;
      return form.dataset.unsavedWarning;
    }
  });
})();
