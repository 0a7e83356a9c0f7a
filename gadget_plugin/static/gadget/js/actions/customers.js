/** Customers in the gadget: Open list, Recent, new customers (Create), journeys, selection, Add request. */
var CC = window.CC || (window.CC = {});
CC.actions = CC.actions || {};

CC.actions.customers = (function () {
  "use strict";

  var RECENT_LIMIT = 10;
  var store = CC.store;
  var state = CC.store.state;
  var newCounter = 0;

  /** The customer's display name: name → email → phone → "Unknown Customer" (Cisco's fallback order). */
  function displayName(customer) {
    var f = (customer && customer.fields) || {};
    var name = [f.Context_First_Name, f.Context_Last_Name].filter(Boolean).join(" ").trim();
    return name || f.Context_Home_Email || f.Context_Work_Email || f.Context_Mobile_Phone ||
      f.Context_Home_Phone || f.Context_Work_Phone || CC.i18n.t("customer.unknown");
  }

  /** The customer's phone: mobile, else home, else work ("" when none). */
  function phoneOf(customer) {
    var f = (customer && customer.fields) || {};
    return f.Context_Mobile_Phone || f.Context_Home_Phone || f.Context_Work_Phone || "";
  }

  /** The customer's email: home, else work ("" when none). */
  function emailOf(customer) {
    var f = (customer && customer.fields) || {};
    return f.Context_Home_Email || f.Context_Work_Email || "";
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
    var list = recent().filter(function (item) { return item.id !== customer.id; });
    list.unshift({id: customer.id, name: displayName(customer), lastUpdated: customer.lastUpdated,
      phone: phoneOf(customer), email: emailOf(customer)});
    prefs().set("recentCustomers", JSON.stringify(list.slice(0, RECENT_LIMIT)));
  }

  // ---- journeys and the Open list ------------------------------------------------------------------------

  /** Load an entry's journey again (an empty one for a customer not stored yet). */
  function reloadJourney(entry) {
    if (!entry.customer.id) {
      entry.journey = {requests: [], unassigned: [], totalRequests: 0};
      return Promise.resolve(entry.journey);
    }
    return CC.api.journey(entry.customer.id).then(function (journey) {
      if (entry.draftRequest) {
        journey.requests.unshift(entry.draftRequest);
      }
      entry.journey = journey;
      store.changed();
      return journey;
    });
  }

  /** Put a new activity at the top of its request (or of the unassigned ones); false when that request is not in
   * the journey (a new one was opened for it). */
  function addActivity(journey, activity) {
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

  /** addActivity to an entry's journey; a completion of that journey on its way (CC.actions.completion) keeps it
   * too. */
  function insertActivity(entry, activity) {
    var added = addActivity(entry.journey, activity);
    if (added && entry.completing) {
      entry.completing.added.push(activity);
    }
    return added;
  }

  /** Put a stored customer into Open (once) and show them; returns their entry. */
  function showCustomer(customer) {
    var entry = store.entryOf(customer.id);
    if (!entry) {
      entry = store.makeEntry(customer);
      state.open.push(entry);
    } else {
      entry.customer = customer;
    }
    state.currentKey = entry.key;
    state.pickList = null;
    CC.actions.dictionary.refreshIfOld();
    // Saving the prefs is a call to Finesse: after this turn, so that a screen pop's record leaves first.
    window.setTimeout(function () { rememberRecent(customer); }, 0);
    store.persistOpen();
    store.changed();
    return entry;
  }

  /** Show a stored customer and load their journey. */
  function openCustomer(customer) {
    var entry = showCustomer(customer);
    return reloadJourney(entry).then(function () { return entry; }, function (error) {
      CC.actions.errors.handle(error);
      return entry;
    });
  }

  /** Open a customer by id (from Recent or a restored session). */
  function openCustomerById(customerId) {
    return CC.api.getCustomer(customerId).then(openCustomer, function (error) { CC.actions.errors.handle(error); });
  }

  /** A new customer that is not stored until Create; its form is pre-filled and open for editing. */
  function openNewCustomer(fields, pendingActivity, key, createKey) {
    newCounter += 1;
    var entry = store.makeEntry({id: null, fields: fields || {}, fieldsets: ["cisco.base.customer"]});
    entry.key = key || "new-" + Date.now() + "-" + newCounter;
    entry.createKey = createKey || CC.api.newKey();
    entry.editing = true;
    entry.pendingActivity = pendingActivity || null;
    entry.journey = {requests: [], unassigned: [], totalRequests: 0};
    CC.actions.dictionary.refreshIfOld();
    state.open.push(entry);
    state.currentKey = entry.key;
    state.pickList = null;
    store.persistOpen();
    store.changed();
    return entry;
  }

  /** New customer (the management pane's button): an empty form, the focus in First Name. */
  function startNewCustomer() {
    var entry = openNewCustomer({}, null);
    state.focusNext = "customer:" + entry.key + ":Context_First_Name";
    store.changed();
    return entry;
  }

  /** Create the new customer of an entry (and the activity waiting for it); resolves true when stored. */
  function createCustomer(entry, fields, onFieldError) {
    return CC.api.createCustomer({fields: fields}, entry.createKey).then(function (customer) {
      CC.drafts.remove("customer", entry.key);
      entry.customer = customer;
      entry.key = customer.id;
      entry.editing = false;
      state.currentKey = customer.id;
      rememberRecent(customer);
      store.persistOpen();
      var pending = entry.pendingActivity;
      return reloadJourney(entry).then(function () {
        return pending ? CC.actions.screenPop.record(entry, pending) : null;
      }).then(function () { return true; });
    }, function (error) {
      CC.actions.errors.handle(error, {onFieldError: onFieldError});
      return false;
    });
  }

  /** Select a customer of the Open list. */
  function showEntry(key) {
    var leaving = store.current();
    if (leaving && leaving.key !== key) {
      dropEmptyDraft(leaving, null);
    }
    CC.actions.dictionary.refreshIfOld();
    state.currentKey = key;
    state.pickList = null;
    store.persistOpen();
    store.changed();
    var entry = store.current();
    if (entry && entry.customer.id && !entry.journey) {
      reloadJourney(entry).then(null, CC.actions.errors.handle);
    }
  }

  /** Select a request or an activity of the current customer's journey. */
  function select(type, id) {
    var entry = store.current();
    if (entry) {
      dropEmptyDraft(entry, id);
      entry.selected = {type: type, id: id};
      store.persistOpen();
      store.changed();
    }
  }

  /** Open or close the customer form; `editing` switches the form to edit mode. */
  function showForm(entry, open, editing) {
    entry.formOpen = open;
    if (editing !== undefined) {
      entry.editing = editing;
    }
    store.changed();
  }

  /**
   * Add request: a draft at the top of the journey, selected, its title focused (its description beside it). Nothing
   * is stored until the agent gives it a title (CC.actions.edits stores it then); left empty, it goes away.
   */
  function addRequest(entry) {
    if (!entry.draftRequest) {
      newCounter += 1;
      entry.draftRequest = {id: "draft-" + Date.now() + "-" + newCounter, draft: true, state: "open", fields: {},
        fieldsets: ["cisco.base.request"], created: new Date().toISOString(), activities: [],
        createKey: CC.api.newKey()};
      entry.journey.requests.unshift(entry.draftRequest);
    }
    entry.selected = {type: "request", id: entry.draftRequest.id};
    state.focusNext = "request:" + entry.draftRequest.id + ":Context_Title";
    store.changed();
  }

  /**
   * What the agent typed in a draft request that its create did not store (typed while the create was on its
   * way): it becomes the stored request's drafts, saved like any other; {field: text}.
   */
  function carryDraftFields(entry, draft, stored) {
    var carried = {};
    Object.keys(draft.fields).forEach(function (field) {
      store.setSaveState("request", draft.id, field, null);
      var value = (stored.fields || {})[field];
      if (CC.writes.same(draft.fields[field], value)) {
        store.setSaveState("request", stored.id, field, "saved");
        return;
      }
      carried[field] = draft.fields[field];
      CC.drafts.put("request", stored.id, field, draft.fields[field], {customerId: entry.customer.id,
        lastUpdated: stored.lastUpdated, base: value});
      store.setSaveState("request", stored.id, field, "editing");
    });
    return carried;
  }

  /**
   * Take the draft request out of the journey (stored as `stored`, or dropped when stored is null). Its details
   * stay on screen as the stored request's (entry.draftIds: stored id → the draft id they were built for), so the
   * field the agent is typing in is never rebuilt. Resolves with the carried texts ({field: text}).
   */
  function endDraft(entry, stored) {
    var draft = entry.draftRequest;
    var carried = stored ? carryDraftFields(entry, draft, stored) : {};
    entry.draftRequest = null;
    entry.journey.requests = entry.journey.requests.map(function (request) {
      return request === draft ? stored && Object.assign({activities: []}, stored) : request;
    }).filter(Boolean);
    if (stored) {
      entry.draftIds = entry.draftIds || {};
      entry.draftIds[stored.id] = draft.id;
    }
    if (entry.selected && entry.selected.id === draft.id) {
      entry.selected = stored ? {type: "request", id: stored.id} : null;
    }
    store.changed();
    return (stored ? reloadJourney(entry) : Promise.resolve(null)).then(function () { return carried; });
  }

  /** True when the agent typed nothing (but spaces) in any field of a draft request. */
  function isEmptyDraft(draft) {
    return Object.keys(draft.fields).every(function (field) { return !String(draft.fields[field] || "").trim(); });
  }

  /** Leaving a draft request with nothing typed in it (and not being stored): it is dropped, nothing was written. */
  function dropEmptyDraft(entry, nextId) {
    var draft = entry.draftRequest;
    if (draft && nextId !== draft.id && !draft.storing && isEmptyDraft(draft)) {
      endDraft(entry, null);
    }
  }

  return {
    displayName: displayName,
    phoneOf: phoneOf,
    emailOf: emailOf,
    prefillFromSource: prefillFromSource,
    recent: recent,
    reloadJourney: reloadJourney,
    addActivity: addActivity,
    insertActivity: insertActivity,
    showCustomer: showCustomer,
    openCustomer: openCustomer,
    openCustomerById: openCustomerById,
    openNewCustomer: openNewCustomer,
    startNewCustomer: startNewCustomer,
    createCustomer: createCustomer,
    showEntry: showEntry,
    select: select,
    showForm: showForm,
    addRequest: addRequest,
    endDraft: endDraft
  };
}());
