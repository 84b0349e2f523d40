// Print buttons (the counter's guidance sheet, the official set). No inline handlers: the
// Content-Security-Policy allows scripts from this site's files only.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".print-button").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
});
