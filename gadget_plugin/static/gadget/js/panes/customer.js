/** Customer pane: the pick list of several matches, the customer header, the details form, and Close. */
var CC = window.CC || (window.CC = {});

CC.customerPane = (function () {
  "use strict";

  var ui = CC.ui;
  var formViews = {};

  function t(key, params) {
    return CC.i18n.t(key, params);
  }

  /** The ids of the fields of the customer's fieldsets, in fieldset order, without duplicates. */
  function customerFieldIds(customer, dictionary) {
    var ids = [];
    (customer.fieldsets && customer.fieldsets.length ? customer.fieldsets : ["cisco.base.customer"]).forEach(function (set) {
      ((dictionary.fieldsets[set] || {}).fields || []).forEach(function (id) {
        if (ids.indexOf(id) === -1) {
          ids.push(id);
        }
      });
    });
    return ids;
  }

  function draftId(entry) {
    return entry.customer.id || entry.key;
  }

  /** The values the form shows: the stored ones with the agent's draft on top. */
  function formValues(entry) {
    var draft = CC.drafts.get("customer", draftId(entry));
    return Object.assign({}, entry.customer.fields || {}, draft ? draft.fields : {});
  }

  /** What the agent changed in the form compared with the stored customer. */
  function formChanges(entry) {
    var changes = {};
    Object.keys(formViews).forEach(function (id) {
      var value = formViews[id].value();
      var stored = (entry.customer.fields || {})[id];
      if ((value === "" || value === null ? undefined : value) !== (stored === "" ? undefined : stored)) {
        changes[id] = value;
      }
    });
    return changes;
  }

  /** Check the 2,000-character limit before calling the proxy; true when every field fits. */
  function checkLimits(views, dictionary) {
    var ok = true;
    Object.keys(views).forEach(function (id) {
      views[id].clearError();
      if (views[id].overLimit()) {
        views[id].showError(ui.limitMessage(labelOf(id, dictionary), views[id].value().length));
        ok = false;
      }
    });
    return ok;
  }

  function labelOf(id, dictionary) {
    return ((dictionary.fields || {})[id] || {}).label || id;
  }

  /** Show a proxy validation error next to the form field it names; false when the field is not on screen. */
  function fieldErrorShower(views) {
    return function (error) {
      var view = views[error.field];
      if (!view) {
        return false;
      }
      view.showError(error.message);
      view.input.focus();
      return true;
    };
  }

  /** Save the form of a stored customer; resolves true when stored. */
  function saveForm(entry, dictionary) {
    if (!checkLimits(formViews, dictionary)) {
      return Promise.resolve(false);
    }
    var changes = formChanges(entry);
    CC.drafts.submit("customer", draftId(entry));
    if (!Object.keys(changes).length) {
      CC.drafts.remove("customer", draftId(entry));
      entry.editing = false;
      CC.app.render();
      return Promise.resolve(true);
    }
    return CC.app.saveObject(entry, "customer", entry.customer, {fields: changes}, fieldErrorShower(formViews))
      .then(function (updated) {
        if (updated) {
          CC.drafts.remove("customer", draftId(entry));
          entry.editing = false;
          CC.app.render();
        }
        return Boolean(updated);
      });
  }

  /** Create the new customer from the form (and attach the waiting activity). */
  function createFromForm(entry, dictionary) {
    if (!checkLimits(formViews, dictionary)) {
      return Promise.resolve(false);
    }
    var fields = {};
    Object.keys(formViews).forEach(function (id) {
      var value = formViews[id].value();
      if (value !== "" && value !== null) {
        fields[id] = value;
      }
    });
    return CC.app.createCustomer(entry, fields, fieldErrorShower(formViews)).then(function () {
      return Boolean(entry.customer.id);
    });
  }

  function formButtons(entry, dictionary) {
    if (!entry.customer.id) {
      return [ui.el("button", {type: "button", class: "cc-button cc-button--primary", "data-action": "create",
        text: t("action.create"), onclick: function () { createFromForm(entry, dictionary); }})];
    }
    if (!entry.editing) {
      return [ui.el("button", {type: "button", class: "cc-button", "data-action": "edit", text: t("action.edit"),
        onclick: function () {
          entry.editing = true;
          entry.formOpen = true;
          CC.app.render();
          var first = document.querySelector("#cc-customer-form .cc-input");
          if (first) {
            first.focus();
          }
        }})];
    }
    return [
      ui.el("button", {type: "button", class: "cc-button cc-button--primary", "data-action": "save", text: t("action.save"),
        onclick: function () { saveForm(entry, dictionary); }}),
      ui.el("button", {type: "button", class: "cc-button", "data-action": "cancel-edit", text: t("action.cancel"),
        onclick: function () {
          CC.drafts.remove("customer", draftId(entry));
          entry.editing = false;
          CC.app.render();
        }})
    ];
  }

  function renderForm(entry, dictionary) {
    var values = formValues(entry);
    var editable = entry.editing || !entry.customer.id;
    var form = ui.el("form", {id: "cc-customer-form", class: "cc-form", "aria-label": t("customer.formLabel"),
      onsubmit: function (event) { event.preventDefault(); }});
    formViews = {};
    customerFieldIds(entry.customer, dictionary).forEach(function (id) {
      var definition = (dictionary.fields || {})[id] || {dataType: "string"};
      var view = ui.valueField(definition, {field: id, label: labelOf(id, dictionary), value: values[id],
        readOnly: !editable});
      view.input.setAttribute("data-focus-key", "customer:" + draftId(entry) + ":" + id);
      view.input.addEventListener("input", function () {
        CC.drafts.put("customer", draftId(entry), id, view.value(),
          {customerId: entry.customer.id || entry.key, lastUpdated: entry.customer.lastUpdated});
      });
      formViews[id] = view;
      form.appendChild(view.root);
    });
    form.appendChild(ui.el("div", {class: "cc-form__actions"}, formButtons(entry, dictionary)));
    return form;
  }

  /** Close: unsaved changes → Save / Discard; never created → Create / Discard and leave. */
  function close(entry, dictionary) {
    if (!entry.customer.id) {
      return ui.dialog({title: t("close.newTitle"), body: ui.el("p", {text: t("close.newBody")}), actions: [
        {label: t("action.create"), value: "create", primary: true},
        {label: t("action.discard"), value: "discard"}
      ]}).then(function (choice) {
        if (choice === "create") {
          entry.formOpen = true;
          return createFromForm(entry, dictionary).then(function (created) {
            if (created) {
              CC.app.closeEntry(entry);
            }
          });
        }
        if (choice === "discard") {
          CC.app.closeEntry(entry);
        }
        return null;
      });
    }
    var unsaved = CC.app.draftsOf(entry);
    if (!unsaved.length) {
      CC.app.closeEntry(entry);
      return Promise.resolve();
    }
    return ui.dialog({title: t("close.unsavedTitle"), body: ui.el("p", {text: t("close.unsavedBody")}), actions: [
      {label: t("action.save"), value: "save", primary: true},
      {label: t("action.discard"), value: "discard"}
    ]}).then(function (choice) {
      if (choice === "discard") {
        CC.app.closeEntry(entry);
      } else if (choice === "save") {
        return saveAll(entry, dictionary).then(function (ok) {
          if (ok) {
            CC.app.closeEntry(entry);
          }
        });
      }
      return null;
    });
  }

  /** Save the form and every draft of the customer's requests and activities; true when all were stored. */
  function saveAll(entry, dictionary) {
    var formSave = entry.editing ? saveForm(entry, dictionary) : Promise.resolve(true);
    return formSave.then(function (formOk) {
      var drafts = CC.app.draftsOf(entry).filter(function (draft) { return draft.type !== "customer"; });
      return drafts.reduce(function (chain, draft) {
        return chain.then(function (ok) {
          var object = CC.app.findObject(entry, draft.type, draft.id);
          if (!object) {
            CC.drafts.remove(draft.type, draft.id);
            return ok;
          }
          return CC.app.saveObject(entry, draft.type, object, {fields: draft.fields}).then(function (saved) {
            return ok && Boolean(saved);
          });
        });
      }, Promise.resolve(formOk));
    });
  }

  function renderPickList(pick) {
    var list = ui.el("ul", {class: "cc-pick-list"});
    pick.matches.forEach(function (customer) {
      var f = customer.fields || {};
      list.appendChild(ui.el("li", {}, [ui.el("button", {type: "button", class: "cc-pick", "data-customer-id": customer.id,
        onclick: function () { CC.app.pickMatch(customer); }}, [
        ui.el("span", {class: "cc-pick__name", text: CC.app.displayName(customer)}),
        ui.el("span", {class: "cc-pick__meta", text: t("pick.phone", {phone: f.Context_Mobile_Phone ||
          f.Context_Home_Phone || f.Context_Work_Phone || "—"})}),
        ui.el("span", {class: "cc-pick__meta", text: t("pick.email", {email: f.Context_Home_Email ||
          f.Context_Work_Email || "—"})}),
        ui.el("span", {class: "cc-pick__meta", text: t("pick.lastContact", {when: CC.i18n.dateTime(customer.lastContact) || "—"})})
      ])]));
    });
    return ui.el("section", {class: "cc-picklist", "aria-labelledby": "cc-pick-title"}, [
      ui.el("h2", {id: "cc-pick-title", text: t("pick.title", {count: pick.matches.length})}),
      ui.el("p", {class: "cc-hint", text: t("pick.hint")}),
      list,
      ui.el("button", {type: "button", class: "cc-button", "data-action": "pick-none", text: t("pick.none"),
        onclick: function () { CC.app.pickNone(); }})
    ]);
  }

  /** Render the pick list, or the current customer's header (name → form) with Close and the form. */
  function render(entry, state) {
    var host = ui.clear(document.getElementById("cc-customer"));
    if (state.pickList) {
      host.appendChild(renderPickList(state.pickList));
      return;
    }
    if (!entry) {
      formViews = {};
      return;
    }
    var dictionary = state.fields;
    var formOpen = entry.formOpen || entry.editing || !entry.customer.id;
    var nameButton = ui.el("button", {type: "button", id: "cc-customer-name", class: "cc-customer-name",
      "aria-expanded": formOpen ? "true" : "false", "aria-controls": "cc-customer-form",
      onclick: function () {
        entry.formOpen = !formOpen;
        CC.app.render();
      }}, [CC.app.displayName(entry.customer)]);
    host.appendChild(ui.el("div", {class: "cc-customer-header"}, [
      ui.el("h2", {class: "cc-customer-title"}, [nameButton]),
      entry.customer.id ? null : ui.el("span", {class: "cc-badge", text: t("customer.notStored")}),
      ui.el("button", {type: "button", class: "cc-button", "data-action": "close-customer", text: t("action.close"),
        onclick: function () { close(entry, dictionary); }})
    ]));
    var cautionKey = "customer:" + entry.customer.id;
    if (entry.customer.id && Object.prototype.hasOwnProperty.call(entry.cautions, cautionKey)) {
      host.appendChild(ui.cautionNotice(entry.cautions[cautionKey], function () {
        CC.app.loadTheirs(entry, "customer", entry.customer.id);
      }));
    }
    if (formOpen) {
      host.appendChild(renderForm(entry, dictionary));
    } else {
      formViews = {};
    }
  }

  return {render: render};
}());
