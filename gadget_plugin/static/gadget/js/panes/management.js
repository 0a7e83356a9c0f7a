/**
 * Customer management pane: the Open (each customer with its live call, chat or email), Recent and Search views,
 * hover details, and manual create.
 */
var CC = window.CC || (window.CC = {});

CC.management = (function () {
  "use strict";

  var ui = CC.ui;
  var view = "open";
  // query: the search run last; typed: what the search box holds (kept while another view is shown).
  var searchState = {query: "", typed: "", results: null, total: 0, error: null};

  function t(key, params) {
    return CC.i18n.t(key, params);
  }

  /** When the newest activity of an open customer's loaded journey was created (the contact just recorded too). */
  function newestContact(entry) {
    return CC.store.journeyObjects(entry).activities.reduce(function (newest, activity) {
      return activity.created && (!newest || activity.created > newest) ? activity.created : newest;
    }, null);
  }

  /** Hover/focus details of a customer: name, phones, emails, last contact (lastContact: when it is known). */
  function customerDetails(customer, name, lastContact) {
    var customers = CC.actions.customers;
    return ui.detailsList([
      [t("label.name"), name || customers.displayName(customer)],
      [t("label.phone"), customers.phoneOf(customer)],
      [t("label.email"), customers.emailOf(customer)],
      [t("label.city"), (customer.fields || {}).Context_City],
      [t("label.lastContact"), CC.i18n.dateTime(lastContact || customer.lastContact || customer.lastUpdated)]
    ]);
  }

  function customerButton(customer, options) {
    var button = ui.el("button", {
      type: "button",
      class: "cc-customer-item" + (options.current ? " cc-customer-item--current" : ""),
      "aria-current": options.current ? "true" : null,
      "data-customer-id": customer.id || "",
      "data-focus-key": options.focusKey || null,
      onclick: options.onclick
    }, [ui.el("span", {class: "cc-customer-item__name", text: options.name || CC.actions.customers.displayName(customer)})]);
    ui.hoverDetails(button, function () {
      return customerDetails(customer, options.name, options.entry && newestContact(options.entry));
    });
    // The live contact sits beside the button, not in it: its ticking timer stays out of the button's name.
    return ui.el("li", {class: options.current ? "cc-customer-list__current" : null}, [button,
      options.liveKey ? ui.el("span", {class: "cc-customer-item__live", "data-live-for": options.liveKey}) : null]);
  }

  function openList(state) {
    var list = ui.el("ul", {class: "cc-customer-list", "aria-label": t("management.open")});
    state.open.forEach(function (entry) {
      list.appendChild(customerButton(entry.customer, {
        current: entry.key === state.currentKey,
        entry: entry,
        focusKey: "open:" + entry.key,
        liveKey: entry.key,
        name: CC.actions.customers.displayName(entry.customer) + (entry.customer.id ? "" : " " + t("customer.notStoredSuffix")),
        onclick: function () { CC.actions.customers.showEntry(entry.key); }
      }));
    });
    return state.open.length ? list : ui.el("p", {class: "cc-muted", text: t("management.openEmpty")});
  }

  function recentList() {
    var items = CC.actions.customers.recent();
    if (!items.length) {
      return ui.el("p", {class: "cc-muted", text: t("management.recentEmpty")});
    }
    var list = ui.el("ul", {class: "cc-customer-list", "aria-label": t("management.recent")});
    items.forEach(function (item) {
      var known = {id: item.id, lastUpdated: item.lastUpdated,
        fields: {Context_Mobile_Phone: item.phone, Context_Home_Email: item.email}};
      list.appendChild(customerButton(known, {
        name: item.name,
        onclick: function () { view = "open"; CC.actions.customers.openCustomerById(item.id); }
      }));
    });
    return list;
  }

  function runSearch(query) {
    searchState.query = query;
    searchState.results = null;
    searchState.error = null;
    CC.store.changed();
    if (!query.trim()) {
      return;
    }
    CC.api.search(query.trim()).then(function (result) {
      if (searchState.query !== query) {
        return; // a newer search is under way
      }
      searchState.results = result.customers || [];
      searchState.total = result.totalHits || searchState.results.length;
      searchState.error = null;
      CC.store.changed();
    }, function (error) {
      searchState.error = error.message || t("error.unexpected");
      CC.actions.errors.handle(error);
      CC.store.changed();
    });
  }

  function searchResults() {
    if (searchState.error) {
      return ui.el("p", {class: "cc-field-error", role: "alert", text: searchState.error});
    }
    if (searchState.results && !searchState.results.length) {
      return ui.el("p", {class: "cc-muted", role: "status", text: t("search.none", {query: searchState.query})});
    }
    if (!searchState.results) {
      return null;
    }
    var list = ui.el("ul", {class: "cc-customer-list", "aria-label": t("search.results")});
    searchState.results.forEach(function (customer) {
      list.appendChild(customerButton(customer, {onclick: function () {
        view = "open";
        CC.actions.customers.openCustomer(customer);
      }}));
    });
    return ui.el("div", {}, [ui.el("p", {class: "cc-muted", role: "status", text: t("search.count", {count: searchState.total})}),
      list]);
  }

  /** The Search view: its box is built once (what the agent types stays); the results update below it. */
  function searchView(host) {
    var inputId = ui.uid("search");
    var input = ui.el("input", {id: inputId, type: "search", class: "cc-input", value: searchState.typed,
      placeholder: t("search.placeholder"), "data-focus-key": "management:search"});
    input.addEventListener("input", function () { searchState.typed = input.value; });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        runSearch(input.value);
      }
    });
    var results = ui.el("div", {});
    host.appendChild(ui.el("div", {class: "cc-search"}, [
      ui.el("label", {for: inputId, text: t("search.label")}),
      ui.el("div", {class: "cc-search-row"}, [input, ui.el("button", {type: "button", class: "cc-button",
        text: t("action.search"), onclick: function () { runSearch(input.value); }})]),
      ui.el("p", {class: "cc-hint", text: t("search.hint")}),
      results
    ]));
    return {update: function () {
      ui.keyed(results, JSON.stringify([searchState.query, searchState.results, searchState.error]), function () {
        var shown = searchResults();
        if (shown) {
          results.appendChild(shown);
        }
      });
    }};
  }

  /** A list view (Open or Recent), rebuilt only when what it lists changed; then `after(host, state)`. */
  function listView(host, key, build, after) {
    return {update: function (state) {
      ui.keyed(host, key(state), function () { host.appendChild(build(state)); });
      if (after) {
        after(host, state);
      }
    }};
  }

  /** Each open customer's live call, chat or email, in its slot of the Open list. */
  function fillLive(host, state) {
    state.open.forEach(function (entry) {
      var slot = host.querySelector('[data-live-for="' + window.CSS.escape(entry.key) + '"]');
      CC.livePane.fill(slot, CC.actions.live.of(entry));
    });
  }

  function openKey(state) {
    return JSON.stringify([state.currentKey, state.open.map(function (entry) {
      return [entry.key, CC.actions.customers.displayName(entry.customer), entry.customer.lastUpdated];
    })]);
  }

  /** Render the pane: the view tabs' pressed state and the chosen view's list. */
  function render(state) {
    var wanted = String(state.focusNext || "");
    if (wanted === "management:search" || wanted.indexOf("open:") === 0) { // an action sends the focus here
      view = wanted === "management:search" ? "search" : "open";
    }
    document.querySelectorAll("#cc-management [data-view]").forEach(function (tab) {
      var selected = tab.getAttribute("data-view") === view;
      tab.setAttribute("aria-selected", selected ? "true" : "false");
      tab.tabIndex = selected ? 0 : -1;
    });
    var body = document.getElementById("cc-management-body");
    body.setAttribute("aria-labelledby", "cc-view-" + view);
    var shown = ui.keyed(body, view, function (host) {
      var inner = ui.el("div", {});
      host.appendChild(inner);
      if (view === "search") {
        return searchView(inner);
      }
      return view === "open" ? listView(inner, openKey, openList, fillLive) :
        listView(inner, function () { return JSON.stringify(CC.actions.customers.recent()); }, recentList);
    });
    shown.update(state);
  }

  function choose(name) {
    view = name;
    render(CC.store.state);
    if (name === "search") {
      document.querySelector("#cc-management-body input").focus();
    }
  }

  /** Wire the static tab buttons (arrow keys move between them, as a tablist should) and New customer. */
  function init() {
    var tabs = Array.prototype.slice.call(document.querySelectorAll("#cc-management [data-view]"));
    tabs.forEach(function (tab, index) {
      tab.addEventListener("click", function () { choose(tab.getAttribute("data-view")); });
      tab.addEventListener("keydown", function (event) {
        var step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
        if (step) {
          var next = tabs[(index + step + tabs.length) % tabs.length];
          choose(next.getAttribute("data-view"));
          next.focus();
        }
      });
    });
    document.getElementById("cc-new-customer").addEventListener("click", function () {
      CC.actions.customers.startNewCustomer();
    });
  }

  return {init: init, render: render};
}());
