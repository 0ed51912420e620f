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

  // Progress bars: the width comes from data attributes (inline styles are forbidden by the CSP).
  document.querySelectorAll(".review-progress[data-max]").forEach(function (bar) {
    var max = parseFloat(bar.getAttribute("data-max")) || 0;
    var value = parseFloat(bar.getAttribute("data-value")) || 0;
    bar.style.width = (max ? Math.min(100, (100 * value) / max) : 0) + "%";
  });
})();
