/**
 * Live contacts: the state of each call, chat and email on the agent's desktop (from finesse.js notifications),
 * and which open customer each one belongs to — the customer waiting for it (not created yet) or the one whose
 * journey holds its activity (linked to the dialog by Context_POD_Activity_Link); while it rings, the open
 * customer with its phone or email.
 */
var CC = window.CC || (window.CC = {});
CC.actions = CC.actions || {};

CC.actions.live = (function () {
  "use strict";

  // Voice: the agent's participant DROPPED or FAILED; non-voice: the media dialog CLOSED.
  var ENDED = ["DROPPED", "FAILED", "CLOSED"];
  var RINGING = ["ALERTING", "OFFERED"];
  var SAME_NUMBER_DIGITS = 9; // national significant number: "+385 91 111 2222" is "091 111 2222"

  /**
   * A dialog's state changed (or was seen again): remember it, with when the state began — `since` from Finesse
   * (so a reload keeps the timer), never later than now (the desktop's clock may differ a little from Finesse's).
   */
  function changed(contact, state, since) {
    var contacts = CC.store.state.live;
    if (ENDED.indexOf(state) !== -1) {
      ended(contact.dialogId);
      return;
    }
    var known = contacts[contact.dialogId];
    if (known && known.state === state) {
      return;
    }
    contacts[contact.dialogId] = {dialogId: contact.dialogId, mediaType: contact.mediaType, state: state,
      since: Math.min(Date.now(), since || Date.now()), source: contact.source || {}};
    CC.store.changed();
  }

  /** A dialog left the desktop: it is no longer live. */
  function ended(dialogId) {
    var contacts = CC.store.state.live;
    if (contacts[dialogId]) {
      delete contacts[dialogId];
      CC.store.changed();
    }
  }

  function digits(phone) {
    var only = String(phone || "").replace(/\D/g, "");
    return only.length > SAME_NUMBER_DIGITS ? only.slice(-SAME_NUMBER_DIGITS) : only;
  }

  /** True when a ringing contact's phone or email is the customer's (nothing is recorded before the answer). */
  function sameIdentity(customer, source) {
    var f = customer.fields || {};
    var phone = digits(source.phone);
    var email = String(source.email || "").toLowerCase();
    return Boolean(phone && [f.Context_Mobile_Phone, f.Context_Home_Phone, f.Context_Work_Phone].some(function (p) {
      return digits(p) === phone;
    }) || email && [f.Context_Home_Email, f.Context_Work_Email].some(function (e) {
      return String(e || "").toLowerCase() === email;
    }));
  }

  /**
   * True when a contact is the open customer's: the one it was recorded for (or waits to be recorded for), or —
   * while it still rings — the customer with its phone or email.
   */
  function belongsTo(entry, contact) {
    if (entry.pendingActivity && entry.pendingActivity.dialogId === contact.dialogId) {
      return true;
    }
    var link = "finesse:dialog:" + contact.dialogId;
    return CC.store.journeyObjects(entry).activities.some(function (activity) {
      return (activity.fields || {}).Context_POD_Activity_Link === link;
    }) || (RINGING.indexOf(contact.state) !== -1 && sameIdentity(entry.customer, contact.source));
  }

  /** The live contact of an open customer ({dialogId, mediaType, state, since}; the latest if several), or null. */
  function of(entry) {
    var contacts = CC.store.state.live;
    var mine = Object.keys(contacts).map(function (id) { return contacts[id]; }).filter(function (contact) {
      return belongsTo(entry, contact);
    });
    return mine.sort(function (a, b) { return b.since - a.since; })[0] || null;
  }

  return {changed: changed, ended: ended, of: of};
}());
