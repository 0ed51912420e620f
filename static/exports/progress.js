// kiemdinh exports: the progress of a background export, polled from its JSON status URL.
// Progressive enhancement of templates/exports/partials/_job_progress.html (no inline script: CSP).
(function () {
  "use strict";

  function setBar(card, progress) {
    var bar = card.querySelector("[data-job-bar]");
    var wrap = card.querySelector("[data-job-bar-wrap]");
    var value = Math.max(0, Math.min(100, parseInt(progress, 10) || 0));
    if (bar) { bar.style.width = value + "%"; }  // CSSOM, allowed by the CSP (no inline style attribute)
    // The percentage stands beside the status, readable however thin the bar still is.
    text(card, "[data-job-percent]", value + "%");
    if (wrap) { wrap.setAttribute("aria-valuenow", String(value)); }
  }

  function text(card, selector, value) {
    var el = card.querySelector(selector);
    if (el) { el.textContent = value || ""; }
    return el;
  }

  function watch(card) {
    var url = card.getAttribute("data-status-url");
    var active = ["queued", "running"].indexOf(card.getAttribute("data-status")) !== -1;
    var delay = 1000;
    setBar(card, card.querySelector("[data-job-bar]").getAttribute("data-progress"));
    if (!active || !url || !window.fetch) { return; }

    function poll() {
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (data) {
          setBar(card, data.progress);
          text(card, "[data-job-label]", data.status_label);
          text(card, "[data-job-step]", data.step);
          if (!data.active) {
            // Finished or failed: the page itself shows the download or the retry button.
            window.location.reload();
            return;
          }
          delay = Math.min(delay * 1.3, 5000);
          window.setTimeout(poll, delay);
        })
        .catch(function () {
          // The server or the network hiccuped: keep trying, more slowly.
          delay = Math.min(delay * 2, 15000);
          window.setTimeout(poll, delay);
        });
    }
    window.setTimeout(poll, delay);
  }

  document.querySelectorAll("[data-export-job]").forEach(watch);
})();
