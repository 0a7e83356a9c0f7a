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

  /** The draft of one object: {type, id, customerId, lastUpdated, fields: {name: text}} or null. */
  function get(type, id) {
    return read(keyOf(type, id));
  }

  /** Remember the agent's text for one field of an object (lastUpdated = the version the text was typed on). */
  function put(type, id, field, value, meta) {
    var draft = get(type, id) || {type: type, id: id, fields: {}};
    draft.fields[field] = value;
    draft.customerId = meta.customerId;
    if (!draft.lastUpdated) {
      draft.lastUpdated = meta.lastUpdated;
    }
    window.localStorage.setItem(keyOf(type, id), JSON.stringify(draft));
  }

  /** Forget one field of a draft (all of it when field is omitted). */
  function remove(type, id, field) {
    var draft = get(type, id);
    if (!draft) {
      return;
    }
    if (field) {
      delete draft.fields[field];
    }
    if (!field || !Object.keys(draft.fields).length) {
      window.localStorage.removeItem(keyOf(type, id));
    } else {
      window.localStorage.setItem(keyOf(type, id), JSON.stringify(draft));
    }
  }

  /** Point a draft at the object's new version (after the agent chose Load and kept their text). */
  function rebase(type, id, lastUpdated) {
    var draft = get(type, id);
    if (draft) {
      draft.lastUpdated = lastUpdated;
      window.localStorage.setItem(keyOf(type, id), JSON.stringify(draft));
    }
  }

  /** Mark a draft as one the agent asked to save (it is saved when Context Service is back). */
  function submit(type, id) {
    var draft = get(type, id);
    if (draft) {
      draft.submitted = true;
      window.localStorage.setItem(keyOf(type, id), JSON.stringify(draft));
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

  return {get: get, put: put, remove: remove, rebase: rebase, submit: submit, all: all};
}());
