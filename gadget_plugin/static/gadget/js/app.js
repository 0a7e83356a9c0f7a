/** The gadget's state and orchestration: open customers, screen pop, saving, outages, cautions, start-up. */
var CC = window.CC || (window.CC = {});

CC.app = (function () {
  "use strict";

  var RECENT_LIMIT = 10;
  var HANDLED_LIMIT = 200;
  var PREPARED_LIMIT = 5;
  var RETRY_MS = 3000;

  var state = {
    fields: {fields: {}, fieldsets: {}},
    open: [],
    currentKey: null,
    pickList: null,
    offline: false,
    lastMove: null
  };
  var retryTimer = null;
  var newCounter = 0;
  var prepared = {};
  var followed = 0;

  // ---- small helpers -------------------------------------------------------------------------------------

  function agentKey(name) {
    return "cc." + name + "." + finesse.gadget.Config.id;
  }

  function readJson(key, fallback) {
    try {
      return JSON.parse(window.localStorage.getItem(key)) || fallback;
    } catch (e) {
      return fallback;
    }
  }

  /** The customer's display name: name → email → phone → "Unknown Customer" (Cisco's fallback order). */
  function displayName(customer) {
    var f = (customer && customer.fields) || {};
    var name = [f.Context_First_Name, f.Context_Last_Name].filter(Boolean).join(" ").trim();
    return name || f.Context_Home_Email || f.Context_Work_Email || f.Context_Mobile_Phone ||
      f.Context_Home_Phone || f.Context_Work_Phone || CC.i18n.t("customer.unknown");
  }

  /** Pre-fill a new customer from the activity source by Cisco's rules (last word → Last Name, ...). */
  function prefillFromSource(source) {
    var fields = {};
    var words = String(source.name || "").trim().split(/\s+/).filter(Boolean);
    if (words.length > 1) {
      fields.Context_Last_Name = words.pop();
    }
    if (words.length) {
      fields.Context_First_Name = words.join(" ");
    }
    if (source.email) {
      fields.Context_Home_Email = source.email;
      fields.Context_First_Name = fields.Context_First_Name || source.email;
    }
    if (source.phone) {
      fields.Context_Mobile_Phone = source.phone;
      fields.Context_First_Name = fields.Context_First_Name || source.phone;
    }
    return fields;
  }

  function current() {
    return state.open.filter(function (entry) { return entry.key === state.currentKey; })[0] || null;
  }

  function entryOf(customerId) {
    return state.open.filter(function (entry) { return entry.customer.id === customerId; })[0] || null;
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
      return entry.customer;
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

  function persistOpen() {
    var saved = state.open.map(function (entry) {
      return entry.customer.id ? {customer: entry.customer, selected: entry.selected} :
        {key: entry.key, fields: entry.customer.fields, pendingActivity: entry.pendingActivity};
    });
    window.localStorage.setItem(agentKey("open"), JSON.stringify({open: saved, currentKey: state.currentKey}));
  }

  // ---- rendering -----------------------------------------------------------------------------------------

  /** Re-render every pane from the state, keeping the keyboard focus (and caret) where the agent was. */
  function render() {
    var active = document.activeElement;
    var focusKey = active && active.getAttribute ? active.getAttribute("data-focus-key") : null;
    var caret = focusKey && typeof active.selectionStart === "number" ? [active.selectionStart, active.selectionEnd] : null;
    var entry = current();
    CC.management.render(state);
    CC.customerPane.render(entry, state);
    CC.journey.render(entry, state);
    CC.details.render(entry, state);
    document.getElementById("cc-empty").hidden = Boolean(entry || state.pickList);
    var again = focusKey && document.querySelector('[data-focus-key="' + window.CSS.escape(focusKey) + '"]');
    if (again && again !== active) {
      again.focus();
      if (caret && typeof again.setSelectionRange === "function") {
        again.setSelectionRange(caret[0], caret[1]);
      }
    }
  }

  // ---- recent customers (gadget prefs, so they follow the agent across browsers and sign-ins) -------------

  function prefs() {
    return new gadgets.Prefs();
  }

  /** Recent customers, most recent first: [{id, name, phone, email, lastUpdated}], at most 10. */
  function recent() {
    try {
      var list = JSON.parse(prefs().getString("recentCustomers") || "[]");
      return Array.isArray(list) ? list.slice(0, RECENT_LIMIT) : [];
    } catch (e) {
      return [];
    }
  }

  function rememberRecent(customer) {
    var f = customer.fields || {};
    var list = recent().filter(function (item) { return item.id !== customer.id; });
    list.unshift({id: customer.id, name: displayName(customer), lastUpdated: customer.lastUpdated,
      phone: f.Context_Mobile_Phone || f.Context_Home_Phone || f.Context_Work_Phone || "",
      email: f.Context_Home_Email || f.Context_Work_Email || ""});
    prefs().set("recentCustomers", JSON.stringify(list.slice(0, RECENT_LIMIT)));
  }

  // ---- errors, outages, cautions ---------------------------------------------------------------------------

  /** Switch to offline mode: drafts keep the text, a retry loop saves it when Context Service is back. */
  function goOffline() {
    state.offline = true;
    CC.ui.notify(CC.i18n.t("outage.notice"), {kind: "warning"});
    if (!retryTimer) {
      retryTimer = window.setInterval(retryDrafts, RETRY_MS);
    }
  }

  function backOnline(savedCount) {
    state.offline = false;
    window.clearInterval(retryTimer);
    retryTimer = null;
    if (savedCount) {
      CC.ui.notify(CC.i18n.t("outage.recovered", {count: savedCount}), {kind: "success"});
    } else {
      CC.ui.clearNotice();
    }
  }

  /** Save every draft of the agent (after an outage or a reload); cautions for the ones refused as stale. */
  function retryDrafts() {
    return CC.api.status().then(function (status) {
      if (!status.available) {
        return null;
      }
      // A customer form is saved only when the agent asked for it (Save); field drafts save themselves.
      var drafts = CC.drafts.all().filter(function (draft) { return draft.type !== "customer" || draft.submitted; });
      var outcomes = [];
      return drafts.reduce(function (chain, draft) {
        return chain.then(function () {
          return saveDraft(draft).then(function (outcome) { outcomes.push(outcome); });
        });
      }, Promise.resolve()).then(function () {
        if (outcomes.indexOf("outage") === -1) {
          backOnline(outcomes.filter(function (o) { return o === "saved"; }).length);
        }
        render();
        var entry = current();
        // A journey that could not load during the outage is loaded now.
        if (entry && entry.customer.id && !entry.journey) {
          reloadJourney(entry).then(render, function () { return null; });
        }
      });
    }, function () { return null; });
  }

  function updateCall(type) {
    return {customer: CC.api.updateCustomer, request: CC.api.updateRequest, activity: CC.api.updateActivity}[type];
  }

  /** Save one draft; resolves "saved", "conflict" (a caution is shown) or "outage". */
  function saveDraft(draft) {
    var body = {fields: draft.fields, lastUpdated: draft.lastUpdated};
    var entry = entryOf(draft.customerId);
    return updateCall(draft.type)(draft.id, body).then(function (updated) {
      CC.drafts.remove(draft.type, draft.id);
      if (entry) {
        replaceObject(entry, draft.type, updated);
      }
      return "saved";
    }, function (error) {
      if (error.status === 409 && entry) {
        entry.cautions[draft.type + ":" + draft.id] = error.current || null;
        return "conflict";
      }
      return error.isOutage && error.isOutage() ? "outage" : "conflict";
    });
  }

  /**
   * Turn a refused call into what the agent sees: outage → offline mode (drafts kept); 409 → caution notice with
   * Load; a validation error → shown next to the field it names (via onFieldError). Returns nothing.
   */
  function handleError(error, context) {
    if (!(error instanceof CC.api.ApiError)) {
      CC.ui.notify(CC.i18n.t("error.unexpected"), {kind: "error"});
      window.console.error(error);
      return;
    }
    if (error.isOutage()) {
      goOffline();
    } else if (error.status === 409 && context && context.object) {
      context.entry.cautions[context.type + ":" + context.object.id] = error.current || null;
    } else if (error.field && context && context.onFieldError && context.onFieldError(error)) {
      return;
    } else if (error.code === "NOT_ENTITLED" || error.code === "NOT_REGISTERED") {
      showUnavailable(error.code);
      return;
    } else {
      CC.ui.notify(error.message || CC.i18n.t("error.unexpected"), {kind: "error"});
    }
    render();
  }

  /** Apply the version another agent stored (the caution's Load); the agent's own drafts stay, on top of it. */
  function loadTheirs(entry, type, id) {
    var key = type + ":" + id;
    var theirs = entry.cautions[key];
    delete entry.cautions[key];
    var reload = theirs ? Promise.resolve(theirs) :
      (type === "customer" ? CC.api.getCustomer(id) : reloadJourney(entry).then(function () { return null; }));
    return reload.then(function (object) {
      if (object) {
        replaceObject(entry, type, object);
        CC.drafts.rebase(type, id, object.lastUpdated);
      } else {
        var fresh = findObject(entry, type, id);
        if (fresh) {
          CC.drafts.rebase(type, id, fresh.lastUpdated);
        }
      }
      render();
    }, function (error) { handleError(error); });
  }

  /**
   * Save changed fields (or tags) of a customer, request or activity with its lastUpdated. Resolves with the
   * stored object, or null when the change was refused (the error is already shown).
   */
  function saveObject(entry, type, object, changes, onFieldError) {
    var body = Object.assign({lastUpdated: object.lastUpdated}, changes);
    return updateCall(type)(object.id, body).then(function (updated) {
      replaceObject(entry, type, updated);
      Object.keys(changes.fields || {}).forEach(function (field) { CC.drafts.remove(type, object.id, field); });
      delete entry.cautions[type + ":" + object.id];
      render();
      return updated;
    }, function (error) {
      handleError(error, {entry: entry, type: type, object: object, onFieldError: onFieldError});
      return null;
    });
  }

  // ---- journey, customers, screen pop -------------------------------------------------------------------

  function reloadJourney(entry) {
    if (!entry.customer.id) {
      entry.journey = {requests: [], unassigned: [], totalRequests: 0};
      return Promise.resolve(entry.journey);
    }
    return CC.api.journey(entry.customer.id).then(function (journey) {
      entry.journey = journey;
      return journey;
    });
  }

  function makeEntry(customer) {
    return {key: customer.id, customer: customer, journey: null, selected: null, editing: false, cautions: {},
      pendingActivity: null};
  }

  /** Put a stored customer into Open (once) and show them; returns their entry. */
  function showCustomer(customer) {
    var entry = entryOf(customer.id);
    if (!entry) {
      entry = makeEntry(customer);
      state.open.push(entry);
    } else {
      entry.customer = customer;
    }
    state.currentKey = entry.key;
    state.pickList = null;
    rememberRecent(customer);
    persistOpen();
    render();
    return entry;
  }

  /** Show a stored customer and load their journey. */
  function openCustomer(customer) {
    var entry = showCustomer(customer);
    return reloadJourney(entry).then(function () {
      render();
      return entry;
    }, function (error) {
      handleError(error);
      return entry;
    });
  }

  /** Open a customer by id (from Recent or a restored session). */
  function openCustomerById(customerId) {
    return CC.api.getCustomer(customerId).then(openCustomer, function (error) { handleError(error); });
  }

  /** A new customer that is not stored until Create; its form is pre-filled and open for editing. */
  function openNewCustomer(fields, pendingActivity, key) {
    newCounter += 1;
    var entry = makeEntry({id: null, fields: fields || {}, fieldsets: ["cisco.base.customer"]});
    entry.key = key || "new-" + Date.now() + "-" + newCounter;
    entry.editing = true;
    entry.pendingActivity = pendingActivity || null;
    entry.journey = {requests: [], unassigned: [], totalRequests: 0};
    state.open.push(entry);
    state.currentKey = entry.key;
    state.pickList = null;
    persistOpen();
    render();
    return entry;
  }

  /** Store the activity of a contact for a customer and show it selected in the journey. */
  function attachActivity(entry, contact) {
    var body = {customerId: entry.customer.id, mediaType: contact.mediaType, source: contact.source,
      dialogId: contact.dialogId, activityId: contact.podId || undefined};
    return CC.api.createActivity(body).then(function (activity) {
      entry.pendingActivity = null;
      entry.selected = {type: "activity", id: activity.id};
      persistOpen();
      // Adding an activity changes nothing else of the journey, so a loaded journey just gets it on top.
      return entry.journey && insertActivity(entry.journey, activity) ? null : reloadJourney(entry);
    }).then(render, function (error) {
      entry.pendingActivity = contact;
      persistOpen();
      handleError(error);
    });
  }

  /** Put a new activity at the top of its request (or of the unassigned ones); false when that request is not
   * in the journey (a new one was opened for it). */
  function insertActivity(journey, activity) {
    var list = activity.requestId ? (journey.requests.filter(function (request) {
      return request.id === activity.requestId;
    })[0] || {}).activities : journey.unassigned;
    if (!list) {
      return false;
    }
    if (!list.some(function (other) { return other.id === activity.id; })) {
      list.unshift(activity);
    }
    return true;
  }

  /** Show a stored customer for a contact (with the journey loaded while it rang, if any) and record the
   * contact as an activity. */
  function popCustomer(customer, contact, journey) {
    var entry = showCustomer(customer);
    if (journey && !entry.journey) {
      entry.journey = journey;
    }
    return attachActivity(entry, contact);
  }

  function handledDialogs() {
    return readJson(agentKey("handled"), []);
  }

  function markHandled(dialogId) {
    var list = handledDialogs();
    list.push(dialogId);
    window.localStorage.setItem(agentKey("handled"), JSON.stringify(list.slice(-HANDLED_LIMIT)));
  }

  /**
   * The customers matching a contact. An activity another product created for it (POD.ID) that names its
   * customer decides; an unassigned one lends its source fields to the look-up by identity.
   */
  function lookupFor(contact) {
    if (!contact.podId) {
      return lookupByIdentity(contact);
    }
    return CC.api.getActivity(contact.podId).then(function (activity) {
      if (activity.customerId) {
        return CC.api.getCustomer(activity.customerId).then(function (customer) { return [customer]; });
      }
      var fields = activity.fields || {};
      contact.source = {
        name: contact.source.name || fields.Context_POD_Source_Cust_Name || "",
        email: contact.source.email || fields.Context_POD_Source_Email || "",
        phone: contact.source.phone || fields.Context_POD_Source_Phone || "",
        chat: contact.source.chat
      };
      return lookupByIdentity(contact);
    }, function (error) {
      if (error.status !== 404) {
        throw error;
      }
      contact.podId = null; // no such activity: record the contact as our own
      return lookupByIdentity(contact);
    });
  }

  /** The customers matching a contact's identity (none when it has no phone, email or chat identity). */
  function lookupByIdentity(contact) {
    var source = contact.source;
    if (!source.phone && !source.email && !source.chat) {
      return Promise.resolve([]);
    }
    return CC.api.lookup({phone: source.phone, email: source.email, chat: source.chat}).then(function (result) {
      return result.matches || [];
    });
  }

  /**
   * While a call rings (or a chat or email is offered): look the customer up and load a single match's journey,
   * so that answering shows them at once. Nothing is shown or stored before the agent answers.
   */
  function prepare(contact) {
    if (prepared[contact.dialogId] || handledDialogs().indexOf(contact.dialogId) !== -1) {
      return;
    }
    // Calls that were never answered leave their look-up behind: keep only the latest few.
    Object.keys(prepared).slice(0, -PREPARED_LIMIT + 1).forEach(function (dialogId) { delete prepared[dialogId]; });
    // The look-up may learn more of the contact (from its POD.ID activity): the answer takes that over too.
    prepared[contact.dialogId] = {contact: contact, found: lookupFor(contact).then(function (matches) {
      if (matches.length !== 1) {
        return {matches: matches, journey: null};
      }
      return CC.api.journey(matches[0].id).then(function (journey) {
        return {matches: matches, journey: journey};
      }, function () {
        return {matches: matches, journey: null};
      });
    }, function () {
      return null; // looked up again when the agent answers
    })};
  }

  /**
   * React to a call answered, a chat accepted or an email opened: look the customer up (or use what was found
   * while it rang), then show them (one match), offer a pick list (several) or a pre-filled new customer
   * (none). Each dialog is handled once.
   */
  function screenPop(contact) {
    if (handledDialogs().indexOf(contact.dialogId) !== -1) {
      return Promise.resolve(null);
    }
    markHandled(contact.dialogId);
    CC.desktop.bringToFront();
    var early = prepared[contact.dialogId] || {found: Promise.resolve(null)};
    delete prepared[contact.dialogId];
    return early.found.then(function (found) {
      if (found) {
        contact.source = early.contact.source;
        contact.podId = early.contact.podId;
        return found;
      }
      return lookupFor(contact).then(function (matches) { return {matches: matches, journey: null}; });
    }).then(function (found) {
      var matches = found.matches;
      if (matches.length === 1) {
        return popCustomer(matches[0], contact, found.journey);
      }
      if (matches.length > 1) {
        state.pickList = {matches: matches, contact: contact};
        state.currentKey = null;
        render();
        return null;
      }
      openNewCustomer(prefillFromSource(contact.source), contact);
      return null;
    }, function (error) {
      // Context Service is unreachable: still show the agent a pre-filled customer so nothing is lost.
      handleError(error);
      openNewCustomer(prefillFromSource(contact.source), contact);
    });
  }

  /** The agent picked one of several matches: show them and attach the activity. */
  function pickMatch(customer) {
    var contact = state.pickList.contact;
    state.pickList = null;
    return popCustomer(customer, contact);
  }

  /** None of the matches is the caller: a new customer pre-filled from the contact. */
  function pickNone() {
    var contact = state.pickList.contact;
    state.pickList = null;
    openNewCustomer(prefillFromSource(contact.source), contact);
  }

  /** Create the new customer of an entry (and the activity waiting for it). */
  function createCustomer(entry, fields, onFieldError) {
    return CC.api.createCustomer({fields: fields}).then(function (customer) {
      CC.drafts.remove("customer", entry.key);
      entry.customer = customer;
      entry.key = customer.id;
      entry.editing = false;
      state.currentKey = customer.id;
      rememberRecent(customer);
      persistOpen();
      var pending = entry.pendingActivity;
      return reloadJourney(entry).then(function () {
        return pending ? attachActivity(entry, pending) : render();
      });
    }, function (error) {
      handleError(error, {entry: entry, onFieldError: onFieldError});
    });
  }

  /** Take a customer out of Open (after the Close dialog decided what to do with unsaved work). */
  function closeEntry(entry) {
    draftsOf(entry).forEach(function (draft) { CC.drafts.remove(draft.type, draft.id); });
    state.open = state.open.filter(function (other) { return other !== entry; });
    state.currentKey = state.open.length ? state.open[state.open.length - 1].key : null;
    persistOpen();
    render();
  }

  /** Drafts that belong to an open customer (its form and its requests and activities). */
  function draftsOf(entry) {
    return CC.drafts.all().filter(function (draft) {
      return (entry.customer.id && draft.customerId === entry.customer.id) || draft.id === entry.key;
    });
  }

  /** Select a customer of the Open list. */
  function showEntry(key) {
    state.currentKey = key;
    state.pickList = null;
    persistOpen();
    render();
    var entry = current();
    if (entry && entry.customer.id && !entry.journey) {
      reloadJourney(entry).then(render, handleError);
    }
  }

  /** Select a request or an activity of the current customer's journey. */
  function select(type, id) {
    var entry = current();
    if (entry) {
      entry.selected = {type: type, id: id};
      render();
    }
  }

  /** Add a request for a problem not related to the current requests. */
  function addRequest(entry) {
    return CC.api.createRequest({customerId: entry.customer.id, fields: {}}).then(function (request) {
      entry.selected = {type: "request", id: request.id};
      return reloadJourney(entry);
    }).then(render, function (error) { handleError(error); });
  }

  /** Move an activity to another open request of the same customer, or to a new one ("new"). */
  function moveToRequest(entry, activity, requestId) {
    var body = {requestId: requestId, lastUpdated: activity.lastUpdated};
    return CC.api.moveActivity(activity.id, body).then(function (result) {
      entry.selected = {type: "activity", id: result.activity.id};
      CC.ui.notify(CC.i18n.t("move.done"), {kind: "success"});
      return reloadJourney(entry);
    }).then(render, function (error) {
      handleError(error, {entry: entry, type: "activity", object: activity});
    });
  }

  /** Move an activity to another customer (a new request there), then show that customer, offering Undo. */
  function moveToCustomer(entry, activity, target) {
    var body = {requestId: "new", customerId: target.id, lastUpdated: activity.lastUpdated};
    return CC.api.moveActivity(activity.id, body).then(function (result) {
      state.lastMove = {move: result.move, fromCustomerId: entry.customer.id};
      return reloadJourney(entry).then(function () { return openCustomer(target); }).then(function (targetEntry) {
        targetEntry.selected = {type: "activity", id: result.activity.id};
        render();
        CC.ui.notify(CC.i18n.t("move.toCustomerDone", {name: displayName(target)}), {kind: "success", actions: [
          {label: CC.i18n.t("action.undo"), value: "undo", onclick: undoLastMove}
        ]});
      });
    }, function (error) {
      handleError(error, {entry: entry, type: "activity", object: activity});
    });
  }

  /** Undo the last move to another customer and show the original customer again. */
  function undoLastMove() {
    var last = state.lastMove;
    if (!last) {
      return Promise.resolve();
    }
    return CC.api.undoMove(last.move.id).then(function (result) {
      state.lastMove = null;
      var target = entryOf(last.move.to.customerId);
      var reloadTarget = target ? reloadJourney(target) : Promise.resolve();
      return reloadTarget.then(function () { return openCustomerById(last.fromCustomerId); }).then(function () {
        var origin = entryOf(last.fromCustomerId);
        if (origin) {
          origin.selected = {type: "activity", id: result.activity.id};
        }
        CC.ui.notify(CC.i18n.t("move.undone"), {kind: "success"});
        render();
      });
    }, function (error) { handleError(error); });
  }

  // ---- start-up ------------------------------------------------------------------------------------------

  /** Not entitled / not registered: say so plainly and offer nothing that would fail. */
  function showUnavailable(reason) {
    document.getElementById("cc-app").hidden = true;
    var box = document.getElementById("cc-unavailable");
    box.textContent = CC.i18n.t("unavailable." + (reason || "UNREACHABLE"));
    box.hidden = false;
  }

  function restoreOpen() {
    var saved = readJson(agentKey("open"), {open: []});
    // Customers come back as they were saved (also during an outage), then are refreshed in the background.
    saved.open.forEach(function (item) {
      if (!item.customer) {
        openNewCustomer(item.fields, item.pendingActivity, item.key);
        return;
      }
      var entry = makeEntry(item.customer);
      entry.selected = item.selected || null;
      // An edit typed before the reload is still a draft: reopen the form in edit mode to show it.
      entry.editing = Boolean(CC.drafts.get("customer", item.customer.id));
      state.open.push(entry);
      CC.api.getCustomer(item.customer.id).then(function (customer) {
        entry.customer = customer;
        render();
      }, function () { return null; });
    });
    var keys = state.open.map(function (entry) { return entry.key; });
    state.currentKey = keys.indexOf(saved.currentKey) !== -1 ? saved.currentKey : (keys[0] || null);
    persistOpen();
    var entry = current();
    return entry ? reloadJourney(entry).then(null, handleError) : Promise.resolve(null);
  }

  /**
   * Follow another instance of the gadget on the same desktop (the layout may hold it on several tabs): the
   * one that handled a contact saves its Open list, and this one adopts the customers it does not have and
   * shows the other's current customer with a fresh journey. Nothing is written back, so instances never echo.
   */
  function followOtherInstances() {
    window.addEventListener("storage", function (event) {
      if (event.key !== agentKey("open") || !event.newValue) {
        return;
      }
      var saved = readJson(agentKey("open"), {open: []});
      saved.open.forEach(function (item) {
        if (item.customer && !entryOf(item.customer.id)) {
          state.open.push(makeEntry(item.customer));
        }
      });
      var entry = entryOf(saved.currentKey);
      if (!entry) {
        render();
        return;
      }
      state.currentKey = entry.key;
      entry.selected = saved.open.filter(function (item) {
        return item.customer && item.customer.id === entry.key;
      })[0].selected || entry.selected;
      var ticket = followed += 1;
      CC.api.journey(entry.customer.id).then(function (journey) {
        if (ticket === followed) { // an older answer must not overwrite a newer one
          entry.journey = journey;
          render();
        }
      }, handleError);
    });
  }

  /** Start the gadget (from gadgets.HubSettings.onConnect): status, dictionary, restored session, desktop. */
  function init() {
    CC.i18n.translate(document);
    new window.ResizeObserver(function () { gadgets.window.adjustHeight(); }).observe(document.body);
    CC.management.init();
    gadgets.window.setTitle(CC.i18n.t("gadget.title"));
    CC.api.status().then(function (status) {
      gadgets.loadingindicator.dismiss();
      if (!status.available && status.reason !== "UNREACHABLE") {
        showUnavailable(status.reason);
        return null;
      }
      document.getElementById("cc-app").hidden = false;
      if (!status.available) {
        goOffline();
      }
      return CC.api.fields().then(function (fields) { state.fields = fields; }, handleError)
        .then(restoreOpen)
        .then(function () {
          render();
          if (CC.drafts.all().length) {
            retryDrafts();
          }
          followOtherInstances();
          CC.desktop.start(screenPop, prepare);
        });
    }, function (error) {
      gadgets.loadingindicator.dismiss();
      document.getElementById("cc-app").hidden = false;
      handleError(error);
      CC.desktop.start(screenPop, prepare);
    });
  }

  return {
    state: state,
    init: init,
    render: render,
    current: current,
    displayName: displayName,
    recent: recent,
    findObject: findObject,
    openCustomer: openCustomer,
    openCustomerById: openCustomerById,
    openNewCustomer: openNewCustomer,
    showEntry: showEntry,
    select: select,
    screenPop: screenPop,
    pickMatch: pickMatch,
    pickNone: pickNone,
    createCustomer: createCustomer,
    saveObject: saveObject,
    loadTheirs: loadTheirs,
    handleError: handleError,
    closeEntry: closeEntry,
    draftsOf: draftsOf,
    addRequest: addRequest,
    moveToRequest: moveToRequest,
    moveToCustomer: moveToCustomer,
    undoLastMove: undoLastMove
  };
}());
