// The recipient picker of "+ New": an ARIA combobox over active staff and staff
// groups. The <select multiple> the server renders stays the form's source of truth;
// this script hides it and keeps it in step with the chips the sender picks.
"use strict";

(function () {
  const select = document.getElementById("id_recipients");
  if (!select) return;
  const membersByKey = new Map(
    JSON.parse(document.getElementById("group-members").textContent).map((g) => [g.key, g.members])
  );
  const options = Array.from(select.options).map((o) => {
    const [kind, ref] = o.value.split(":");
    return { kind, ref, name: o.textContent, option: o };
  });
  const userOption = new Map(options.filter((o) => o.kind === "user").map((o) => [o.ref, o]));
  // What the sender picked: people, and groups (whole, or with members removed).
  const picked = [];

  const field = select.closest(".field");
  const label = field.querySelector("label");
  const chips = document.createElement("ul");
  chips.className = "chips";
  chips.setAttribute("aria-label", "Recipients");
  const input = document.createElement("input");
  input.type = "text";
  input.id = "recipient-search";
  input.autocomplete = "off";
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", "recipient-options");
  input.setAttribute("aria-describedby", "recipients_help");
  const list = document.createElement("ul");
  list.id = "recipient-options";
  list.className = "options";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggestions");
  list.hidden = true;
  label.htmlFor = input.id;
  select.hidden = true;
  select.setAttribute("aria-hidden", "true");
  select.tabIndex = -1;
  // Screen readers hear what happened: suggestions found, recipient added or removed.
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  function announce(text) { status.textContent = text; }
  const picker = document.createElement("div");
  picker.className = "picker";
  picker.append(chips, input, list, status);
  picker.addEventListener("click", (e) => { if (e.target === picker || e.target === chips) input.focus(); });
  select.after(picker);

  let active = -1;
  let shown = [];

  function isPicked(o) {
    return picked.some((p) => p.kind === o.kind && p.ref === o.ref);
  }

  function sync() {
    for (const o of options) o.option.selected = false;
    for (const p of picked) {
      if (p.kind === "user" || p.removed.size === 0) {
        p.option.selected = true;
      } else {
        for (const m of membersByKey.get(p.ref)) {
          const o = userOption.get(String(m.id));
          if (o && !p.removed.has(String(m.id))) o.option.selected = true;
        }
      }
    }
    // A fixed "Choose at least one recipient" goes away (app.js, stale errors).
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function button(text, labelText, onClick, extra) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = extra || "chip-button";
    b.textContent = text;
    b.setAttribute("aria-label", labelText);
    b.addEventListener("click", onClick);
    return b;
  }

  function chevron() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("width", "14");
    svg.setAttribute("height", "14");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M6 3.5 10.5 8 6 12.5");
    path.setAttribute("fill", "none");
    path.setAttribute("stroke", "currentColor");
    path.setAttribute("stroke-width", "2");
    path.setAttribute("stroke-linecap", "round");
    path.setAttribute("stroke-linejoin", "round");
    svg.append(path);
    return svg;
  }

  function renderChips() {
    chips.replaceChildren();
    picked.forEach((p, index) => {
      const li = document.createElement("li");
      li.className = "chip" + (p.kind === "group" ? " chip-group" : "");
      const head = document.createElement("span");
      head.className = "chip-head";
      const name = document.createElement("span");
      name.className = "chip-name";
      name.textContent = p.name;
      head.append(name);
      li.append(head);
      if (p.kind === "group") {
        const members = membersByKey.get(p.ref);
        const left = members.filter((m) => !p.removed.has(String(m.id)));
        const listId = "members-" + p.ref;
        if (p.removed.size) {
          const note = document.createElement("span");
          note.className = "chip-note";
          note.textContent = left.length + " of " + members.length;
          head.append(note);
        } else {
          // Collapsing is offered while the group is whole: it is then still "the group".
          const caret = button(
            "",
            (p.expanded ? "Hide members of " : "Show members of ") + p.name,
            () => { p.expanded = !p.expanded; renderChips(); focusChip(index, "caret"); },
            "chip-button caret"
          );
          caret.append(chevron());
          caret.dataset.role = "caret";
          caret.setAttribute("aria-expanded", String(p.expanded));
          if (p.expanded) caret.setAttribute("aria-controls", listId);
          head.prepend(caret);
        }
        if (p.expanded) {
          li.classList.add("is-expanded");
          const ul = document.createElement("ul");
          ul.className = "members";
          ul.id = listId;
          ul.setAttribute("aria-label", "Members of " + p.name);
          left.forEach((m, position) => {
            const mi = document.createElement("li");
            mi.className = "member";
            const who = document.createElement("span");
            who.textContent = m.name;
            mi.append(who, button("×", "Remove " + m.name + " from " + p.name, () => {
              p.removed.add(String(m.id));
              const emptied = p.removed.size === members.length;
              if (emptied) picked.splice(index, 1);
              sync(); renderChips();
              // Keep the keyboard where it was: on the next member, else the last one, else To.
              const buttons = emptied ? [] : chips.children[index].querySelectorAll(".member button");
              const next = buttons[Math.min(position, buttons.length - 1)];
              if (next) next.focus(); else input.focus();
              announce(m.name + " removed from " + p.name + ".");
            }));
            ul.append(mi);
          });
          li.append(ul);
        }
      }
      head.append(button("×", "Remove " + p.name, () => {
        picked.splice(index, 1); sync(); renderChips(); input.focus();
        announce(p.name + " removed.");
      }));
      chips.append(li);
    });
  }

  function focusChip(index, role) {
    const chip = chips.children[index];
    const target = chip && chip.querySelector(`[data-role="${role}"]`);
    if (target) target.focus();
  }

  function open(items) {
    shown = items;
    list.replaceChildren();
    items.forEach((o, i) => {
      const li = document.createElement("li");
      li.id = "recipient-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      const name = document.createElement("span");
      name.className = "option-name";
      name.textContent = o.name;
      li.append(name);
      if (o.kind === "group") {
        li.classList.add("option-group");
        const hint = document.createElement("span");
        hint.className = "option-hint";
        hint.textContent = groupHint(membersByKey.get(o.ref));
        li.append(hint);
      }
      li.addEventListener("mousedown", (e) => { e.preventDefault(); choose(o); });
      list.append(li);
    });
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", String(items.length > 0));
    if (input.value.trim()) {
      announce(items.length ? items.length + (items.length === 1 ? " suggestion" : " suggestions") : "No matches");
    }
    setActive(items.length ? 0 : -1);
  }

  function groupHint(members) {
    const names = members.slice(0, 3).map((m) => m.name).join(", ");
    const more = members.length > 3 ? " and " + (members.length - 3) + " more" : "";
    return "Staff group: " + names + more;
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function setActive(i) {
    active = i;
    Array.from(list.children).forEach((li, j) => li.setAttribute("aria-selected", String(j === i)));
    if (i >= 0) input.setAttribute("aria-activedescendant", "recipient-option-" + i);
    else input.removeAttribute("aria-activedescendant");
  }

  function matches() {
    const q = input.value.trim().toLowerCase();
    if (!q) return options.filter((o) => !isPicked(o)).slice(0, 12);
    // Names with a word starting with what was typed come first ("Le": Leo before Elena).
    const rank = (o) => {
      const name = o.name.toLowerCase();
      if (name.startsWith(q)) return 0;
      return name.split(/[\s-]+/).some((word) => word.startsWith(q)) ? 1 : 2;
    };
    return options
      .filter((o) => !isPicked(o) && o.name.toLowerCase().includes(q))
      .map((o, i) => ({ o, i, r: rank(o) }))
      .sort((a, b) => a.r - b.r || a.i - b.i)
      .map((x) => x.o)
      .slice(0, 12);
  }

  function choose(o) {
    picked.push({ kind: o.kind, ref: o.ref, name: o.name, option: o.option, removed: new Set(), expanded: false });
    input.value = "";
    sync(); renderChips(); close(); input.focus();
    announce(o.name + " added.");
  }

  input.addEventListener("input", () => open(matches()));
  input.addEventListener("focus", () => { if (input.value) open(matches()); });
  input.addEventListener("blur", close);
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      if (list.hidden) open(matches());
      else setActive(Math.min(active + 1, shown.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive(Math.max(active - 1, 0));
    } else if (e.key === "Enter") {
      // Enter picks; it never sends the half-written message from the To box.
      e.preventDefault();
      if (!list.hidden && active >= 0) choose(shown[active]);
    } else if (e.key === "Escape") {
      if (!list.hidden) { e.preventDefault(); close(); }
    } else if (e.key === "Backspace" && input.value === "" && picked.length) {
      const gone = picked.pop(); sync(); renderChips();
      announce(gone.name + " removed.");
    }
  });

  // Keep what the server sent back after a form error.
  for (const o of options) {
    if (o.option.selected) {
      picked.push({ kind: o.kind, ref: o.ref, name: o.name, option: o.option, removed: new Set(), expanded: false });
    }
  }
  renderChips();
  for (const link of document.querySelectorAll('.form-error a[href="#id_recipients"]')) link.hash = "#recipient-search";
  // The To field has the focus when the composer opens (not over an error summary).
  if (!document.querySelector(".form-error")) input.focus();
})();
