// "Edit" in a thread's header shows the header form in place; Cancel hides it again.
"use strict";

(function () {
  const toggle = document.querySelector("[data-edit-toggle]");
  const form = document.getElementById("header-edit");
  if (!toggle || !form) return;
  const input = form.querySelector("input[name=subject]");
  toggle.setAttribute("role", "button");
  toggle.addEventListener("click", (event) => {
    event.preventDefault();
    form.hidden = false;
    toggle.hidden = true;
    input.focus();
    input.select();
  });
  const cancel = form.querySelector("[data-edit-cancel]");
  cancel.addEventListener("click", (event) => {
    event.preventDefault();
    form.hidden = true;
    toggle.hidden = false;
    toggle.focus();
  });
})();
