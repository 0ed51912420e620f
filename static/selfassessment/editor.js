// kiemdinh – the report editor: verdicts that save at once and update the computed levels, live
// totals of the Phần I grids, citation warnings after a text's save. Autosave of every editing
// form (texts, tables, plans, council), its conflicts and formset rows: static/js/autosave.js.
// Progressive enhancement: every form here also works as a plain form post without this script.
(function () {
  "use strict";

  // The editor's own words, in the page's language: #editor-messages (selfassessment/partials/
  // _report_layout.html) carries them; the Vietnamese here only if that element is missing.
  var M = (function () {
    var defaults = {
      forbidden: "Bạn không có quyền chỉnh sửa phần này.",
      unexpected: "Máy chủ trả lời không như mong đợi (mã {code}).",
      verdictMet: "Đạt",
      verdictNotMet: "Không đạt",
      verdictNone: "Chưa đánh giá"
    };
    var source = document.getElementById("editor-messages");
    var messages = {};
    Object.keys(defaults).forEach(function (k) { messages[k] = (source && source.dataset[k]) || defaults[k]; });
    return messages;
  })();

  function post(form, data) {
    return fetch(form.getAttribute("action"), {
      method: "POST",
      body: data || new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        return { status: response.status, data: { message: response.status === 403
          ? M.forbidden
          : M.unexpected.replace("{code}", response.status) } };
      }
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    });
  }

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  // --- Texts: autosave is static/js/autosave.js; here the citation warnings a save returns ------

  // "Lưu lần cuối <time> · <who>" above the text follows each save (the answer carries "at" as
  // "HH:MM:SS dd/mm/yyyy" and "by"; the line shows minutes, as the server renders it).
  document.addEventListener("autosave:saved", function (event) {
    var passage = event.target.closest ? event.target.closest(".passage") : null;
    var meta = passage ? passage.querySelector("[data-last-saved]") : null;
    if (!meta || !event.detail || !event.detail.at) return;
    var when = String(event.detail.at).replace(/^(\d{1,2}:\d{2}):\d{2}/, "$1");
    var line = meta.getAttribute("data-last-saved").replace("{when}", when).replace("{who}", event.detail.by || "—");
    meta.textContent = line + " · ";
    meta.classList.remove("d-none");
  });

  document.addEventListener("autosave:saved", function (event) {
    var list = event.target.querySelector(".passage-warnings");
    if (!list || !event.detail || !event.detail.citations) return;
    list.textContent = "";
    event.detail.citations.forEach(function (w) {
      var item = el("li", "text-danger");
      item.appendChild(el("i", "bi bi-exclamation-triangle"));
      item.appendChild(document.createTextNode(" " + w.message));
      list.appendChild(item);
    });
  });

  // --- Verdicts: save at once, update the levels -------------------------------------------------

  // The words come from the server (the report's rule family names its levels: "Không đạt" under
  // TT57, "Chưa đạt" under the 2018 regulations).
  function badge(level, large, label) {
    var span = el("span", "badge level-badge" + (large ? " fs-6" : ""));
    if (level === null || level === undefined) {
      span.className += " text-bg-light border";
      span.textContent = "—";
    } else {
      span.className += " text-dark level-" + level;
      span.textContent = label || String(level);
    }
    return span;
  }

  function replaceWith(container, node) {
    if (!container) return;
    container.textContent = "";
    container.appendChild(node);
  }

  function updateLevels(data) {
    replaceWith(document.getElementById("school-level"), badge(data.school_level, true, data.school_level_label));
    if (data.criterion) {
      var c = data.criterion;
      replaceWith(document.getElementById("criterion-level"), badge(c.level, true, c.label));
      replaceWith(document.getElementById("criterion-level-footer"), badge(c.level, false, c.label));
      replaceWith(document.querySelector("[data-criterion-level='" + c.id + "']"), badge(c.level, false, c.label));
      var list = document.getElementById("criterion-explanation");
      if (list) {
        list.textContent = "";
        (c.explanation || []).forEach(function (line) { list.appendChild(el("li", "", line)); });
      }
    }
  }

  function mirror(form, value) {
    var id = (form.getAttribute("action").match(/indicators\/(\d+)\//) || [])[1];
    var cell = id && document.querySelector("[data-verdict-mirror='" + id + "']");
    if (!cell) return;
    var labels = { dat: ["text-bg-success", M.verdictMet], khong_dat: ["text-bg-danger", M.verdictNotMet], "": ["text-bg-light border", M.verdictNone] };
    var chosen = labels[value] || labels[""];
    replaceWith(cell, el("span", "badge " + chosen[0], chosen[1]));
  }

  // A verdict that did not reach the server (network, 5xx) is sent again with a growing delay, and
  // the leave guard of autosave.js knows it is pending.
  var autosave = window.kiemdinhAutosave;
  var pendingVerdicts = new Map();
  if (autosave && autosave.register) {
    autosave.register({
      unsaved: function () { return pendingVerdicts.size > 0; },
      flush: function () { pendingVerdicts.forEach(function (resend) { resend(); }); }
    });
  }

  document.querySelectorAll("form[data-verdict]").forEach(function (form) {
    var expected = form.querySelector("input[name=expected]");
    var state = form.querySelector(".verdict-state");
    var submit = form.querySelector(".verdict-submit");
    var failures = 0;
    var timer = null;
    if (submit) submit.classList.add("d-none");
    function show(text, kind) {
      state.textContent = text;
      state.className = "verdict-state small " + kind;
    }
    function retry(message) {
      failures += 1;
      var delay = Math.min(Math.pow(2, failures), autosave ? autosave.maxBackoff : 60);
      show(autosave ? autosave.format(message, { n: delay }) : message, "text-danger");
      clearTimeout(timer);
      timer = setTimeout(send, delay * 1000);
    }
    function send() {
      clearTimeout(timer);
      var chosen = form.querySelector("input[name=met]:checked");
      var value = chosen ? chosen.value : "";
      pendingVerdicts.set(form, send);
      show(autosave ? autosave.messages.saving : "Đang lưu…", "text-muted");
      post(form).then(function (result) {
        var data = result.data || {};
        if (result.status >= 500 || result.status === 429 || result.status === 408) {
          retry(autosave ? autosave.format(autosave.messages.serverError, { code: result.status }) : "Máy chủ đang gặp lỗi.");
          return;
        }
        pendingVerdicts.delete(form);
        failures = 0;
        if (result.status === 200) {
          expected.value = data.verdict;
          var d = new Date();
          show(autosave ? autosave.format(autosave.messages.saved, { time: ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2) }) : "Đã lưu", "text-success");
          var review = form.querySelector(".verdict-review");
          if (review) review.remove();
          mirror(form, data.verdict);
          updateLevels(data);
        } else {
          show(data.message || (autosave ? autosave.messages.notSaved : "Không lưu được."), "text-danger");
          if (result.status === 409) {
            // Show what is stored now; the writer decides again.
            var current = data.current || "";
            form.querySelectorAll("input[name=met]").forEach(function (radio) { radio.checked = radio.value === current; });
            expected.value = current;
            mirror(form, current);
          }
        }
      }).catch(function () {
        retry(autosave ? autosave.messages.offline : "Mất kết nối – chưa lưu.");
      });
      return value;
    }
    form.addEventListener("change", function (event) {
      if (event.target.name === "met") { failures = 0; send(); }
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); failures = 0; send(); });
  });

  // --- Phần I grids: totals computed while typing ---------------------------------------------

  function cellValue(cell) {
    if (!cell) return null;
    var input = cell.querySelector("input");
    var raw = input ? input.value : (cell.querySelector("[data-value]") || {}).textContent;
    raw = (raw || "").replace(/[\s.]/g, "");
    if (raw === "") return null;
    return /^\d+$/.test(raw) ? parseInt(raw, 10) : NaN;
  }

  function recompute(table) {
    var rows = {};
    table.querySelectorAll("tr[data-row]").forEach(function (row) { rows[row.getAttribute("data-row")] = row; });
    for (var pass = 0; pass < 3; pass++) {
      table.querySelectorAll("tr[data-sum]").forEach(function (row) {
        var parts = row.getAttribute("data-sum").split(",");
        row.querySelectorAll("td[data-col]").forEach(function (cell) {
          var col = cell.getAttribute("data-col");
          var sum = null;
          var bad = false;
          parts.forEach(function (key) {
            var part = rows[key] && rows[key].querySelector("td[data-col='" + col + "']");
            var value = cellValue(part);
            if (value === null) return;
            if (isNaN(value)) { bad = true; return; }
            sum = (sum || 0) + value;
          });
          var target = cell.querySelector("[data-value]");
          if (target) target.textContent = bad ? "?" : (sum === null ? "" : String(sum));
        });
      });
    }
  }

  document.querySelectorAll("table[data-grid]").forEach(function (table) {
    table.addEventListener("input", function (event) {
      var input = event.target;
      if (!input.classList.contains("grid-input")) return;
      var ok = /^[\d\s.]*$/.test(input.value);
      input.classList.toggle("is-invalid", !ok);
      recompute(table);
    });
    // A draft restored from this computer, or the stored numbers taken after a conflict.
    document.addEventListener("autosave:applied", function (event) {
      if (event.target.contains(table)) recompute(table);
    });
  });
})();
