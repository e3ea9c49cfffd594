// Confirmation dialogs for forms marked data-confirm (no inline script: the CSP forbids it).
// data-confirm-title names the dialog; data-confirm says what will happen.
// Then: forms that send once, times in the reader's own words, the user menu and
// the phone menu (docs/FACE.md).
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

// In the capture phase, so that the confirmation comes before htmx sends the form.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
  if (form.dataset.confirmed === "yes") return;
  event.preventDefault();
  event.stopPropagation();
  confirmSubmit(form);
}, true);

// Forms marked data-once send once: the button is disabled as the form leaves
// (the server also refuses a second thread or reply from the same form).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-once")) return;
  if (event.defaultPrevented) return;
  const button = form.querySelector("button[type=submit]");
  if (button) window.setTimeout(() => { button.disabled = true; }, 0);
});

// Times are sent in UTC; show them in the practice's time zone (body
// data-timezone, Settings › Practice hours), else the reader's own, and in words:
// in lists "10:42", "Yesterday", "Mon", "Mar 4", then "Mar 4, 2025"; on messages
// the same with the time of day. The full date and time shows on hover and focus.
const timeZone = document.body.dataset.timezone || undefined;
const clock = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit", timeZone });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: "short", timeZone });
const dayMonth = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone });
const fullDate = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", year: "numeric", timeZone });
const fullTime = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short", timeZone });
// The calendar day in that time zone, as a number of days, to count days between.
const isoDay = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone });

function dayWords(when, now) {
  const day = (d) => Date.parse(isoDay.format(d) + "T00:00:00Z");
  const days = Math.round((day(now) - day(when)) / 86400000);
  if (days === 0) return null;
  if (days === 1) return "Yesterday";
  if (days > 1 && days < 7) return weekday.format(when);
  if (isoDay.format(when).slice(0, 4) === isoDay.format(now).slice(0, 4)) return dayMonth.format(when);
  return fullDate.format(when);
}

function relativeTime(when, now, withClock) {
  const words = dayWords(when, now);
  if (words === null) return clock.format(when);
  return withClock ? `${words}, ${clock.format(when)}` : words;
}

function showTimes(root) {
  const now = new Date();
  for (const node of root.querySelectorAll("time[datetime]")) {
    const when = new Date(node.getAttribute("datetime"));
    if (Number.isNaN(when.getTime())) continue;
    const full = fullTime.format(when);
    if (node.hasAttribute("data-relative") || node.hasAttribute("data-full")) {
      node.textContent = relativeTime(when, now, node.hasAttribute("data-full"));
      node.title = full;
      node.dataset.fullText = full;
      if (node.hasAttribute("data-full") && !node.closest("a")) node.tabIndex = 0;
    } else {
      node.textContent = dayMonth.format(when) + ", " + clock.format(when);
    }
  }
}
window.huddleShowTimes = showTimes;
showTimes(document);

// The user menu (a <details>): Escape closes it and returns to its button; so
// does a click elsewhere.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const open = document.querySelector("details.user-menu[open]");
  if (open) {
    open.open = false;
    open.querySelector("summary").focus();
  }
  const bar = document.querySelector(".topbar.menu-open");
  if (bar) closePhoneMenu(bar, true);
});
document.addEventListener("click", (event) => {
  for (const menu of document.querySelectorAll("details.user-menu[open]")) {
    if (!menu.contains(event.target)) menu.open = false;
  }
  const bar = document.querySelector(".topbar.menu-open");
  if (bar && !bar.contains(event.target)) closePhoneMenu(bar, false);
});

// The phone menu: on narrow screens the sections fold behind one Menu button.
// Only where there is more than one section, and only with this script.
function closePhoneMenu(bar, focusButton) {
  bar.classList.remove("menu-open");
  const button = bar.querySelector(".menu-button");
  button.setAttribute("aria-expanded", "false");
  if (focusButton) button.focus();
}
(() => {
  const button = document.querySelector(".menu-button");
  const nav = document.getElementById("main-nav");
  if (!button || !nav || nav.querySelectorAll("a").length < 2) return;
  const bar = button.closest(".topbar");
  button.hidden = false;
  document.documentElement.classList.add("has-menu");
  button.addEventListener("click", () => {
    const opening = !bar.classList.contains("menu-open");
    bar.classList.toggle("menu-open", opening);
    button.setAttribute("aria-expanded", String(opening));
    if (opening) nav.querySelector("a").focus();
  });
})();

// A field's error goes away once it is fixed, before the form is sent again
// (the server checks again); the summary's line for it too.
function clearFixedError(event) {
  const control = event.target;
  if (!(control instanceof HTMLElement)) return;
  const field = control.closest(".field.has-error");
  if (!field) return;
  const value = control instanceof HTMLSelectElement ? control.selectedOptions.length : String(control.value || "").trim();
  if (!value) return;
  field.classList.remove("has-error");
  for (const error of field.querySelectorAll(".error")) error.hidden = true;
  const id = control.id || (field.querySelector("[id]") || {}).id;
  const summary = control.form ? control.form.querySelector(".form-error") : null;
  if (!summary) return;
  for (const link of summary.querySelectorAll("a[href]")) {
    const target = link.getAttribute("href").slice(1);
    if (target === id || field.querySelector(`[id="${target}"]`)) link.closest("li").hidden = true;
  }
  if (![...summary.querySelectorAll("li")].some((li) => !li.hidden) && !summary.querySelector("p:not(.summary-lead)")) {
    summary.hidden = true;
  }
}
document.addEventListener("input", clearFixedError);
document.addEventListener("change", clearFixedError);
