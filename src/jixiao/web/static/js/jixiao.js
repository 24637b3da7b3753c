/* jixiao web: small behaviour shared by every page (no inline scripts in the templates). */
(function () {
  "use strict";
  var UNSAFE = { POST: 1, PUT: 1, PATCH: 1, DELETE: 1 };

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // htmx: every unsafe request carries the session's CSRF token in X-CSRF-Token
  document.addEventListener("htmx:configRequest", function (event) {
    var verb = (event.detail.verb || "").toUpperCase();
    if (UNSAFE[verb]) {
      event.detail.headers["X-CSRF-Token"] = csrfToken();
    }
  });

  // <select data-autosubmit>: choosing a value submits its form (the year switcher, filters)
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("select[data-autosubmit]") && el.form) {
      el.form.submit();
    }
  });

  window.jixiao = { csrfToken: csrfToken };
})();
