// Quick actions (pin, tick a checklist item) sent in place. Each is a button that submits the page's one
// form#quick-actions to its own formaction; without this script that form posts and the page comes back.
(function () {
  "use strict";

  function show(button, state) {
    if (button.dataset.quick === "pin") {
      button.value = state.pinned ? "0" : "1";
      button.textContent = state.pinned ? "Unpin" : "Pin";
      button.setAttribute("aria-pressed", String(state.pinned));
      return;
    }
    button.value = state.done ? "0" : "1";
    button.setAttribute("aria-pressed", String(state.done));
    button.title = state.done ? "Untick" : "Tick";
    button.querySelector(".quick-box").textContent = state.done ? "\u2611" : "\u2610";
    button.querySelector(".quick-done").hidden = !state.done;
    button.closest("li").classList.toggle("done", state.done);
    var list = button.closest("[data-checklist]");
    var count = list && list.querySelector("[data-done-count]");
    if (count) {
      count.textContent = state.done_count + "/" + state.total + " done";
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    if (form.id !== "quick-actions" || !button || !button.dataset.quick || form.dataset.plain) {
      return;
    }
    event.preventDefault();
    var data = new FormData(form);
    data.append(button.name, button.value);
    fetch(button.formAction, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (answer) {
        if (!answer.ok) {
          throw new Error(String(answer.status));
        }
        return answer.json();
      })
      .then(function (state) {
        show(button, state);
      })
      .catch(function () {
        form.dataset.plain = "true"; // the page answers as it would without the script
        form.requestSubmit(button);
      });
  });
})();
