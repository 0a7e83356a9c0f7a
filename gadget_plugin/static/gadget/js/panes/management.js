/** Customer management pane: the Open, Recent and Search views, hover details, and manual create. */
var CC = window.CC || (window.CC = {});

CC.management = (function () {
  "use strict";

  var ui = CC.ui;
  var view = "open";
  var searchState = {query: "", results: null, total: 0, error: null};

  function t(key, params) {
    return CC.i18n.t(key, params);
  }

  /** Hover/focus details of a customer: name, phones, emails, last update. */
  function customerDetails(customer, name) {
    var f = customer.fields || {};
    return ui.detailsList([
      [t("label.name"), name || CC.app.displayName(customer)],
      [t("label.phone"), f.Context_Mobile_Phone || f.Context_Home_Phone || f.Context_Work_Phone],
      [t("label.email"), f.Context_Home_Email || f.Context_Work_Email],
      [t("label.city"), f.Context_City],
      [t("label.lastContact"), CC.i18n.dateTime(customer.lastContact || customer.lastUpdated)]
    ]);
  }

  function customerButton(customer, options) {
    var button = ui.el("button", {
      type: "button",
      class: "cc-customer-item" + (options.current ? " cc-customer-item--current" : ""),
      "aria-current": options.current ? "true" : null,
      "data-customer-id": customer.id || "",
      onclick: options.onclick
    }, [ui.el("span", {class: "cc-customer-item__name", text: options.name || CC.app.displayName(customer)})]);
    ui.hoverDetails(button, function () { return customerDetails(customer, options.name); });
    return ui.el("li", {}, [button]);
  }

  function openList(state) {
    var list = ui.el("ul", {class: "cc-customer-list", "aria-label": t("management.open")});
    state.open.forEach(function (entry) {
      list.appendChild(customerButton(entry.customer, {
        current: entry.key === state.currentKey,
        name: CC.app.displayName(entry.customer) + (entry.customer.id ? "" : " " + t("customer.notStoredSuffix")),
        onclick: function () { CC.app.showEntry(entry.key); }
      }));
    });
    return state.open.length ? list : ui.el("p", {class: "cc-muted", text: t("management.openEmpty")});
  }

  function recentList() {
    var items = CC.app.recent();
    if (!items.length) {
      return ui.el("p", {class: "cc-muted", text: t("management.recentEmpty")});
    }
    var list = ui.el("ul", {class: "cc-customer-list", "aria-label": t("management.recent")});
    items.forEach(function (item) {
      var known = {id: item.id, lastUpdated: item.lastUpdated,
        fields: {Context_Mobile_Phone: item.phone, Context_Home_Email: item.email}};
      list.appendChild(customerButton(known, {
        name: item.name,
        onclick: function () { view = "open"; CC.app.openCustomerById(item.id); }
      }));
    });
    return list;
  }

  function runSearch(query) {
    searchState.query = query;
    searchState.results = null;
    searchState.error = null;
    CC.app.render();
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
      CC.app.render();
    }, function (error) {
      searchState.error = error.message || t("error.unexpected");
      CC.app.handleError(error);
    });
  }

  function searchView() {
    var inputId = ui.uid("search");
    var input = ui.el("input", {id: inputId, type: "search", class: "cc-input", value: searchState.query,
      placeholder: t("search.placeholder"), "data-focus-key": "management-search"});
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        runSearch(input.value);
      }
    });
    var parts = [
      ui.el("label", {for: inputId, text: t("search.label")}),
      ui.el("div", {class: "cc-search-row"}, [input, ui.el("button", {type: "button", class: "cc-button",
        text: t("action.search"), onclick: function () { runSearch(input.value); }})]),
      ui.el("p", {class: "cc-hint", text: t("search.hint")})
    ];
    if (searchState.error) {
      parts.push(ui.el("p", {class: "cc-field-error", role: "alert", text: searchState.error}));
    } else if (searchState.results && !searchState.results.length) {
      parts.push(ui.el("p", {class: "cc-muted", role: "status", text: t("search.none", {query: searchState.query})}));
    } else if (searchState.results) {
      var list = ui.el("ul", {class: "cc-customer-list", "aria-label": t("search.results")});
      parts.push(ui.el("p", {class: "cc-muted", role: "status", text: t("search.count", {count: searchState.total})}));
      searchState.results.forEach(function (customer) {
        list.appendChild(customerButton(customer, {onclick: function () {
          view = "open";
          CC.app.openCustomer(customer);
        }}));
      });
      parts.push(list);
    }
    return ui.el("div", {class: "cc-search"}, parts);
  }

  /** Render the pane: the view tabs' pressed state and the chosen view's list. */
  function render(state) {
    document.querySelectorAll("#cc-management [data-view]").forEach(function (tab) {
      var selected = tab.getAttribute("data-view") === view;
      tab.setAttribute("aria-selected", selected ? "true" : "false");
      tab.tabIndex = selected ? 0 : -1;
    });
    var body = ui.clear(document.getElementById("cc-management-body"));
    body.setAttribute("aria-labelledby", "cc-view-" + view);
    body.appendChild(view === "open" ? openList(state) : view === "recent" ? recentList() : searchView());
  }

  function choose(name) {
    view = name;
    CC.app.render();
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
      CC.app.openNewCustomer({}, null);
    });
  }

  return {init: init, render: render};
}());
