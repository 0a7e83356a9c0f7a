/**
 * Details pane: the selected request or activity. Built once per selected object (and read-only state), then
 * updated in place from the store, so saving never replaces a field the agent is typing in.
 */
var CC = window.CC || (window.CC = {});

CC.details = (function () {
  "use strict";

  var ui = CC.ui;
  // Filled by the activity source; Cisco keeps them hidden from the agent's editable fields.
  var HIDDEN = ["Context_POD_Source_Cust_Name", "Context_POD_Source_Email", "Context_POD_Source_Phone"];
  // Set by the system that handled the contact (the gadget writes "finesse:dialog:<id>"): shown, never edited.
  var FIXED = ["Context_POD_Activity_Link"];

  /** The ids of the fields of an object's fieldsets that the agent sees, in fieldset order. */
  function visibleFieldIds(object, dictionary) {
    var ids = [];
    (object.fieldsets || []).forEach(function (set) {
      ((dictionary.fieldsets[set] || {}).fields || []).forEach(function (id) {
        if (ids.indexOf(id) === -1 && HIDDEN.indexOf(id) === -1) {
          ids.push(id);
        }
      });
    });
    return ids;
  }

  /** Read-only rows; links stay clickable (new tab) even though nothing can be edited. */
  function readOnlyFields(object, ids, dictionary) {
    return ui.detailsList(ids.map(function (id) {
      var value = (object.fields || {})[id];
      return [CC.fieldEditors.labelOf(id, dictionary), value === undefined || value === null ? "" : String(value)];
    }));
  }

  /** The fields of an object to show now ({fixed: read-only rows, editable: editors}), from the store's dictionary. */
  function fieldsToShow(object, readOnly) {
    var ids = visibleFieldIds(object, CC.store.state.fields);
    var fixed = readOnly ? ids : ids.filter(function (id) { return FIXED.indexOf(id) !== -1; });
    return {fixed: fixed, editable: ids.filter(function (id) { return fixed.indexOf(id) === -1; })};
  }

  /**
   * The fields part of a pane: editors that save on leaving a field, or read-only rows. Returns
   * {root, update(entry, object)}; a field a dictionary read again adds (or drops) is added (or dropped) in place.
   */
  function fieldsPart(entry, type, object, readOnly) {
    var host = ui.el("div", {});
    var editors = readOnly ? null : CC.fieldEditors.build(entry, type, object, fieldsToShow(object, readOnly).editable,
      {autosave: true});
    var root = editors ? ui.el("div", {}, [host, editors.root]) : host;
    return {root: root, update: function (nextEntry, nextObject) {
      var current = CC.store.state.fields; // labels read again since the pane was built show at once
      var shown = fieldsToShow(nextObject, readOnly);
      var rows = shown.fixed.map(function (id) { return [CC.fieldEditors.labelOf(id, current), (nextObject.fields || {})[id]]; });
      ui.keyed(host, JSON.stringify(rows), function () {
        host.appendChild(readOnlyFields(nextObject, shown.fixed, current));
      });
      if (editors) {
        editors.update(nextEntry, nextObject, shown.editable);
      }
    }};
  }

  /** Keep a slot showing `node()` (rebuilt only when `key` changes; nothing for an empty key). */
  function fill(slot, key, node) {
    ui.keyed(slot, key, function (host) {
      if (key) {
        host.appendChild(node());
      }
    });
  }

  /** Show the caution of an object another agent changed first, if there is one, in its slot. */
  function cautionSlot(slot, entry, type, object) {
    var caution = entry.cautions[type + ":" + object.id];
    var shown = caution ? {who: caution.who, when: caution.when, what: (caution.what || []).map(function (id) {
      return CC.fieldEditors.labelOf(id, CC.store.state.fields);
    })} : null;
    fill(slot, shown ? JSON.stringify(shown) : "", function () {
      return ui.cautionNotice(shown, function () { CC.actions.edits.loadTheirs(entry, type, object.id); });
    });
  }

  /** The request an activity belongs to (null when it is not in a request). */
  function requestOf(entry, activity) {
    return activity.requestId ? CC.store.findObject(entry, "request", activity.requestId) : null;
  }

  /** Render the selected request or activity of the current customer. */
  function render(entry) {
    var host = document.getElementById("cc-details");
    var selected = entry && entry.customer.id && entry.selected;
    var object = selected ? CC.store.findObject(entry, selected.type, selected.id) : null;
    host.hidden = !object;
    if (!object) {
      ui.keyed(host, "", function () { return null; });
      return;
    }
    var request = selected.type === "request" ? object : requestOf(entry, object);
    var readOnly = Boolean(request && request.state === "closed");
    // Not keyed on the dictionary (a field it adds is added in place), nor on the id a draft request gets when
    // it is stored: what the agent is typing in is never rebuilt.
    var key = [selected.type, (entry.draftIds || {})[object.id] || object.id, readOnly].join("|");
    var pane = selected.type === "request" ? CC.requestPane : CC.activityPane;
    var view = ui.keyed(host, key, function () {
      return pane.build(host, entry, object, {readOnly: readOnly});
    });
    view.update(entry, object, request);
  }

  /** Move the focus into the details (the skip link's target): the first control, else the heading. */
  function focus() {
    var host = document.getElementById("cc-details");
    var target = host.querySelector("input:not([readonly]), textarea:not([readonly]), select, button, a[href]") ||
      host.querySelector("h3");
    if (target) {
      if (!target.matches("input, textarea, select, button, a[href]")) {
        target.tabIndex = -1;
      }
      target.focus();
    }
  }

  return {render: render, visibleFieldIds: visibleFieldIds, fieldsPart: fieldsPart, cautionSlot: cautionSlot,
    fill: fill, focus: focus};
}());
