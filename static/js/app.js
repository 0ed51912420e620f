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
  // Selects marked data-autosubmit submit their form on change (list filters).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) {
      el.form.submit();
    }
  });
})();
