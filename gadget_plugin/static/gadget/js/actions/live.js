/**
 * Live contacts: the state of each call, chat and email on the agent's desktop (from finesse.js notifications),
 * and which open customer each one belongs to — the customer waiting for it (not created yet) or the one whose
 * journey holds its activity (linked to the dialog by Context_POD_Activity_Link).
 */
var CC = window.CC || (window.CC = {});
CC.actions = CC.actions || {};

CC.actions.live = (function () {
  "use strict";

  // Voice: the agent's participant DROPPED or FAILED; non-voice: the media dialog CLOSED.
  var ENDED = ["DROPPED", "FAILED", "CLOSED"];
  var contacts = {};

  /** A dialog's state changed (or was seen again): remember it, with when the state began. */
  function changed(contact, state) {
    if (ENDED.indexOf(state) !== -1) {
      ended(contact.dialogId);
      return;
    }
    var known = contacts[contact.dialogId];
    if (known && known.state === state) {
      return;
    }
    contacts[contact.dialogId] = {dialogId: contact.dialogId, mediaType: contact.mediaType, state: state,
      since: Date.now()};
    CC.store.changed();
  }

  /** A dialog left the desktop: it is no longer live. */
  function ended(dialogId) {
    if (contacts[dialogId]) {
      delete contacts[dialogId];
      CC.store.changed();
    }
  }

  /** True when the open customer's entry is the one a dialog was recorded for (or waits to be recorded for). */
  function belongsTo(entry, dialogId) {
    if (entry.pendingActivity && entry.pendingActivity.dialogId === dialogId) {
      return true;
    }
    var link = "finesse:dialog:" + dialogId;
    return CC.store.journeyObjects(entry).activities.some(function (activity) {
      return (activity.fields || {}).Context_POD_Activity_Link === link;
    });
  }

  /** The live contact of an open customer ({dialogId, mediaType, state, since}; the latest if several), or null. */
  function of(entry) {
    var mine = Object.keys(contacts).map(function (id) { return contacts[id]; }).filter(function (contact) {
      return belongsTo(entry, contact.dialogId);
    });
    return mine.sort(function (a, b) { return b.since - a.since; })[0] || null;
  }

  return {changed: changed, ended: ended, of: of};
}());
