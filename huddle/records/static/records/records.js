// Settings › Records: the running export's progress bar, moved by the live event
// `export_progress` (live.js passes it on as `huddle:export_progress`) and, should
// no live event arrive, by asking the API every few seconds. Done or failed:
// the page reloads to show the download or the failure.
(function () {
  "use strict";
  const box = document.querySelector("[data-export-id]");
  if (!box) return;
  const id = box.dataset.exportId;
  const bar = box.querySelector("[data-export-bar]");
  const percent = box.querySelector("[data-export-percent]");
  const status = box.querySelector("[data-export-status]");
  const labels = { queued: "Queued", running: "Running", done: "Done", failed: "Failed" };
  let finished = false;

  function show(data) {
    if (finished || String(data.id) !== id) return;
    bar.value = data.progress;
    bar.textContent = Math.round(data.progress * 100) + "%";
    percent.textContent = Math.round(data.progress * 100) + "% done";
    status.textContent = labels[data.status] || data.status;
    if (data.status === "done" || data.status === "failed") {
      finished = true;
      window.location.reload();
    }
  }

  document.addEventListener("huddle:export_progress", (event) => show(event.detail));

  async function ask() {
    try {
      const response = await fetch("/api/v1/exports/" + id, { credentials: "same-origin" });
      if (response.ok) show(await response.json());
    } catch (error) {
      // Offline for a moment: the next round asks again.
    }
    if (!finished) window.setTimeout(ask, 3000);
  }
  window.setTimeout(ask, 3000);
})();
