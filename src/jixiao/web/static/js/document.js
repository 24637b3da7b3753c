/* 文档: a click on a finding scrolls the document to the row or cell it names and highlights it;
   a finding on a PDF page (or a page link) loads the page view with the row boxed; the tabs switch
   between the drawn document and the page view. */
(function () {
  "use strict";
  var panel = document.getElementById("findings-panel");
  var body = document.getElementById("doc-body");
  if (!panel || !body) { return; }
  var documentId = panel.getAttribute("data-document");

  function byLoc(key) {
    if (!key) { return null; }
    return body.querySelector('[data-loc="' + CSS.escape(key) + '"]');
  }

  function showTab(id) {
    document.querySelectorAll(".tabs .tab").forEach(function (tab) {
      var on = tab.getAttribute("data-tab") === id;
      tab.classList.toggle("active", on);
      tab.setAttribute("aria-selected", on ? "true" : "false");
      var pane = document.getElementById(tab.getAttribute("data-tab"));
      if (pane) { pane.hidden = !on; }
    });
  }

  function loadPage(page, row, show) {
    var view = document.getElementById("page-view");
    if (!view || !page) { return; }
    var url = "/documents/" + documentId + "/pages/" + page + (row ? "?row=" + encodeURIComponent(row) : "");
    window.htmx.ajax("GET", url, { target: "#page-view", swap: "innerHTML" });
    if (show) { showTab("page-tab"); }
  }

  function highlight(item) {
    panel.querySelectorAll(".finding.active").forEach(function (f) { f.classList.remove("active"); });
    item.classList.add("active");
    body.querySelectorAll(".hl").forEach(function (el) { el.classList.remove("hl"); });
    var target = byLoc(item.getAttribute("data-target"));
    if (target) {
      showTab("doc-body");
      target.classList.add("hl");
      target.scrollIntoView({ block: "center", behavior: "instant" });
    }
    var page = item.getAttribute("data-page");
    if (page) { loadPage(page, item.getAttribute("data-row"), !target); }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest(".page-open");
    if (link) {
      event.preventDefault();
      event.stopPropagation();
      var row = link.getAttribute("data-row");
      if (!row && link.closest(".page-view")) {
        row = "";
      }
      loadPage(link.getAttribute("data-page"), row, true);
      return;
    }
    var tab = event.target.closest(".tabs .tab");
    if (tab) {
      showTab(tab.getAttribute("data-tab"));
      return;
    }
    var item = event.target.closest(".finding[data-finding]");
    if (item && panel.contains(item)) { highlight(item); }
  });
  panel.addEventListener("keydown", function (event) {
    var item = event.target.closest && event.target.closest(".finding[data-finding]");
    if (item && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      highlight(item);
    }
  });
})();
