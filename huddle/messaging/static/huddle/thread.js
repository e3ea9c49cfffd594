// "Edit" in a thread's header shows the header form in place; Cancel hides it again.
// Without this script both are plain links (?edit=1 and back), so they work anyway.
"use strict";

(function () {
  const toggle = document.querySelector("[data-edit-toggle]");
  const form = document.getElementById("header-edit");
  // htmx runs this again for each thread it swaps in: each thread's header once.
  if (!toggle || !form || toggle.hasAttribute("data-edit-ready")) return;
  toggle.setAttribute("data-edit-ready", "");
  const input = form.querySelector("input[name=subject]");
  const cancel = form.querySelector("[data-edit-cancel]");
  const original = input.value;

  // Links that act as buttons: announced as buttons, and Space presses them too.
  function actAsButton(link, onPress) {
    link.setAttribute("role", "button");
    link.addEventListener("click", (event) => { event.preventDefault(); onPress(); });
    link.addEventListener("keydown", (event) => {
      if (event.key === " ") { event.preventDefault(); onPress(); }
    });
  }

  actAsButton(toggle, () => {
    form.hidden = false;
    toggle.hidden = true;
    input.focus();
    input.select();
  });
  actAsButton(cancel, () => {
    input.value = original;
    form.hidden = true;
    toggle.hidden = false;
    toggle.focus();
  });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !form.hidden) cancel.click();
  });
})();
