// kiemdinh – small enhancements of the evidence pages (no inline scripts: CSP).
(function () {
  "use strict";

  // "Chép" buttons copy the value of the input they point at (the citation of an item).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy-target]");
    if (!button) {
      return;
    }
    var input = document.getElementById(button.getAttribute("data-copy-target"));
    if (!input) {
      return;
    }
    function done() {
      var label = button.getAttribute("data-copied-label");
      if (label) {
        var original = button.innerHTML;
        button.textContent = label;
        window.setTimeout(function () { button.innerHTML = original; }, 1500);
      }
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () {
        input.select();
      });
    } else {
      input.select();
      try {
        document.execCommand("copy");
        done();
      } catch (error) {
        // the text stays selected for the user to copy
      }
    }
  });

  // The create form shows the code the item will get, following the chosen criterion and box.
  var data = document.getElementById("evidence-code-previews");
  var preview = document.getElementById("evidence-code-preview");
  var criterion = document.getElementById("id_criterion");
  var box = document.getElementById("id_box");
  if (!data || !preview || !criterion) {
    return;
  }
  var previews = JSON.parse(data.textContent);
  function pad(value, width) {
    var text = String(value);
    while (text.length < width) {
      text = "0" + text;
    }
    return text;
  }
  function format(template, values) {
    return template.replace(/\{(box|std|crit|seq)(?::0(\d)d)?\}/g, function (match, name, width) {
      return width ? pad(values[name], parseInt(width, 10)) : String(values[name]);
    });
  }
  function refresh() {
    var entry = previews[criterion.value];
    if (!entry) {
      preview.classList.add("d-none");
      return;
    }
    var chosenBox = box && parseInt(box.value, 10);
    var values = { box: chosenBox > 0 ? chosenBox : entry.box, std: entry.std, crit: entry.crit, seq: entry.seq };
    preview.querySelector("[data-role=code]").textContent = format(entry.template, values);
    preview.classList.remove("d-none");
  }
  criterion.addEventListener("change", refresh);
  if (box) {
    box.addEventListener("input", refresh);
  }
  refresh();
})();
