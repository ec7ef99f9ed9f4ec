/* Add blank rows to the note editor's checklist and attributes formsets.
   The editor works without this: the server always renders a few blank rows. */
(function () {
  "use strict";
  document.querySelectorAll("button[data-add-row]").forEach(function (button) {
    var prefix = button.getAttribute("data-add-row");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var maximum = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var rows = document.getElementById(prefix + "-rows");
    var template = document.getElementById(prefix + "-empty-row");
    if (!total || !rows || !template) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (maximum && index >= parseInt(maximum.value, 10)) {
        button.disabled = true;
        return;
      }
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = rows.lastElementChild && rows.lastElementChild.querySelector("input[type=text]");
      if (first) {
        first.focus();
      }
    });
  });
})();
