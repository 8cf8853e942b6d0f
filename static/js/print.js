// Print buttons: the CSP forbids inline handlers (onclick="..."), so they are bound here.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
