// Expand or collapse every node of a results tree.
document.querySelectorAll("[data-tree-toggle]").forEach(function (button) {
  button.addEventListener("click", function () {
    var open = button.dataset.treeToggle === "open";
    document.querySelectorAll("#tree details").forEach(function (d) { d.open = open; });
  });
});
