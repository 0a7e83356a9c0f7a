/**
 * The gadget's session: start-up (status, dictionary, restored Open list, desktop), saving drafts again after an
 * outage or a reload, following the gadget's other instances, and clearing the agent's local data at sign-out.
 */
var CC = window.CC || (window.CC = {});
CC.actions = CC.actions || {};

CC.actions.session = (function () {
  "use strict";

  var store = CC.store;
  var state = CC.store.state;
  var customers = CC.actions.customers;
  var errors = CC.actions.errors;
  var followed = 0;

  /** Save every draft of the agent (after an outage or a reload), and record activities still waiting. */
  function retryDrafts() {
    return CC.api.status().then(function (status) {
      if (!status.available) {
        return null;
      }
      // A customer form is saved only when the agent asked for it (Save), a comment when they add it; field
      // drafts save themselves.
      var drafts = CC.drafts.all().filter(function (draft) {
        return draft.type !== "comment" && (draft.type !== "customer" || draft.submitted);
      });
      var saves = drafts.map(function (draft) {
        var fields = {};
        Object.keys(draft.fields).filter(function (field) { return !draft.conflicts[field]; }).forEach(function (field) {
          fields[field] = draft.fields[field];
        });
        var fallback = {id: draft.id, lastUpdated: draft.lastUpdated, fields: draft.bases};
        return Object.keys(fields).length ?
          CC.actions.edits.saveFields(store.entryOf(draft.customerId), draft.type, draft.id, fields, fallback) : null;
      });
      state.open.filter(function (entry) { return entry.customer.id && entry.pendingActivity; }).forEach(function (entry) {
        saves.push(CC.actions.screenPop.record(entry, entry.pendingActivity));
      });
      return Promise.all(saves).then(function (outcomes) {
        if (outcomes.indexOf("outage") === -1) {
          errors.backOnline(outcomes.filter(function (o) { return o === "saved"; }).length);
        }
        var entry = store.current();
        // A journey that could not load during the outage is loaded now.
        if (entry && entry.customer.id && !entry.journey) {
          customers.reloadJourney(entry).then(null, function () { return null; });
        }
      });
    }, function () { return null; });
  }

  function restoreOpen() {
    var saved = store.readJson(store.agentKey("open"), {open: []});
    // Customers come back as they were saved (also during an outage), then are refreshed in the background.
    saved.open.forEach(function (item) {
      if (!item.customer) {
        customers.openNewCustomer(item.fields, item.pendingActivity, item.key, item.createKey);
        return;
      }
      var entry = store.makeEntry(item.customer);
      entry.selected = item.selected || null;
      entry.pendingActivity = item.pendingActivity || null; // recorded again by retryDrafts, with its key
      entry.recordFailed = Boolean(entry.pendingActivity);
      // An edit typed before the reload is still a draft: reopen the form in edit mode to show it.
      entry.editing = Boolean(CC.drafts.get("customer", item.customer.id));
      state.open.push(entry);
      CC.api.getCustomer(item.customer.id).then(function (customer) {
        entry.customer = customer;
        store.changed();
      }, function () { return null; });
    });
    var keys = state.open.map(function (entry) { return entry.key; });
    state.currentKey = keys.indexOf(saved.currentKey) !== -1 ? saved.currentKey : (keys[0] || null);
    store.persistOpen();
    var entry = store.current();
    return entry ? customers.reloadJourney(entry).then(null, errors.handle) : Promise.resolve(null);
  }

  /**
   * Follow another instance of the gadget on the same desktop (the layout may hold it on several tabs): the
   * one that handled a contact saves its Open list, and this one adopts the customers it does not have and
   * shows the other's current customer with a fresh journey. Nothing is written back, so instances never echo.
   */
  function followOtherInstances() {
    window.addEventListener("storage", function (event) {
      if (event.key !== store.agentKey("open") || !event.newValue) {
        return;
      }
      var saved = store.readJson(store.agentKey("open"), {open: []});
      saved.open.forEach(function (item) {
        if (item.customer && !store.entryOf(item.customer.id)) {
          state.open.push(store.makeEntry(item.customer));
        }
      });
      var entry = store.entryOf(saved.currentKey);
      if (!entry) {
        store.changed();
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
          store.changed();
        }
      }, errors.handle);
    });
  }

  /** The agent signed out: nothing of their customers stays in this browser (drafts, Open list, handled calls). */
  function signedOut() {
    var agent = finesse.gadget.Config.id;
    var mine = [];
    for (var i = 0; i < window.localStorage.length; i += 1) {
      var key = window.localStorage.key(i);
      if (key && key.indexOf("cc.") === 0 && (key.slice(-agent.length - 1) === "." + agent ||
          key.indexOf("cc.draft." + agent + ".") === 0)) {
        mine.push(key);
      }
    }
    mine.forEach(function (key) { window.localStorage.removeItem(key); });
  }

  /** Start the gadget (from gadgets.HubSettings.onConnect): status, dictionary, restored session, desktop. */
  function init() {
    CC.i18n.translate(document);
    new window.ResizeObserver(function () { gadgets.window.adjustHeight(); }).observe(document.body);
    CC.management.init();
    store.subscribe(CC.panes.render);
    errors.onRetry(retryDrafts);
    gadgets.window.setTitle(CC.i18n.t("gadget.title"));
    var pop = CC.actions.screenPop;
    var handlers = {onContact: pop.screenPop, onRinging: pop.prepare, onMissed: pop.drop, onSignOut: signedOut,
      onState: CC.actions.live.changed, onEnded: CC.actions.live.ended};
    CC.livePane.start();
    CC.api.status().then(function (status) {
      gadgets.loadingindicator.dismiss();
      if (!status.available && status.reason !== "UNREACHABLE") {
        errors.showUnavailable(status.reason);
        return null;
      }
      document.getElementById("cc-app").hidden = false;
      if (!status.available) {
        errors.goOffline();
      }
      return CC.actions.dictionary.refresh(true).then(null, errors.handle)
        .then(restoreOpen)
        .then(function () {
          store.changed();
          if (CC.drafts.all().length || state.open.some(function (entry) { return entry.pendingActivity; })) {
            retryDrafts();
          }
          followOtherInstances();
          CC.desktop.start(handlers);
        });
    }, function (error) {
      gadgets.loadingindicator.dismiss();
      document.getElementById("cc-app").hidden = false;
      errors.handle(error);
      store.changed();
      CC.desktop.start(handlers);
    });
  }

  return {init: init, retryDrafts: retryDrafts, signedOut: signedOut};
}());
