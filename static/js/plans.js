// Improvement-plan tracking: clicking an evidence code in the library list adds it to the note's
// evidence field (typing the code works the same without script).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-add-code]") : null;
    if (!button) {
      return;
    }
    var field = document.getElementById(button.getAttribute("data-target"));
    if (!field) {
      return;
    }
    var code = button.getAttribute("data-add-code");
    var codes = field.value.split(/[;,\s]+/).filter(function (c) { return c; });
    if (codes.indexOf(code) === -1) {
      codes.push(code);
    }
    field.value = codes.join("; ");
    field.focus();
  });
})();
