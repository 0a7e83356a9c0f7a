/**
 * Customer pane: the pick list of several matches, the customer header (name, phone, email, the live contact, Close
 * customer), and the customer form in a compact panel that opens on demand.
 */
var CC = window.CC || (window.CC = {});

CC.customerPane = (function () {
  "use strict";

  var ui = CC.ui;
  var formViews = {};

  function t(key, params) {
    return CC.i18n.t(key, params);
  }

  /** The ids of the fields of the customer's fieldsets, in fieldset order, without duplicates (dictionary: the store's). */
  function customerFieldIds(customer) {
    var dictionary = CC.store.state.fields;
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
    return CC.actions.close.draftId(entry);
  }

  /** A field's label from the dictionary in the store now (never one captured when a button was built). */
  function labelOf(id) {
    return CC.fieldEditors.labelOf(id, CC.store.state.fields);
  }

  /** What the agent changed in the form compared with the stored customer (from the form's draft). */
  function formChanges(entry) {
    var draft = CC.drafts.get("customer", draftId(entry));
    var changes = {};
    Object.keys((draft && draft.fields) || {}).forEach(function (id) {
      if (!CC.writes.same(draft.fields[id], (entry.customer.fields || {})[id])) {
        changes[id] = draft.fields[id];
      }
    });
    return changes;
  }

  /** Check the 2,000-character limit before calling the proxy; true when every field fits. */
  function checkLimits(views) {
    var ok = true;
    Object.keys(views).forEach(function (id) {
      views[id].clearError();
      if (views[id].overLimit()) {
        views[id].showError(ui.limitMessage(labelOf(id), views[id].value().length));
        ok = false;
      }
    });
    return ok;
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

  /**
   * The form left edit mode (saved, cancelled, created): if the focus was on its buttons or fields (now gone), it
   * goes to Edit when the form stays open, else to the customer's name; elsewhere it is left where the agent is.
   */
  function focusAfterEditing(entry) {
    var active = document.activeElement;
    if (!active || active === document.body || document.getElementById("cc-customer-panel").contains(active)) {
      CC.store.state.focusNext = entry.formOpen ? "customer:edit" : "customer:name";
      CC.store.changed();
    }
  }

  /** Leave edit mode (the form stays open when the agent opened it); the focus follows. */
  function endEditing(entry) {
    CC.actions.customers.showForm(entry, entry.formOpen, false);
    focusAfterEditing(entry);
  }

  /** Save the form of a stored customer; resolves true when stored. */
  function saveForm(entry) {
    if (!checkLimits(formViews)) {
      return Promise.resolve(false);
    }
    var changes = formChanges(entry);
    CC.drafts.submit("customer", draftId(entry));
    if (!Object.keys(changes).length) {
      CC.drafts.remove("customer", draftId(entry));
      endEditing(entry);
      return Promise.resolve(true);
    }
    return CC.actions.edits.saveFields(entry, "customer", entry.customer.id, changes).then(function (outcome) {
      if (outcome !== "saved") {
        return false;
      }
      CC.drafts.remove("customer", draftId(entry));
      endEditing(entry);
      return true;
    });
  }

  /** Create the new customer from the form (and record the waiting activity); resolves true when stored. */
  function createFromForm(entry) {
    if (!checkLimits(formViews)) {
      return Promise.resolve(false);
    }
    var fields = {};
    Object.keys(formViews).forEach(function (id) {
      var value = formViews[id].value();
      if (value !== "" && value !== null) {
        fields[id] = value;
      }
    });
    return CC.actions.customers.createCustomer(entry, fields, fieldErrorShower(formViews)).then(function (created) {
      if (created) {
        focusAfterEditing(entry);
      }
      return created;
    });
  }

  function focusFirstField() {
    window.setTimeout(function () {
      var first = document.querySelector("#cc-customer-form .cc-input");
      if (first) {
        first.focus();
      }
    }, 0);
  }

  function formButtons(entry) {
    if (!entry.customer.id) {
      return [ui.el("button", {type: "button", class: "cc-button cc-button--primary", "data-action": "create",
        text: t("action.create"), onclick: function () { createFromForm(entry); }})];
    }
    if (!entry.editing) {
      return [ui.el("button", {type: "button", class: "cc-button", "data-action": "edit", text: t("action.edit"),
        "data-focus-key": "customer:edit", onclick: function () {
          CC.actions.customers.showForm(entry, true, true);
          focusFirstField();
        }})];
    }
    return [
      ui.el("button", {type: "button", class: "cc-button cc-button--primary", "data-action": "save", text: t("action.save"),
        onclick: function () { saveForm(entry); }}),
      ui.el("button", {type: "button", class: "cc-button", "data-action": "cancel-edit", text: t("action.cancel"),
        onclick: function () {
          CC.drafts.remove("customer", draftId(entry));
          endEditing(entry);
        }})
    ];
  }

  /**
   * The customer form, built once per customer and mode; {update(entry)} keeps its fields in line (a field a
   * dictionary read again adds appears in place: the input the agent is in keeps its text, caret and focus).
   */
  function buildForm(host, entry) {
    var editable = entry.editing || !entry.customer.id;
    var form = ui.el("form", {id: "cc-customer-form", class: "cc-form", "aria-label": t("customer.formLabel"),
      onsubmit: function (event) { event.preventDefault(); }});
    var editors = CC.fieldEditors.build(entry, "customer", entry.customer, customerFieldIds(entry.customer),
      {autosave: false, readOnly: !editable, draftId: draftId(entry)});
    form.appendChild(editors.root);
    form.appendChild(ui.el("div", {class: "cc-form__actions"}, formButtons(entry)));
    host.appendChild(form);
    formViews = editors.views;
    return {update: function (nextEntry) {
      editors.update(nextEntry, nextEntry.customer, customerFieldIds(nextEntry.customer));
    }};
  }

  /** Close: the close flow decides what is really unsaved (a new customer: Create or Discard). */
  function close(entry) {
    return CC.actions.close.close(entry, function () { return createFromForm(entry); });
  }

  function renderPickList(pick) {
    var list = ui.el("ul", {class: "cc-pick-list"});
    var customers = CC.actions.customers;
    pick.matches.forEach(function (customer) {
      list.appendChild(ui.el("li", {}, [ui.el("button", {type: "button", class: "cc-pick", "data-customer-id": customer.id,
        onclick: function () { CC.actions.screenPop.pickMatch(customer); }}, [
        ui.el("span", {class: "cc-pick__name", text: customers.displayName(customer)}),
        ui.el("span", {class: "cc-pick__meta", text: t("pick.phone", {phone: customers.phoneOf(customer) || "—"})}),
        ui.el("span", {class: "cc-pick__meta", text: t("pick.email", {email: customers.emailOf(customer) || "—"})}),
        ui.el("span", {class: "cc-pick__meta", text: t("pick.lastContact", {when: CC.i18n.dateTime(customer.lastContact) || "—"})})
      ])]));
    });
    return ui.el("section", {class: "cc-picklist", "aria-labelledby": "cc-pick-title"}, [
      ui.el("h2", {id: "cc-pick-title", text: t("pick.title", {count: pick.matches.length})}),
      ui.el("p", {class: "cc-hint", text: t("pick.hint")}),
      list,
      ui.el("button", {type: "button", class: "cc-button", "data-action": "pick-none", text: t("pick.none"),
        onclick: function () { CC.actions.screenPop.pickNone(); }})
    ]);
  }

  /**
   * The customer's phone and email as text (each with a label for screen readers), leaving out the one the name
   * already shows (a customer without a name is shown by email or phone); null when there is nothing to add.
   */
  function contactLine(customer) {
    var customers = CC.actions.customers;
    var name = customers.displayName(customer);
    var items = [["label.phone", customers.phoneOf(customer), "cc-customer-phone"],
      ["label.email", customers.emailOf(customer), "cc-customer-email"]].filter(function (item) {
      return item[1] && item[1] !== name;
    });
    return items.length ? ui.el("p", {class: "cc-customer-contact"}, items.map(function (item) {
      return ui.el("span", {class: item[2]}, [ui.el("span", {class: "cc-visually-hidden", text: t(item[0]) + ": "}),
        item[1]]);
    })) : null;
  }

  function header(entry, formOpen) {
    var nameButton = ui.el("button", {type: "button", id: "cc-customer-name", class: "cc-customer-name",
      "data-focus-key": "customer:name",
      "aria-expanded": formOpen ? "true" : "false", "aria-controls": "cc-customer-form",
      onclick: function () { CC.actions.customers.showForm(entry, !formOpen); }},
      [CC.actions.customers.displayName(entry.customer)]);
    return ui.el("div", {class: "cc-customer-header"}, [
      ui.el("div", {class: "cc-customer-who"}, [ui.el("h2", {class: "cc-customer-title"}, [nameButton]),
        contactLine(entry.customer)]),
      entry.customer.id ? null : ui.el("span", {class: "cc-badge", text: t("customer.notStored")}),
      ui.el("span", {class: "cc-customer-live"}),
      ui.el("button", {type: "button", class: "cc-button", "data-action": "close-customer",
        text: t("action.closeCustomer"), onclick: function () { close(entry); }})
    ]);
  }

  function parts(host) {
    var made = {header: ui.el("div", {}), caution: ui.el("div", {})};
    host.appendChild(made.header);
    host.appendChild(made.caution);
    return made;
  }

  /** The customer form in its panel beside the header's summary (above the journey, never above the details). */
  function renderForm(entry, formOpen) {
    var panel = document.getElementById("cc-customer-panel");
    // Not keyed on the dictionary: a read that adds a field must not rebuild the form the agent is typing in.
    var formKey = entry && formOpen ? [entry.key, entry.editing].join("|") : "";
    var form = ui.keyed(panel, formKey, function (formHost) {
      return formKey ? buildForm(formHost, entry) : null;
    });
    if (form) {
      form.update(entry);
    } else {
      formViews = {};
    }
  }

  /** Render the pick list, or the current customer's header (name → form, phone, email, live contact, Close
   * customer) with its caution, and the form's panel. */
  function render(entry, state) {
    var host = document.getElementById("cc-customer");
    if (state.pickList || !entry) {
      renderForm(null, false);
      ui.keyed(host, state.pickList || "", function () {
        return state.pickList ? host.appendChild(renderPickList(state.pickList)) : null;
      });
      return;
    }
    var formOpen = Boolean(entry.formOpen || entry.editing || !entry.customer.id);
    var view = ui.keyed(host, entry, parts);
    var customers = CC.actions.customers;
    CC.details.fill(view.header, JSON.stringify([entry.key, customers.displayName(entry.customer),
      customers.phoneOf(entry.customer), customers.emailOf(entry.customer), formOpen]), function () {
      return header(entry, formOpen);
    });
    CC.livePane.fill(view.header.querySelector(".cc-customer-live"), CC.actions.live.of(entry));
    if (entry.customer.id) {
      CC.details.cautionSlot(view.caution, entry, "customer", entry.customer);
    }
    renderForm(entry, formOpen);
  }

  return {render: render};
}());
