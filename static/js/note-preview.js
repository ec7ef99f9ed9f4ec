/* The note editor's Write and Preview tabs, in place: Preview posts the body alone to the preview
   endpoint and shows the HTML it answers, rendered by the notes' Markdown rules. Without this
   script the tabs post the whole form, which comes back with the preview shown, saved nothing. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-preview-url]");
  if (!form) {
    return;
  }
  var tabs = Array.from(form.querySelectorAll('[role="tab"]'));
  var body = form.elements.body;
  var preview = document.getElementById("body-preview");
  var latest = 0; // an older answer that arrives late never replaces a newer one

  function select(tab) {
    tabs.forEach(function (each) {
      var selected = each === tab;
      each.setAttribute("aria-selected", String(selected));
      each.tabIndex = selected ? 0 : -1;
      document.getElementById(each.getAttribute("aria-controls")).hidden = !selected;
    });
  }

  function render(tab) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    data.append("body", body.value);
    var request = ++latest;
    preview.setAttribute("aria-busy", "true");
    preview.textContent = "Rendering the preview\u2026";
    fetch(form.getAttribute("data-preview-url"), { method: "POST", body: data, credentials: "same-origin" })
      .then(function (answer) {
        if (answer.redirected || (!answer.ok && answer.status !== 400 && answer.status !== 413)) {
          throw new Error(String(answer.status)); // logged out, or the server failed
        }
        return answer.text().then(function (text) {
          if (request !== latest) {
            return;
          }
          preview.removeAttribute("aria-busy");
          if (answer.ok) {
            preview.innerHTML = text; // the server's rendering: author HTML is escaped there
          } else {
            preview.textContent = text; // why this body cannot be previewed (400, 413)
          }
        });
      })
      .catch(function () {
        form.requestSubmit(tab); // the page answers as it would without the script
      });
  }

  function show(tab) {
    select(tab);
    if (tab.value === "preview") {
      render(tab);
    }
  }

  tabs.forEach(function (tab, index) {
    tab.tabIndex = tab.getAttribute("aria-selected") === "true" ? 0 : -1;
    tab.addEventListener("click", function (event) {
      event.preventDefault();
      show(tab);
    });
    tab.addEventListener("keydown", function (event) {
      var step = { ArrowLeft: -1, ArrowRight: 1 }[event.key];
      if (step) {
        var next = tabs[(index + step + tabs.length) % tabs.length];
        next.focus();
        show(next);
      }
    });
  });
})();
