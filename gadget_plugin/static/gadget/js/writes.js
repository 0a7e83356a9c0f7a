/**
 * Ordered writes: one queue per Context Service object. A write waits for the one before it and sends the
 * lastUpdated that write returned; tags are operations (add / remove) applied to the object as it is when the
 * write goes out, so quick successive tags all land. A 409 is a conflict only when someone else changed the
 * object: a version we were answered ourselves, or an object that already holds what we wrote (a write whose
 * answer was lost), is ours.
 */
var CC = window.CC || (window.CC = {});

CC.writes = (function () {
  "use strict";

  var MAX_REBASES = 3;
  var TAG_RETRIES = 8;
  var TAG_RETRY_MS = 1500;
  var tails = {};
  var pending = {};
  var ours = {};
  var pendingTags = {};

  function keyOf(type, id) {
    return type + ":" + id;
  }

  /** Empty, null and missing are the same value for a field. */
  function same(a, b) {
    var norm = function (v) { return v === undefined || v === "" ? null : v; };
    return norm(a) === norm(b);
  }

  function updateCall(type) {
    return {customer: CC.api.updateCustomer, request: CC.api.updateRequest, activity: CC.api.updateActivity}[type];
  }

  /** The tags after one operation ({add: tag} or {remove: tag}), case-insensitively once each. */
  function applyTag(tags, op) {
    var list = (tags || []).slice();
    var has = function (tag) {
      return list.some(function (other) { return other.trim().toLowerCase() === tag.trim().toLowerCase(); });
    };
    if (op.add && !has(op.add)) {
      list.push(op.add);
    }
    if (op.remove) {
      list = list.filter(function (other) { return other !== op.remove; });
    }
    return list;
  }

  /** An activity's tags as the agent should see them: stored, with the queued operations applied. */
  function tagsShown(activity) {
    return (pendingTags[activity.id] || []).reduce(applyTag, activity.tags || []);
  }

  function remember(type, id, object) {
    var list = ours[keyOf(type, id)] || (ours[keyOf(type, id)] = []);
    list.push(object.lastUpdated);
  }

  /** True when Context Service answered us this version of the object (so it holds nothing of anyone else). */
  function isOurs(type, id, object) {
    return Boolean(object && (ours[keyOf(type, id)] || []).indexOf(object.lastUpdated) !== -1);
  }

  /** The object as the store has it now (or the fallback the write was queued with). */
  function currentObject(ref) {
    var entry = CC.store.entryShowing(ref.type, ref.id);
    return (entry && CC.store.findObject(entry, ref.type, ref.id)) || ref.fallback;
  }

  function adopt(ref, object) {
    var entry = CC.store.entryShowing(ref.type, ref.id);
    if (entry) {
      CC.store.replaceObject(entry, ref.type, object);
    } else {
      ref.fallback = object;
    }
  }

  /** A field the agent typed over a value that is no longer the stored one (someone else changed it since). */
  function changedUnderneath(ref, object, op) {
    var draft = CC.drafts.get(ref.type, ref.id);
    return Object.keys(op.fields || {}).some(function (field) {
      return draft && Object.prototype.hasOwnProperty.call(draft.bases, field) &&
        !same((object.fields || {})[field], draft.bases[field]) && !isOurs(ref.type, ref.id, object);
    });
  }

  function holdsAll(object, fields) {
    return Object.keys(fields).every(function (field) { return same((object.fields || {})[field], fields[field]); });
  }

  function stored(ref, op, updated) {
    remember(ref.type, ref.id, updated);
    adopt(ref, updated);
    Object.keys(op.fields || {}).forEach(function (field) { CC.drafts.settle(ref.type, ref.id, field, op.fields[field]); });
    return {outcome: "saved", object: updated};
  }

  function later(ms) {
    return new Promise(function (resolve) { window.setTimeout(resolve, ms); });
  }

  /**
   * Send a tag operation; while Context Service is out it stays at the head of the object's queue and is sent
   * again (a tag has no draft that a later retry could save), so nothing queued behind it overtakes it.
   */
  function sendTags(ref, op, attempt) {
    return send(ref, op, 0).then(function (result) {
      if (result.outcome !== "outage" || attempt >= TAG_RETRIES) {
        return result;
      }
      return later(TAG_RETRY_MS * (attempt + 1)).then(function () { return sendTags(ref, op, attempt + 1); });
    });
  }

  /** Send one write (rebasing on a 409 that is not a conflict); resolves with its outcome. */
  function send(ref, op, rebases) {
    var object = currentObject(ref);
    if (op.fields && changedUnderneath(ref, object, op)) {
      return Promise.resolve({outcome: "conflict", theirs: object, base: object});
    }
    var body = {lastUpdated: object.lastUpdated};
    if (op.fields) {
      body.fields = op.fields;
    }
    if (op.tags) {
      body.tags = applyTag(object.tags, op.tags);
    }
    return updateCall(ref.type)(ref.id, body).then(function (updated) {
      return stored(ref, op, updated);
    }, function (error) {
      var theirs = error.current;
      if (error.status !== 409 || !theirs || rebases >= MAX_REBASES) {
        return failure(error, object);
      }
      if (op.fields && holdsAll(theirs, op.fields) && !op.tags) {
        return stored(ref, op, theirs); // our write landed, its answer was lost
      }
      if (!op.fields || isOurs(ref.type, ref.id, theirs)) {
        adopt(ref, theirs); // tags merge: the operation is applied again to their version
        return send(ref, op, rebases + 1);
      }
      return {outcome: "conflict", theirs: theirs, base: object, error: error};
    });
  }

  function failure(error, object) {
    if (!(error instanceof CC.api.ApiError)) {
      throw error;
    }
    var outcome = error.isOutage() ? "outage" : error.status === 409 ? "conflict" : error.field ? "invalid" : "failed";
    return {outcome: outcome, error: error, theirs: error.current, base: object};
  }

  /** Run fn(object) after every write queued before it for the same object; resolves with what fn returns. */
  function after(type, id, fn, fallback) {
    var key = keyOf(type, id);
    var ref = {type: type, id: id, fallback: fallback};
    pending[key] = (pending[key] || 0) + 1;
    var run = (tails[key] || Promise.resolve()).then(function () { return fn(currentObject(ref), ref); });
    var done = function () { pending[key] -= 1; };
    tails[key] = run.then(done, done);
    return run;
  }

  /**
   * Queue a write of an object: op = {fields: {name: value}} and/or {tags: {add: tag} | {remove: tag}}.
   * Resolves {outcome: "saved"|"conflict"|"outage"|"invalid"|"failed", object|theirs, base, error}.
   * fallback: the object's version to start from when no open customer shows it (a draft after a reload).
   */
  function enqueue(type, id, op, fallback) {
    if (op.tags) {
      (pendingTags[id] || (pendingTags[id] = [])).push(op.tags);
    }
    return after(type, id, function (object, ref) {
      return op.tags ? sendTags(ref, op, 0) : send(ref, op, 0);
    }, fallback).then(function (result) {
      if (op.tags) {
        pendingTags[id].splice(pendingTags[id].indexOf(op.tags), 1);
      }
      return result;
    });
  }

  /** True while a write of the object is queued or on its way. */
  function isPending(type, id) {
    return (pending[keyOf(type, id)] || 0) > 0;
  }

  /** Resolves when every write queued so far for these objects ([{type, id}], default all) has settled. */
  function idle(objects) {
    var keys = objects ? objects.map(function (o) { return keyOf(o.type, o.id); }) : Object.keys(tails);
    return Promise.all(keys.map(function (key) { return tails[key]; }));
  }

  return {enqueue: enqueue, after: after, isPending: isPending, idle: idle, tagsShown: tagsShown, same: same};
}());
