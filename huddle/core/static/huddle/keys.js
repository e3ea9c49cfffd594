// Keyboard shortcuts (docs/FACE.md): j / k next and previous thread, r reply,
// c compose, e archive, / search, ? lists them. Never while typing in a field,
// and never with Ctrl, Alt or Meta held, so the browser's own keys still work.
"use strict";

(() => {
  const KEYS = [
    ["j", "Next thread"],
    ["k", "Previous thread"],
    ["r", "Reply to the open thread"],
    ["c", "New message"],
    ["e", "Archive the open thread"],
    ["/", "Search"],
    ["?", "Show these shortcuts"],
    ["Esc", "Close a menu or dialog"],
  ];

  function typing(target) {
    return target instanceof HTMLElement &&
      (target.isContentEditable || target.closest("input, textarea, select, [role=combobox]"));
  }

  function threadLinks() {
    return [...document.querySelectorAll("[data-live-list] [data-thread-link]")];
  }

  // j / k: from the open thread (or the focused row) to the next one, opened in
  // the right pane as a click would.
  function move(step) {
    const links = threadLinks();
    if (!links.length) return;
    let at = links.indexOf(document.activeElement);
    if (at < 0) at = links.findIndex((a) => a.getAttribute("aria-current") === "true");
    const next = links[Math.min(links.length - 1, Math.max(0, at < 0 ? 0 : at + step))];
    if (next && (at < 0 || next !== links[at])) next.click();
    else if (next) next.focus();
  }

  function showShortcuts() {
    const old = document.querySelector("dialog.shortcuts");
    if (old) return;
    const dialog = document.createElement("dialog");
    dialog.className = "shortcuts";
    dialog.setAttribute("aria-labelledby", "shortcuts-title");
    const title = document.createElement("h2");
    title.id = "shortcuts-title";
    title.textContent = "Keyboard shortcuts";
    const list = document.createElement("dl");
    for (const [key, what] of KEYS) {
      const dt = document.createElement("dt");
      const kbd = document.createElement("kbd");
      kbd.textContent = key;
      dt.append(kbd);
      const dd = document.createElement("dd");
      dd.textContent = what;
      list.append(dt, dd);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.className = "button-primary";
    close.textContent = "Close";
    close.addEventListener("click", () => dialog.close());
    const actions = document.createElement("div");
    actions.className = "actions";
    actions.append(close);
    dialog.append(title, list, actions);
    document.body.append(dialog);
    dialog.addEventListener("close", () => dialog.remove());
    dialog.showModal();
    close.focus();
  }

  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element && event.target.closest("[data-show-shortcuts]");
    if (!button) return;
    const menu = button.closest("details");
    if (menu) menu.open = false;
    showShortcuts();
  });

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
    if (typing(event.target) || document.querySelector("dialog[open]")) return;
    const key = event.key;
    if (key === "j" || key === "k") {
      event.preventDefault();
      move(key === "j" ? 1 : -1);
    } else if (key === "r") {
      const reply = document.querySelector("form.reply textarea");
      if (!reply) return;
      event.preventDefault();
      reply.focus();
    } else if (key === "c") {
      const compose = document.querySelector("a[data-key='c']");
      if (!compose) return;
      event.preventDefault();
      compose.click();
    } else if (key === "e") {
      const archive = document.querySelector("form[data-key='e']");
      if (!archive) return;
      event.preventDefault();
      archive.dataset.confirmed = "yes";  // the key is the decision; Move to Inbox undoes it
      archive.requestSubmit();
    } else if (key === "/") {
      // The search page's own field, else the header's box; on a phone, where the
      // bar has a Search link instead, that link.
      const field = document.getElementById("search-q") || document.getElementById("search-box-q");
      const link = document.querySelector(".topbar .search-link");
      if (field && field.offsetParent !== null) {
        event.preventDefault();
        field.focus();
      } else if (link && link.offsetParent !== null) {
        event.preventDefault();
        link.click();
      }
    } else if (key === "?") {
      event.preventDefault();
      showShortcuts();
    }
  });
})();
