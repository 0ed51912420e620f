// TT57 criterion page: when a verdict changes the computed levels (editor.js updates the badges),
// bring the school level's reasons up to date from the page as the server now renders it.
(function () {
  "use strict";
  var target = document.getElementById("school-explanation");
  var watched = document.getElementById("criterion-level");
  if (!target || !watched || !window.fetch || !window.DOMParser) return;
  var pending = null;
  function refresh() {
    fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("school-explanation");
        if (fresh) target.innerHTML = fresh.innerHTML;
      })
      .catch(function () { /* the reasons stay as they were; the badges are already right */ });
  }
  new MutationObserver(function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(refresh, 150);
  }).observe(watched, { childList: true, subtree: true });
})();
