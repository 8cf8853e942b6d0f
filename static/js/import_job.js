// A large import's page (templates/spreadsheets/job.html): poll the job's status every second, move
// the progress bar, and reload the page when the job is done (it then shows the preview or outcome).
(function () {
  "use strict";
  var box = document.getElementById("import-job");
  if (!box) { return; }
  var bar = box.querySelector(".progress");
  var fill = box.querySelector(".progress-bar");
  var message = document.getElementById("import-job-message");
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      })
      .then(function (state) {
        bar.setAttribute("aria-valuenow", String(state.progress));
        fill.style.width = state.progress + "%";
        fill.textContent = state.progress + "%";
        if (message.textContent !== state.message) { message.textContent = state.message; }
        if (state.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
