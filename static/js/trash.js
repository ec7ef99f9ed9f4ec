// Delete from the note's page in one step: the note goes to the trash and the next page offers Undo.
// Without this script the Delete link opens the confirmation page, whose button does the same.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return; // a new tab or window: let the link open the confirmation page there
    }
    var link = event.target.closest("a[data-trash]");
    var form = link && document.getElementById(link.dataset.trash);
    if (!form) {
      return;
    }
    event.preventDefault();
    form.submit();
  });
})();
