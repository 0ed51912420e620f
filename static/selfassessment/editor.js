// kiemdinh – the report editor: autosave of texts with a visible state, conflicts shown side by
// side, verdicts that save at once and update the computed levels, formset rows, live totals.
// Progressive enhancement: every form here also works as a plain form post without this script.
(function () {
  "use strict";

  var SAVE_DELAY = 1500; // ms after the last keystroke
  var RETRY_DELAY = 8000; // ms after a network error

  function timeNow() {
    var d = new Date();
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }

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
          ? "Bạn không có quyền chỉnh sửa phần này."
          : "Máy chủ trả lời không như mong đợi (mã " + response.status + ")." } };
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

  // --- Texts: autosave --------------------------------------------------------------------------

  var pending = new Set();

  function Autosave(form) {
    this.form = form;
    this.textarea = form.querySelector("textarea[name=text]");
    this.revision = form.querySelector("input[name=revision]");
    this.state = form.querySelector(".passage-state");
    this.conflictBox = form.querySelector(".passage-conflict");
    this.warnings = form.querySelector(".passage-warnings");
    this.saved = this.textarea.value;
    this.timer = null;
    this.saving = false;
    this.blocked = false; // a conflict waits for the writer's choice
    var button = form.querySelector(".passage-save");
    if (button) button.classList.add("d-none");
    var self = this;
    this.textarea.addEventListener("input", function () { self.changed(); });
    this.textarea.addEventListener("blur", function () { if (self.dirty()) self.save(); });
    form.addEventListener("submit", function (event) { event.preventDefault(); self.save(); });
  }

  Autosave.prototype.dirty = function () { return this.textarea.value !== this.saved; };

  Autosave.prototype.setState = function (message, kind) {
    this.state.textContent = message;
    this.state.className = "passage-state small " + ({ error: "text-danger", ok: "text-success", busy: "text-muted" }[kind] || "text-muted");
  };

  Autosave.prototype.changed = function () {
    if (this.blocked) return;
    pending.add(this);
    this.setState("Chưa lưu…", "busy");
    clearTimeout(this.timer);
    var self = this;
    this.timer = setTimeout(function () { self.save(); }, SAVE_DELAY);
  };

  Autosave.prototype.save = function () {
    clearTimeout(this.timer);
    if (this.blocked || this.saving) return;
    if (!this.dirty()) { pending.delete(this); return; }
    this.saving = true;
    var sent = this.textarea.value;
    var self = this;
    this.setState("Đang lưu…", "busy");
    post(this.form).then(function (result) {
      self.saving = false;
      var data = result.data || {};
      if (result.status === 200) {
        self.saved = sent;
        self.revision.value = data.revision;
        self.setState("Đã lưu lúc " + timeNow(), "ok");
        self.showWarnings(data.citations || []);
        if (self.dirty()) { self.changed(); } else { pending.delete(self); }
      } else if (result.status === 409) {
        self.showConflict(data);
      } else {
        self.setState(data.message || "Không lưu được.", "error");
      }
    }).catch(function () {
      self.saving = false;
      self.setState("Mất kết nối – chưa lưu, sẽ thử lại…", "error");
      self.timer = setTimeout(function () { self.save(); }, RETRY_DELAY);
    });
  };

  Autosave.prototype.showWarnings = function (warnings) {
    if (!this.warnings) return;
    this.warnings.textContent = "";
    var list = this.warnings;
    warnings.forEach(function (w) {
      var item = el("li", "text-danger");
      item.appendChild(el("i", "bi bi-exclamation-triangle"));
      item.appendChild(document.createTextNode(" " + w.message));
      list.appendChild(item);
    });
  };

  Autosave.prototype.showConflict = function (data) {
    var self = this;
    var current = data.current || {};
    this.blocked = true;
    this.setState("Xung đột – bản của bạn chưa được lưu", "error");
    var box = this.conflictBox;
    box.textContent = "";
    box.className = "passage-conflict alert alert-warning mt-2 mb-0";
    box.appendChild(el("div", "fw-semibold mb-1", data.message || "Đoạn văn vừa được người khác lưu."));
    var row = el("div", "row g-2");
    var theirs = el("div", "col-md-6");
    theirs.appendChild(el("div", "small fw-semibold", "Bản đang lưu" + (current.by ? " (" + current.by + ", " + current.at + ")" : "")));
    theirs.appendChild(el("div", "conflict-text border rounded p-2 bg-white small text-prewrap", current.text || ""));
    var mine = el("div", "col-md-6");
    mine.appendChild(el("div", "small fw-semibold", "Bản của bạn (đang trong ô soạn thảo)"));
    mine.appendChild(el("div", "conflict-text border rounded p-2 bg-white small text-prewrap", data.mine || self.textarea.value));
    row.appendChild(theirs);
    row.appendChild(mine);
    box.appendChild(row);
    var actions = el("div", "d-flex flex-wrap gap-2 mt-2");
    var keepMine = el("button", "btn btn-sm btn-warning", "Lưu bản của tôi (thay bản đang lưu)");
    keepMine.type = "button";
    var takeTheirs = el("button", "btn btn-sm btn-outline-secondary", "Dùng bản đang lưu");
    takeTheirs.type = "button";
    var merge = el("button", "btn btn-sm btn-outline-primary", "Tôi sẽ tự gộp trong ô soạn thảo");
    merge.type = "button";
    actions.appendChild(keepMine);
    actions.appendChild(takeTheirs);
    actions.appendChild(merge);
    box.appendChild(actions);

    function resolve() {
      self.revision.value = current.revision;
      self.saved = current.text || "";
      self.blocked = false;
      box.className = "passage-conflict d-none";
      box.textContent = "";
    }
    keepMine.addEventListener("click", function () { resolve(); self.save(); });
    takeTheirs.addEventListener("click", function () {
      resolve();
      self.textarea.value = current.text || "";
      pending.delete(self);
      self.setState("Đã dùng bản đang lưu", "ok");
    });
    merge.addEventListener("click", function () {
      resolve();
      self.textarea.focus();
      self.setState("Hãy gộp hai bản rồi tiếp tục gõ: bản gộp sẽ tự lưu", "busy");
    });
  };

  document.querySelectorAll("form[data-autosave]").forEach(function (form) { new Autosave(form); });

  window.addEventListener("beforeunload", function (event) {
    var unsaved = false;
    pending.forEach(function (editor) { if (editor.dirty() || editor.saving) unsaved = true; });
    if (unsaved) {
      pending.forEach(function (editor) { editor.save(); });
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // --- Verdicts: save at once, update the levels -------------------------------------------------

  function badge(level, large) {
    var span = el("span", "badge level-badge" + (large ? " fs-6" : ""));
    if (level === null || level === undefined) {
      span.className += " text-bg-light border";
      span.textContent = "—";
    } else {
      span.className += " text-dark level-" + level;
      span.textContent = level === 0 ? "Chưa đạt" : "Mức " + level;
    }
    return span;
  }

  function replaceWith(container, node) {
    if (!container) return;
    container.textContent = "";
    container.appendChild(node);
  }

  function updateLevels(data) {
    replaceWith(document.getElementById("school-level"), badge(data.school_level, true));
    if (data.criterion) {
      var c = data.criterion;
      replaceWith(document.getElementById("criterion-level"), badge(c.level, true));
      replaceWith(document.getElementById("criterion-level-footer"), badge(c.level, false));
      replaceWith(document.querySelector("[data-criterion-level='" + c.id + "']"), badge(c.level, false));
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
    var labels = { dat: ["text-bg-success", "Đạt"], khong_dat: ["text-bg-danger", "Không đạt"], "": ["text-bg-light border", "Chưa đánh giá"] };
    var chosen = labels[value] || labels[""];
    replaceWith(cell, el("span", "badge " + chosen[0], chosen[1]));
  }

  document.querySelectorAll("form[data-verdict]").forEach(function (form) {
    var expected = form.querySelector("input[name=expected]");
    var state = form.querySelector(".verdict-state");
    var submit = form.querySelector(".verdict-submit");
    if (submit) submit.classList.add("d-none");
    function send() {
      var chosen = form.querySelector("input[name=met]:checked");
      var value = chosen ? chosen.value : "";
      state.textContent = "Đang lưu…";
      state.className = "verdict-state small text-muted";
      post(form).then(function (result) {
        var data = result.data || {};
        if (result.status === 200) {
          expected.value = data.verdict;
          state.textContent = "Đã lưu";
          state.className = "verdict-state small text-success";
          var review = form.querySelector(".verdict-review");
          if (review) review.remove();
          mirror(form, data.verdict);
          updateLevels(data);
        } else {
          state.textContent = data.message || "Không lưu được.";
          state.className = "verdict-state small text-danger";
          if (result.status === 409) {
            // Show what is stored now; the writer decides again.
            var current = data.current || "";
            form.querySelectorAll("input[name=met]").forEach(function (radio) { radio.checked = radio.value === current; });
            expected.value = current;
            mirror(form, current);
          }
        }
      }).catch(function () {
        state.textContent = "Mất kết nối – chưa lưu.";
        state.className = "verdict-state small text-danger";
      });
      return value;
    }
    form.addEventListener("change", function (event) {
      if (event.target.name === "met") send();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); send(); });
  });

  // --- Formsets: add a row -----------------------------------------------------------------------

  document.querySelectorAll("[data-formset]").forEach(function (container) {
    var prefix = container.getAttribute("data-formset");
    var add = container.querySelector("[data-formset-add]");
    var template = container.querySelector("template[data-formset-template]");
    var body = container.querySelector("[data-formset-body]");
    var total = container.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    if (!add || !template || !body || !total) return;
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("tbody");
      holder.innerHTML = html;
      while (holder.firstElementChild) body.appendChild(holder.firstElementChild);
      total.value = String(index + 1);
      var first = body.lastElementChild && body.lastElementChild.querySelector("textarea, input:not([type=hidden])");
      if (first) first.focus();
    });
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
  });
})();
