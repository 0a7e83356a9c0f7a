/**
 * Editing: every keystroke goes to the field's draft; leaving a changed field queues its write (CC.writes);
 * tags are queued operations; comments are created once (idempotency key). A write refused because another
 * agent changed the object first becomes a caution naming who changed what and when; Load shows their value
 * with the agent's own text beside it (keep mine / take theirs / copy).
 */
var CC = window.CC || (window.CC = {});
CC.actions = CC.actions || {};

CC.actions.edits = (function () {
  "use strict";

  var store = CC.store;
  var same = CC.writes.same;

  /** The agent typed in a field: the text is the field's draft (kept over reloads and outages). */
  function typed(entry, type, object, field, value) {
    if (object.draft) { // a draft request lives in the journey only, until it is stored
      object.fields[field] = value;
      store.setSaveState(type, object.id, field, "editing");
      return;
    }
    CC.drafts.put(type, object.id, field, value, {customerId: entry.customer.id || entry.key,
      lastUpdated: object.lastUpdated, base: (object.fields || {})[field]});
    CC.drafts.markConflict(type, object.id, field, false); // typing in the field decides the conflict
    if (type !== "customer") {
      store.setSaveState(type, object.id, field, "editing");
    }
  }

  /** The fields whose values differ between two versions of an object. */
  function changedFields(base, theirs) {
    var a = (base && base.fields) || {};
    var b = (theirs && theirs.fields) || {};
    return Object.keys(Object.assign({}, a, b)).filter(function (field) { return !same(a[field], b[field]); });
  }

  /** The contributor who is not this agent, last in the list (Context Service adds each contributor once). */
  function otherContributor(object) {
    var me = finesse.gadget.Config.id;
    var names = ((object && object.contributors) || []).map(function (c) {
      return typeof c === "object" ? (c.username || c.name || c.id || "") : String(c);
    }).filter(function (name) { return name && name !== me; });
    return names[names.length - 1] || "";
  }

  /** Remember a caution for an object: who (if known), what (fields) and when another agent changed it. */
  function caution(entry, type, id, result) {
    var theirs = result.theirs || null;
    var existing = entry.cautions[type + ":" + id];
    entry.cautions[type + ":" + id] = {theirs: theirs, base: existing ? existing.base : result.base,
      who: otherContributor(theirs), when: theirs ? theirs.lastUpdated : "",
      what: changedFields(existing ? existing.base : result.base, theirs)};
  }

  /** Show what became of a write of `fields`: saved, a caution, outage mode, or the reason next to the field. */
  function settle(entry, type, id, fields, result) {
    var outcome = result.outcome;
    var why = result.error ? result.error.message : "";
    if (outcome === "conflict" && entry) {
      caution(entry, type, id, result);
      why = CC.i18n.t("save.whyConflict");
    } else if (outcome === "outage") {
      CC.actions.errors.goOffline(result.error);
      why = CC.actions.errors.whyNotSaved(result.error);
    } else if (outcome === "failed") {
      CC.actions.errors.handle(result.error);
    }
    fields.forEach(function (field) {
      if (outcome === "saved") {
        store.setSaveState(type, id, field, store.hasDraft(type, id, field) ? "editing" : "saved");
      } else {
        store.setSaveState(type, id, field, outcome === "invalid" && result.error.field === field ? "invalid" : "failed",
          why);
      }
    });
    store.changed();
    return outcome;
  }

  /**
   * Queue a write of some fields of an object (fallback: the version to write on when no open customer shows
   * it). Resolves with the outcome ("saved", "conflict", "outage", "invalid", "failed").
   */
  function saveFields(entry, type, id, fields, fallback) {
    var names = Object.keys(fields);
    names.forEach(function (field) { store.setSaveState(type, id, field, "saving"); });
    return CC.writes.enqueue(type, id, {fields: fields}, fallback).then(function (result) {
      return settle(entry, type, id, names, result);
    });
  }

  /** The agent left a field: save its value unless nothing changed or a conflict waits for their decision. */
  function saveField(entry, type, id, field, value) {
    var draft = CC.drafts.get(type, id);
    var object = store.findObject(entry, type, id) || {};
    if (object.draft) {
      return storeDraftRequest(entry, object, field, value);
    }
    if (draft && draft.conflicts[field]) {
      return Promise.resolve("conflict");
    }
    if (!store.hasDraft(type, id, field) && same((object.fields || {})[field], value)) {
      return Promise.resolve("unchanged");
    }
    var fields = {};
    fields[field] = value;
    return saveFields(entry, type, id, fields);
  }

  /** A draft request is created once it has a title (one create, one idempotency key); before that, nothing. */
  function storeDraftRequest(entry, request, field, value) {
    request.fields[field] = value;
    if (request.storing || !String(request.fields.Context_Title || "").trim()) {
      return request.storing || Promise.resolve("unchanged");
    }
    store.setSaveState("request", request.id, field, "saving");
    var sent = Object.assign({}, request.fields);
    request.storing = CC.api.createRequest({customerId: entry.customer.id, fields: sent}, request.createKey)
      .then(function (stored) {
        var focused = focusedField("request", request.id);
        return CC.actions.customers.endDraft(entry, stored).then(function (carried) {
          // Typed while the create was on its way: saved now, but for the field the agent is still in (saved
          // when they leave it, as always).
          delete carried[focused];
          return Object.keys(carried).length ? saveFields(entry, "request", stored.id, carried) : "saved";
        });
      }, function (error) {
        request.storing = null;
        store.setSaveState("request", request.id, field, "failed", error.message || "");
        CC.actions.errors.handle(error);
        return "failed";
      });
    return request.storing;
  }

  /** The field of an object whose editor has the focus (its data-focus-key), or null. */
  function focusedField(type, id) {
    var key = document.activeElement && document.activeElement.getAttribute("data-focus-key");
    var prefix = type + ":" + id + ":";
    return key && key.indexOf(prefix) === 0 ? key.slice(prefix.length) : null;
  }

  /** Drop the agent's unsaved text of a field (the stored value shows again). */
  function discardField(type, id, field) {
    CC.drafts.remove(type, id, field);
    store.setSaveState(type, id, field, null);
  }

  /** Queue a tag operation ({add: tag} or {remove: tag}) on an activity; it lands on the current version. */
  function changeTag(entry, activityId, operation) {
    store.changed();
    return CC.writes.enqueue("activity", activityId, {tags: operation}).then(function (result) {
      if (result.outcome === "outage") {
        CC.actions.errors.goOffline(result.error);
      } else if (result.outcome !== "saved") {
        CC.actions.errors.handle(result.error);
      }
      store.changed();
      return result;
    });
  }

  /** The agent typed in an activity's New comment box: kept as a draft until it is added (or emptied). */
  function commentTyped(entry, activityId, text) {
    if (text) {
      CC.drafts.put("comment", activityId, "text", text, {customerId: entry.customer.id, base: ""});
    } else {
      CC.drafts.remove("comment", activityId, "text");
    }
  }

  /** Add a comment (created once: a retry carries the same key); resolves with it, or null when refused. */
  function addComment(entry, activityId, text, key, onFieldError) {
    return CC.api.addComment(activityId, text, key).then(function (comment) {
      var activity = store.findObject(entry, "activity", activityId);
      if (activity) {
        activity.comments = (activity.comments || []).concat([comment]);
      }
      store.changed();
      return comment;
    }, function (error) {
      CC.actions.errors.handle(error, {onFieldError: onFieldError});
      return null;
    });
  }

  // ---- conflicts ----------------------------------------------------------------------------------------------

  function currentVersion(entry, type, id) {
    if (type === "customer") {
      return CC.api.getCustomer(id);
    }
    return CC.actions.customers.reloadJourney(entry).then(function () { return store.findObject(entry, type, id); });
  }

  /**
   * Load (the caution's button): their version is shown; a draft field they changed too keeps the agent's text
   * beside theirs until the agent decides; a draft of a field they did not touch stays, to be saved again.
   */
  function loadTheirs(entry, type, id) {
    var key = type + ":" + id;
    var noted = entry.cautions[key];
    var reload = noted && noted.theirs ? Promise.resolve(noted.theirs) : currentVersion(entry, type, id);
    return reload.then(function (theirs) {
      delete entry.cautions[key];
      if (!theirs) {
        return store.changed();
      }
      store.replaceObject(entry, type, theirs);
      var draft = CC.drafts.get(type, id);
      Object.keys((draft && draft.fields) || {}).forEach(function (field) {
        var value = (theirs.fields || {})[field];
        if (same(draft.fields[field], value)) {
          discardField(type, id, field);
        } else if (!same(draft.bases[field], value)) {
          CC.drafts.markConflict(type, id, field, true);
        }
      });
      CC.drafts.rebase(type, id, theirs.lastUpdated, theirs.fields);
      store.changed();
    }, function (error) { CC.actions.errors.handle(error); });
  }

  /** Keep mine: the agent's text goes back into the field and is saved over their (now seen) version. */
  function keepMine(entry, type, id, field) {
    CC.drafts.markConflict(type, id, field, false);
    store.changed();
    if (type !== "customer") {
      return saveField(entry, type, id, field, store.draftValue(type, id, field));
    }
    return Promise.resolve(null);
  }

  /** Take theirs: the agent's text of the field is dropped. */
  function takeTheirs(type, id, field) {
    discardField(type, id, field);
    store.changed();
  }

  /** Copy the agent's own text to the clipboard (to paste part of it into theirs). */
  function copyMine(type, id, field) {
    var text = String(store.draftValue(type, id, field) || "");
    var clipboard = navigator.clipboard;
    return clipboard && clipboard.writeText ? clipboard.writeText(text).then(null, function () { return null; }) :
      Promise.resolve(null);
  }

  return {typed: typed, otherContributor: otherContributor, saveField: saveField, saveFields: saveFields, discardField: discardField,
    changeTag: changeTag, commentTyped: commentTyped, addComment: addComment, loadTheirs: loadTheirs, keepMine: keepMine, takeTheirs: takeTheirs,
    copyMine: copyMine};
}());
