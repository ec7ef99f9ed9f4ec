// A live counter under each input with data-max-length: the limit is shown, never enforced by cutting.
// Without this script the server's form error says the same when the form is sent.
(function () {
  "use strict";
  document.querySelectorAll("input[data-max-length]").forEach(function (input) {
    var limit = parseInt(input.getAttribute("data-max-length"), 10);
    var counter = document.createElement("small");
    counter.className = "length-counter";
    counter.id = input.id + "_counter";
    counter.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", counter);
    input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + counter.id).trim());

    var marked = false;

    function update() {
      var length = Array.from(input.value).length;
      var over = length - limit;
      counter.textContent = over > 0 ? length + "/" + limit + ": " + over + " too many" : length + "/" + limit;
      counter.classList.toggle("length-over", over > 0);
      if (over > 0) {
        input.setAttribute("aria-invalid", "true");
        marked = true;
      } else if (marked) {
        input.removeAttribute("aria-invalid");
        marked = false;
      }
    }

    input.addEventListener("input", update);
    update();
  });
})();
