/* 绩效目标编辑: keyboard, new rows, suggestions, conflict answers (the saves themselves are htmx). */
(function () {
  "use strict";
  var drafts = 0;

  function table() { return document.getElementById("indicators"); }
  function tsId() { var t = table(); return t ? t.getAttribute("data-ts") : null; }

  function rows() {
    var body = document.getElementById("ind-body");
    return body ? Array.prototype.slice.call(body.querySelectorAll("tr[data-id], tr[data-draft]")) : [];
  }

  function lastPosition() {
    var saved = rows().filter(function (r) { return r.hasAttribute("data-id"); });
    return saved.length ? parseInt(saved[saved.length - 1].getAttribute("data-position"), 10) : -1;
  }

  function nextKey() { drafts += 1; return String(drafts); }

  function focusCell(row, col) {
    if (!row) { return; }
    var input = row.querySelector('[data-col="' + col + '"]');
    if (input) { input.focus(); input.select(); }
  }

  // a new (draft) row after ``row`` (or at the end), the 一级 / 二级 copied; focus on its 三级指标
  function addRowAfter(row) {
    var id = tsId();
    if (!id || !window.htmx) { return; }
    var level1 = row ? (row.querySelector('[data-col="level1"]') || {}).value || "" : "";
    var level2 = row ? (row.querySelector('[data-col="level2"]') || {}).value || "" : "";
    var after = row && row.hasAttribute("data-position") ? row.getAttribute("data-position") : String(lastPosition());
    var key = nextKey();
    var url = "/target-sets/" + id + "/new-row?after=" + encodeURIComponent(after) + "&key=" + key +
      "&level1=" + encodeURIComponent(level1) + "&level2=" + encodeURIComponent(level2);
    var target = row || document.getElementById("ind-body");
    window.htmx.ajax("GET", url, { target: target, swap: row ? "afterend" : "beforeend" }).then(function () {
      focusCell(document.getElementById("row-new-" + key), "name");
    });
  }

  // a new row is saved (added) when the focus leaves it with its 三级指标 filled in, or by Enter in its last cell
  function saveDraft(row) {
    var name = row.querySelector('[data-col="name"]');
    if (name && name.value.trim() && !row.hasAttribute("data-saving")) {
      row.setAttribute("data-saving", "1");
      name.dispatchEvent(new Event("jx-save"));
    }
  }
  document.addEventListener("focusout", function (event) {
    var row = event.target.closest ? event.target.closest("tr.draft") : null;
    if (!row) { return; }
    window.setTimeout(function () {
      if (row.isConnected && !row.contains(document.activeElement)) { saveDraft(row); }
    }, 0);
  });

  // Enter in the last cell (分值) adds a row; Enter elsewhere goes to the next cell
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key !== "Enter" || !el.matches || !el.matches("#indicators [data-col]")) { return; }
    event.preventDefault();
    var row = el.closest("tr");
    if (el.hasAttribute("data-last")) {
      if (row.hasAttribute("data-draft")) {  // save the draft first (change), then a new row after it
        var name = row.querySelector('[data-col="name"]');
        if (!name.value.trim()) { name.focus(); return; }
        pendingAdd = true;
        saveDraft(row);
        return;
      }
      addRowAfter(row);
      return;
    }
    var cells = Array.prototype.slice.call(row.querySelectorAll("[data-col]"));
    var next = cells[cells.indexOf(el) + 1];
    if (next) { next.focus(); next.select(); }
  });

  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-discard], a.goto, [data-navigate]") : null;
    if (!el) { return; }
    if (el.hasAttribute("data-discard")) {
      el.closest("tr").remove();
    } else if (el.classList.contains("goto")) {  // a finding's row: scroll to it and mark it
      var target = document.getElementById("row-" + el.getAttribute("data-row"));
      if (target) {
        event.preventDefault();
        target.scrollIntoView({ block: "center" });
        target.classList.remove("flash");
        void target.offsetWidth;
        target.classList.add("flash");
        focusCell(target, "name");
      }
    }
  });

  // the 切换绩效目标 select
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-navigate]")) { window.location.href = el.value; }
  });

  // a suggestion: takes the name (and the usual value when the row has none yet); the input event saves
  function pick(button) {
    var row = button.closest("tr");
    function put(col, value, onlyEmpty) {
      var input = row.querySelector('[data-col="' + col + '"]');
      if (!input || (onlyEmpty && input.value.trim())) { return; }
      input.value = value;
    }
    put("name", button.getAttribute("data-name"), false);
    put("op_text", button.getAttribute("data-op"), true);
    put("target_text", button.getAttribute("data-target"), true);
    put("unit_text", button.getAttribute("data-unit"), true);
    var name = row.querySelector('[data-col="name"]');
    button.closest(".suggest").innerHTML = "";
    name.dispatchEvent(new Event("input", { bubbles: true }));
    if (row.hasAttribute("data-draft")) { saveDraft(row); }
    var next = row.querySelector('[data-col="op_text"]');
    if (next) { next.focus(); }
  }
  document.addEventListener("mousedown", function (event) {
    var button = event.target.closest ? event.target.closest("button.suggestion") : null;
    if (!button) { return; }
    event.preventDefault();
    pick(button);
  });
  // keyboard: ↓ from the 三级指标 into the list, ↑↓ through it, Enter takes one, Esc closes it
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (!el.closest) { return; }
    var cell = el.closest("td.c-name");
    if (!cell) { return; }
    var options = Array.prototype.slice.call(cell.querySelectorAll("button.suggestion"));
    if (!options.length) { return; }
    var at = options.indexOf(el);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var to = event.key === "ArrowDown" ? at + 1 : at - 1;
      if (to < 0) { cell.querySelector('[data-col="name"]').focus(); } else if (to < options.length) { options[to].focus(); }
    } else if (event.key === "Enter" && at >= 0) {
      event.preventDefault();
      pick(el);
    } else if (event.key === "Escape") {
      cell.querySelector(".suggest").innerHTML = "";
      cell.querySelector('[data-col="name"]').focus();
    }
  });

  // the suggestion list closes when the 三级指标 cell loses the focus
  document.addEventListener("focusout", function (event) {
    var cell = event.target.closest ? event.target.closest("td.c-name") : null;
    if (!cell) { return; }
    window.setTimeout(function () {
      if (!cell.contains(document.activeElement)) {
        var box = cell.querySelector(".suggest");
        if (box) { box.innerHTML = ""; }
      }
    }, 150);
  });

  // the editor's refusals (409 conflict, 422 invalid) carry fragments to show: swap them
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if ((status === 409 || status === 422) && event.detail.elt.closest && event.detail.elt.closest("#indicators, .editor, .checklist, .comment-area")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // a table body redrawn (row added, moved, deleted): the focus goes back to the cell it was in
  var lastFocus = null;
  var pendingAdd = false;
  document.addEventListener("focusin", function (event) {
    var el = event.target;
    if (el.matches && el.matches("#indicators [data-col]")) {
      var row = el.closest("tr");
      lastFocus = { col: el.getAttribute("data-col"), id: row.getAttribute("data-id"), draft: row.getAttribute("data-draft") };
    }
  });
  function newestRow() {
    var saved = rows().filter(function (r) { return r.hasAttribute("data-id"); });
    var ids = saved.map(function (r) { return parseInt(r.getAttribute("data-id"), 10); });
    return ids.length ? document.getElementById("row-" + Math.max.apply(null, ids)) : null;
  }
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "ind-body") { return; }
    if (pendingAdd) {  // Enter in the last cell of a new row: saved, now the next new row
      pendingAdd = false;
      addRowAfter(newestRow());
      return;
    }
    if (!lastFocus || (document.activeElement && document.activeElement !== document.body)) { return; }
    var row = lastFocus.id ? document.getElementById("row-" + lastFocus.id) : newestRow();
    focusCell(row, lastFocus.col);
  });
  document.addEventListener("click", function (event) {
    if (event.target.id === "add-row") { addRowAfter(null); }
  });

  // a new row not saved (refused): it may be saved again
  document.addEventListener("htmx:afterRequest", function (event) {
    var row = event.detail.elt.closest ? event.detail.elt.closest("tr.draft") : null;
    if (row && row.isConnected) {
      row.removeAttribute("data-saving");
      pendingAdd = false;
    }
  });

  // a comment added: the form is emptied
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (form.matches && form.matches("form.comment-form") && event.detail.successful) { form.reset(); }
  });

  window.jixiaoTargets = { addRowAfter: addRowAfter };
})();
