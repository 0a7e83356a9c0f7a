/**
 * The notice bar: short messages about what just happened. A notice belongs to the customer that was current
 * when it was given (another customer's notices are hidden while that one is shown), unless it is global (the
 * outage). Success fades after a few seconds; errors and warnings stay until dismissed. The bar keeps itself in
 * the visible part of the frame, like a sticky header.
 */
var CC = window.CC || (window.CC = {});

CC.notices = (function () {
  "use strict";

  var ui = CC.ui;
  var FADE_MS = 6000;
  var FADE_WITH_ACTION_MS = 12000;
  var FADE_OUT_MS = 400;
  var shown = [];
  var counter = 0;
  var watching = false;

  function bar() {
    return document.getElementById("cc-notice");
  }

  /** The scope of a notice given now: the current customer, or "none" (null is the global scope). */
  function currentScope() {
    return CC.store.state.currentKey || "none";
  }

  /** Hide this notice for good. */
  function dismiss(notice) {
    window.clearTimeout(notice.timer);
    shown = shown.filter(function (other) { return other !== notice; });
    render();
  }

  /** Start the notice's fade; it waits while the agent is in the bar (about to click Undo, say). */
  function scheduleFade(notice) {
    notice.timer = window.setTimeout(function () {
      if (bar().contains(document.activeElement) || bar().matches(":hover")) {
        scheduleFade(notice);
        return;
      }
      notice.fading = true;
      render();
      notice.timer = window.setTimeout(function () { dismiss(notice); }, FADE_OUT_MS);
    }, notice.actions.length ? FADE_WITH_ACTION_MS : FADE_MS);
  }

  /**
   * Show a notice. options: kind ("success" | "warning" | "error" | "info"), actions [{label, value, onclick}],
   * global (not tied to the current customer). A new notice replaces the earlier one of the same customer.
   */
  function show(message, options) {
    var opts = options || {};
    var notice = {id: ++counter, message: message, kind: opts.kind || "info", actions: opts.actions || [],
      scope: opts.global ? null : currentScope(), fading: false, timer: null};
    shown.filter(function (other) { return other.scope === notice.scope; }).forEach(function (old) {
      window.clearTimeout(old.timer);
    });
    shown = shown.filter(function (other) { return other.scope !== notice.scope; }).concat([notice]);
    if (notice.kind === "success" || notice.kind === "info") {
      scheduleFade(notice);
    }
    render();
  }

  /** Remove the global notices (the outage is over). */
  function clearGlobal() {
    shown.filter(function (notice) { return notice.scope === null; }).forEach(dismiss);
    render();
  }

  function row(notice) {
    var sticky = notice.kind === "error" || notice.kind === "warning";
    return ui.el("div", {class: "cc-notice__item cc-notice--" + notice.kind + (notice.fading ? " cc-notice--fading" : ""),
      role: notice.kind === "error" ? "alert" : null, "data-kind": notice.kind}, [
      ui.el("span", {class: "cc-notice__text", text: notice.message})
    ].concat(notice.actions.map(function (action) {
      return ui.el("button", {type: "button", class: "cc-button cc-button--small", text: action.label,
        "data-action": action.value, onclick: function () {
          dismiss(notice);
          action.onclick();
        }});
    })).concat(sticky ? [ui.el("button", {type: "button", class: "cc-notice__dismiss", "data-action": "dismiss",
      "aria-label": CC.i18n.t("action.dismiss"), title: CC.i18n.t("action.dismiss"),
      onclick: function () { dismiss(notice); }})] : []));
  }

  /** Show the notices of the current customer and the global ones (called on every render, too). */
  function render() {
    var scope = currentScope();
    var visible = shown.filter(function (notice) { return notice.scope === null || notice.scope === scope; });
    var key = JSON.stringify(visible.map(function (notice) { return [notice.id, notice.fading]; }));
    var host = bar();
    ui.keyed(host, key, function () { visible.forEach(function (notice) { host.appendChild(row(notice)); }); });
    host.hidden = !visible.length;
    if (!watching) {
      watching = true;
      CC.inView.watch(follow);
    }
    follow(CC.inView.area());
  }

  /** Keep the bar at the top of what the agent sees (translate only: the layout below never shifts). */
  function follow(visible) {
    var host = bar();
    if (host.hidden) {
      host.style.transform = "";
      host.removeAttribute("data-offset");
      return;
    }
    var offset = Number(host.getAttribute("data-offset") || 0);
    var naturalTop = host.getBoundingClientRect().top - offset;
    var room = document.documentElement.scrollHeight - host.offsetHeight - naturalTop;
    // Below the last seen top by the observer's step, so a page scrolled since is never over the bar.
    var below = visible.top > naturalTop ? visible.top + 4 + CC.inView.slack() : visible.top + 4;
    var next = Math.round(Math.min(Math.max(0, below - naturalTop), Math.max(0, room)));
    host.setAttribute("data-offset", String(next));
    host.style.transform = next ? "translateY(" + next + "px)" : "";
  }

  return {show: show, clearGlobal: clearGlobal, render: render};
}());
