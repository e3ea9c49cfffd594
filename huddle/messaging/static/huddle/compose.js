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
  const picker = document.createElement("div");
  picker.className = "picker";
  picker.append(chips, input, list);
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

  function renderChips() {
    chips.replaceChildren();
    picked.forEach((p, index) => {
      const li = document.createElement("li");
      li.className = "chip" + (p.kind === "group" ? " chip-group" : "");
      const name = document.createElement("span");
      name.textContent = p.kind === "group" && p.removed.size ? p.name + " (changed)" : p.name;
      li.append(name);
      if (p.kind === "group") {
        const members = membersByKey.get(p.ref);
        const canCollapse = p.removed.size === 0;
        if (!p.expanded || canCollapse) {
          const caret = button(
            p.expanded ? "▾" : "▸",
            (p.expanded ? "Hide members of " : "Show members of ") + p.name,
            () => { p.expanded = !p.expanded; renderChips(); focusChip(index, "caret"); },
            "chip-button caret"
          );
          caret.dataset.role = "caret";
          caret.setAttribute("aria-expanded", String(p.expanded));
          li.prepend(caret);
        }
        if (p.expanded) {
          const ul = document.createElement("ul");
          ul.className = "members";
          ul.setAttribute("aria-label", "Members of " + p.name);
          for (const m of members) {
            if (p.removed.has(String(m.id))) continue;
            const mi = document.createElement("li");
            mi.textContent = m.name + " ";
            mi.append(button("×", "Remove " + m.name + " from " + p.name, () => {
              p.removed.add(String(m.id));
              if (p.removed.size === members.length) picked.splice(index, 1);
              sync(); renderChips(); input.focus();
            }));
            ul.append(mi);
          }
          li.append(ul);
        }
      }
      li.append(button("×", "Remove " + p.name, () => {
        picked.splice(index, 1); sync(); renderChips(); input.focus();
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
      li.textContent = o.name;
      if (o.kind === "group") {
        const hint = document.createElement("span");
        hint.className = "option-hint";
        hint.textContent = " · group of " + membersByKey.get(o.ref).length;
        li.append(hint);
      }
      li.addEventListener("mousedown", (e) => { e.preventDefault(); choose(o); });
      list.append(li);
    });
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", String(items.length > 0));
    setActive(items.length ? 0 : -1);
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
    return options.filter((o) => !isPicked(o) && o.name.toLowerCase().includes(q)).slice(0, 12);
  }

  function choose(o) {
    picked.push({ kind: o.kind, ref: o.ref, name: o.name, option: o.option, removed: new Set(), expanded: false });
    input.value = "";
    sync(); renderChips(); close(); input.focus();
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
      if (!list.hidden && active >= 0) { e.preventDefault(); choose(shown[active]); }
    } else if (e.key === "Escape") {
      close();
    } else if (e.key === "Backspace" && input.value === "" && picked.length) {
      picked.pop(); sync(); renderChips();
    }
  });

  // Keep what the server sent back after a form error.
  for (const o of options) {
    if (o.option.selected) {
      picked.push({ kind: o.kind, ref: o.ref, name: o.name, option: o.option, removed: new Set(), expanded: false });
    }
  }
  renderChips();
})();
