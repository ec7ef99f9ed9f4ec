// Quick actions (pin, tick a checklist item) sent in place; without this script the forms post and come back.
(function () {
  "use strict";

  function show(form, state) {
    if (form.dataset.quick === "pin") {
      form.elements.pinned.value = state.pinned ? "0" : "1";
      var pin = form.querySelector("button");
      pin.textContent = state.pinned ? "Unpin" : "Pin";
      pin.setAttribute("aria-pressed", String(state.pinned));
      return;
    }
    form.elements.done.value = state.done ? "0" : "1";
    var button = form.querySelector("button");
    button.setAttribute("aria-pressed", String(state.done));
    button.title = state.done ? "Untick" : "Tick";
    form.querySelector(".quick-box").textContent = state.done ? "\u2611" : "\u2610";
    form.querySelector(".quick-done").hidden = !state.done;
    form.closest("li").classList.toggle("done", state.done);
    var list = form.closest("[data-checklist]");
    var count = list && list.querySelector("[data-done-count]");
    if (count) {
      count.textContent = state.done_count + "/" + state.total + " done";
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form.quick-action");
    if (!form) {
      return;
    }
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
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
        show(form, state);
      })
      .catch(function () {
        form.submit(); // the page answers as it would without the script
      });
  });
})();
