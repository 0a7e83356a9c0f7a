/** Unsaved text kept in localStorage per agent and object, so a reload or an outage never loses it. */
var CC = window.CC || (window.CC = {});

CC.drafts = (function () {
  "use strict";

  var PREFIX = "cc.draft.";

  function agentPrefix() {
    return PREFIX + finesse.gadget.Config.id + ".";
  }

  function keyOf(type, id) {
    return agentPrefix() + type + "." + id;
  }

  function read(key) {
    try {
      return JSON.parse(window.localStorage.getItem(key));
    } catch (e) {
      return null;
    }
  }

  /**
   * The draft of one object: {type, id, customerId, lastUpdated, fields: {name: text}, bases: {name: stored value
   * the text was typed over}, conflicts: {name: true while the agent decides between theirs and mine}} or null.
   */
  function get(type, id) {
    var draft = read(keyOf(type, id));
    if (draft) {
      draft.bases = draft.bases || {};
      draft.conflicts = draft.conflicts || {};
    }
    return draft;
  }

  function write(draft) {
    window.localStorage.setItem(keyOf(draft.type, draft.id), JSON.stringify(draft));
  }

  /**
   * Remember the agent's text for one field of an object (meta.lastUpdated = the version the text was typed on,
   * meta.base = the stored value it replaces, kept from the first keystroke).
   */
  function put(type, id, field, value, meta) {
    var draft = get(type, id) || {type: type, id: id, fields: {}, bases: {}, conflicts: {}};
    if (!Object.prototype.hasOwnProperty.call(draft.fields, field)) {
      draft.bases[field] = meta.base === undefined ? null : meta.base;
    }
    draft.fields[field] = value;
    draft.customerId = meta.customerId;
    if (!draft.lastUpdated) {
      draft.lastUpdated = meta.lastUpdated;
    }
    write(draft);
  }

  /** Mark (or unmark) a draft field as in conflict with another agent's value (not saved until decided). */
  function markConflict(type, id, field, on) {
    var draft = get(type, id);
    if (draft && Object.prototype.hasOwnProperty.call(draft.fields, field)) {
      if (on) {
        draft.conflicts[field] = true;
      } else {
        delete draft.conflicts[field];
      }
      write(draft);
    }
  }

  /** After a write stored `value`: forget the field's draft if it still holds that value, else re-base it. */
  function settle(type, id, field, value) {
    var draft = get(type, id);
    if (!draft || !Object.prototype.hasOwnProperty.call(draft.fields, field)) {
      return;
    }
    if (draft.fields[field] === value) {
      remove(type, id, field);
    } else {
      draft.bases[field] = value; // the agent typed on while it saved: the rest is still a draft
      write(draft);
    }
  }

  /** Forget one field of a draft (all of it when field is omitted). */
  function remove(type, id, field) {
    var draft = get(type, id);
    if (!draft) {
      return;
    }
    if (field) {
      delete draft.fields[field];
      delete draft.bases[field];
      delete draft.conflicts[field];
    }
    if (!field || !Object.keys(draft.fields).length) {
      window.localStorage.removeItem(keyOf(type, id));
    } else {
      write(draft);
    }
  }

  /** Point a draft at the object's new version (after Load): its fields are now typed over `fields`' values. */
  function rebase(type, id, lastUpdated, fields) {
    var draft = get(type, id);
    if (draft) {
      draft.lastUpdated = lastUpdated;
      Object.keys(draft.fields).forEach(function (name) {
        var value = (fields || {})[name];
        draft.bases[name] = value === undefined ? null : value;
      });
      write(draft);
    }
  }

  /** Mark a draft as one the agent asked to save (it is saved when Context Service is back). */
  function submit(type, id) {
    var draft = get(type, id);
    if (draft) {
      draft.submitted = true;
      write(draft);
    }
  }

  /** Every draft of this agent, optionally only those of one customer. */
  function all(customerId) {
    var found = [];
    var prefix = agentPrefix();
    for (var i = 0; i < window.localStorage.length; i += 1) {
      var key = window.localStorage.key(i);
      if (key && key.indexOf(prefix) === 0) {
        var draft = read(key);
        if (draft && (!customerId || draft.customerId === customerId)) {
          found.push(draft);
        }
      }
    }
    return found;
  }

  return {get: get, put: put, remove: remove, settle: settle, markConflict: markConflict, rebase: rebase,
    submit: submit, all: all};
}());
