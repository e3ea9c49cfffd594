// Live updates (F9, docs/EVENTS.md): one EventSource per tab on /api/v1/events.
// Counts are updated from the events themselves; the inbox list and an open
// thread are re-read from the server (the page's own HTML, so they look exactly
// as a reload would show them) and swapped in place. No inline script: the CSP
// forbids it.
"use strict";

(() => {
  const badgeLink = document.querySelector(".messages-link");
  if (!badgeLink || !window.EventSource) return;  // signed out, or a very old browser

  const portal = document.body.classList.contains("portal");
  const list = document.querySelector("[data-live-list]");
  const thread = document.querySelector("[data-thread-id]");
  const threadId = thread ? thread.dataset.threadId : null;
  const timeFormat = new Intl.DateTimeFormat(undefined, {
    month: "short", day: "numeric", hour: "numeric", minute: "2-digit",
  });

  function localTimes(root) {
    for (const node of root.querySelectorAll("time[datetime]")) {
      const when = new Date(node.getAttribute("datetime"));
      if (!Number.isNaN(when.getTime())) node.textContent = timeFormat.format(when);
    }
  }

  function setBadge(link, label, count, badgeClass) {
    link.setAttribute("aria-label", count ? `${label}, ${count} new` : label);
    let badge = link.querySelector(`.${badgeClass}`);
    if (!count) {
      if (badge) badge.remove();
      return;
    }
    if (!badge) {
      badge = document.createElement("span");
      badge.className = badgeClass;
      badge.setAttribute("aria-hidden", "true");
      link.append(badge);
    }
    badge.textContent = String(count);
  }

  function showUnread(counts) {
    const total = portal ? counts.clients : counts.practice + counts.clients;
    badgeLink.setAttribute("aria-label", `Messages, ${total} new`);
    let badge = badgeLink.querySelector(".badge");
    if (total && !badge) {
      badge = document.createElement("span");
      badge.className = "badge";
      badge.setAttribute("aria-hidden", "true");
      badgeLink.append(badge);
    }
    if (badge && total) badge.textContent = String(total);
    if (badge && !total) badge.remove();
    for (const view of ["practice", "clients"]) {
      const link = document.querySelector(`.view-toggle a[href$="view=${view}"]`);
      if (link) setBadge(link, view === "practice" ? "Practice" : "Clients", counts[view], "count");
    }
  }

  // Re-read this page and swap the parts that events change. Several events in
  // a burst (a message, its thread_state, the unread counts) give one request.
  let timer = null;
  let running = false;
  let again = false;

  function refreshSoon() {
    if (timer) return;
    timer = window.setTimeout(refresh, 50);
  }

  async function refresh() {
    timer = null;
    if (running) { again = true; return; }
    running = true;
    try {
      const response = await fetch(window.location.href, {
        credentials: "same-origin",
        headers: { "X-Huddle-Live": "1" },
        redirect: "error",
      });
      if (response.ok) swap(new DOMParser().parseFromString(await response.text(), "text/html"));
    } catch (error) {
      // Signed out or offline: the next event or a reload will tell.
    } finally {
      running = false;
      if (again) { again = false; refreshSoon(); }
    }
  }

  function replace(selector, fresh) {
    const old = document.querySelector(selector);
    const next = fresh.querySelector(selector);
    if (old && next) {
      old.replaceWith(next);
      localTimes(next);
    }
    return next;
  }

  function swap(fresh) {
    if (list) {
      const next = fresh.querySelector("[data-live-list]");
      const old = document.querySelector("[data-live-list]");
      if (old && next) {
        old.replaceChildren(...next.childNodes);
        localTimes(old);
      }
    }
    if (thread) {
      const title = fresh.querySelector("title");
      if (title) document.title = title.textContent;
      replace("#thread-subject", fresh);
      replace(".thread-people", fresh);
      replace(".timeline", fresh);
      const notice = fresh.querySelector(".header-notice");
      const oldNotice = document.querySelector(".header-notice");
      if (notice && oldNotice) {
        oldNotice.replaceWith(notice);
      } else if (notice) {
        document.querySelector(".timeline").before(notice);
      }
      if (notice) localTimes(notice);
    }
    const badge = fresh.querySelector(".messages-link");
    if (badge) badgeLink.replaceChildren(...badge.childNodes);
    if (badge) badgeLink.setAttribute("aria-label", badge.getAttribute("aria-label"));
  }

  function onThreadEvent(event) {
    const data = JSON.parse(event.data);
    if (list) refreshSoon();
    else if (thread && data.thread_id === threadId && event.type !== "thread_state") refreshSoon();
  }

  const source = new EventSource("/api/v1/events");
  source.addEventListener("unread", (event) => showUnread(JSON.parse(event.data)));
  for (const type of ["message", "header_changed", "thread_state"]) {
    source.addEventListener(type, onThreadEvent);
  }
  // Records events (huddle/records): passed on to the page's own script.
  for (const type of ["export_progress", "export_started", "emergency_access"]) {
    source.addEventListener(type, (event) => document.dispatchEvent(
      new CustomEvent("huddle:" + type, { detail: JSON.parse(event.data) })));
  }
  document.documentElement.dataset.live = "connecting";
  source.addEventListener("open", () => { document.documentElement.dataset.live = "open"; });
})();
