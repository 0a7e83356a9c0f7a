/**
 * Close a customer. Fields that save themselves are given time to finish saving first; then the dialog lists only
 * what is really unsaved (customer form edits, a draft whose save failed or waits for a conflict decision), and
 * Discard reverts exactly that list. A customer never created is offered Create or Discard.
 */
var CC = window.CC || (window.CC = {});
CC.actions = CC.actions || {};

CC.actions.close = (function () {
  "use strict";

  var store = CC.store;
  var state = CC.store.state;
  var same = CC.writes.same;
  var SETTLE_MS = 5000; // how long Close waits for saves in flight (an outage would keep them retrying)

  function t(key, params) {
    return CC.i18n.t(key, params);
  }

  function draftId(entry) {
    return entry.customer.id || entry.key;
  }

  /** The drafts of an open customer: their form, and their requests and activities. */
  function draftsOf(entry) {
    return CC.drafts.all().filter(function (draft) {
      return (entry.customer.id && draft.customerId === entry.customer.id) || draft.id === entry.key;
    });
  }

  /** A field's line in the Close dialog: its label and what it belongs to. */
  function itemLabel(type, field) {
    if (type === "comment") {
      return t("comments.add") + " · " + t("close.of.activity");
    }
    return (((state.fields.fields || {})[field] || {}).label || field) + " · " + t("close.of." + type);
  }

  /** The text typed in the new request from Add request that is not being stored yet (no title, or no create). */
  function draftRequestItems(entry) {
    var draft = entry.draftRequest;
    return draft && !draft.storing ? Object.keys(draft.fields).filter(function (field) {
      return String(draft.fields[field] || "").trim();
    }).map(function (field) {
      return {type: "request", id: draft.id, field: field, value: draft.fields[field], label: itemLabel("request", field),
        draft: true};
    }) : [];
  }

  /** What is really unsaved for a customer: [{type, id, field, label, value, draft?}] (values equal to the stored
   * ones are not changes; draft: a field of the new request from Add request). */
  function unsavedOf(entry) {
    var items = draftRequestItems(entry);
    draftsOf(entry).forEach(function (draft) {
      var object = store.findObject(entry, draft.type, draft.id);
      Object.keys(draft.fields).forEach(function (field) {
        if (object && same((object.fields || {})[field], draft.fields[field])) {
          CC.drafts.remove(draft.type, draft.id, field);
          return;
        }
        items.push({type: draft.type, id: draft.id, field: field, value: draft.fields[field],
          label: itemLabel(draft.type, field)});
      });
    });
    return items;
  }

  /** Take a customer out of Open. */
  function closeEntry(entry) {
    CC.drafts.remove("customer", entry.key);
    state.open = state.open.filter(function (other) { return other !== entry; });
    state.currentKey = state.open.length ? state.open[state.open.length - 1].key : null;
    // The agent goes on with the customer now shown, or looks for the next one.
    state.focusNext = state.currentKey ? "open:" + state.currentKey : "management:search";
    store.persistOpen();
    store.changed();
  }

  /** Save every listed item, object by object; resolves true when all were stored. */
  function saveAll(entry, items) {
    var byObject = {};
    items.forEach(function (item) {
      var key = item.type + ":" + item.id;
      byObject[key] = byObject[key] || {type: item.type, id: item.id, fields: {}, draft: item.draft};
      byObject[key].fields[item.field] = item.value;
    });
    return Promise.all(Object.keys(byObject).map(function (key) {
      var target = byObject[key];
      if (target.draft) { // stored only once it has a title ("unchanged" without one: the customer stays open)
        var field = Object.keys(target.fields)[0];
        return CC.actions.edits.saveField(entry, "request", target.id, field, target.fields[field]);
      }
      if (target.type === "comment") {
        return CC.actions.edits.addComment(entry, target.id, target.fields.text, CC.api.newKey()).then(function (comment) {
          if (comment) {
            CC.drafts.remove("comment", target.id);
          }
          return comment ? "saved" : "failed";
        });
      }
      var fallback = store.findObject(entry, target.type, target.id) || undefined;
      return CC.actions.edits.saveFields(entry, target.type, target.id, target.fields, fallback);
    })).then(function (outcomes) {
      if (entry.customer.id && outcomes.every(function (o) { return o === "saved"; })) {
        entry.editing = false;
      }
      return outcomes.every(function (o) { return o === "saved"; });
    });
  }

  function unsavedList(items) {
    return CC.ui.el("div", {}, [
      CC.ui.el("p", {text: t("close.unsavedBody")}),
      CC.ui.el("ul", {class: "cc-unsaved-list"}, items.map(function (item) {
        return CC.ui.el("li", {"data-unsaved": item.type + ":" + item.id + ":" + item.field, text: item.label});
      }))
    ]);
  }

  function closeNew(entry, create) {
    return CC.ui.dialog({title: t("close.newTitle"), body: CC.ui.el("p", {text: t("close.newBody")}), actions: [
      {label: t("action.create"), value: "create", primary: true},
      {label: t("action.discard"), value: "discard"}
    ]}).then(function (choice) {
      if (choice === "create") {
        entry.formOpen = true;
        return create().then(function (created) {
          if (created) {
            closeEntry(entry);
          }
        });
      }
      if (choice === "discard") {
        closeEntry(entry);
      }
      return null;
    });
  }

  /**
   * Close (the header's button). create: how the pane creates a new customer from its form (resolves true when
   * stored).
   */
  function close(entry, create) {
    if (!entry.customer.id) {
      return closeNew(entry, create);
    }
    var settled = new Promise(function (resolve) { window.setTimeout(resolve, SETTLE_MS); });
    return Promise.race([CC.writes.idle(), settled]).then(function () {
      var items = unsavedOf(entry);
      if (!items.length) {
        closeEntry(entry);
        return null;
      }
      return CC.ui.dialog({title: t("close.unsavedTitle"), body: unsavedList(items), actions: [
        {label: t("action.save"), value: "save", primary: true},
        {label: t("action.discard"), value: "discard"}
      ]}).then(function (choice) {
        if (choice === "discard") {
          items.forEach(function (item) { CC.actions.edits.discardField(item.type, item.id, item.field); });
          closeEntry(entry);
        } else if (choice === "save") {
          return saveAll(entry, items).then(function (ok) {
            if (ok) {
              closeEntry(entry);
            }
          });
        }
        return null;
      });
    });
  }

  return {close: close, closeEntry: closeEntry, draftsOf: draftsOf, draftId: draftId};
}());
