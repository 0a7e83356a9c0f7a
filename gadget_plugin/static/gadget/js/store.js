/**
 * The gadget's store: the state (open customers, selection, cautions, outage), the agent's drafts (the source of
 * truth for a field while it is edited), per-field save states, and subscriptions. Actions change the store and
 * call changed(); the panes render from it once per turn of the event loop.
 */
var CC = window.CC || (window.CC = {});

CC.store = (function () {
  "use strict";

  var state = {
    fields: {fields: {}, fieldsets: {}},
    open: [],
    currentKey: null,
    pickList: null,
    offline: false,
    lastMove: null,
    live: {} // dialog id → the live call, chat or email {dialogId, mediaType, state, since, source} (actions.live)
  };
  var saveStates = {};
  var listeners = [];
  var scheduled = false;

  function agentId() {
    return finesse.gadget.Config.id;
  }

  /** The localStorage key of one of the agent's entries ("cc.<name>.<agent>"). */
  function agentKey(name) {
    return "cc." + name + "." + agentId();
  }

  /** JSON from localStorage, or fallback when missing or unreadable. */
  function readJson(key, fallback) {
    try {
      return JSON.parse(window.localStorage.getItem(key)) || fallback;
    } catch (e) {
      return fallback;
    }
  }

  /** Run fn after every change (once per turn, however many changes happened in it). */
  function subscribe(fn) {
    listeners.push(fn);
  }

  /** Something changed: the subscribers run once, at the end of this turn. */
  function changed() {
    if (scheduled) {
      return;
    }
    scheduled = true;
    window.queueMicrotask(function () {
      scheduled = false;
      listeners.forEach(function (fn) { fn(state); });
    });
  }

  function current() {
    return state.open.filter(function (entry) { return entry.key === state.currentKey; })[0] || null;
  }

  function entryOf(customerId) {
    return state.open.filter(function (entry) { return entry.customer.id === customerId; })[0] || null;
  }

  /** The open entry that shows an object (customer, request or activity) by id. */
  function entryShowing(type, id) {
    return state.open.filter(function (entry) { return findObject(entry, type, id); })[0] || null;
  }

  /** Every request and activity of an entry's journey, for look-ups by id. */
  function journeyObjects(entry) {
    var requests = (entry.journey && entry.journey.requests) || [];
    var activities = ((entry.journey && entry.journey.unassigned) || []).slice();
    requests.forEach(function (request) { activities = activities.concat(request.activities || []); });
    return {requests: requests, activities: activities};
  }

  function findObject(entry, type, id) {
    if (type === "customer") {
      return entry.customer.id === id || entry.key === id ? entry.customer : null;
    }
    var objects = journeyObjects(entry);
    return (type === "request" ? objects.requests : objects.activities).filter(function (o) { return o.id === id; })[0] || null;
  }

  /** Put a newer version of a customer, request or activity into the entry that shows it. */
  function replaceObject(entry, type, updated) {
    if (type === "customer") {
      entry.customer = updated;
      return;
    }
    var found = findObject(entry, type, updated.id);
    if (found) {
      Object.keys(updated).forEach(function (name) {
        if (type !== "request" || name !== "activities") {
          found[name] = updated[name];
        }
      });
    }
  }

  /** Save the Open list (and the current customer) for a reload and for the gadget's other instances. */
  function persistOpen() {
    var saved = state.open.map(function (entry) {
      // An activity not stored yet is kept with its customer, so a reload records it (same key) and loses nothing.
      return entry.customer.id ? {customer: entry.customer, selected: entry.selected, pendingActivity: entry.pendingActivity} :
        {key: entry.key, fields: entry.customer.fields, pendingActivity: entry.pendingActivity, createKey: entry.createKey};
    });
    window.localStorage.setItem(agentKey("open"), JSON.stringify({open: saved, currentKey: state.currentKey}));
  }

  function makeEntry(customer) {
    return {key: customer.id, customer: customer, journey: null, selected: null, editing: false, cautions: {},
      pendingActivity: null, recording: null, recordFailed: false};
  }

  // ---- drafts and save states ----------------------------------------------------------------------------

  function fieldKey(type, id, field) {
    return type + ":" + id + ":" + field;
  }

  /** The agent's unsaved value of one field, or undefined. */
  function draftValue(type, id, field) {
    var draft = CC.drafts.get(type, id);
    return draft && Object.prototype.hasOwnProperty.call(draft.fields, field) ? draft.fields[field] : undefined;
  }

  function hasDraft(type, id, field) {
    return draftValue(type, id, field) !== undefined;
  }

  /** The save state of a field: {state: "editing"|"saving"|"saved"|"failed", why} or null (nothing to say). */
  function saveState(type, id, field) {
    return saveStates[fieldKey(type, id, field)] || null;
  }

  /** Set (or clear, with null) a field's save state. */
  function setSaveState(type, id, field, value, why) {
    var key = fieldKey(type, id, field);
    if (value) {
      saveStates[key] = {state: value, why: why || ""};
    } else {
      delete saveStates[key];
    }
    changed();
  }

  return {
    state: state,
    agentKey: agentKey,
    readJson: readJson,
    subscribe: subscribe,
    changed: changed,
    current: current,
    entryOf: entryOf,
    entryShowing: entryShowing,
    journeyObjects: journeyObjects,
    findObject: findObject,
    replaceObject: replaceObject,
    persistOpen: persistOpen,
    makeEntry: makeEntry,
    draftValue: draftValue,
    hasDraft: hasDraft,
    saveState: saveState,
    setSaveState: setSaveState
  };
}());
