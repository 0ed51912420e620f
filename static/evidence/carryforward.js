// kiemdinh – the carry-forward page: "Chọn mọi đề xuất đang hiện" ticks (or unticks) every proposal shown.
(function () {
  "use strict";
  document.querySelectorAll("[data-cf-select-all]").forEach(function (button) {
    button.addEventListener("click", function () {
      var boxes = Array.prototype.slice.call(document.querySelectorAll("input[type=checkbox][form=cf-bulk]"));
      var tick = boxes.some(function (box) { return !box.checked; });
      boxes.forEach(function (box) { box.checked = tick; });
    });
  });
})();
