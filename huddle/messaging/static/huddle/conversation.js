// Drafts and Send later in the reply box and the composer (docs/MESSAGING.md, F18, F21).
// A form with data-draft-url keeps its text on the server while typing (debounced,
// with a quiet "Saved"), fills it back after a reload or on another device, and keeps
// the text in the page when the connection is lost, saving again once it is back.
// Without this script the forms still send; only the drafts are not kept.
// In the two panes htmx runs this again for each thread or composer it swaps in: each
// form is set up once, and a form that has been sent (swapped out) saves no more.
"use strict";

(function () {
  // "When": the chosen-time field shows only for "At a time I choose".
  for (const select of document.querySelectorAll("select[name=send_later]")) {
    const at = select.closest("form").querySelector("[data-send-at]");
    if (!at || select.dataset.sendAtReady) continue;
    select.dataset.sendAtReady = "yes";
    const sync = () => { at.hidden = select.value !== "custom"; };
    select.addEventListener("change", sync);
    sync();
  }

  const form = document.querySelector("form[data-draft-url]");
  if (!form || form.dataset.draftReady) return;
  form.dataset.draftReady = "yes";
  const body = form.querySelector("textarea[name=body]");
  const status = form.querySelector("[data-draft-status]");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
  if (!body || !csrf) return;
  let url = form.dataset.draftUrl;
  // A new thread's draft is created on the first save; its id then names it.
  const draftId = form.querySelector("input[name=draft_id]");
  const isReply = !draftId;
  let timer = null;
  let saving = false;
  let dirty = false;
  // What the server rendered: text typed before this script ran is not saved yet.
  let lastSaved = body.defaultValue;

  function say(text) { if (status) status.textContent = text; }

  function fields() {
    if (isReply) return { body: body.value };
    const subject = form.querySelector("input[name=subject]");
    const users = [];
    const groups = [];
    for (const option of form.querySelectorAll("select[name=recipients] option:checked")) {
      const [kind, ref] = option.value.split(":");
      (kind === "user" ? users : groups).push(ref);
    }
    return { subject: subject ? subject.value : "", body: body.value, recipients: { users, groups } };
  }

  async function save() {
    timer = null;
    // Sent, and replaced by the thread's new state: its text is a message now, not a draft.
    if (!form.isConnected) return;
    if (saving) { dirty = true; return; }
    const data = fields();
    if (isReply && data.body === lastSaved) return;
    saving = true;
    say("Saving…");
    try {
      const target = isReply || !draftId.value ? url : `/api/v1/drafts/${draftId.value}`;
      const method = isReply || draftId.value ? "PUT" : "POST";
      const response = await fetch(target, {
        method,
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf.value },
        body: JSON.stringify(data),
      });
      if (!response.ok) throw new Error(String(response.status));
      const saved = await response.json();
      if (!isReply && saved.id) draftId.value = saved.id;
      lastSaved = data.body;
      say("Saved");
    } catch (error) {
      // Offline or refused: the text stays here, and is saved when the connection is back.
      say("Not saved yet: your text stays here");
      dirty = true;
    } finally {
      saving = false;
      if (dirty && navigator.onLine) { dirty = false; later(); }
    }
  }

  function later() {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(save, 800);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  // Sending takes the draft away on the server; a save still waiting would bring it back.
  form.addEventListener("submit", () => {
    if (timer) window.clearTimeout(timer);
    timer = null;
  });
  window.addEventListener("online", () => { if (dirty) { dirty = false; later(); } });
  // The script arrives with the swapped-in pane: keep what was typed before it ran.
  if (body.value !== body.defaultValue) later();

  // After a reload or on another device: the reply draft comes back.
  if (isReply && !body.value) {
    fetch(url, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : null))
      .then((draft) => {
        if (draft && !body.value) {
          body.value = draft.body;
          lastSaved = draft.body;
          if (draft.body) say("Draft restored");
        }
      })
      .catch(() => {});
  }
})();
