/**
 * The live-contact badge of an open customer: the media icon, the contact's state in the agent's language and a
 * running timer (time in that state). The timer ticks by changing only its own text, never a whole pane.
 */
var CC = window.CC || (window.CC = {});

CC.livePane = (function () {
  "use strict";

  var ui = CC.ui;
  var ticking = null;

  function t(key, params) {
    return CC.i18n.t(key, params);
  }

  /** "0:07", "12:34", "1:02:03": the time since `since` (ms since the epoch). */
  function elapsed(since) {
    var seconds = Math.max(0, Math.floor((Date.now() - since) / 1000));
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor(seconds / 60) % 60;
    var rest = String(seconds % 60).padStart(2, "0");
    return hours ? hours + ":" + String(minutes).padStart(2, "0") + ":" + rest : minutes + ":" + rest;
  }

  /** The contact's state in the agent's language (the Finesse state name when the bundle has no text for it). */
  function stateLabel(state) {
    var key = "live." + state;
    var text = t(key);
    return text === key ? state : text;
  }

  /** The badge of a live contact: {dialogId, mediaType, state, since}. */
  function badge(contact) {
    return ui.el("span", {class: "cc-live cc-live--" + contact.state.toLowerCase(), "data-live-state": contact.state,
      "data-dialog-id": contact.dialogId}, [
      CC.journey.icon(contact.mediaType),
      ui.el("span", {class: "cc-visually-hidden", text: CC.journey.mediaLabel(contact.mediaType)}),
      ui.el("span", {class: "cc-live__state", text: stateLabel(contact.state)}),
      ui.el("span", {class: "cc-live__timer", "data-since": String(contact.since), text: elapsed(contact.since)})
    ]);
  }

  /** Show a customer's live contact (or nothing) in a slot; rebuilt only when the contact or its state changed. */
  function fill(slot, contact) {
    if (!slot) {
      return;
    }
    ui.keyed(slot, contact ? [contact.dialogId, contact.state, contact.since].join("|") : "", function (host) {
      return contact ? host.appendChild(badge(contact)) : null;
    });
  }

  /** Start the timers: every second each badge's timer text is set again (nothing else is touched). */
  function start() {
    if (ticking) {
      return;
    }
    ticking = window.setInterval(function () {
      document.querySelectorAll(".cc-live__timer[data-since]").forEach(function (timer) {
        timer.textContent = elapsed(Number(timer.getAttribute("data-since")));
      });
    }, 1000);
  }

  return {fill: fill, start: start};
}());
