/* The notes admin's checklist and attribute rows (templates/admin/notes/note/): add a row on demand,
   and move checklist items up and down, keeping their positions in step.
   The admin works without this: a blank row adds an item and the positions reorder them. */
(function () {
  "use strict";

  function equip(rows) {
    var prefix = rows.getAttribute("data-admin-rows");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var maximum = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var body = rows.querySelector("tbody");
    var template = rows.querySelector("template");
    var add = rows.querySelector("button[data-add-row]");
    var ordered = rows.hasAttribute("data-ordered");
    if (!total || !body || !template || !add) {
      return;
    }

    /* Number each row as it stands: its labels, and (for the checklist) the position the server sorts by. */
    function renumber() {
      Array.prototype.forEach.call(body.rows, function (row, index) {
        row.querySelectorAll("[data-row-number]").forEach(function (number) {
          number.textContent = String(index + 1);
        });
        var position = row.querySelector("input[name$='-ORDER']");
        if (position) {
          position.value = String(index + 1);
        }
      });
    }

    /* Show the rows in the order they will be saved in: a form sent back with an error lists them by index. */
    function sortByPosition() {
      Array.prototype.slice.call(body.rows)
        .map(function (row, index) {
          var position = parseInt(row.querySelector("input[name$='-ORDER']").value, 10);
          return { row: row, position: isNaN(position) ? Infinity : position, index: index };
        })
        .sort(function (a, b) {
          return a.position === b.position ? a.index - b.index : a.position - b.position;
        })
        .forEach(function (entry) {
          body.appendChild(entry.row);
        });
    }

    function full() {
      return maximum && parseInt(total.value, 10) >= parseInt(maximum.value, 10);
    }

    add.hidden = false;
    add.disabled = full();
    add.addEventListener("click", function () {
      if (full()) {
        return;
      }
      var index = parseInt(total.value, 10);
      body.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
      total.value = String(index + 1);
      add.disabled = full();
      if (ordered) {
        body.lastElementChild.querySelector(".admin-row-moves").hidden = false;
      }
      renumber();
      body.lastElementChild.querySelector("input[type=text]").focus();
    });

    if (!ordered) {
      return;
    }
    rows.classList.add("admin-rows-movable");
    rows.querySelectorAll(".admin-row-moves").forEach(function (moves) {
      moves.hidden = false;
    });
    body.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-move]");
      if (!button) {
        return;
      }
      var row = button.closest("tr");
      if (button.getAttribute("data-move") === "up" && row.previousElementSibling) {
        body.insertBefore(row, row.previousElementSibling);
      } else if (button.getAttribute("data-move") === "down" && row.nextElementSibling) {
        body.insertBefore(row.nextElementSibling, row);
      }
      renumber();
      button.focus();
    });
    sortByPosition();
    renumber();
  }

  function equipAll() {
    document.querySelectorAll("[data-admin-rows]").forEach(equip);
  }

  /* The admin loads form media in the page's head, before the rows exist. */
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", equipAll);
  } else {
    equipAll();
  }
})();
