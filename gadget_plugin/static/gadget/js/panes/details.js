/** Details pane: shows the selected request or activity, with the shared editor for their dictionary fields. */
var CC = window.CC || (window.CC = {});

CC.details = (function () {
  "use strict";

  var ui = CC.ui;
  var MULTILINE = ["Context_Description", "Context_Notes", "Context_Comment"];
  // Filled by the activity source; Cisco keeps them hidden from the agent's editable fields.
  var HIDDEN = ["Context_POD_Source_Cust_Name", "Context_POD_Source_Email", "Context_POD_Source_Phone"];

  function t(key, params) {
    return CC.i18n.t(key, params);
  }

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

  function labelOf(id, dictionary) {
    return ((dictionary.fields || {})[id] || {}).label || id;
  }

  /** Read-only rows; links stay clickable (new tab) even though nothing can be edited. */
  function readOnlyFields(object, ids, dictionary) {
    return ui.detailsList(ids.map(function (id) {
      var value = (object.fields || {})[id];
      return [labelOf(id, dictionary), value === undefined || value === null ? "" : String(value)];
    }));
  }

  function unsavedHint(onSave, onDiscard) {
    return ui.el("div", {class: "cc-unsaved", role: "status"}, [
      ui.el("span", {text: t("draft.unsaved")}),
      ui.el("button", {type: "button", class: "cc-button cc-button--small", "data-action": "save-draft", text: t("action.save"),
        onclick: onSave}),
      ui.el("button", {type: "button", class: "cc-button cc-button--small", "data-action": "discard-draft",
        text: t("action.discard"), onclick: onDiscard})
    ]);
  }

  /**
   * Editors for an object's fields. Every keystroke goes to the drafts (reload/outage safe); leaving a changed
   * field saves it with the object's lastUpdated. Too-long text and proxy errors show next to the field.
   */
  function editableFields(entry, type, object, ids, dictionary) {
    var draft = CC.drafts.get(type, object.id);
    var container = ui.el("div", {class: "cc-fields"});
    ids.forEach(function (id) {
      var definition = (dictionary.fields || {})[id] || {dataType: "string"};
      var hasDraft = Boolean(draft && Object.prototype.hasOwnProperty.call(draft.fields, id));
      var stored = (object.fields || {})[id];
      var view = ui.valueField(definition, {field: id, label: labelOf(id, dictionary), multiline: MULTILINE.indexOf(id) !== -1,
        value: hasDraft ? draft.fields[id] : stored});
      view.input.setAttribute("data-focus-key", type + ":" + object.id + ":" + id);

      function save() {
        view.clearError();
        if (view.overLimit()) {
          view.showError(ui.limitMessage(labelOf(id, dictionary), view.value().length));
          return;
        }
        var changes = {};
        changes[id] = view.value();
        CC.app.saveObject(entry, type, object, {fields: changes}, function (error) {
          if (error.field !== id) {
            return false;
          }
          view.showError(error.message);
          return true;
        });
      }

      view.input.addEventListener(view.input.type === "checkbox" ? "change" : "input", function () {
        CC.drafts.put(type, object.id, id, view.value(), {customerId: entry.customer.id, lastUpdated: object.lastUpdated});
      });
      view.input.addEventListener("change", save);
      container.appendChild(view.root);
      if (hasDraft) {
        view.root.appendChild(unsavedHint(save, function () {
          CC.drafts.remove(type, object.id, id);
          CC.app.render();
        }));
      }
    });
    return container;
  }

  /** The caution notice for an object another agent changed first, if there is one. */
  function cautionFor(entry, type, object) {
    var key = type + ":" + object.id;
    if (!Object.prototype.hasOwnProperty.call(entry.cautions, key)) {
      return null;
    }
    return ui.cautionNotice(entry.cautions[key], function () { CC.app.loadTheirs(entry, type, object.id); });
  }

  /** The request an activity belongs to (null when it is not in a request). */
  function requestOf(entry, activity) {
    return activity.requestId ? CC.app.findObject(entry, "request", activity.requestId) : null;
  }

  /** Render the selected request or activity of the current customer. */
  function render(entry, state) {
    var host = ui.clear(document.getElementById("cc-details"));
    var selected = entry && entry.customer.id && entry.selected;
    var object = selected ? CC.app.findObject(entry, selected.type, selected.id) : null;
    host.hidden = !object;
    if (!object) {
      return;
    }
    if (selected.type === "request") {
      CC.requestPane.render(host, entry, object, state.fields);
    } else {
      CC.activityPane.render(host, entry, object, requestOf(entry, object), state.fields);
    }
  }

  return {render: render, visibleFieldIds: visibleFieldIds, readOnlyFields: readOnlyFields,
    editableFields: editableFields, cautionFor: cautionFor};
}());
