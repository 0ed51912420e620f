// Accreditation pages: small progressive enhancements (no inline scripts, CSP).
(function () {
  "use strict";
  // "Chọn nhanh": buttons [data-select-group="mn"] tick every checkbox [data-group="mn"]; an empty
  // value clears every box.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-select-group]");
    if (!button) {
      return;
    }
    var group = button.getAttribute("data-select-group");
    var form = button.closest("form") || document;
    form.querySelectorAll("input[type=checkbox][data-group]").forEach(function (box) {
      if (!group) {
        box.checked = false;
      } else if (box.getAttribute("data-group") === group) {
        box.checked = true;
      }
    });
  });
  // Buttons marked data-confirm-click ask before submitting (one of several buttons of a form,
  // e.g. "save and submit" beside "save").
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-confirm-click]");
    if (button && !window.confirm(button.getAttribute("data-confirm-click"))) {
      event.preventDefault();
    }
  });
  // Results table: highlight a row whose external level differs from the self-assessed one.
  function markDiff(row) {
    var external = row.querySelector("select[data-role=external]");
    var own = row.querySelector("select[data-role=self]");
    if (!external || !own) {
      return;
    }
    var differs = external.value !== "" && own.value !== "" && external.value !== own.value;
    row.classList.toggle("table-warning", differs);
  }
  document.querySelectorAll("tr[data-result-row]").forEach(markDiff);
  document.addEventListener("change", function (event) {
    var row = event.target.closest && event.target.closest("tr[data-result-row]");
    if (row) {
      markDiff(row);
    }
  });
  // "Copy the self-assessed level into the external one" for rows left empty.
  var copy = document.querySelector("[data-copy-self-levels]");
  if (copy) {
    copy.addEventListener("click", function () {
      document.querySelectorAll("tr[data-result-row]").forEach(function (row) {
        var external = row.querySelector("select[data-role=external]");
        var own = row.querySelector("select[data-role=self]");
        if (external && own && external.value === "" && own.value !== "") {
          external.value = own.value;
          markDiff(row);
        }
      });
    });
  }
})();
