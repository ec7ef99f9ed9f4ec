/* The note editor's checklist and attribute rows, in place: add a blank row from the formset's
   template, remove a row (its Remove box ticked, the row hidden), move checklist items up and
   down (their Position boxes numbered in the order shown). Without this script the Add buttons
   post the form, which comes back with one more blank row, and each row shows its boxes. */
(function () {
  "use strict";

  function visibleSibling(row, direction) {
    var sibling = row[direction];
    while (sibling && sibling.hidden) {
      sibling = sibling[direction];
    }
    return sibling;
  }

  function tool(text, label, action) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary outline row-tool";
    button.textContent = text;
    button.title = label;
    button.setAttribute("aria-label", label);
    button.addEventListener("click", function () {
      action(button);
    });
    return button;
  }

  document.querySelectorAll("fieldset[data-rows]").forEach(function (fieldset) {
    var prefix = fieldset.getAttribute("data-rows");
    var total = fieldset.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var maximum = fieldset.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
    var rows = fieldset.querySelector(".rows");
    var template = fieldset.querySelector("template");
    var add = fieldset.querySelector("button[data-add-row]");
    if (!total || !maximum || !rows || !template || !add) {
      return;
    }
    var limit = document.createElement("small");
    limit.className = "field-error";
    limit.setAttribute("aria-live", "polite");
    add.insertAdjacentElement("afterend", limit);

    function number() {
      rows.querySelectorAll('input[name$="-ORDER"]').forEach(function (order, index) {
        order.value = String(index + 1);
      });
    }

    function moveUp(row, button) {
      var above = visibleSibling(row, "previousElementSibling");
      if (above) {
        rows.insertBefore(row, above);
        number();
      }
      button.focus();
    }

    function moveDown(row, button) {
      var below = visibleSibling(row, "nextElementSibling");
      if (below) {
        rows.insertBefore(below, row);
        number();
      }
      button.focus();
    }

    function remove(row) {
      row.querySelector('input[name$="-DELETE"]').checked = true;
      var next = visibleSibling(row, "nextElementSibling") || visibleSibling(row, "previousElementSibling");
      row.hidden = true;
      var focus = next ? next.querySelector("input:not([type=checkbox])") : add;
      focus.focus();
    }

    function enhance(row) {
      var tools = document.createElement("div");
      tools.className = "row-tools";
      var order = row.querySelector(".row-order");
      if (order) {
        order.hidden = true;
        tools.append(
          tool("\u2191", "Move up", function (button) {
            moveUp(row, button);
          }),
          tool("\u2193", "Move down", function (button) {
            moveDown(row, button);
          })
        );
      }
      tools.append(
        tool("\u2715", "Remove", function () {
          remove(row);
        })
      );
      var deletion = row.querySelector(".row-delete");
      deletion.hidden = true;
      row.hidden = deletion.querySelector("input").checked;
      row.append(tools);
    }

    fieldset.classList.add("rows-in-place");
    Array.from(rows.children).forEach(enhance);
    add.addEventListener("click", function (event) {
      event.preventDefault();
      var index = parseInt(total.value, 10);
      if (index >= parseInt(maximum.value, 10)) {
        limit.textContent = add.getAttribute("data-row-limit");
        return;
      }
      rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
      total.value = String(index + 1);
      var row = rows.lastElementChild;
      enhance(row);
      row.querySelector("input:not([type=checkbox])").focus();
    });
  });
})();
