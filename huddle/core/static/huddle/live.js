// Live updates (F9, docs/EVENTS.md): one EventSource per tab on /api/v1/events.
// Counts are updated from the events themselves; the inbox list and an open
// thread are re-read from the server (the page's own HTML, so they look exactly
// as a reload would show them) and swapped in place. New messages from others
// are announced in the polite live region (#announcer). The page's parts are
// looked up at each event: the two panes (panes.js) change them in place. No
// inline script: the CSP forbids it.
"use strict";

(() => {
  if (!document.querySelector(".messages-link") || !window.EventSource) return;

  const portal = document.body.classList.contains("portal");
  const announcer = document.getElementById("announcer");
  const me = announcer ? announcer.dataset.me : null;
  let total = null;

  const list = () => document.querySelector("[data-live-list]");
  const openThread = () => document.querySelector("[data-thread-id]");
  const showTimes = (root) => { if (window.huddleShowTimes) window.huddleShowTimes(root); };

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
      link.append(" ", badge);
    }
    badge.textContent = String(count);
  }

  function showUnread(counts) {
    const badgeLink = document.querySelector(".messages-link");
    total = portal ? counts.clients : counts.practice + counts.clients;
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

  // "New message from Leo Martin in Claim status", once the list or the thread
  // on screen can name the thread; the region is polite, so nothing is cut off.
  const pending = [];

  function subjectOf(threadId) {
    const open = openThread();
    if (open && open.dataset.threadId === threadId) return open.dataset.subject;
    const prefix = portal ? "/portal/" : "/messages/";
    const link = document.querySelector(`[data-thread-link][href="${prefix}${threadId}"] .thread-subject`);
    return link ? link.textContent.trim() : null;
  }

  function announcePending() {
    if (!announcer || !pending.length) return;
    const lines = pending.splice(0).map(({ threadId, author }) => {
      const subject = subjectOf(threadId);
      return subject ? `New message from ${author} in ${subject}.` : `New message from ${author}.`;
    });
    if (total) lines.push(`${total} new in all.`);
    announcer.textContent = "";
    // A fresh text node after a tick, so that the same words twice are still read.
    window.setTimeout(() => { announcer.textContent = lines.join(" "); }, 50);
  }

  // Re-read this page and swap the parts that events change. Several events in
  // a burst (a message, its thread_state, the unread counts) give one request.
  let timer = null;
  let running = false;
  let again = false;
  // While the panes load a page (panes.js), a refresh waits: it would read the
  // page's one-time notices ("The thread was archived.") before the panes do.
  let panesBusy = 0;
  let deferred = false;
  document.addEventListener("htmx:beforeRequest", () => { panesBusy += 1; });
  document.addEventListener("htmx:afterRequest", () => { panesBusy = Math.max(0, panesBusy - 1); });
  window.addEventListener("huddle:panes", () => {
    if (deferred) { deferred = false; refreshSoon(); }
  });

  function refreshSoon() {
    if (timer) return;
    timer = window.setTimeout(refresh, 50);
  }

  async function refresh() {
    timer = null;
    if (panesBusy) { deferred = true; return; }
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
      announcePending();
    }
  }

  function replace(selector, fresh) {
    const old = document.querySelector(selector);
    const next = fresh.querySelector(selector);
    if (old && next) {
      old.replaceWith(next);
      showTimes(next);
    }
    return next;
  }

  function swap(fresh) {
    const old = list();
    const next = fresh.querySelector("[data-live-list]");
    if (old && next) {
      old.replaceChildren(...next.childNodes);
      showTimes(old);
    }
    const thread = openThread();
    const freshThread = fresh.querySelector("[data-thread-id]");
    if (thread && freshThread && freshThread.dataset.threadId === thread.dataset.threadId) {
      const title = fresh.querySelector("title");
      if (title) document.title = title.textContent;
      thread.dataset.subject = freshThread.dataset.subject;
      replace("#thread-subject", fresh);
      replace(".thread-people", fresh);
      replace(".timeline", fresh);
    }
    const badgeLink = document.querySelector(".messages-link");
    const badge = fresh.querySelector(".messages-link");
    if (badge && badgeLink) {
      badgeLink.replaceChildren(...badge.childNodes);
      badgeLink.setAttribute("aria-label", badge.getAttribute("aria-label"));
    }
  }

  function onThreadEvent(event) {
    const data = JSON.parse(event.data);
    if (event.type === "message" && data.message && data.message.author.id !== me) {
      pending.push({ threadId: data.thread_id, author: data.message.author.name });
      if (!list() && !openThread()) window.setTimeout(announcePending, 300);
    }
    const thread = openThread();
    if (list()) refreshSoon();
    else if (thread && data.thread_id === thread.dataset.threadId && event.type !== "thread_state") refreshSoon();
  }

  const source = new EventSource("/api/v1/events");
  source.addEventListener("unread", (event) => showUnread(JSON.parse(event.data)));
  // conversation: message_edited, read, acknowledged re-read the thread page too.
  for (const type of ["message", "header_changed", "thread_state", "message_edited", "read", "acknowledged"]) {
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
