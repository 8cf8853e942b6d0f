// Print buttons: the CSP forbids inline handlers (onclick="..."), so they are bound here.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});

// A large scorecard folds each level's rows (templates/scorecard/_sheet.html): a printout shows
// them all, and the page returns to what the reader had open afterwards.
(function () {
  var folds = document.querySelectorAll("details.sc-fold");
  if (!folds.length) { return; }
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = Array.prototype.filter.call(folds, function (d) { return !d.open; });
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
    closed = [];
  });
  document.querySelectorAll("[data-fold-all]").forEach(function (button) {
    button.addEventListener("click", function () {
      folds.forEach(function (d) { d.open = true; });
      button.closest("p").hidden = true;
    });
  });
}());
