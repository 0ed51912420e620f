// kiemdinh – district review pages: quote a selected passage in a comment, draw progress bars.
(function () {
  "use strict";

  // Selecting text inside a passage fills the quote field of that passage's comment form and
  // opens the form, so the reviewer comments on exactly the words they selected.
  document.addEventListener("mouseup", function () {
    var selection = window.getSelection && window.getSelection();
    if (!selection || selection.isCollapsed) {
      return;
    }
    var text = selection.toString().trim();
    if (!text) {
      return;
    }
    var node = selection.anchorNode;
    var element = node && (node.nodeType === 1 ? node : node.parentElement);
    var passage = element && element.closest(".passage-text[data-quote-target]");
    if (!passage || !passage.contains(selection.focusNode)) {
      return;
    }
    var quote = document.getElementById(passage.getAttribute("data-quote-target"));
    var form = document.getElementById(passage.getAttribute("data-form-target"));
    if (!quote || !form) {
      return;
    }
    quote.value = text.slice(0, 2000);
    if (window.bootstrap && window.bootstrap.Collapse) {
      window.bootstrap.Collapse.getOrCreateInstance(form, { toggle: false }).show();
    } else {
      form.classList.add("show");
    }
    var textarea = form.querySelector("textarea[name=text]");
    if (textarea) {
      textarea.focus({ preventScroll: true });
    }
  });

  // Comments are posted in place (forms marked data-inplace): the server answers with the thread
  // as the page shows it, which replaces the old one (a reply, "Đã sửa", "Đã xử lý", "Mở lại") or
  // joins the others (a new thread), so a long review page keeps its place. A refusal's reason is
  // shown beside the thread. Without script, or if the answer is not the expected
  // one (e.g. the session ended), the form is posted the ordinary way.
  function status(container, text, ok) {
    var old = container.querySelector(":scope > .inplace-status");
    if (old) old.remove();
    if (!text) return;
    var div = document.createElement("div");
    div.className = "inplace-status small mt-1 " + (ok ? "text-success" : "text-danger");
    div.setAttribute("role", ok ? "status" : "alert");
    div.textContent = text;
    container.appendChild(div);
  }

  // The words a new thread quotes are marked in the passage, as the page marks them when loaded.
  function markQuote(form, quote) {
    var passage = form.closest(".passage");
    var text = passage && passage.querySelector(".passage-text");
    if (!text || !quote) return;
    var walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentNode.closest("mark")) continue;
      var at = node.data.indexOf(quote);
      if (at === -1) continue;
      var marked = node.splitText(at);
      marked.splitText(quote.length);
      var mark = document.createElement("mark");
      mark.className = "review-mark";
      marked.parentNode.replaceChild(mark, marked);
      mark.appendChild(marked);
      return;
    }
  }

  // The page's open-comment counters follow the answer ("N góp ý chưa xử lý", the number badges).
  function counters(data) {
    var counter = document.querySelector("[data-open-count]");
    if (counter && data.open_label) counter.textContent = data.open_label;
    if (typeof data.open_count === "number") {
      document.querySelectorAll("[data-open-number]").forEach(function (badge) {
        badge.textContent = String(data.open_count);
      });
    }
  }

  // On the report page the answer also carries the parts that depend on the comments (the lists of
  // open and closed comments, the actions card with the accept panel's note), which replace the
  // page's own; the thread is then looked up again in the new lists.
  function panels(data, node) {
    var replaced = false;
    Object.keys(data.panels || {}).forEach(function (id) {
      var old = document.getElementById(id);
      var holder = document.createElement("template");
      holder.innerHTML = (data.panels[id] || "").trim();
      var fresh = holder.content.firstElementChild;
      if (old && fresh) {
        old.replaceWith(fresh);
        replaced = true;
      }
    });
    var fresh = (replaced && data.id && document.getElementById("thread-" + data.id)) || node;
    // A thread just closed lands in the folded list of closed comments: unfold it, so that the thread
    // and the message beside it stay in sight.
    var folded = fresh.closest && fresh.closest("details");
    if (folded) folded.open = true;
    return fresh;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-inplace]") || !window.fetch || !window.FormData) {
      return;
    }
    event.preventDefault();
    var submitter = event.submitter;
    var action = (submitter && submitter.getAttribute("formaction")) || form.getAttribute("action");
    var buttons = form.querySelectorAll("button[type=submit]");
    buttons.forEach(function (b) { b.disabled = true; });
    function plainPost() {
      buttons.forEach(function (b) { b.disabled = false; });
      if (submitter && submitter.getAttribute("formaction")) form.setAttribute("action", action);
      form.submit();
    }
    fetch(action, {
      method: "POST", body: new FormData(form), credentials: "same-origin", headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) { plainPost(); return; }
      return response.json().then(function (data) {
        buttons.forEach(function (b) { b.disabled = false; });
        var holder = document.createElement("template");
        holder.innerHTML = (data.html || "").trim();
        var node = holder.content.firstElementChild;
        var old = data.id ? document.getElementById("thread-" + data.id) : null;
        if (!response.ok || !node) {
          // Refused: the reason beside the thread; a thread action also sends the thread as it now
          // stands (e.g. closed meanwhile by a colleague), which replaces the stale one.
          var thread = form.closest(".thread");
          if (!response.ok && node && old) {
            old.replaceWith(node);
            thread = panels(data, node);
            counters(data);
          }
          status((thread && thread.querySelector(".card-body")) || form, data.message || "", false);
          return;
        }
        if (old) {
          old.replaceWith(node);
        } else {
          var toggle = form.id ? form.parentNode.querySelector("[data-bs-target='#" + form.id + "']") : null;
          var before = toggle && toggle.parentNode === form.parentNode ? toggle : form;
          form.parentNode.insertBefore(node, before);
          var quote = form.querySelector("[name=quote]");
          markQuote(form, quote ? quote.value.trim() : "");
          form.reset();
          if (form.classList.contains("collapse") && window.bootstrap && window.bootstrap.Collapse) {
            window.bootstrap.Collapse.getOrCreateInstance(form, { toggle: false }).hide();
          }
        }
        node = panels(data, node);
        status(node.querySelector(".card-body") || node, data.message, true);
        counters(data);
      });
    }, plainPost); // the request never reached the server: post it the ordinary way
  });

  // Progress bars: the width comes from data attributes (inline styles are forbidden by the CSP).
  document.querySelectorAll(".review-progress[data-max]").forEach(function (bar) {
    var max = parseFloat(bar.getAttribute("data-max")) || 0;
    var value = parseFloat(bar.getAttribute("data-value")) || 0;
    bar.style.width = (max ? Math.min(100, (100 * value) / max) : 0) + "%";
  });
})();
