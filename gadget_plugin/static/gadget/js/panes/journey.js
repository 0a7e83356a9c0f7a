/** Customer journey pane: requests with their activities (newest first), icons, Add request, and moving activities. */
var CC = window.CC || (window.CC = {});

CC.journey = (function () {
  "use strict";

  var ui = CC.ui;
  var SVG = "http://www.w3.org/2000/svg";
  var ICON_PATHS = {
    voice: "M6.6 10.8c1.4 2.8 3.8 5.1 6.6 6.6l2.2-2.2c.3-.3.7-.4 1-.2 1.1.4 2.3.6 3.6.6.6 0 1 .4 1 1V20c0 .6-.4 1-1 1" +
      "C10.6 21 3 13.4 3 4c0-.6.4-1 1-1h3.5c.6 0 1 .4 1 1 0 1.3.2 2.5.6 3.6.1.3 0 .7-.2 1z",
    chat: "M20 2H4c-1.1 0-2 .9-2 2v18l4-4h14c1.1 0 2-.9 2-2V4c0-1.1-.9-2-2-2z",
    email: "M20 4H4c-1.1 0-2 .9-2 2v12c0 1.1.9 2 2 2h16c1.1 0 2-.9 2-2V6c0-1.1-.9-2-2-2zm0 4l-8 5-8-5V6l8 5 8-5v2z",
    video: "M17 10.5V7c0-.6-.4-1-1-1H4c-.6 0-1 .4-1 1v10c0 .6.4 1 1 1h12c.6 0 1-.4 1-1v-3.5l4 4v-11z",
    web: "M20 4H4c-1.1 0-2 .9-2 2v12c0 1.1.9 2 2 2h16c1.1 0 2-.9 2-2V6c0-1.1-.9-2-2-2zm0 14H4V8h16z",
    mobile: "M16 1H8C6.9 1 6 1.9 6 3v18c0 1.1.9 2 2 2h8c1.1 0 2-.9 2-2V3c0-1.1-.9-2-2-2zm0 18H8V5h8z",
    social: "M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm8 0a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM9 13c-3.3 0-7 1.7-7 4v3h14v-3" +
      "c0-2.3-3.7-4-7-4zm8 0c-.4 0-.8 0-1.2.1 1.4.9 2.2 2.1 2.2 3.9v3h5v-3c0-2.3-3.2-4-6-4z",
    event: "M19 4h-1V2h-2v2H8V2H6v2H5c-1.1 0-2 .9-2 2v14c0 1.1.9 2 2 2h14c1.1 0 2-.9 2-2V6c0-1.1-.9-2-2-2zm0 16H5V9h14z",
    other: "M12 4a8 8 0 1 0 0 16 8 8 0 0 0 0-16z",
    open: "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 4a6 6 0 1 1 0 12 6 6 0 0 1 0-12z",
    closed: "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm-1.5 14.5-4-4 1.4-1.4 2.6 2.6 5.6-5.6 1.4 1.4z"
  };
  var dragged = null;
  var activeRow = null; // data-focus-key of the journey's tab stop, kept across rebuilds

  function t(key, params) {
    return CC.i18n.t(key, params);
  }

  /** A decorative SVG icon (its meaning is given by the surrounding label). */
  function icon(name) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("class", "cc-icon cc-icon--" + name);
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("d", ICON_PATHS[name] || ICON_PATHS.other);
    svg.appendChild(path);
    return svg;
  }

  /** The media type's label in the agent's language (voice, chat, email, ...). */
  function mediaLabel(mediaType) {
    var key = "media." + (mediaType || "other");
    var text = t(key);
    return text === key ? String(mediaType || t("media.other")) : text;
  }

  function mediaIcon(mediaType) {
    return icon(ICON_PATHS[mediaType] ? mediaType : "other");
  }

  /** The request's title, or a placeholder for an untitled one. */
  function requestTitle(request) {
    if (request.draft) {
      return t("move.toNewRequest");
    }
    return (request.fields && request.fields.Context_Title) || t("request.untitled");
  }

  /** "Open · created …" / "Closed · created … · closed …" for the request icon and details. */
  function requestStatusText(request) {
    var closed = request.state === "closed";
    var text = t(closed ? "request.statusClosed" : "request.statusOpen") + " · " +
      t("request.createdAt", {when: CC.i18n.dateTime(request.created)});
    if (closed) {
      text += " · " + t("request.closedAt", {when: CC.i18n.dateTime(request.closedAt || request.lastUpdated)});
    }
    return text;
  }

  /** Why an activity cannot move to a target ("" when it can). */
  function refusal(request, targetRequest) {
    if (request && request.state === "closed") {
      return t("move.refusedFromClosed");
    }
    if (targetRequest && targetRequest.state === "closed") {
      return t("move.refusedToClosed");
    }
    return "";
  }

  /** True when the activity may move at all (not under a closed request, not a draft's). */
  function movable(request) {
    return !request || request.state !== "closed";
  }

  /** The agent's choices of collapsed/expanded requests ({requestId: collapsed}), kept per agent. */
  function collapsedChoices() {
    return CC.store.readJson(CC.store.agentKey("collapsed"), {});
  }

  /** Collapsed unless the agent expanded it: closed requests start collapsed, open ones expanded. */
  function isCollapsed(request) {
    var choice = collapsedChoices()[request.id];
    return choice === undefined ? request.state === "closed" : choice;
  }

  /** Expand or collapse a request row and remember the agent's choice. */
  function toggle(row, expand) {
    var choices = collapsedChoices();
    choices[row.getAttribute("data-request-id")] = !expand;
    window.localStorage.setItem(CC.store.agentKey("collapsed"), JSON.stringify(choices));
    row.setAttribute("aria-expanded", expand ? "true" : "false");
    if (!expand) {
      CC.tree.collapsed(row.closest('[role="tree"]'), row);
    }
  }

  function tryMove(entry, activity, request, target) {
    var reason = refusal(request, target === "new" ? null : target);
    if (reason) {
      CC.notices.show(reason, {kind: "error"});
      return;
    }
    if (request && target !== "new" && target.id === request.id) {
      return;
    }
    CC.actions.moves.moveToRequest(entry, activity, target === "new" ? "new" : target.id);
  }

  /** Keyboard move: a dialog listing the customer's other open requests and "New request". */
  function chooseTarget(entry, activity, request) {
    var targets = entry.journey.requests.filter(function (other) {
      return other.state !== "closed" && !other.draft && (!request || other.id !== request.id);
    });
    var actions = targets.map(function (other) {
      return {label: t("move.toRequest", {title: requestTitle(other)}), value: other.id};
    });
    actions.push({label: t("move.toNewRequest"), value: "new", primary: true});
    ui.dialog({title: t("move.title"), body: ui.el("p", {text: t("move.body")}), actions: actions}).then(function (choice) {
      if (choice) {
        tryMove(entry, activity, request, choice === "new" ? "new" :
          targets.filter(function (other) { return other.id === choice; })[0]);
      }
    });
  }

  /** The drag is over (dropped, given up, or its row replaced meanwhile): a later, foreign drop moves nothing. */
  function endDrag() {
    dragged = null;
    document.getElementById("cc-journey").classList.remove("cc-journey--dragging");
  }

  /** What the activity rows' open and Move buttons and drag handles do (CC.journeyRows.wire). */
  var rowHandlers = {
    open: function (row) { CC.actions.customers.select("activity", row.activity.id); },
    move: function (row) { chooseTarget(row.entry, row.activity, row.request); },
    dragStart: function (row, event) {
      dragged = {entry: row.entry, activity: row.activity, request: row.request};
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.activity.id);
      document.getElementById("cc-journey").classList.add("cc-journey--dragging");
      // Heard on the handle itself: a row replaced mid-drag (another customer shown) is no longer in the journey,
      // so its dragend would never reach a listener of the journey's.
      event.target.addEventListener("dragend", endDrag, {once: true});
    }
  };

  function dropTarget(node, onDrop) {
    node.addEventListener("dragover", function (event) {
      if (dragged) {
        event.preventDefault();
        node.classList.add("cc-drop--over");
      }
    });
    node.addEventListener("dragleave", function () { node.classList.remove("cc-drop--over"); });
    node.addEventListener("drop", function (event) {
      event.preventDefault();
      node.classList.remove("cc-drop--over");
      var source = dragged;
      endDrag();
      // Only a drag begun in the journey on screen: one left over from another customer's moves nothing.
      if (source && source.entry === CC.store.current()) {
        onDrop(source);
      }
    });
  }

  /**
   * A request row (a treeitem holding its activities): toggle, status icon, title, date, count. The row of the
   * last build is kept while its head shows the same; only its activities are placed anew.
   */
  function requestItem(entry, request) {
    var selected = Boolean(entry.selected && entry.selected.type === "request" && entry.selected.id === request.id);
    var head = {request: Object.assign({}, request, {activities: undefined}), selected: selected,
      collapsed: isCollapsed(request)};
    var item = CC.rows.row(["request", head], function () { return requestRow(entry, request, head); });
    // While only the customer's newest activities are in hand a request's count may be short: none is shown.
    var count = item.ccCount;
    var text = t("journey.activityCount", {count: CC.i18n.number((request.activities || []).length)});
    if (count.textContent !== text) {
      count.textContent = text;
    }
    if (entry.journey.complete === false) {
      count.remove();
    } else if (!count.isConnected) {
      item.ccHead.appendChild(count);
    }
    placeActivities(item.ccActivities, (request.activities || []).map(function (activity) {
      return CC.journeyRows.item(entry, activity, request);
    }));
    return item;
  }

  /**
   * Make `rows` the activity rows of a request's list. Out of view the list is skipped as a whole (gadget.css),
   * its height then taken from its count of rows, which it is given here (--cc-rows).
   */
  function placeActivities(list, rows) {
    CC.rows.place(list, rows);
    var count = String(list.childNodes.length);
    if (list.style.getPropertyValue("--cc-rows") !== count) {
      list.style.setProperty("--cc-rows", count);
    }
  }

  /** A new request row: its activities (item.ccActivities) empty, its count (item.ccCount) not placed yet. */
  function requestRow(entry, request, shown) {
    var closed = request.state === "closed";
    var select = function () { CC.actions.customers.select("request", request.id); };
    var status = ui.el("button", {type: "button", class: "cc-status-icon cc-status-icon--" + (closed ? "closed" : "open"),
      tabindex: "-1", "aria-label": requestStatusText(request), "data-state": request.state, onclick: select},
    [icon(closed ? "closed" : "open")]);
    var title = ui.el("button", {type: "button", class: "cc-request__title", tabindex: "-1",
      "data-focus-key": "journey:title:" + request.id, onclick: select}, [requestTitle(request)]);
    var activities = ui.el("ol", {class: "cc-activities", role: "group",
      "aria-label": t("journey.activitiesOf", {title: requestTitle(request)})});
    var item = ui.el("li", {class: "cc-request" + (closed ? " cc-request--closed" : "") + (shown.selected ? " cc-request--selected" : "") +
      (request.draft ? " cc-request--draft" : ""), role: "treeitem", "aria-level": "1", tabindex: "-1",
    "aria-selected": shown.selected ? "true" : "false", "aria-expanded": shown.collapsed ? "false" : "true",
    "aria-label": requestTitle(request) + " · " + requestStatusText(request),
    "data-request-id": request.id, "data-state": request.state, "data-focus-key": "journey:" + request.id});
    var toggler = ui.el("button", {type: "button", class: "cc-request__toggle", tabindex: "-1",
      "aria-label": t("journey.toggle", {title: requestTitle(request)}),
      onclick: function () { toggle(item, item.getAttribute("aria-expanded") === "false"); }});
    var head = ui.el("div", {class: "cc-request__head"}, [toggler, status, title,
      ui.el("span", {class: "cc-request__date", text: CC.i18n.dateTime(request.created)})]);
    item.appendChild(head);
    item.appendChild(activities);
    item.ccHead = head;
    item.ccActivities = activities;
    item.ccCount = ui.el("span", {class: "cc-request__count"});
    ui.hoverDetails(status, function () { return ui.el("p", {text: requestStatusText(request)}); }, item);
    if (!request.draft) {
      dropTarget(item, function (source) { tryMove(entry, source.activity, source.request, request); });
    }
    return item;
  }

  /** The activities that are in no request, as one more (never collapsed) row of the tree. */
  function unassignedItem(entry, activities) {
    var item = CC.rows.row(["unassigned"], function () {
      var loose = ui.el("ol", {class: "cc-activities", role: "group"});
      var made = ui.el("li", {class: "cc-request cc-request--unassigned", role: "treeitem", "aria-level": "1", tabindex: "-1",
        "aria-expanded": "true", "aria-label": t("journey.unassigned"), "data-focus-key": "journey:unassigned"}, [
        ui.el("div", {class: "cc-request__head"}, [ui.el("span", {class: "cc-request__title", text: t("journey.unassigned")})]),
        loose
      ]);
      made.ccActivities = loose;
      return made;
    });
    placeActivities(item.ccActivities, activities.map(function (activity) { return CC.journeyRows.item(entry, activity, null); }));
    return item;
  }

  /** The interaction being recorded ("recording…"), or, when its store failed, "not recorded" with Retry. */
  function recordingRow(entry) {
    var media = mediaLabel(entry.pendingActivity.mediaType);
    var failed = entry.recordFailed;
    var children = [mediaIcon(entry.pendingActivity.mediaType),
      ui.el("span", {class: "cc-recording__text", text: t(failed ? "journey.notRecorded" : "journey.recording", {media: media})})];
    if (failed) {
      children.push(ui.el("button", {type: "button", class: "cc-button cc-button--small", "data-action": "retry-record",
        text: t("action.retryRecord"), onclick: function () { CC.actions.screenPop.retry(entry); }}));
    }
    return ui.el("div", {class: "cc-recording" + (failed ? " cc-recording--failed" : ""), role: failed ? "alert" : "status"},
      children);
  }

  /**
   * Render the journey of the current customer when what it shows changed: rows that still show the same stay
   * where they are (the browser then lays out only what changed), the others are placed around them.
   */
  function render(entry) {
    var host = document.getElementById("cc-journey");
    host.hidden = !entry;
    var key = entry ? JSON.stringify([entry.key, entry.customer.id, entry.pendingActivity && entry.pendingActivity.mediaType,
      entry.recordFailed, entry.journey, entry.selected, entry.journey && entry.journey.complete === false &&
      entry.completion], CC.rows.shownPart) : "";
    CC.journeyRows.wire(host, rowHandlers);
    var focused = document.activeElement;
    var fresh = host.ccKey === undefined; // never built (or told to build everything anew)
    if (host.ccKey !== key) {
      host.ccKey = key;
      CC.rows.rebuild(entry, CC.i18n.bcp47(), fresh, function () { CC.rows.place(host, build(entry)); });
    }
    if (focused && focused !== document.activeElement && host.contains(focused)) {
      focused.focus(); // a kept row that had the focus was taken out and put back
    }
  }

  /** Below a journey of only the customer's newest activities: "loading older activities…", or failed + Retry. */
  function olderActivitiesRow(entry) {
    var failed = entry.completion === "failed";
    return ui.el("div", {class: "cc-journey-older" + (failed ? " cc-journey-older--failed" : ""),
      role: failed ? "alert" : "status"}, [
      ui.el("span", {text: t(failed ? "journey.olderFailed" : "journey.loadingOlder")}),
      failed ? ui.el("button", {type: "button", class: "cc-button cc-button--small", "data-action": "retry-journey",
        text: t("action.retryLoad"), onclick: function () { CC.actions.completion.completeJourney(entry); }}) : null
    ]);
  }

  /** The journey as a tree: one tab stop (the selected row, or the last one the agent was on), arrows inside. */
  function tree(entry, journey) {
    var list = CC.rows.row(["tree"], function () { return ui.el("ol", {class: "cc-requests", "aria-label": t("journey.title")}); });
    var items = journey.requests.map(function (request) { return requestItem(entry, request); });
    CC.rows.place(list, (journey.unassigned || []).length ? items.concat([unassignedItem(entry, journey.unassigned)]) : items);
    var byKey = function (key) {
      return key ? list.querySelector('[role="treeitem"][data-focus-key="' + window.CSS.escape(key) + '"]') : null;
    };
    CC.tree.wire(list, {
      active: byKey(activeRow) || byKey(entry.selected && "journey:" + entry.selected.id),
      onActive: function (row) {
        activeRow = row.getAttribute("data-focus-key");
        // The Move button of the activity row the agent is on is the one more tab stop (the keyboard's way to
        // move); on a request row, none of its activities' buttons is.
        var own = row.classList.contains("cc-activity");
        Array.prototype.forEach.call(list.querySelectorAll(".cc-activity__move"), function (button) {
          var stop = own && row.contains(button) ? 0 : -1;
          if (button.tabIndex !== stop) {
            button.tabIndex = stop;
          }
        });
      },
      onToggle: toggle,
      onActivate: function (row) {
        var activityId = row.getAttribute("data-activity-id");
        CC.actions.customers.select(activityId ? "activity" : "request", activityId || row.getAttribute("data-request-id"));
      }
    });
    return list;
  }

  /** The journey's head: its title, the skip link to the details and Add request. */
  function journeyHead(entry) {
    return ui.el("div", {class: "cc-journey-head"}, [
      ui.el("h3", {id: "cc-journey-title", text: t("journey.title")}),
      ui.el("a", {class: "cc-skip-link", href: "#cc-details", "data-action": "skip-to-details", text: t("journey.skipToDetails"),
        onclick: function (event) {
          event.preventDefault();
          CC.details.focus();
        }}),
      ui.el("button", {type: "button", class: "cc-button", "data-action": "add-request", "data-focus-key": "journey:add",
        text: t("action.addRequest"), onclick: function () { CC.actions.customers.addRequest(entry); }})
    ]);
  }

  /** The drop zone "new request", shown while an activity is dragged. */
  function newRequestZone(entry) {
    var zone = ui.el("div", {class: "cc-dropzone-new", text: t("move.dropNew")});
    dropTarget(zone, function (source) { tryMove(entry, source.activity, source.request, "new"); });
    return zone;
  }

  /** The journey's parts, in order (nothing for a customer not stored yet); kept parts are the last build's. */
  function build(entry) {
    if (!entry || !entry.customer.id) {
      return [entry && entry.pendingActivity ? ui.el("p", {class: "cc-hint", text: t("journey.pendingActivity",
        {media: mediaLabel(entry.pendingActivity.mediaType)})}) : null];
    }
    var recording = entry.pendingActivity ? recordingRow(entry) : null;
    if (!entry.journey) {
      return [ui.el("p", {class: "cc-muted", role: "status", text: t("journey.loading")}), recording];
    }
    var journey = entry.journey;
    return [
      CC.rows.row(["head"], function () { return journeyHead(entry); }),
      recording,
      journey.requests.length || (journey.unassigned || []).length ? tree(entry, journey) :
        ui.el("p", {class: "cc-muted", text: t("journey.empty")}),
      journey.complete === false ? olderActivitiesRow(entry) : null,
      // Below the list, so showing it while dragging never shifts the requests under the pointer.
      CC.rows.row(["newZone"], function () { return newRequestZone(entry); })
    ];
  }

  return {render: render, mediaLabel: mediaLabel, mediaIcon: mediaIcon, requestTitle: requestTitle,
    requestStatusText: requestStatusText, icon: icon, movable: movable};
}());
