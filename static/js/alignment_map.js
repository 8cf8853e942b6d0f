// Draws the alignment edges between the two chains' boxes as SVG curves, and redraws on resize.
(function () {
  var root = document.getElementById("amap");
  var data = document.getElementById("amap-edges");
  if (!root || !data) return;
  var edges = JSON.parse(data.textContent);
  var svg = root.querySelector("svg.edges");
  var NS = "http://www.w3.org/2000/svg";

  function anchor(box, towardsRight) {
    var r = box.getBoundingClientRect(), base = root.getBoundingClientRect();
    return { x: (towardsRight ? r.right : r.left) - base.left, y: r.top + r.height / 2 - base.top };
  }

  function draw() {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    edges.forEach(function (e) {
      var s = document.getElementById("box-" + e.source), t = document.getElementById("box-" + e.target);
      if (!s || !t) return;
      var sr = s.getBoundingClientRect(), tr = t.getBoundingClientRect();
      var leftToRight = sr.left < tr.left;
      var a = anchor(s, leftToRight), b = anchor(t, !leftToRight);
      var dx = Math.max(40, Math.abs(b.x - a.x) / 2) * (leftToRight ? 1 : -1);
      var path = document.createElementNS(NS, "path");
      path.setAttribute("d", "M" + a.x + "," + a.y + " C" + (a.x + dx) + "," + a.y + " " + (b.x - dx) + "," + b.y + " " + b.x + "," + b.y);
      path.setAttribute("class", "edge edge-" + e.relation);
      path.dataset.source = e.source; path.dataset.target = e.target;
      svg.appendChild(path);
    });
  }

  function highlight(id, on) {
    svg.querySelectorAll("path").forEach(function (p) {
      var hit = p.dataset.source === id || p.dataset.target === id;
      p.style.opacity = on ? (hit ? 1 : 0.08) : "";
      if (hit) {
        var other = document.getElementById("box-" + (p.dataset.source === id ? p.dataset.target : p.dataset.source));
        if (other) other.classList.toggle("highlight", on);
      }
    });
  }

  root.querySelectorAll(".box").forEach(function (box) {
    var id = box.id.replace("box-", "");
    ["mouseenter", "focusin"].forEach(function (ev) { box.addEventListener(ev, function () { highlight(id, true); }); });
    ["mouseleave", "focusout"].forEach(function (ev) { box.addEventListener(ev, function () { highlight(id, false); }); });
  });
  window.addEventListener("resize", draw);
  draw();
})();
