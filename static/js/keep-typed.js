// A form with data-keep-typed saves through fetch(), so that a save that cannot go through (the
// session ended, the page is out of date, the server failed, no network) leaves the page as it is,
// with everything typed, and says what to do. Any other answer is shown as a normal submit would.
(function () {
  "use strict";
  if (!window.fetch || !window.FormData || !window.URL) { return; }
  // After logging in again in another tab, the CSRF cookie is new and the token in this page is not:
  // send the cookie's, so that the save goes through once the person is back.
  function csrfCookie() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : null;
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-keep-typed]"), function (form) {
    var status = form.querySelector("[data-keep-typed-status]");
    function keep(message) {
      status.textContent = message;
      status.hidden = false;
      status.focus();
    }
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending === "true") { event.preventDefault(); return; }
      event.preventDefault();
      form.dataset.sending = "true";
      var body = new FormData(form);
      if (event.submitter && event.submitter.name) { body.append(event.submitter.name, event.submitter.value); }
      var token = csrfCookie();
      if (token) { body.set("csrfmiddlewaretoken", token); }
      fetch(form.action || window.location.href, {
        method: "POST", body: body, credentials: "same-origin", headers: { "X-Keep-Typed": "1" }
      })
        .then(function (response) {
          form.dataset.sending = "";
          if (response.redirected && new URL(response.url).pathname === form.dataset.loginUrl) {
            keep(form.dataset.sessionEnded);
          } else if (response.status === 403) {
            keep(form.dataset.outOfDate);
          } else if (response.status >= 500) {
            keep(form.dataset.serverFailed);
          } else if ((response.headers.get("Content-Type") || "").indexOf("application/json") === 0) {
            // Saved: go where a plain submit would have gone, with its #place (the page focuses it).
            return response.json().then(function (answer) {
              var next = new URL(answer.location, window.location.href);
              var here = new URL(window.location.href);
              if (next.pathname + next.search === here.pathname + here.search) {
                // The same page again (with more questions, say): a new #place alone would not reload it.
                window.history.replaceState(null, "", next.href);
                window.location.reload();
              } else {
                window.location.assign(next.href);
              }
            });
          } else {
            // Refused (400) or a conflict: show the
            // answer as a normal submit would, without sending the form twice.
            return response.text().then(function (html) {
              if (response.redirected) { window.history.pushState(null, "", response.url); }
              document.open();
              document.write(html);
              document.close();
            });
          }
        })
        .catch(function () {
          form.dataset.sending = "";
          keep(form.dataset.serverFailed);
        });
    });
  });
})();
