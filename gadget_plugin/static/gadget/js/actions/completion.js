/**
 * Completing a journey the screen pop answered before its comments (`POST /screen-pop` with `partial: true`): the comments
 * of its activities, or, when it holds only the customer's newest activities (complete: false), the whole journey.
 * The read starts while the call rings when it can (startCompletion, once the call has rung the auto-answer grace of
 * screenpop.js), else once the call's record has answered;
 * what the agent did meanwhile (an activity recorded, a comment added, a field saved) is kept when it arrives.
 */
var CC = window.CC || (window.CC = {});
CC.actions = CC.actions || {};

CC.actions.completion = (function () {
  "use strict";

  var store = CC.store;
  var KEPT_APART = ["activities", "comments", "commentsUnread"]; // merged on their own, never copied over

  /** The activities of a journey (a journey, not an entry). */
  function activitiesOf(journey) {
    return store.journeyObjects({journey: journey}).activities;
  }

  /**
   * Mark the activities of a partial answer whose comments are not read yet (comments: null) with their own flag,
   * commentsUnread: a comment the agent adds before they are read does not make them look read.
   */
  function markUnread(journey) {
    if (journey) {
      activitiesOf(journey).forEach(function (a) { a.commentsUnread = a.comments === null || a.commentsUnread === true; });
    }
    return journey;
  }

  function hasUnreadComments(journey) {
    return activitiesOf(journey).some(function (a) { return a.commentsUnread === true; });
  }

  /** True when a journey is partial: comments not read yet, or only the customer's newest activities. */
  function needsCompletion(journey) {
    return Boolean(journey) && (journey.complete === false || hasUnreadComments(journey));
  }

  /** Comments read for some activities, merged with those the agent added meanwhile (by id). */
  function mergeComments(read, present) {
    var ids = read.map(function (comment) { return comment.id; });
    return (present || []).filter(function (comment) { return ids.indexOf(comment.id) === -1; }).concat(read);
  }

  /** Read the comments of a journey's activities marked unread, 50 a call, side by side, into those activities. */
  function loadComments(journey) {
    var unread = activitiesOf(journey).filter(function (a) { return a.commentsUnread === true; });
    var calls = [];
    for (var i = 0; i < unread.length; i += CC.api.commentsPerCall) {
      calls.push(unread.slice(i, i + CC.api.commentsPerCall));
    }
    return Promise.all(calls.map(function (chunk) {
      return CC.api.commentsOf(chunk.map(function (a) { return a.id; })).then(function (read) {
        chunk.forEach(function (activity) {
          activity.comments = mergeComments(read[activity.id] || [], activity.comments);
          delete activity.commentsUnread;
        });
      });
    }));
  }

  /**
   * Start the read that completes a journey of a customer: {journey, read}, read resolving with the journey
   * completed (the same one with its comments, or the whole journey read again); null when it is complete.
   */
  function startCompletion(journey, customerId) {
    if (!customerId || !needsCompletion(journey)) {
      return null;
    }
    var read = journey.complete !== false ? loadComments(journey).then(function () { return journey; }) :
      CC.api.journey(customerId);
    var begun = {journey: journey, read: read, done: null};
    // A read done while the call still rang is applied in the same turn as the customer is shown (one render).
    read.then(function (done) { begun.done = done; }, function () { return null; }); // a failure is told when applied
    return begun;
  }

  /** The completed journey in place of the one on screen, keeping what the agent did meanwhile. */
  function applyCompleted(entry, done, journey, run) {
    if (done !== journey && entry.journey === journey) {
      entry.journey = keepChanges(done, journey, run.added);
      if (entry.draftRequest) {
        done.requests.unshift(entry.draftRequest);
      }
    }
  }

  function newer(object, than) {
    return Date.parse(object.lastUpdated) > Date.parse(than.lastUpdated);
  }

  /** Keep in a fresh object what the agent changed in the one on screen: its newer version, the comments added. */
  function keepChange(fresh, shown) {
    if (newer(shown, fresh)) {
      Object.keys(shown).forEach(function (name) {
        if (KEPT_APART.indexOf(name) === -1) {
          fresh[name] = shown[name];
        }
      });
    }
    if (Array.isArray(fresh.comments)) {
      fresh.comments = mergeComments(fresh.comments, shown.comments);
    }
  }

  /** The whole journey read again, with what changed on screen meanwhile (by id) and the activities recorded. */
  function keepChanges(whole, shown, added) {
    var before = store.journeyObjects({journey: shown});
    var after = store.journeyObjects({journey: whole});
    [["requests", after.requests], ["activities", after.activities]].forEach(function (pair) {
      pair[1].forEach(function (fresh) {
        var old = before[pair[0]].filter(function (o) { return o.id === fresh.id; })[0];
        if (old) {
          keepChange(fresh, old);
        }
      });
    });
    added.forEach(function (activity) { CC.actions.customers.addActivity(whole, activity); });
    return whole;
  }

  /**
   * Complete an entry's journey (the read `started` while the call rang, when it is that journey's, else a new
   * one). entry.completion is "loading" meanwhile and "failed" when it could not be read (Retry calls this again).
   */
  function completeJourney(entry, started) {
    var journey = entry.journey;
    if (!entry.customer.id || !needsCompletion(journey)) {
      return Promise.resolve(null);
    }
    var run = {added: []};
    var begun = started && started.journey === journey ? started : startCompletion(journey, entry.customer.id);
    if (begun.done) {
      applyCompleted(entry, begun.done, journey, run);
      entry.completing = null;
      entry.completion = null;
      store.changed();
      return Promise.resolve(null);
    }
    entry.completing = run;
    entry.completion = "loading";
    var read = begun.read.then(function (done) { applyCompleted(entry, done, journey, run); });
    return read.then(function () { return null; }, function () { return "failed"; }).then(function (outcome) {
      if (entry.completing === run) {
        entry.completing = null;
        entry.completion = outcome;
        store.changed();
      }
    });
  }

  return {markUnread: markUnread, startCompletion: startCompletion, completeJourney: completeJourney};
}());
