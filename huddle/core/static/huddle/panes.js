// The two panes' in-page navigation (docs/FACE.md), on htmx: links and forms in
// .panes load the server's own page and swap #pane-main (and the list, #pane-list)
// from it, with the address changed. This file adds what htmx leaves to us:
// focus and scroll, times in the new content, a loading state, an error state
// that offers to retry, and a full load for answers that are not a panes page.
"use strict";

(() => {
  if (!window.htmx) return;
  const state = document.getElementById("request-state");
  let lastRequest = null;
  let listScroll = 0;

  function showError(text, retry) {
    if (!state) return;
    state.replaceChildren();
    const p = document.createElement("p");
    p.textContent = text;
    state.append(p);
    if (retry) {
      const again = document.createElement("button");
      again.type = "button";
      again.className = "button-quiet";
      again.textContent = "Try again";
      again.addEventListener("click", () => { state.hidden = true; retry(); });
      const close = document.createElement("button");
      close.type = "button";
      close.className = "button-quiet";
      close.textContent = "Dismiss";
      close.addEventListener("click", () => { state.hidden = true; });
      state.append(again, close);
    }
    state.hidden = false;
  }

  document.body.addEventListener("htmx:beforeRequest", (event) => {
    if (state) state.hidden = true;
    lastRequest = event.detail.elt;
    const list = document.getElementById("pane-list");
    listScroll = list ? list.scrollTop : 0;
  });

  // An answer without the panes (the sign-in page after a session ended, an
  // error page): load it as a whole page instead.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const detail = event.detail;
    if (!detail.shouldSwap || !detail.requestConfig || !detail.requestConfig.boosted) return;
    if (!detail.serverResponse.includes('id="pane-main"')) {
      detail.shouldSwap = false;
      const path = detail.pathInfo.responsePath || detail.pathInfo.finalRequestPath;
      if (detail.requestConfig.verb === "get" || detail.xhr.status < 400) window.location.assign(path);
      else document.documentElement.innerHTML = detail.serverResponse;
    }
  });

  document.body.addEventListener("htmx:afterSettle", (event) => {
    const main = document.getElementById("pane-main");
    if (!main || !event.detail.requestConfig || !event.detail.requestConfig.boosted) return;
    const list = document.getElementById("pane-list");
    if (list) {
      list.scrollTop = listScroll;
      if (window.huddleShowTimes) window.huddleShowTimes(list);
    }
    if (window.huddleShowTimes) window.huddleShowTimes(main);
    const title = main.querySelector("#thread-subject");
    const heading = title || main.querySelector("h1");
    const place = document.title.split(" · ").pop();
    document.title = `${heading ? heading.textContent.trim() : "Messages"} · ${place}`;
    // Focus follows what the person asked for: an error, the thread, or the list
    // (unless the new pane's own script has placed it, as the composer does).
    if (main.contains(document.activeElement) && document.activeElement !== main) {
      window.dispatchEvent(new CustomEvent("huddle:panes"));
      return;
    }
    const problem = main.querySelector(".form-error, .field .error");
    const field = problem ? main.querySelector(".has-error textarea, .has-error input") : null;
    const opened = main.querySelector(".open-row") || (list && list.querySelector("[aria-current='true']"));
    if (field) field.focus();
    else if (title) title.focus({ preventScroll: false });
    else if (opened) opened.focus();
    else if (list) {
      const first = list.querySelector("[data-thread-link], h1, h2");
      if (first) first.focus();
    }
    window.dispatchEvent(new CustomEvent("huddle:panes"));
  });

  document.body.addEventListener("htmx:afterRequest", () => {
    window.setTimeout(() => window.dispatchEvent(new CustomEvent("huddle:panes")), 0);
  });

  document.body.addEventListener("htmx:sendError", () => {
    const elt = lastRequest;
    showError("Huddle could not be reached. Check your connection.", elt ? () => retry(elt) : null);
  });
  document.body.addEventListener("htmx:responseError", (event) => {
    const elt = lastRequest;
    const status = event.detail.xhr.status;
    showError(`Something went wrong on our side (error ${status}). Nothing was lost.`, elt ? () => retry(elt) : null);
  });
  // A form that failed to leave can be sent again.
  document.body.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.successful) return;
    const form = event.detail.elt.closest ? event.detail.elt.closest("form") : null;
    if (form) for (const button of form.querySelectorAll("button[type=submit]")) button.disabled = false;
  });

  function retry(elt) {
    if (elt instanceof HTMLFormElement) elt.requestSubmit();
    else if (elt instanceof HTMLElement) elt.click();
  }
})();
