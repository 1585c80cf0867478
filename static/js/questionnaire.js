// The questionnaire page: nothing typed is lost.
//
// - Every change is copied into this browser (localStorage, keyed by user, assessment and area) and
//   the copy is forgotten only when the server confirms the save. Opening the area again (after the
//   session ended, a server error, a closed tab) restores it, with the versions the person first
//   loaded, so that the server still notices a colleague's change in between.
// - Saving goes through fetch(): a save that fails (session ended, refused, server error, no
//   connection) leaves the page and its input where they are and says what happened.
// - Leaving with unsaved changes asks first.
// Without fetch the form posts as a plain form, as it always did.
(function () {
  "use strict";

  var DRAFT_PREFIX = "museumai.draft.v1.";
  var SAVE_HEADER = "X-Questionnaire-Save"; // assessment/views/assessments.py: SCRIPT_SAVE_HEADER
  var ANSWER_FIELD = /^q(\d+)-(value|exemption|reason|note)$/;
  var current = null; // the form on the page; replaced when a save shows the page again

  function browserStore() {
    try {
      var store = window.localStorage;
      store.setItem(DRAFT_PREFIX + "probe", "1");
      store.removeItem(DRAFT_PREFIX + "probe");
      return store;
    } catch (error) {
      return null; // storage disabled or full: the page still works, and warns before leaving
    }
  }

  function readDraft(store, key) {
    try {
      var draft = JSON.parse(store.getItem(key) || "null");
      if (draft && typeof draft.savedAt === "string" && draft.questions && typeof draft.questions === "object") {
        return draft;
      }
    } catch (error) { /* an unreadable copy is ignored */ }
    return null;
  }

  // The server stores line breaks as LF and trims, as the browser's textarea shows them.
  function normalised(text) { return String(text || "").replace(/\r\n?/g, "\n").trim(); }

  function sameAnswer(a, b) {
    return a.value === b.value && (a.exemption || "") === (b.exemption || "") &&
      normalised(a.reason) === normalised(b.reason) && normalised(a.note) === normalised(b.note);
  }

  function control(form, id, part) { return form.querySelector('[name="q' + id + "-" + part + '"]'); }

  // A menu's value as chosen now, or as the server sent it (a select has no defaultValue).
  function chosenOption(select, shown) {
    if (!select) { return ""; }
    if (shown) { return select.value; }
    var sent = Array.prototype.find.call(select.options, function (option) { return option.defaultSelected; });
    return sent ? sent.value : "";
  }

  function radios(form, id) { return form.querySelectorAll('input[type=radio][name="q' + id + '-value"]'); }

  // One question's answer as the page shows it now (shown = false: as the server sent it).
  function answerOnPage(form, id, shown) {
    var value = "";
    radios(form, id).forEach(function (radio) {
      if (shown ? radio.checked : radio.defaultChecked) { value = radio.value; }
    });
    var reason = control(form, id, "reason");
    var note = control(form, id, "note");
    var version = control(form, id, "version");
    return {
      value: value,
      exemption: chosenOption(control(form, id, "exemption"), shown),
      reason: reason ? (shown ? reason.value : reason.defaultValue) : "",
      note: note ? (shown ? note.value : note.defaultValue) : "",
      version: version ? version.value : ""
    };
  }

  function putOnPage(form, id, answer) {
    radios(form, id).forEach(function (radio) { radio.checked = radio.value === answer.value; });
    var reason = control(form, id, "reason");
    var note = control(form, id, "note");
    var version = control(form, id, "version");
    var exemption = control(form, id, "exemption");
    if (exemption) { exemption.value = answer.exemption || ""; }
    if (reason) { reason.value = answer.reason || ""; }
    if (note) { note.value = answer.note || ""; }
    if (version) { version.value = answer.version; }
  }

  function questionIds(form) {
    var ids = [];
    form.querySelectorAll('input[type=hidden][name$="-version"]').forEach(function (input) {
      var match = /^q(\d+)-version$/.exec(input.name);
      if (match) { ids.push(match[1]); }
    });
    return ids;
  }

  function formatTime(iso) {
    var when = new Date(iso);
    if (isNaN(when.getTime())) { return ""; }
    var today = new Date().toDateString() === when.toDateString();
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang || undefined,
        today ? { timeStyle: "short" } : { dateStyle: "medium", timeStyle: "short" }).format(when);
    } catch (error) {
      return when.toLocaleString();
    }
  }

  function sameSite(url) {
    try {
      var target = new URL(url, window.location.href);
      return target.origin === window.location.origin ? target.href : null;
    } catch (error) {
      return null;
    }
  }

  function start(form) {
    var key = form.dataset.draftKey ? DRAFT_PREFIX + form.dataset.draftKey : null;
    var store = key ? browserStore() : null;
    var draft = store ? readDraft(store, key) : null;
    var state = document.getElementById("save-state");
    var page = { dirty: false, kept: false, leaving: false, settled: false, saving: false, edits: 0 };

    function showState(text) { if (state) { state.textContent = text; } }

    function markDirty() {
      if (!page.dirty) { showState(form.dataset.unsavedState || "Unsaved changes"); }
      page.dirty = true;
    }

    function keep() {
      if (!store || !draft) { return false; }
      try {
        store.setItem(key, JSON.stringify(draft));
        return true;
      } catch (error) {
        return false;
      }
    }

    // Saved or discarded: the copy goes, and nothing on the page is kept again as it unloads.
    function settle() {
      forget();
      page.settled = true;
      page.dirty = false;
    }

    function forget() {
      draft = null;
      page.kept = false;
      if (store) {
        try { store.removeItem(key); } catch (error) { /* nothing left to keep */ }
      }
    }

    function remember(id) {
      if (!store) { return; }
      draft = draft || { savedAt: "", questions: {} };
      var answer = answerOnPage(form, id, true);
      var earlier = draft.questions[id];
      // The version first loaded, not one a conflict page moved on: restored later, the answer is
      // checked again against a colleague's change.
      if (earlier) { answer.version = earlier.version; }
      draft.questions[id] = answer;
      draft.savedAt = new Date().toISOString();
      page.kept = keep();
    }

    // Changes no input event reported (the browser restoring a form, autofill) are kept too.
    function rememberEveryChange() {
      if (page.settled) { return; }
      questionIds(form).forEach(function (id) {
        var kept = draft && draft.questions[id];
        var shown = answerOnPage(form, id, true);
        if (!sameAnswer(shown, kept || answerOnPage(form, id, false))) { remember(id); }
      });
    }

    function markRestored(id) {
      var body = document.querySelector("#q-" + id + " .card-body");
      if (!body || !form.dataset.restoredLabel) { return; }
      var label = document.createElement("p");
      label.className = "mb-2";
      var badge = document.createElement("span");
      badge.className = "badge text-bg-info";
      badge.textContent = form.dataset.restoredLabel;
      label.appendChild(badge);
      body.insertBefore(label, body.firstChild);
    }

    function restore() {
      var restored = {};
      var count = 0;
      Object.keys(draft.questions).forEach(function (id) {
        var kept = draft.questions[id];
        if (!control(form, id, "version") || sameAnswer(kept, answerOnPage(form, id, true))) { return; }
        putOnPage(form, id, kept);
        markRestored(id);
        restored[id] = kept;
        count += 1;
      });
      if (!count) {
        forget(); // the server has all of it already
        return;
      }
      draft.questions = restored;
      page.kept = keep();
      markDirty();
      var notice = document.getElementById("draft-restored");
      if (notice) {
        var time = notice.querySelector("[data-draft-time]");
        if (time) {
          time.textContent = formatTime(draft.savedAt);
          time.setAttribute("datetime", draft.savedAt);
        }
        notice.hidden = false;
        notice.focus();
      }
    }

    function problem(kind) {
      page.dirty = true;
      showState(form.dataset.unsavedState || "Unsaved changes");
      var notice = form.querySelector('[data-save-problem="' + kind + '"]');
      if (notice) {
        notice.hidden = false;
        notice.focus();
      }
    }

    function outcome(response, editsAtSubmit) {
      var type = response.headers.get("Content-Type") || "";
      if (response.ok && !response.redirected && type.indexOf("application/json") === 0) {
        return response.json().then(function (answer) {
          var next = answer && answer.saved ? sameSite(answer.location) : null;
          if (!next) {
            problem("failed");
            return;
          }
          // Confirmed: the browser's copy can go, unless something was typed while saving.
          if (page.edits === editsAtSubmit) {
            settle();
          } else if (page.kept) {
            page.dirty = false;
          }
          window.location.assign(next);
        });
      }
      if (response.redirected && new URL(response.url).pathname === form.dataset.loginUrl) {
        problem("session-ended");
        return null;
      }
      if (response.status === 403) {
        problem("refused");
        return null;
      }
      if ([200, 400, 409].indexOf(response.status) !== -1 && type.indexOf("text/html") === 0) {
        // Answers to correct, a colleague's conflicting change, or a message: the page as the server
        // shows it, in place of this one.
        return response.text().then(function (html) {
          if (!showPage(html, response.url)) { problem("failed"); }
        });
      }
      problem("failed");
      return null;
    }

    if (draft && form.dataset.dirty !== "true") { restore(); }
    // A page shown again after a failed save or a conflict holds input that is not saved yet.
    if (form.dataset.dirty === "true") {
      markDirty();
      page.kept = Boolean(draft);
    }

    function changed(event) {
      markDirty();
      page.edits += 1;
      var match = ANSWER_FIELD.exec(event.target.name || "");
      if (match) { remember(match[1]); }
    }
    // Choosing why a duty does not apply is choosing that answer.
    form.addEventListener("change", function (event) {
      var match = /^q(\d+)-exemption$/.exec(event.target.name || "");
      var radio = match && event.target.value ? form.querySelector("#q" + match[1] + "-level-exempt") : null;
      if (radio) { radio.checked = true; }
    });
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);

    form.querySelectorAll("[data-keeps-answers]").forEach(function (link) {
      link.addEventListener("click", function () { page.leaving = page.kept; });
    });
    // "Discard": the copy goes with the changes (the conflict's link, the restored notice's button).
    form.querySelectorAll("[data-discards-answers]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        settle();
        // The link differs from this page's address only by its #fragment, which alone would not
        // load the saved answers: reload at that address.
        event.preventDefault();
        window.history.replaceState(null, "", link.href);
        window.location.reload();
      });
    });
    var discardButton = form.querySelector("[data-draft-discard]");
    if (discardButton) {
      discardButton.addEventListener("click", function () {
        settle();
        window.location.reload();
      });
    }

    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.FormData || !window.DOMParser) {
        page.dirty = false; // the browser posts the form itself
        return;
      }
      event.preventDefault();
      if (page.saving) { return; }
      page.saving = true;
      rememberEveryChange();
      var body = new FormData(form);
      var submitter = event.submitter;
      if (submitter && submitter.name) { body.append(submitter.name, submitter.value); }
      var editsAtSubmit = page.edits;
      form.querySelectorAll("[data-save-problem]").forEach(function (notice) { notice.hidden = true; });
      showState(form.dataset.savingState || "Saving…");
      var headers = {};
      headers[SAVE_HEADER] = "1";
      fetch(form.action, { method: "POST", body: body, credentials: "same-origin", headers: headers })
        .then(function (response) { return outcome(response, editsAtSubmit); })
        .catch(function () { problem("failed"); })
        .then(function () { page.saving = false; });
    });

    return {
      mustWarn: function () { return page.dirty && !page.leaving; },
      rememberEveryChange: rememberEveryChange
    };
  }

  // Replace this page's content with the page the server answered; false if it is not one.
  function showPage(html, url) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var main = fresh.querySelector("main");
    var old = document.querySelector("main");
    if (!main || !old || !fresh.getElementById("questionnaire")) { return false; }
    old.replaceWith(document.adoptNode(main));
    document.title = fresh.title;
    if (url && url !== window.location.href) { window.history.replaceState(null, "", url); }
    current = start(document.getElementById("questionnaire"));
    var focus = document.getElementById("form-errors") || main.querySelector(".messages .alert") || main;
    if (!focus.hasAttribute("tabindex")) { focus.setAttribute("tabindex", "-1"); }
    focus.focus();
    return true;
  }

  var form = document.getElementById("questionnaire");
  if (!form) { return; }
  current = start(form);
  window.addEventListener("beforeunload", function (event) {
    if (current && current.mustWarn()) {
      var warning = document.getElementById("questionnaire").dataset.unsavedWarning;
      event.preventDefault();
      event.returnValue = warning;
      return warning;
    }
    return undefined;
  });
  window.addEventListener("pagehide", function () { if (current) { current.rememberEveryChange(); } });
})();
