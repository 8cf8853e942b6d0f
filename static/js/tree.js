// A results tree: each result with results under it has a button that shows or hides them, and
// "Expand all" / "Collapse all" do it for every one. Without this script every result is shown.
function setOpen(button, open) {
  button.setAttribute("aria-expanded", open ? "true" : "false");
  var below = document.getElementById(button.getAttribute("aria-controls"));
  if (below) { below.hidden = !open; }
}
document.querySelectorAll("[data-tree-node]").forEach(function (button) {
  button.addEventListener("click", function () {
    setOpen(button, button.getAttribute("aria-expanded") !== "true");
  });
});
document.querySelectorAll("[data-tree-toggle]").forEach(function (button) {
  button.addEventListener("click", function () {
    var open = button.dataset.treeToggle === "open";
    document.querySelectorAll("#tree [data-tree-node]").forEach(function (node) { setOpen(node, open); });
  });
});
