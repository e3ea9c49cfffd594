// Confirmation dialogs for forms marked data-confirm (no inline script: the CSP forbids it).
"use strict";

function confirmSubmit(form) {
  const dialog = document.createElement("dialog");
  dialog.setAttribute("role", "alertdialog");
  dialog.setAttribute("aria-modal", "true");
  const text = document.createElement("p");
  text.id = "confirm-text";
  text.textContent = form.dataset.confirm;
  dialog.setAttribute("aria-describedby", text.id);
  const actions = document.createElement("div");
  actions.className = "actions";
  const ok = document.createElement("button");
  ok.type = "button";
  ok.className = "button-danger";
  ok.textContent = form.querySelector("button[type=submit]").textContent;
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "button-quiet";
  cancel.textContent = "Cancel";
  actions.append(ok, cancel);
  dialog.append(text, actions);
  document.body.append(dialog);
  ok.addEventListener("click", () => {
    form.dataset.confirmed = "yes";
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
