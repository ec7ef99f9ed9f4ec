/* The note editor's keyboard save and unsaved-changes warning: Ctrl+Enter (⌘+Enter on a Mac) in
   any field saves; leaving the page with changes not saved asks first. A form the server showed
   again (a failed save, or a button that saved nothing) holds unsaved changes from the start. */
(function () {
  "use strict";
  var form = document.querySelector("form.note-editor");
  if (!form) {
    return;
  }
  var save = form.querySelector(".note-actions button[type=submit]");
  var hint = form.querySelector("[data-save-hint]");
  var leaving = false;

  function state() {
    return new URLSearchParams(new FormData(form)).toString();
  }

  var loaded = state();

  function unsaved() {
    return form.hasAttribute("data-unsaved") || state() !== loaded;
  }

  hint.hidden = false;
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit(save);
    }
  });
  form.addEventListener("submit", function () {
    leaving = true;
  });
  window.addEventListener("pageshow", function () {
    leaving = false; // back from the next page, this one may be left again
  });
  window.addEventListener("beforeunload", function (event) {
    if (!leaving && unsaved()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
