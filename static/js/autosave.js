// kiemdinh – autosave of any editing form of a report (texts, Phần I tables, improvement plans,
// the council, the self-assessment plan), so that nothing typed is ever lost.
//
// A form opts in with data attributes; the page includes templates/partials/_autosave.html once
// (it carries the translated messages and loads this script):
//
//   <form method="post" action="…" data-autosave data-autosave-key="report:12:table:hs"
//         data-autosave-revision="revision">          (name of the hidden field with the
//                                                       revision or token the form was built on)
//     <span data-autosave-state></span>                 (optional: where the state is shown)
//     <div data-autosave-conflict></div>                (optional: where a conflict is shown)
//     <button type="submit" data-autosave-hide>        (hidden when the script runs)
//     data-autosave-next="url"                          (optional: where a submit goes once saved)
//
// The form is posted as it would be without script, with "Accept: application/json". The view
// answers 200 {revision, set?: {field: value}} (set: values the server chose, e.g. new row ids,
// or action: the URL of the object the first save created), 409 {message, current: {revision,
// by, at, values: {field: value}, lines: [{label, theirs, mine}]}}, 400 {message}. Every network
// error, 5xx, 429 or unexpected answer is retried with a growing delay until it is saved.
//
// What is typed is kept in localStorage (key: kiemdinh.autosave:<key>, with the revision it was
// typed on) until the server has it; after a reload or a crash it is put back and saved, and a
// text changed by someone else meanwhile gives the conflict view rather than an overwrite.
(function () {
  "use strict";

  var SAVE_DELAY = 1500; // ms after the last keystroke
  var MAX_BACKOFF = 60; // s
  var STORE = "kiemdinh.autosave:";
  var LEAVE_WAIT = 10000; // ms the leave guard waits for pending saves

  var defaults = {
    unsaved: "Chưa lưu…",
    saving: "Đang lưu…",
    saved: "Đã lưu lúc {time}",
    offline: "Mất kết nối — sẽ thử lại sau {n} giây; nội dung vẫn được giữ trên máy này.",
    serverError: "Máy chủ đang gặp lỗi (mã {code}) — sẽ thử lại sau {n} giây; nội dung vẫn được giữ trên máy này.",
    unexpected: "Máy chủ trả lời không như mong đợi (mã {code}; có thể phiên đăng nhập đã hết) — sẽ thử lại sau {n} giây; nội dung vẫn được giữ trên máy này.",
    retryNow: "Thử lại ngay",
    forbidden: "Bạn không có quyền chỉnh sửa phần này.",
    notSaved: "Không lưu được.",
    required: "Chưa lưu: còn ô bắt buộc chưa điền.",
    conflictState: "Xung đột – bản của bạn chưa được lưu",
    conflictDefault: "Phần này vừa được người khác lưu.",
    theirs: "Bản đang lưu",
    theirsBy: "Bản đang lưu ({by}, {at})",
    mine: "Bản của bạn (đang trong ô soạn thảo)",
    item: "Mục",
    empty: "(trống)",
    keepMine: "Lưu bản của tôi (thay bản đang lưu)",
    takeTheirs: "Dùng bản đang lưu",
    merge: "Tôi sẽ tự gộp trong ô soạn thảo",
    tookTheirs: "Đã dùng bản đang lưu",
    merging: "Hãy gộp hai bản rồi tiếp tục gõ: bản gộp sẽ tự lưu",
    restored: "Đã khôi phục nội dung chưa lưu trên máy này (gõ lúc {time}); đang lưu lại…",
    leaveSaving: "Đang lưu các thay đổi trước khi chuyển trang…",
    leaveFailed: "Còn thay đổi chưa lưu được lên máy chủ. Chúng vẫn được giữ trên máy này và sẽ được khôi phục khi bạn mở lại trang.",
    stay: "Ở lại trang",
    leaveAnyway: "Vẫn chuyển trang"
  };
  var T = defaults;
  var source = document.getElementById("autosave-messages");
  if (source) {
    // The page's translations, one data attribute each (data-server-error → serverError).
    T = {};
    Object.keys(defaults).forEach(function (k) { T[k] = source.dataset[k] || defaults[k]; });
  }

  function fmt(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return values && values[name] !== undefined ? String(values[name]) : all;
    });
  }

  function pad(n) { return ("0" + n).slice(-2); }
  function clock(date) { return pad(date.getHours()) + ":" + pad(date.getMinutes()); }

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined && content !== null) node.textContent = content;
    return node;
  }

  // --- Local copy ---------------------------------------------------------------------------------

  var store = {
    read: function (key) {
      try { return JSON.parse(window.localStorage.getItem(STORE + key) || "null"); } catch (e) { return null; }
    },
    write: function (key, value) {
      try { window.localStorage.setItem(STORE + key, JSON.stringify(value)); } catch (e) { /* full or disabled */ }
    },
    remove: function (key) {
      try { window.localStorage.removeItem(STORE + key); } catch (e) { /* disabled */ }
    }
  };

  // --- Formsets: add a row (also used to give a restored draft the rows it had) --------------------

  function formsetAdd(container) {
    var prefix = container.getAttribute("data-formset");
    var template = container.querySelector("template[data-formset-template]");
    var body = container.querySelector("[data-formset-body]");
    var total = (container.form || container.closest("form") || container).querySelector("input[name='" + prefix + "-TOTAL_FORMS']")
      || container.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    if (!template || !body || !total) return null;
    var index = parseInt(total.value, 10);
    var holder = document.createElement("tbody");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var first = holder.firstElementChild;
    while (holder.firstElementChild) body.appendChild(holder.firstElementChild);
    total.value = String(index + 1);
    total.dispatchEvent(new Event("input", { bubbles: true }));
    return first;
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest ? event.target.closest("[data-formset-add]") : null;
    if (!add) return;
    var container = add.closest("[data-formset]");
    if (!container) return;
    var row = formsetAdd(container);
    var field = row && row.querySelector("textarea, input:not([type=hidden])");
    if (field) field.focus();
  });

  // --- One editing form ---------------------------------------------------------------------------

  var editors = [];

  function Editor(form) {
    this.form = form;
    this.key = form.getAttribute("data-autosave-key") || form.getAttribute("action");
    this.revisionName = form.getAttribute("data-autosave-revision") || "revision";
    this.revision = form.querySelector("input[name='" + this.revisionName + "']");
    this.state = form.querySelector("[data-autosave-state]");
    if (!this.state) {
      this.state = el("div", "small text-muted");
      this.state.setAttribute("data-autosave-state", "");
      this.state.setAttribute("aria-live", "polite");
      form.appendChild(this.state);
    }
    this.stateClass = this.state.className.replace(/\btext-(muted|danger|success|warning)\b/g, "").trim();
    this.conflictBox = form.querySelector("[data-autosave-conflict]");
    if (!this.conflictBox) {
      this.conflictBox = el("div", "d-none");
      this.conflictBox.setAttribute("data-autosave-conflict", "");
      this.conflictBox.setAttribute("role", "alert");
      form.appendChild(this.conflictBox);
    }
    this.conflictClass = this.conflictBox.className.replace(/\bd-none\b/g, "").trim();
    this.saved = this.snapshot();
    this.timer = null;
    this.saving = null; // the snapshot being sent
    this.waiting = false; // a retry is scheduled
    this.failures = 0;
    this.blocked = false; // a conflict waits for the writer's choice
    this.lost = []; // snapshots sent whose answers never came: the server may have saved them
    this.refused = false; // the server refused what is typed (a message says why); wait for more typing
    this.next = null;
    var self = this;
    form.querySelectorAll("[data-autosave-hide]").forEach(function (b) { b.classList.add("d-none"); });
    form.addEventListener("input", function () { self.changed(); });
    form.addEventListener("change", function () { self.changed(); });
    form.addEventListener("focusout", function () { if (self.dirty()) self.save(); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.next = form.getAttribute("data-autosave-next");
      if (!self.dirty() && !self.saving && !self.blocked && self.next) { window.location.href = self.next; return; }
      if (self.waiting) self.retryNow(); else self.save();
    });
    this.restore();
  }

  Editor.prototype.pairs = function () {
    var skip = ["csrfmiddlewaretoken", this.revisionName];
    var pairs = [];
    new FormData(this.form).forEach(function (value, name) {
      if (skip.indexOf(name) === -1 && typeof value === "string") pairs.push([name, value]);
    });
    return pairs;
  };

  Editor.prototype.snapshot = function () { return JSON.stringify(this.pairs()); };
  Editor.prototype.dirty = function () { return this.snapshot() !== this.saved; };
  Editor.prototype.unsaved = function () { return this.blocked || !!this.saving || this.waiting || this.dirty(); };

  Editor.prototype.setState = function (message, kind, retry) {
    var self = this;
    this.state.textContent = message;
    this.state.className = (this.stateClass + " " + ({ error: "text-danger", ok: "text-success", warn: "text-warning-emphasis" }[kind] || "text-muted")).trim();
    if (retry) {
      var button = el("button", "btn btn-link btn-sm p-0 ms-2 align-baseline", T.retryNow);
      button.type = "button";
      button.addEventListener("click", function () { self.retryNow(); });
      this.state.appendChild(button);
    }
  };

  Editor.prototype.keep = function () {
    // The local copy: what is typed, on top of which revision.
    if (this.dirty() || this.blocked) {
      store.write(this.key, { pairs: this.pairs(), revision: this.revision ? this.revision.value : "", at: Date.now(),
                              url: window.location.pathname });
    } else {
      store.remove(this.key);
    }
  };

  Editor.prototype.changed = function () {
    this.refused = false;
    this.keep();
    if (this.blocked) return;
    if (!this.dirty()) {
      if (!this.saving && !this.waiting) this.setState(this.lastSaved ? fmt(T.saved, { time: this.lastSaved }) : "", "ok");
      return;
    }
    // While a retry is scheduled its timer stays: it sends this too (clearing it here left the
    // editor waiting for ever once the writer typed during the wait).
    if (this.waiting) return;
    if (!this.saving) this.setState(T.unsaved, "busy");
    clearTimeout(this.timer);
    var self = this;
    this.timer = setTimeout(function () { self.save(); }, SAVE_DELAY);
  };

  Editor.prototype.retryNow = function () {
    if (!this.waiting) return;
    clearTimeout(this.timer);
    clearInterval(this.countdown);
    this.waiting = false;
    this.save();
  };

  Editor.prototype.restore = function () {
    var draft = store.read(this.key);
    if (!draft || !draft.pairs) return;
    if (JSON.stringify(draft.pairs) === this.saved) { store.remove(this.key); return; }
    this.apply(draft.pairs);
    if (this.revision && draft.revision !== undefined && draft.revision !== "") this.revision.value = draft.revision;
    this.setState(fmt(T.restored, { time: clock(new Date(draft.at || Date.now())) }), "warn");
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.save(); }, 300);
  };

  // Put values back into the form; formset rows the values need are added first.
  Editor.prototype.apply = function (pairs) {
    var form = this.form;
    var values = {};
    pairs.forEach(function (p) { (values[p[0]] = values[p[0]] || []).push(p[1]); });
    form.querySelectorAll("[data-formset]").forEach(function (container) {
      var prefix = container.getAttribute("data-formset");
      var wanted = parseInt((values[prefix + "-TOTAL_FORMS"] || ["0"])[0], 10);
      var total = form.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
      var guard = 0;
      while (total && parseInt(total.value, 10) < wanted && guard++ < 200) {
        if (!formsetAdd(container)) break;
      }
    });
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.name === "csrfmiddlewaretoken" || field.name === this.revisionName) return;
      var given = values[field.name] || [];
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = given.indexOf(field.value) !== -1;
      } else if (field.tagName === "SELECT" && field.multiple) {
        Array.prototype.forEach.call(field.options, function (o) { o.selected = given.indexOf(o.value) !== -1; });
      } else if (field.type !== "file" && field.type !== "submit" && field.type !== "button") {
        field.value = given.length ? given[0] : "";
      }
    }, this);
    form.dispatchEvent(new CustomEvent("autosave:applied", { bubbles: true }));
  };

  // The server's values by field name, as the form would send them (used by "take theirs").
  Editor.prototype.canApply = function (values) {
    var form = this.form;
    return Object.keys(values).every(function (name) { return !!form.querySelector("[name='" + name + "']"); });
  };

  Editor.prototype.post = function () {
    return fetch(this.form.getAttribute("action"), {
      method: "POST",
      body: new FormData(this.form),
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) return { status: response.status, json: false, data: {} };
      return response.json().then(function (data) { return { status: response.status, json: true, data: data || {} }; },
        function () { return { status: response.status, json: false, data: {} }; });
    });
  };

  Editor.prototype.save = function () {
    if (this.waiting) return; // the scheduled retry's timer stays (leaving a field must not cancel it)
    clearTimeout(this.timer);
    if (this.blocked || this.saving) return;
    if (!this.dirty()) { this.keep(); this.done(); return; }
    if (this.form.checkValidity && !this.form.checkValidity()) {
      this.refused = true;
      this.setState(T.required, "error");
      this.done();
      return;
    }
    var self = this;
    var sent = this.snapshot();
    this.saving = sent;
    this.setState(T.saving, "busy");
    this.post().then(function (result) {
      self.saving = null;
      var data = result.data;
      if (result.status === 200 && result.json) {
        self.succeeded(sent, data);
      } else if (result.status === 409 && result.json) {
        self.conflict(sent, data);
      } else if (result.json && result.status >= 400 && result.status < 500 && result.status !== 408 && result.status !== 429) {
        self.failures = 0;
        self.refused = true;
        self.setState(data.message || (result.status === 403 ? T.forbidden : T.notSaved), "error");
        self.done();
      } else {
        // A proxy's 502/504 may come after the server saved: remember what was sent.
        if (result.status >= 500) self.remember(sent);
        self.retry(result.status >= 500 ? fmt(T.serverError, { code: result.status }) : fmt(T.unexpected, { code: result.status }));
      }
    }).catch(function () {
      self.saving = null;
      // The connection broke: the server may have saved this before it went away.
      self.remember(sent);
      self.retry(T.offline);
    });
  };

  Editor.prototype.remember = function (sent) {
    if (this.lost.indexOf(sent) === -1) this.lost.push(sent);
    if (this.lost.length > 20) this.lost.shift();
  };

  Editor.prototype.succeeded = function (sent, data) {
    var self = this;
    this.failures = 0;
    this.lost = [];
    if (this.revision && data.revision !== undefined) this.revision.value = data.revision;
    var savedPairs = JSON.parse(sent);
    if (data.set) {
      Object.keys(data.set).forEach(function (name) {
        var field = self.form.querySelector("[name='" + name + "']");
        if (field) field.value = data.set[name];
        var value = data.set[name] === null || data.set[name] === undefined ? "" : String(data.set[name]);
        var found = false;
        savedPairs.forEach(function (p) { if (p[0] === name) { p[1] = value; found = true; } });
        if (!found && field) savedPairs.push([name, value]);
      });
    }
    if (data.action) {
      this.form.setAttribute("action", data.action);
      if (data.location && window.history && window.history.replaceState) window.history.replaceState(null, "", data.location);
    }
    // Rows marked for deletion are gone on the server: hide them.
    this.form.querySelectorAll("input[type=checkbox][name$='-DELETE']:checked").forEach(function (box) {
      var row = box.closest("tr, .formset-row");
      if (row) row.classList.add("d-none");
    });
    this.saved = JSON.stringify(savedPairs);
    this.lastSaved = clock(new Date());
    this.keep();
    this.form.dispatchEvent(new CustomEvent("autosave:saved", { bubbles: true, detail: data }));
    if (this.dirty()) {
      this.setState(T.unsaved, "busy");
      this.timer = setTimeout(function () { self.save(); }, SAVE_DELAY);
    } else {
      this.setState(fmt(T.saved, { time: this.lastSaved }), "ok");
      if (this.next) { window.location.href = this.next; return; }
    }
    // The server answers again: whatever waits for a retry goes now.
    editors.forEach(function (other) { if (other !== self && other.waiting) other.retryNow(); });
    this.done();
  };

  Editor.prototype.retry = function (message) {
    var self = this;
    this.failures += 1;
    var delay = Math.min(Math.pow(2, this.failures), MAX_BACKOFF);
    var left = delay;
    this.waiting = true;
    this.keep();
    this.setState(fmt(message, { n: left }), "error", true);
    clearInterval(this.countdown);
    this.countdown = setInterval(function () {
      left -= 1;
      if (left > 0 && self.waiting) self.setState(fmt(message, { n: left }), "error", true);
      else clearInterval(self.countdown);
    }, 1000);
    clearTimeout(this.timer);
    this.timer = setTimeout(function () {
      clearInterval(self.countdown);
      self.waiting = false;
      self.save();
    }, delay * 1000);
    this.done();
  };

  Editor.prototype.sameAsMine = function (values, sent) {
    if (!values) return false;
    var mine = {};
    JSON.parse(sent).forEach(function (p) { mine[p[0]] = p[1]; });
    var norm = function (v) { return String(v === null || v === undefined ? "" : v).replace(/\r\n?/g, "\n").replace(/\s+$/, ""); };
    var names = Object.keys(values);
    return names.length > 0 && names.every(function (name) { return norm(values[name]) === norm(mine[name]); });
  };

  Editor.prototype.conflict = function (sent, data) {
    var self = this;
    var current = data.current || {};
    // The server already has exactly what this page sent before, in this request or in one whose
    // answer was lost (the connection broke after the server saved it): that is our own save, not
    // someone else's. Take its revision and send what was typed since; nothing to choose.
    var ours = [sent].concat(this.lost).some(function (snapshot) { return self.sameAsMine(current.values, snapshot); });
    if (ours && current.revision !== undefined && String(current.revision) !== (this.revision ? this.revision.value : "")) {
      if (this.revision) this.revision.value = current.revision;
      this.lost = [];
      this.saving = null;
      this.save();
      return;
    }
    this.lost = [];
    this.blocked = true;
    this.failures = 0;
    this.keep();
    this.setState(T.conflictState, "error");
    var box = this.conflictBox;
    box.textContent = "";
    box.className = (this.conflictClass + " alert alert-warning mt-2 mb-0 autosave-conflict").trim();
    box.appendChild(el("div", "fw-semibold mb-1", data.message || T.conflictDefault));
    var theirsTitle = current.by ? fmt(T.theirsBy, { by: current.by, at: current.at || "" }) : T.theirs;
    var lines = current.lines || [];
    if (lines.length === 1) {
      var row = el("div", "row g-2");
      var theirs = el("div", "col-md-6");
      theirs.appendChild(el("div", "small fw-semibold", theirsTitle + (lines[0].label ? " – " + lines[0].label : "")));
      theirs.appendChild(el("div", "conflict-text border rounded p-2 bg-white small text-prewrap", lines[0].theirs || T.empty));
      var mine = el("div", "col-md-6");
      mine.appendChild(el("div", "small fw-semibold", T.mine));
      mine.appendChild(el("div", "conflict-text border rounded p-2 bg-white small text-prewrap", lines[0].mine || T.empty));
      row.appendChild(theirs);
      row.appendChild(mine);
      box.appendChild(row);
    } else if (lines.length) {
      var wrap = el("div", "table-responsive");
      var table = el("table", "table table-sm table-bordered bg-white small mb-0 conflict-table");
      var head = el("tr");
      [T.item, theirsTitle, T.mine].forEach(function (h) { head.appendChild(el("th", "", h)); });
      table.appendChild(el("thead")).appendChild(head);
      var body = el("tbody");
      lines.forEach(function (line) {
        var tr = el("tr");
        tr.appendChild(el("td", "", line.label));
        tr.appendChild(el("td", "text-prewrap", line.theirs === "" || line.theirs === null ? T.empty : line.theirs));
        tr.appendChild(el("td", "text-prewrap", line.mine === "" || line.mine === null ? T.empty : line.mine));
        body.appendChild(tr);
      });
      table.appendChild(body);
      wrap.appendChild(table);
      box.appendChild(wrap);
    }
    var actions = el("div", "d-flex flex-wrap gap-2 mt-2");
    var keepMine = el("button", "btn btn-sm btn-warning", T.keepMine);
    var takeTheirs = el("button", "btn btn-sm btn-outline-secondary", T.takeTheirs);
    var merge = el("button", "btn btn-sm btn-outline-primary", T.merge);
    [keepMine, takeTheirs, merge].forEach(function (b) { b.type = "button"; actions.appendChild(b); });
    box.appendChild(actions);

    function resolve() {
      if (self.revision && current.revision !== undefined) self.revision.value = current.revision;
      self.blocked = false;
      box.className = (self.conflictClass + " d-none").trim();
      box.textContent = "";
    }
    keepMine.addEventListener("click", function () { resolve(); self.save(); });
    takeTheirs.addEventListener("click", function () {
      resolve();
      if (current.values && self.canApply(current.values)) {
        var pairs = [];
        Object.keys(current.values).forEach(function (name) {
          var v = current.values[name];
          (Array.isArray(v) ? v : [v]).forEach(function (one) {
            if (one !== null && one !== undefined && one !== false) pairs.push([name, one === true ? "on" : String(one)]);
          });
        });
        self.apply(pairs);
        self.saved = self.snapshot();
        self.keep();
        self.setState(T.tookTheirs, "ok");
        self.done();
      } else {
        // The stored rows differ in shape from the page's: the page shows them after a reload.
        self.saved = self.snapshot();
        store.remove(self.key);
        window.location.reload();
      }
    });
    merge.addEventListener("click", function () {
      resolve();
      self.keep();
      var field = self.form.querySelector("textarea, input:not([type=hidden])");
      if (field) field.focus();
      self.setState(T.merging, "busy");
      self.done();
    });
    this.done();
  };

  // Listeners waiting for every editor to settle (the leave guard).
  var settledWaiters = [];
  Editor.prototype.done = function () {
    var waiters = settledWaiters;
    settledWaiters = [];
    waiters.forEach(function (w) { w(); });
  };

  // Other surfaces that save by themselves (the verdicts) tell the leave guard what they hold.
  var extras = [];

  function anyUnsaved() {
    return editors.some(function (e) { return e.unsaved(); }) || extras.some(function (x) { return x.unsaved(); });
  }

  function flushAll() {
    editors.forEach(function (e) {
      if (e.waiting) e.retryNow();
      else if (e.dirty() && !e.saving && !e.blocked) e.save();
    });
    extras.forEach(function (x) { x.flush(); });
  }

  // Resolves true when everything is saved, false when something cannot be (yet).
  function settle(timeout) {
    return new Promise(function (resolve) {
      var finished = false;
      function check() {
        if (finished) return;
        var busy = editors.some(function (e) { return !!e.saving || (e.dirty() && !e.blocked && !e.waiting && !e.refused); });
        if (!busy) {
          finished = true;
          resolve(!anyUnsaved());
        } else {
          settledWaiters.push(check);
        }
      }
      setTimeout(function () { if (!finished) { finished = true; resolve(!anyUnsaved()); } }, timeout);
      check();
    });
  }

  // --- The leave guard ------------------------------------------------------------------------------

  var leaving = false;
  var banner = null;

  function showBanner(message, choices) {
    if (!banner) {
      banner = el("div", "alert alert-warning shadow position-fixed bottom-0 start-50 translate-middle-x mb-3 autosave-leave");
      banner.setAttribute("role", "alertdialog");
      banner.style.zIndex = "2000";
      banner.style.maxWidth = "40rem";
      document.body.appendChild(banner);
    }
    banner.textContent = "";
    banner.appendChild(el("div", "", message));
    if (choices) {
      var row = el("div", "d-flex gap-2 mt-2 justify-content-end");
      choices.forEach(function (choice) {
        var b = el("button", "btn btn-sm " + choice[2], choice[0]);
        b.type = "button";
        b.addEventListener("click", choice[1]);
        row.appendChild(b);
      });
      banner.appendChild(row);
    }
  }

  function hideBanner() { if (banner) { banner.remove(); banner = null; } }

  function guardThen(go) {
    showBanner(T.leaveSaving);
    flushAll();
    settle(LEAVE_WAIT).then(function (allSaved) {
      if (allSaved) { leaving = true; go(); return; }
      showBanner(T.leaveFailed, [
        [T.stay, hideBanner, "btn-outline-secondary"],
        [T.leaveAnyway, function () { leaving = true; go(); }, "btn-warning"]
      ]);
    });
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || link.target === "_blank" || link.hasAttribute("download")) return;
    var href = link.getAttribute("href");
    if (!href || href.charAt(0) === "#" || /^(javascript|mailto|tel):/i.test(href)) return;
    if (link.href.split("#")[0] === window.location.href.split("#")[0] && link.hash) return;
    if (!anyUnsaved()) return;
    event.preventDefault();
    guardThen(function () { window.location.href = link.href; });
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.hasAttribute("data-autosave") || !anyUnsaved()) return;
    event.preventDefault();
    var submitter = event.submitter;
    guardThen(function () {
      if (submitter && submitter.name) {
        var hidden = el("input");
        hidden.type = "hidden";
        hidden.name = submitter.name;
        hidden.value = submitter.value;
        form.appendChild(hidden);
      }
      HTMLFormElement.prototype.submit.call(form);
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (leaving || !anyUnsaved()) return;
    flushAll();
    event.preventDefault();
    event.returnValue = "";
  });

  window.addEventListener("online", function () {
    editors.forEach(function (e) { if (e.waiting) e.retryNow(); });
  });

  // "Back" may show the page as it was first served (the browser's cache), with the revisions of
  // then: typing there would meet one's own later saves as a conflict. Such a page is loaded again.
  var forms = document.querySelectorAll("form[data-autosave]");
  var navigation = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  if (forms.length && navigation && navigation.type === "back_forward") {
    window.location.reload();
    return;
  }

  forms.forEach(function (form) { editors.push(new Editor(form)); });

  // For other scripts of the page (and the browser tests): is anything not yet on the server?
  window.kiemdinhAutosave = {
    unsaved: anyUnsaved, flush: flushAll, editors: editors, messages: T, format: fmt, maxBackoff: MAX_BACKOFF,
    register: function (surface) { extras.push(surface); }
  };
})();
