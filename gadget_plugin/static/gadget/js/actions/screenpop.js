/**
 * Screen pop, in three steps a later change can pull apart: find (look the contact up; started early while it
 * rings), show (the customer, a pick list or a pre-filled new customer) and record (the activity, under a
 * cross-tab lock so the gadget on two tabs records a dialog once). The look-up also says whether the dialog is
 * recorded already (then it is shown, not recorded again) and brings the proxy's "prepared" token, which lets
 * the first try of the record only write; a retry never sends it (so the proxy's full path finds a write whose
 * answer was lost).
 */
var CC = window.CC || (window.CC = {});
CC.actions = CC.actions || {};

CC.actions.screenPop = (function () {
  "use strict";

  var HANDLED_LIMIT = 200;
  var PREPARED_LIMIT = 5;
  var store = CC.store;
  var state = CC.store.state;
  var customers = CC.actions.customers;
  var completion = CC.actions.completion;
  var prepared = {};
  var sentEarly = {}; // records sent at the hand-over (recordEarly), by dialog: never kept with a contact

  /** Make room for one more in `byDialog` (insertion order: oldest first): all but the latest few go to `drop`. */
  function keepLatest(byDialog, drop) {
    Object.keys(byDialog).slice(0, -PREPARED_LIMIT + 1).forEach(drop);
  }

  function handledDialogs() {
    return store.readJson(store.agentKey("handled"), []);
  }

  function markHandled(dialogId) {
    var list = handledDialogs();
    list.push(dialogId);
    window.localStorage.setItem(store.agentKey("handled"), JSON.stringify(list.slice(-HANDLED_LIMIT)));
  }

  /**
   * Take the agent's lock on a dialog (Web Locks: shared by every tab and frame of the gadget's origin): resolves
   * with the function that releases it, once granted. Without the API (older browsers) it is granted at once;
   * the handled list still catches most twins.
   */
  function lockDialog(dialogId) {
    if (!navigator.locks || typeof navigator.locks.request !== "function") {
      return Promise.resolve(function () {});
    }
    return new Promise(function (granted) {
      navigator.locks.request("cc.dialog." + finesse.gadget.Config.id + "." + dialogId, function () {
        return new Promise(granted);
      });
    });
  }

  /** Run fn while holding the dialog's lock (taken while it rang, or now); released when fn's promise settles. */
  function withDialogLock(lock, fn) {
    return lock.then(function (release) {
      return Promise.resolve().then(fn).then(function (result) {
        release();
        return result;
      }, function (error) {
        release();
        throw error;
      });
    });
  }

  /**
   * Find: the customers matching a contact and, for a single match, its journey ({matches, journey}). An
   * activity another product created for it (POD.ID) that names its customer decides; an unassigned one lends
   * its source fields to the look-up by identity.
   */
  function find(contact) {
    if (!contact.podId) {
      return findByIdentity(contact);
    }
    return CC.api.getActivity(contact.podId).then(function (activity) {
      if (activity.customerId) {
        return findCustomer(activity.customerId);
      }
      var fields = activity.fields || {};
      contact.source = {
        name: contact.source.name || fields.Context_POD_Source_Cust_Name || "",
        email: contact.source.email || fields.Context_POD_Source_Email || "",
        phone: contact.source.phone || fields.Context_POD_Source_Phone || "",
        chat: contact.source.chat
      };
      return findByIdentity(contact);
    }, function (error) {
      if (error.status !== 404) {
        throw error;
      }
      contact.podId = null; // no such activity: record the contact as our own
      return findByIdentity(contact);
    });
  }

  /** A customer known by id and their journey, read side by side (a journey that fails is loaded later). */
  function findCustomer(customerId) {
    var journey = CC.api.journey(customerId).then(null, function () { return null; });
    return Promise.all([CC.api.getCustomer(customerId), journey]).then(function (both) {
      return {matches: [both[0]], journey: both[1]};
    });
  }

  /**
   * The customers matching a contact's identity and a single match's journey, in one round trip to the proxy
   * (none when the contact has no phone, email or chat identity), with the dialog's activity if it is recorded
   * already and the prepared token of its record.
   */
  function findByIdentity(contact) {
    var source = contact.source;
    if (!source.phone && !source.email && !source.chat) {
      return Promise.resolve({matches: [], journey: null});
    }
    return CC.api.screenPop({phone: source.phone, email: source.email, chat: source.chat, dialogId: contact.dialogId,
      mediaType: contact.mediaType}).then(function (result) {
      contact.prepared = result.prepared || null;
      return {matches: result.matches || [], journey: completion.markUnread(result.journey || null),
        recorded: result.recorded || null};
    });
  }

  /**
   * While a call rings (or a chat or email is offered): find the customer, so that answering shows them at once.
   * Nothing is shown or stored before the agent answers.
   */
  function prepare(contact) {
    if (prepared[contact.dialogId] || handledDialogs().indexOf(contact.dialogId) !== -1) {
      return;
    }
    // Calls that were never answered leave their look-up behind: keep only the latest few.
    keepLatest(prepared, drop);
    // The dialog's lock is asked for now: a grant takes a turn of the browser's lock manager (often 10 ms or
    // more), which the answered call then need not wait for.
    var early = {contact: contact, answered: false, lock: lockDialog(contact.dialogId), rangAt: performance.now()};
    early.found = find(contact).then(function (result) {
      early.answered = true;
      completeWhileRinging(early, result);
      return result;
    }, function () {
      early.answered = true;
      return null; // looked up again when the agent answers
    });
    prepared[contact.dialogId] = early;
  }

  /**
   * Start the read that completes a single match's journey (result.completion) while the call still rings, once
   * it has rung autoAnswerGraceMs: a call answered before then (auto-answer) has its record on the way, and
   * the read, started after the record has answered (popCustomer), never competes with it.
   */
  function completeWhileRinging(early, result) {
    var single = result.matches.length === 1 ? result.matches[0] : null;
    if (!single || !result.journey) {
      return;
    }
    var start = function () {
      if (prepared[early.contact.dialogId] === early) { // still ringing: nothing is shown, nothing recorded
        result.completion = completion.startCompletion(result.journey, single.id);
      }
    };
    var wait = early.rangAt + exported.autoAnswerGraceMs - performance.now();
    if (wait > 0) {
      setTimeout(start, wait);
    } else {
      start();
    }
  }

  /**
   * The contact was answered before its screen pop's answer came (auto-answer): the record is sent at once, to be
   * stored by the proxy with the prepared token the screen pop running there hands over as soon as its checks are
   * done (POST /screen-pop/record) — the customer is shown when the screen pop answers. ``result`` resolves with
   * the stored activity, or null when nothing was handed over (the screen pop prepared nothing, or runs on another
   * host) or the call failed (``failed``: it may have stored the activity, so the record sent then drops the
   * token and the proxy's full path finds it by its dialog). Kept in sentEarly, not with the contact (which is
   * saved for a reload).
   */
  function recordEarly(contact) {
    contact.createKey = contact.createKey || CC.api.newKey();
    var early = {failed: false};
    early.result = CC.api.screenPopRecord({dialogId: contact.dialogId, mediaType: contact.mediaType,
      source: contact.source}, contact.createKey).then(function (handed) {
      return handed.activity || null;
    }, function () {
      early.failed = true;
      return null;
    });
    return early;
  }

  /** A dialog stopped ringing without being answered: what was found for it is dropped, never shown. */
  function drop(dialogId) {
    var early = prepared[dialogId];
    delete prepared[dialogId];
    if (early) {
      early.lock.then(function (release) { release(); });
    }
  }

  /** The contact's look-up: the one started while it rang (taking over what it learned), else a new one. */
  function found(contact, early) {
    if (early && !early.answered && !contact.podId) {
      // One whose contact was never recorded here (a new customer not made) is left behind: keep the latest few.
      keepLatest(sentEarly, function (id) { delete sentEarly[id]; });
      sentEarly[contact.dialogId] = recordEarly(contact);
    }
    var earlyFound = early ? early.found : Promise.resolve(null);
    return earlyFound.then(function (result) {
      if (result) {
        contact.source = early.contact.source;
        contact.podId = early.contact.podId;
        contact.prepared = early.contact.prepared;
        return result;
      }
      return find(contact);
    });
  }

  /**
   * Record a contact as an activity of an entry's customer: at once a "recording…" row in the journey, then the
   * stored activity in its place, selected (resolves when settled). A failed store leaves the row as "not
   * recorded" with Retry; every try of one contact sends the same Idempotency-Key, so it is stored once.
   */
  function record(entry, contact) {
    if (entry.recording && entry.pendingActivity === contact) {
      return entry.recording; // already on its way (an outage ended while it was sent)
    }
    contact.createKey = contact.createKey || CC.api.newKey();
    // Only the first try carries the token: it is dropped before the contact is kept for a reload or a Retry.
    var prepared = contact.prepared || undefined;
    var early = sentEarly[contact.dialogId];
    delete contact.prepared;
    delete sentEarly[contact.dialogId];
    entry.pendingActivity = contact;
    entry.recordFailed = false;
    store.persistOpen();
    store.changed();
    var body = {customerId: entry.customer.id, mediaType: contact.mediaType, source: contact.source,
      dialogId: contact.dialogId, activityId: contact.podId || undefined, prepared: prepared};
    // A record sent early (recordEarly) is the first try: what it stored for this customer is the activity, no
    // other is sent; when it stored nothing (or for another customer: the screen pop failed after handing over,
    // and the agent made a new one) the record goes now, with the screen pop's token unless the early one failed.
    var sent = early ? early.result.then(function (activity) {
      if (activity && activity.customerId === entry.customer.id) {
        return activity;
      }
      return CC.api.createActivity(early.failed || activity ? Object.assign({}, body, {prepared: undefined}) : body,
        contact.createKey);
    }) : CC.api.createActivity(body, contact.createKey);
    entry.recording = sent.then(function (activity) {
      entry.selected = {type: "activity", id: activity.id};
      // Adding an activity changes nothing else of the journey, so a loaded journey just gets it on top.
      var shown = entry.journey && customers.insertActivity(entry, activity) ? null :
        customers.reloadJourney(entry).then(null, CC.actions.errors.handle);
      return Promise.resolve(shown).then(function () { settle(entry, contact, false); });
    }, function (error) {
      settle(entry, contact, true);
      CC.actions.errors.handle(error);
    });
    return entry.recording;
  }

  /**
   * The contact's recording is over: stored (the row gives way to the activity) or failed (the row offers Retry).
   * A newer contact of the same customer that took the row meanwhile keeps it.
   */
  function settle(entry, contact, failed) {
    if (entry.pendingActivity !== contact) {
      return;
    }
    entry.recording = null;
    entry.recordFailed = failed;
    if (!failed) {
      entry.pendingActivity = null;
    }
    store.persistOpen();
    store.changed();
  }

  /** The agent asked to record again the activity that failed to store (same contact, same key). */
  function retry(entry) {
    return entry.pendingActivity && !entry.recording ? record(entry, entry.pendingActivity) : entry.recording;
  }

  /**
   * Show: a stored customer (with the journey found while it rang) whose activity is then recorded. The journey
   * is completed (comments, older activities) by the read `started` while it rang, else once the record has
   * answered (auto-answer: the record was sent first), so that its reads never slow the record down.
   */
  function popCustomer(customer, contact, journey, started) {
    var entry = customers.showCustomer(customer);
    if (journey && !entry.journey) {
      entry.journey = journey;
    }
    var recording = record(entry, contact);
    if (started && entry.journey === started.journey) {
      completion.completeJourney(entry, started);
      return recording;
    }
    var complete = function () { completion.completeJourney(entry); };
    recording.then(complete, complete);
    return recording;
  }

  /**
   * Show a dialog recorded already (by the gadget elsewhere, before a reload, or by another agent): its
   * customer with the activity selected — the single match with the journey found, else the customer by id.
   */
  function showRecorded(result) {
    var activity = result.recorded;
    var match = result.matches.length === 1 && result.matches[0].id === activity.customerId ? result.matches[0] : null;
    var shown = match ? Promise.resolve(customers.showCustomer(match)) : customers.openCustomerById(activity.customerId);
    return shown.then(function (entry) {
      if (!entry) {
        return null;
      }
      if (match && result.journey) {
        entry.journey = result.journey;
      }
      entry.selected = {type: "activity", id: activity.id};
      store.persistOpen();
      store.changed();
      completion.completeJourney(entry, result.completion);
      return null;
    });
  }

  /**
   * Show what the look-up found: the dialog's activity when it is recorded already (with a customer), else one
   * match, a pick list (several) or a pre-filled new customer (none).
   */
  function show(contact, result) {
    var matches = result.matches;
    if (result.recorded && result.recorded.customerId) {
      return showRecorded(result);
    }
    if (matches.length === 1) {
      return popCustomer(matches[0], contact, result.journey, result.completion);
    }
    if (matches.length > 1) {
      state.pickList = {matches: matches, contact: contact};
      state.currentKey = null;
      store.changed();
      return null;
    }
    customers.openNewCustomer(customers.prefillFromSource(contact.source), contact);
    return null;
  }

  /**
   * React to a call answered, a chat accepted or an email opened: find, show and record, once per dialog across
   * every instance of the gadget (the dialog's lock is held until the activity is recorded).
   */
  function screenPop(contact) {
    var early = prepared[contact.dialogId];
    delete prepared[contact.dialogId];
    return withDialogLock(early ? early.lock : lockDialog(contact.dialogId), function () {
      if (handledDialogs().indexOf(contact.dialogId) !== -1) {
        return null;
      }
      markHandled(contact.dialogId);
      CC.desktop.bringToFront();
      return found(contact, early).then(function (result) {
        return show(contact, result);
      }, function (error) {
        // Context Service is unreachable: still show the agent a pre-filled customer so nothing is lost.
        CC.actions.errors.handle(error);
        customers.openNewCustomer(customers.prefillFromSource(contact.source), contact);
      });
    });
  }

  /** The agent picked one of several matches: show them and record the activity. */
  function pickMatch(customer) {
    var contact = state.pickList.contact;
    state.pickList = null;
    return popCustomer(customer, contact);
  }

  /** None of the matches is the caller: a new customer pre-filled from the contact. */
  function pickNone() {
    var contact = state.pickList.contact;
    state.pickList = null;
    customers.openNewCustomer(customers.prefillFromSource(contact.source), contact);
  }

  var exported = {prepare: prepare, drop: drop, screenPop: screenPop, record: record, retry: retry,
    pickMatch: pickMatch, pickNone: pickNone,
    // How long a call rings before the read completing its journey starts (completeWhileRinging): Finesse
    // reports an auto-answered call ACTIVE about 100 ms after ALERTING; an agent's click comes later.
    autoAnswerGraceMs: 300};
  return exported;
}());
