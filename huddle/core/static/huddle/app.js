// Confirmation dialogs for forms marked data-confirm (no inline script: the CSP forbids it).
// data-confirm-title names the dialog; data-confirm says what will happen.
"use strict";

function confirmSubmit(form) {
  const submit = form.querySelector("button[type=submit]");
  const dialog = document.createElement("dialog");
  dialog.className = "confirm";
  dialog.setAttribute("role", "alertdialog");
  dialog.setAttribute("aria-modal", "true");
  const title = document.createElement("h2");
  title.id = "confirm-title";
  title.textContent = form.dataset.confirmTitle || "Are you sure?";
  dialog.setAttribute("aria-labelledby", title.id);
  const text = document.createElement("p");
  text.id = "confirm-text";
  text.textContent = form.dataset.confirm;
  dialog.setAttribute("aria-describedby", text.id);
  const actions = document.createElement("div");
  actions.className = "actions";
  const ok = document.createElement("button");
  ok.type = "button";
  // A destructive action is confirmed with a solid red button, others with the usual one.
  ok.className = submit.classList.contains("button-danger") ? "button-danger-solid" : "button-primary";
  ok.textContent = submit.textContent;
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "button-quiet";
  cancel.textContent = "Cancel";
  actions.append(ok, cancel);
  dialog.append(title, text, actions);
  document.body.append(dialog);
  ok.addEventListener("click", () => {
    form.dataset.confirmed = "yes";
    ok.disabled = true;
    dialog.close();
    form.requestSubmit();
  });
  cancel.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => dialog.remove());
  dialog.showModal();
  cancel.focus();
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
  if (form.dataset.confirmed === "yes") return;
  event.preventDefault();
  confirmSubmit(form);
});

// Forms marked data-once send once: the button is disabled as the form leaves
// (the server also refuses a second thread or reply from the same form).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-once")) return;
  if (event.defaultPrevented) return;
  const button = form.querySelector("button[type=submit]");
  if (button) window.setTimeout(() => { button.disabled = true; }, 0);
});

// Times are sent in UTC; show them in the practice's timezone (body data-timezone,
// Settings › Practice hours), else the reader's own.
const timeFormat = new Intl.DateTimeFormat(undefined, {
  month: "short", day: "numeric", hour: "numeric", minute: "2-digit",
  timeZone: document.body.dataset.timezone || undefined,
});
for (const node of document.querySelectorAll("time[datetime]")) {
  const when = new Date(node.getAttribute("datetime"));
  if (!Number.isNaN(when.getTime())) node.textContent = timeFormat.format(when);
}
