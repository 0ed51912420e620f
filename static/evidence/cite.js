// kiemdinh – citing evidence while writing (progressive enhancement, no library).
//
// Every <textarea data-evidence-search-url="/evidence/search/?school=ID"> gets:
//  * an autocomplete: typing "[" and the start of a code ("[H", "[H1-1.", "[MC.1") opens a list
//    of the school's matching codes with their names; ↑/↓ choose, Enter or Tab insert, Esc closes.
//    Picking completes the code and closes the bracket: "[H1-1.1-01]". Inside an open bracket,
//    after ";" the next code is completed the same way: "[H1-1.1-01; H1-1.1-02]".
//  * a "Chèn minh chứng" button opening a searchable picker (by code or by name); the chosen code
//    is inserted at the caret as "[code]", or appended as "; code" inside an open bracket.
// Insertions fire an "input" event, so autosave and counters see them like typing.
//
// A textarea with data-evidence-cite-style="round" (a TT57/2026 report) cites the Thông tư 57 way:
// round brackets inside the sentence, several codes separated by commas: "(MC.1.1.01, MC.1.1.02)".
// Typing "(M" or "(MC.1" opens the list; prose in brackets ("(xem phụ lục)") never does.
(function () {
  "use strict";

  var SELECTOR = "textarea[data-evidence-search-url]";
  var CODE_TOKEN = /^[A-Za-z][A-Za-z0-9.\-]{0,23}$/;
  var PARTIAL_TOKEN = /^[A-Za-z0-9.\-]*$/;
  var COMPLETE_CODE = /^(?:H[1-9]\d{0,2}-[1-9]\d{0,2}\.[1-9]\d{0,2}-\d{2,3}|H[1-9]\d{0,2}\.\d{2}\.\d{2}\.\d{2,3}|MC\.[1-9]\d{0,2}\.[1-9]\d{0,2}\.\d{2,3})$/i;
  var DEBOUNCE_MS = 120;
  var STYLES = {
    square: { open: "[", close: "]", separator: "; ", closedAfter: /^\s*[\];,]/ },
    round: { open: "(", close: ")", separator: ", ", closedAfter: /^\s*[);,]/ }
  };
  function styleOf(textarea) {
    return STYLES[(textarea && textarea.dataset.evidenceCiteStyle) || "square"] || STYLES.square;
  }
  var lang = (document.documentElement.lang || "vi").slice(0, 2);
  var TEXT = {
    vi: {
      button: "Chèn minh chứng",
      pickerTitle: "Chèn mã minh chứng",
      search: "Tìm theo mã hoặc tên minh chứng",
      loading: "Đang tìm…",
      empty: "Không có minh chứng phù hợp.",
      error: "Không tải được danh sách minh chứng.",
      close: "Đóng",
      expired: "hết hiệu lực",
      criterion: "TC",
      listLabel: "Mã minh chứng gợi ý"
    },
    en: {
      button: "Insert evidence",
      pickerTitle: "Insert an evidence code",
      search: "Search by code or name",
      loading: "Searching…",
      empty: "No matching evidence.",
      error: "Could not load the evidence list.",
      close: "Close",
      expired: "expired",
      criterion: "Crit.",
      listLabel: "Suggested evidence codes"
    }
  }[lang === "en" ? "en" : "vi"];

  // --- fetching, with a small cache and cancellation --------------------------------------------

  var cache = new Map();
  function searchUrl(base, query) {
    return base + (base.indexOf("?") >= 0 ? "&" : "?") + "q=" + encodeURIComponent(query);
  }
  function fetchResults(base, query, signal) {
    var url = searchUrl(base, query);
    if (cache.has(url)) {
      return Promise.resolve(cache.get(url));
    }
    return fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
      signal: signal
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || type.indexOf("application/json") < 0) {
        throw new Error("evidence search failed: " + response.status);
      }
      return response.json();
    }).then(function (data) {
      var results = (data && data.results) || [];
      if (cache.size > 200) {
        cache.clear();
      }
      cache.set(url, results);
      return results;
    });
  }

  // --- where the caret is in the citation grammar ---------------------------------------------

  // The citation being typed at the caret: the unclosed "[" (or "(") before it on the same line,
  // and the part after the last separator. Null when the caret is not inside a bracket.
  function citationContext(text, caret, style) {
    style = style || STYLES.square;
    var lineStart = text.lastIndexOf("\n", caret - 1) + 1;
    var before = text.slice(lineStart, caret);
    var open = before.lastIndexOf(style.open);
    if (open < 0 || before.indexOf(style.close, open) >= 0) {
      return null;
    }
    var inner = before.slice(open + 1);
    if (inner.length > 300) {
      return null;
    }
    var separator = Math.max(inner.lastIndexOf(";"), inner.lastIndexOf(","));
    var segment = inner.slice(separator + 1);
    var token = segment.replace(/^\s+/, "");
    var segmentStart = lineStart + open + 1 + separator + 1;
    return {
      open: lineStart + open,
      inner: inner,
      afterSeparator: separator >= 0,
      spaced: segment.length > token.length,
      tokenStart: segmentStart + (segment.length - token.length),
      segmentStart: segmentStart,
      token: token,
      caret: caret
    };
  }

  // Whether typing at the caret should open the autocomplete, and for which query.
  function autocompleteQuery(textarea) {
    if (textarea.selectionStart !== textarea.selectionEnd) {
      return null;
    }
    var style = styleOf(textarea);
    var ctx = citationContext(textarea.value, textarea.selectionStart, style);
    if (!ctx) {
      return null;
    }
    // Round brackets are common in prose: only "(M…" (an MC code begun) opens the list.
    var looksLikeCode = style === STYLES.square || /^m/i.test(ctx.token);
    if (CODE_TOKEN.test(ctx.token) && looksLikeCode) {
      return { ctx: ctx, query: ctx.token };
    }
    // Right after "; " in a bracket that already cites a code: offer the next one.
    if (ctx.token === "" && ctx.afterSeparator && (style === STYLES.square ? /[A-Za-z]/ : /MC\.\d/i).test(ctx.inner)) {
      return { ctx: ctx, query: "" };
    }
    return null;
  }

  // --- inserting ----------------------------------------------------------------------------

  function replaceRange(textarea, start, end, insertion) {
    textarea.focus();
    textarea.setSelectionRange(start, end);
    var done = false;
    try {
      // Keeps the browser's undo history where supported.
      done = document.execCommand && document.execCommand("insertText", false, insertion);
    } catch (error) {
      done = false;
    }
    if (!done || textarea.value.slice(start, start + insertion.length) !== insertion) {
      textarea.setRangeText(insertion, start, end, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    var caret = start + insertion.length;
    textarea.setSelectionRange(caret, caret);
  }

  // Insert ``code`` at the caret following the citation grammar; returns nothing.
  function insertCode(textarea, code, caret) {
    var text = textarea.value;
    var style = styleOf(textarea);
    if (typeof caret !== "number") {
      caret = textarea.selectionEnd;
    }
    var ctx = citationContext(text, caret, style);
    if (ctx && style === STYLES.round && !(/^m/i.test(ctx.token) || ctx.afterSeparator || ctx.token === "")) {
      ctx = null; // "(xem phụ lục" is prose: insert a citation of its own
    }
    if (ctx && PARTIAL_TOKEN.test(ctx.token)) {
      // Complete the code being typed, including any part of it after the caret.
      var rest = text.slice(caret).match(/^[A-Za-z0-9.\-]*/)[0];
      var end = caret + rest.length;
      var needsSpace = ctx.afterSeparator && !ctx.spaced;
      var closed = style.closedAfter.test(text.slice(end));
      replaceRange(textarea, ctx.tokenStart, end, (needsSpace ? " " : "") + code + (closed ? "" : style.close));
      return;
    }
    if (ctx && COMPLETE_CODE.test(ctx.token.replace(/\s+$/, ""))) {
      // After a complete code inside an open bracket: cite one more.
      var trimmedEnd = ctx.tokenStart + ctx.token.replace(/\s+$/, "").length;
      var closedAfter = style.closedAfter.test(text.slice(caret));
      replaceRange(textarea, trimmedEnd, caret, style.separator + code + (closedAfter ? "" : style.close));
      return;
    }
    var previous = caret > 0 ? text.charAt(caret - 1) : "";
    var space = previous && !/[\s(]/.test(previous) ? " " : "";
    replaceRange(textarea, caret, textarea.selectionEnd === caret ? caret : textarea.selectionEnd, space + style.open + code + style.close);
  }

  // --- building the list of results ------------------------------------------------------------

  var uid = 0;
  function nextId(prefix) {
    uid += 1;
    return prefix + "-" + uid;
  }

  function renderOptions(list, results, onPick) {
    list.textContent = "";
    results.forEach(function (item, index) {
      var option = document.createElement("div");
      option.className = "dropdown-item evidence-cite-option";
      option.id = nextId("evidence-cite-option");
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", index === 0 ? "true" : "false");
      option.dataset.code = item.code;
      if (index === 0) {
        option.classList.add("active");
      }
      var code = document.createElement("code");
      code.className = "evidence-code";
      code.textContent = item.code;
      var name = document.createElement("span");
      name.className = "evidence-cite-name";
      name.textContent = item.name;
      var meta = document.createElement("small");
      meta.className = "text-muted evidence-cite-meta";
      meta.textContent = TEXT.criterion + " " + item.criterion + (item.expired ? " · " + TEXT.expired : "");
      option.appendChild(code);
      option.appendChild(name);
      option.appendChild(meta);
      option.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the focus (and the caret) in the textarea
      });
      option.addEventListener("click", function () {
        onPick(item.code);
      });
      list.appendChild(option);
    });
  }

  function statusLine(list, message) {
    list.textContent = "";
    var line = document.createElement("div");
    line.className = "dropdown-item-text small text-muted";
    line.textContent = message;
    list.appendChild(line);
  }

  function moveActive(list, delta) {
    var options = Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
    if (!options.length) {
      return null;
    }
    var current = options.findIndex(function (o) { return o.classList.contains("active"); });
    var next = (current + delta + options.length) % options.length;
    options.forEach(function (o, i) {
      o.classList.toggle("active", i === next);
      o.setAttribute("aria-selected", i === next ? "true" : "false");
    });
    options[next].scrollIntoView({ block: "nearest" });
    return options[next];
  }

  function activeOption(list) {
    return list.querySelector("[role=option].active");
  }

  // --- where the caret is on screen (a mirror of the textarea) ----------------------------------

  var MIRRORED = [
    "boxSizing", "width", "height", "overflowX", "overflowY", "borderTopWidth", "borderRightWidth",
    "borderBottomWidth", "borderLeftWidth", "borderStyle", "paddingTop", "paddingRight", "paddingBottom",
    "paddingLeft", "fontStyle", "fontVariant", "fontWeight", "fontStretch", "fontSize", "lineHeight",
    "fontFamily", "textAlign", "textTransform", "textIndent", "letterSpacing", "wordSpacing", "tabSize"
  ];
  function caretPoint(textarea, position) {
    var mirror = document.createElement("div");
    var computed = window.getComputedStyle(textarea);
    MIRRORED.forEach(function (name) {
      mirror.style[name] = computed[name];
    });
    mirror.style.position = "absolute";
    mirror.style.visibility = "hidden";
    mirror.style.whiteSpace = "pre-wrap";
    mirror.style.overflowWrap = "break-word";
    mirror.style.top = "0";
    mirror.style.left = "-9999px";
    mirror.textContent = textarea.value.slice(0, position);
    var marker = document.createElement("span");
    marker.textContent = "\u200b";
    mirror.appendChild(marker);
    document.body.appendChild(mirror);
    var lineHeight = parseFloat(computed.lineHeight) || parseFloat(computed.fontSize) * 1.4;
    var point = {
      left: marker.offsetLeft - textarea.scrollLeft,
      top: marker.offsetTop - textarea.scrollTop + lineHeight
    };
    document.body.removeChild(mirror);
    return point;
  }

  // --- the autocomplete (one menu shared by every textarea) ------------------------------------

  var menu = document.createElement("div");
  menu.className = "dropdown-menu evidence-cite-menu shadow";
  menu.id = "evidence-cite-menu";
  menu.setAttribute("role", "listbox");
  menu.setAttribute("aria-label", TEXT.listLabel);
  menu.addEventListener("mousedown", function (event) {
    event.preventDefault();
  });

  var state = { textarea: null, query: null, controller: null, timer: null, dismissed: null };

  function closeMenu() {
    if (state.controller) {
      state.controller.abort();
    }
    window.clearTimeout(state.timer);
    menu.classList.remove("show");
    if (state.textarea) {
      state.textarea.setAttribute("aria-expanded", "false");
      state.textarea.removeAttribute("aria-activedescendant");
    }
    state.textarea = null;
    state.query = null;
  }

  function positionMenu(textarea, ctx) {
    var rect = textarea.getBoundingClientRect();
    var point = caretPoint(textarea, ctx.open);
    var top = rect.top + window.scrollY + Math.min(Math.max(point.top, 0), rect.height) + 2;
    var left = rect.left + window.scrollX + Math.min(Math.max(point.left, 0), rect.width - 40);
    var maxLeft = window.scrollX + document.documentElement.clientWidth - menu.offsetWidth - 8;
    menu.style.top = top + "px";
    menu.style.left = Math.max(window.scrollX + 8, Math.min(left, maxLeft)) + "px";
  }

  function pick(code) {
    var textarea = state.textarea;
    if (!textarea) {
      return;
    }
    closeMenu();
    insertCode(textarea, code);
  }

  function syncActiveDescendant() {
    var active = activeOption(menu);
    if (state.textarea) {
      if (active) {
        state.textarea.setAttribute("aria-activedescendant", active.id);
      } else {
        state.textarea.removeAttribute("aria-activedescendant");
      }
    }
  }

  function update(textarea) {
    var found = autocompleteQuery(textarea);
    if (!found || (state.dismissed && state.dismissed.textarea === textarea && state.dismissed.open === found.ctx.open)) {
      if (!found) {
        state.dismissed = null;
      }
      if (state.textarea === textarea) {
        closeMenu();
      }
      return;
    }
    if (state.textarea === textarea && state.query === found.query && menu.classList.contains("show")) {
      return;
    }
    state.textarea = textarea;
    state.query = found.query;
    if (!menu.parentNode) {
      document.body.appendChild(menu);
    }
    textarea.setAttribute("aria-expanded", "true");
    window.clearTimeout(state.timer);
    state.timer = window.setTimeout(function () {
      if (state.controller) {
        state.controller.abort();
      }
      state.controller = window.AbortController ? new AbortController() : null;
      if (!menu.classList.contains("show")) {
        statusLine(menu, TEXT.loading);
        menu.classList.add("show");
      }
      positionMenu(textarea, found.ctx);
      fetchResults(textarea.dataset.evidenceSearchUrl, found.query, state.controller && state.controller.signal)
        .then(function (results) {
          if (state.textarea !== textarea || state.query !== found.query) {
            return;
          }
          if (!results.length) {
            statusLine(menu, TEXT.empty);
          } else {
            renderOptions(menu, results, pick);
          }
          positionMenu(textarea, found.ctx);
          syncActiveDescendant();
        })
        .catch(function (error) {
          if (error && error.name === "AbortError") {
            return;
          }
          if (state.textarea === textarea) {
            statusLine(menu, TEXT.error);
          }
        });
    }, DEBOUNCE_MS);
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches(SELECTOR)) {
      update(target);
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches(SELECTOR)) {
      update(target); // the caret moved into (or out of) a citation
    } else if (!menu.contains(target)) {
      closeMenu();
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!target || !target.matches || !target.matches(SELECTOR) || state.textarea !== target) {
      return;
    }
    if (!menu.classList.contains("show")) {
      return;
    }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      moveActive(menu, event.key === "ArrowDown" ? 1 : -1);
      syncActiveDescendant();
    } else if (event.key === "Enter" || event.key === "Tab") {
      var active = activeOption(menu);
      if (active) {
        event.preventDefault();
        pick(active.dataset.code);
      } else if (event.key === "Enter") {
        closeMenu();
      }
    } else if (event.key === "Escape") {
      event.preventDefault();
      var ctx = citationContext(target.value, target.selectionStart, styleOf(target));
      state.dismissed = ctx ? { textarea: target, open: ctx.open } : null;
      closeMenu();
    }
  });

  document.addEventListener("keyup", function (event) {
    var target = event.target;
    if (!target || !target.matches || !target.matches(SELECTOR)) {
      return;
    }
    if (event.key === "ArrowLeft" || event.key === "ArrowRight" || event.key === "Home" || event.key === "End") {
      update(target);
    }
  });

  document.addEventListener("focusout", function (event) {
    if (event.target === state.textarea) {
      window.setTimeout(function () {
        if (state.textarea && document.activeElement !== state.textarea) {
          closeMenu();
        }
      }, 150);
    }
  });

  window.addEventListener("resize", closeMenu);

  // --- the "Chèn minh chứng" picker -------------------------------------------------------------

  function buildPicker(textarea) {
    var panel = document.createElement("div");
    panel.className = "card shadow evidence-cite-picker d-none";
    panel.id = nextId("evidence-cite-picker");
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", TEXT.pickerTitle);

    var body = document.createElement("div");
    body.className = "card-body p-2";
    var header = document.createElement("div");
    header.className = "d-flex justify-content-between align-items-center mb-2";
    var title = document.createElement("strong");
    title.className = "small";
    title.textContent = TEXT.pickerTitle;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close btn-sm";
    close.setAttribute("aria-label", TEXT.close);
    header.appendChild(title);
    header.appendChild(close);

    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control form-control-sm mb-2";
    input.placeholder = TEXT.search;
    input.setAttribute("aria-label", TEXT.search);
    input.setAttribute("autocomplete", "off");
    var list = document.createElement("div");
    list.className = "evidence-cite-results";
    list.setAttribute("role", "listbox");
    list.id = nextId("evidence-cite-results");
    input.setAttribute("aria-controls", list.id);

    body.appendChild(header);
    body.appendChild(input);
    body.appendChild(list);
    panel.appendChild(body);

    var saved = { start: 0, end: 0 };
    var controller = null;
    var timer = null;

    function choose(code) {
      hide();
      textarea.focus();
      textarea.setSelectionRange(saved.start, saved.end);
      insertCode(textarea, code, saved.start);
    }

    function load() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (controller) {
          controller.abort();
        }
        controller = window.AbortController ? new AbortController() : null;
        statusLine(list, TEXT.loading);
        fetchResults(textarea.dataset.evidenceSearchUrl, input.value.trim(), controller && controller.signal)
          .then(function (results) {
            if (!results.length) {
              statusLine(list, TEXT.empty);
            } else {
              renderOptions(list, results, choose);
            }
          })
          .catch(function (error) {
            if (!error || error.name !== "AbortError") {
              statusLine(list, TEXT.error);
            }
          });
      }, DEBOUNCE_MS);
    }

    function show() {
      saved = { start: textarea.selectionStart, end: textarea.selectionEnd };
      panel.classList.remove("d-none");
      input.value = "";
      load();
      input.focus();
    }

    function hide() {
      panel.classList.add("d-none");
    }

    input.addEventListener("input", load);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        moveActive(list, event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Enter") {
        event.preventDefault(); // never submit the surrounding form from the picker
        var active = activeOption(list);
        if (active) {
          choose(active.dataset.code);
        }
      } else if (event.key === "Escape") {
        event.preventDefault();
        hide();
        textarea.focus();
      }
    });
    close.addEventListener("click", function () {
      hide();
      textarea.focus();
    });
    document.addEventListener("click", function (event) {
      if (!panel.classList.contains("d-none") && !panel.contains(event.target) && !event.target.closest(".evidence-cite-button")) {
        hide();
      }
    });
    return { panel: panel, show: show, hide: hide, isOpen: function () { return !panel.classList.contains("d-none"); } };
  }

  function enhance(textarea) {
    if (textarea.dataset.evidenceCiteReady) {
      return;
    }
    textarea.dataset.evidenceCiteReady = "1";
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", menu.id);
    textarea.setAttribute("aria-expanded", "false");
    var toolbar = document.createElement("div");
    toolbar.className = "evidence-cite-toolbar";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-outline-secondary evidence-cite-button";
    var icon = document.createElement("i");
    icon.className = "bi bi-bookmark-plus";
    icon.setAttribute("aria-hidden", "true");
    button.appendChild(icon);
    button.appendChild(document.createTextNode(" " + TEXT.button));
    var picker = buildPicker(textarea);
    button.setAttribute("aria-controls", picker.panel.id);
    button.setAttribute("aria-haspopup", "dialog");
    button.addEventListener("click", function () {
      if (picker.isOpen()) {
        picker.hide();
      } else {
        closeMenu();
        picker.show();
      }
    });
    toolbar.appendChild(button);
    toolbar.appendChild(picker.panel);
    textarea.insertAdjacentElement("afterend", toolbar);
  }

  function enhanceAll(root) {
    var scope = root || document;
    if (scope.matches && scope.matches(SELECTOR)) {
      enhance(scope);
    }
    if (scope.querySelectorAll) {
      Array.prototype.forEach.call(scope.querySelectorAll(SELECTOR), enhance);
    }
  }

  function start() {
    enhanceAll(document);
    if (window.MutationObserver) {
      // Text areas added later (formsets, editors loaded on demand) are enhanced too.
      new MutationObserver(function (records) {
        records.forEach(function (record) {
          Array.prototype.forEach.call(record.addedNodes, function (node) {
            if (node.nodeType === 1) {
              enhanceAll(node);
            }
          });
        });
      }).observe(document.body, { childList: true, subtree: true });
    }
  }

  window.kiemdinhEvidenceCite = {
    enhance: enhanceAll,
    insertCode: insertCode,
    citationContext: citationContext
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
