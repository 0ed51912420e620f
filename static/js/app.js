// kiemdinh: small progressive enhancements shared by every page.
(function () {
  "use strict";
  // Forms marked data-confirm ask before submitting (e.g. revoking a role).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Date boxes (kiemdinh/dates.py DateInput) read dd/mm/yyyy: "5/9/2024", "5-9-2024" and an ISO
  // "2024-09-05" are rewritten as "05/09/2024" once typed; the server accepts all of them anyway.
  function pad2(text) { return text.length < 2 ? "0" + text : text; }
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!el.matches || !el.matches("[data-date-input]")) {
      return;
    }
    var value = el.value.trim();
    var dmy = /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})$/.exec(value);
    var iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
    if (dmy) {
      el.value = pad2(dmy[1]) + "/" + pad2(dmy[2]) + "/" + dmy[3];
    } else if (iso) {
      el.value = pad2(iso[3]) + "/" + pad2(iso[2]) + "/" + iso[1];
    }
  }, true);
  // Selects marked data-autosubmit submit their form on change (list filters).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) {
      el.form.submit();
    }
  });
})();
