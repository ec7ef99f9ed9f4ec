// The import form says at once when a chosen file is over the limit, instead of sending it to be
// refused (the server checks the same: a form error, or a 413 past the limit). While a file
// uploads and is checked, the button says so.
(function () {
  "use strict";
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
    var form = input.form;
    var button = form.querySelector("button[type=submit]");

    function bytes(count) {
      return count.toLocaleString("en");
    }

    input.addEventListener("change", function () {
      var file = input.files[0];
      var message = file && file.size > limit
        ? "This file has " + bytes(file.size) + " bytes; an import takes at most " + bytes(limit) +
          " (" + (limit / 1048576).toFixed(1) + " MB)."
        : "";
      input.setCustomValidity(message);
      input.reportValidity();
    });

    var label = button.textContent;
    form.addEventListener("submit", function () {
      button.setAttribute("aria-busy", "true");
      button.textContent = "Importing…";
    });
    window.addEventListener("pageshow", function () {  // back to a page kept in the browser's cache
      button.removeAttribute("aria-busy");
      button.textContent = label;
    });
  });
})();
