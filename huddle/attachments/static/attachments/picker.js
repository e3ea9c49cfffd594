// The file picker of composers and reply boxes (templates/attachments/_picker.html):
// each chosen or dropped file uploads at once to POST /api/v1/attachments with a
// progress bar; a finished one adds a hidden attachment_ids input to the form; any
// file can be removed before sending. The form waits for unfinished uploads.
"use strict";

(() => {
  const units = ["bytes", "KB", "MB", "GB"];
  function size(bytes) {
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
    return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
  }

  function setup(picker) {
    const form = picker.closest("form");
    const input = picker.querySelector("[data-file-input]");
    const drop = picker.querySelector("[data-file-drop]");
    const list = picker.querySelector("[data-file-list]");
    const wait = picker.querySelector("[data-file-wait]");
    const url = picker.dataset.uploadUrl;
    const maxBytes = Number(picker.dataset.maxBytes);
    const maxFiles = Number(picker.dataset.maxFiles);
    const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;

    function item(file) {
      const li = document.createElement("li");
      li.className = "file-item";
      const name = document.createElement("span");
      name.className = "file-name";
      name.textContent = file.name;
      const meta = document.createElement("span");
      meta.className = "file-meta";
      meta.textContent = size(file.size);
      const bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", `Uploading ${file.name}`);
      const error = document.createElement("p");
      error.className = "file-error";
      error.setAttribute("role", "alert");
      error.hidden = true;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "button-quiet file-remove";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", `Remove ${file.name}`);
      remove.setAttribute("data-file-remove", "");
      li.append(name, meta, bar, remove, error);
      list.append(li);
      return { li, meta, bar, error };
    }

    function fail(parts, message) {
      parts.li.classList.add("is-failed");
      parts.li.classList.remove("is-uploading");
      parts.bar.remove();
      parts.error.textContent = message;
      parts.error.hidden = false;
    }

    function upload(file) {
      const parts = item(file);
      const count = list.querySelectorAll(".file-item:not(.is-failed)").length;
      if (count > maxFiles) { fail(parts, `Attach at most ${maxFiles} files to one message.`); return; }
      if (file.size > maxBytes) {
        fail(parts, `This file is too large: a file may be at most ${picker.dataset.maxLabel}.`);
        return;
      }
      if (file.size === 0) { fail(parts, "This file is empty."); return; }
      const request = new XMLHttpRequest();
      parts.li.classList.add("is-uploading");
      parts.li.upload = request;
      request.open("POST", url);
      request.setRequestHeader("X-CSRFToken", token);
      request.responseType = "json";
      request.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) parts.bar.value = Math.round((event.loaded / event.total) * 100);
      });
      request.addEventListener("load", () => {
        const body = request.response || {};
        if (request.status !== 201) {
          const problem = body.error || {};
          fail(parts, (problem.fields && problem.fields.file) || problem.message
            || "The file could not be uploaded. Try again.");
          return;
        }
        parts.li.classList.remove("is-uploading");
        parts.li.classList.add("is-done");
        parts.bar.remove();
        parts.meta.textContent = `${size(body.size)} · uploaded`;
        const hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = "attachment_ids";
        hidden.value = body.id;
        parts.li.append(hidden);
        if (!list.querySelector(".is-uploading")) wait.hidden = true;
      });
      request.addEventListener("error", () => fail(parts, "The upload failed. Check the connection and try again."));
      request.send((() => { const data = new FormData(); data.append("file", file); return data; })());
    }

    function take(files) {
      for (const file of files) upload(file);
    }

    input.addEventListener("change", () => { take(input.files); input.value = ""; });
    // The script arrives with the swapped-in pane, so files may have been chosen
    // before it ran: upload those too.
    if (input.files && input.files.length) { take(input.files); input.value = ""; }
    for (const name of ["dragenter", "dragover"]) {
      drop.addEventListener(name, (event) => { event.preventDefault(); drop.classList.add("is-over"); });
    }
    for (const name of ["dragleave", "drop"]) {
      drop.addEventListener(name, () => drop.classList.remove("is-over"));
    }
    drop.addEventListener("drop", (event) => {
      event.preventDefault();
      if (event.dataTransfer) take(event.dataTransfer.files);
    });
    list.addEventListener("click", (event) => {
      const button = event.target.closest("[data-file-remove]");
      if (!button) return;
      const li = button.closest(".file-item");
      if (li.upload) li.upload.abort();
      li.remove();
      if (!list.querySelector(".is-uploading")) wait.hidden = true;
      input.focus();
    });
    // Registered before app.js's send-once handler sees the event (capture).
    form.addEventListener("submit", (event) => {
      if (list.querySelector(".is-uploading")) {
        event.preventDefault();
        wait.hidden = false;
      }
    }, true);
  }

  // htmx runs this again for each composer or thread it swaps in: each picker once.
  for (const picker of document.querySelectorAll("[data-file-picker]:not([data-picker-ready])")) {
    picker.setAttribute("data-picker-ready", "");
    setup(picker);
  }
})();
