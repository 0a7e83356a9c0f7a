/**
 * The journey's activity rows. A journey holds hundreds and a screen pop shows them all at once, in the same
 * turn as the call is answered, so a row is cheap: a clone of a template per language, media type and whether
 * it may move, filled with the activity's own text (always as text, never as markup), and its clicks, drags and
 * hover details are handled once for the whole journey (delegated to the journey's host), not per row.
 */
var CC = window.CC || (window.CC = {});

CC.journeyRows = (function () {
  "use strict";

  var ui = CC.ui;
  var templates = {};

  function t(key, params) {
    return CC.i18n.t(key, params);
  }

  function activitySource(activity) {
    var f = activity.fields || {};
    return f.Context_POD_Source_Cust_Name || f.Context_POD_Source_Email || f.Context_POD_Source_Phone || "";
  }

  /** The hover details of an activity row: media, time, source, tags and its request. */
  function activityDetails(activity, request) {
    return ui.detailsList([
      [t("activity.media"), CC.journey.mediaLabel(activity.mediaType)],
      [t("activity.time"), CC.i18n.dateTime(activity.created)],
      [t("activity.source"), activitySource(activity)],
      [t("activity.tags"), (activity.tags || []).join(", ")],
      [t("activity.request"), request ? CC.journey.requestTitle(request) : t("journey.unassigned")]
    ]);
  }

  /**
   * The empty row of a media type: a treeitem holding the open button (icon, media, time, source) and, where a
   * move is allowed, a drag handle before it and a Move button after it.
   */
  function template(mediaType, movable) {
    var key = JSON.stringify([CC.i18n.bcp47(), mediaType, movable]);
    if (!templates[key]) {
      templates[key] = ui.el("li", {class: "cc-activity", role: "treeitem", "aria-level": "2", tabindex: "-1"}, [
        movable ? ui.el("span", {class: "cc-drag-handle", draggable: "true", title: t("move.dragHint"), "aria-hidden": "true",
          text: "⋮⋮"}) : null,
        ui.el("button", {type: "button", class: "cc-activity__open", tabindex: "-1"}, [
          CC.journey.mediaIcon(mediaType),
          ui.el("span", {class: "cc-activity__media", text: CC.journey.mediaLabel(mediaType)}),
          ui.el("span", {class: "cc-activity__time"}),
          ui.el("span", {class: "cc-activity__summary"})
        ]),
        movable ? ui.el("button", {type: "button", class: "cc-button cc-button--small cc-activity__move", tabindex: "-1",
          text: t("action.move")}) : null
      ]);
    }
    return templates[key];
  }

  /** A new activity row (see template) for an activity of a request (null: unassigned) of an entry's journey. */
  function activityRow(entry, activity, request, selected) {
    var movable = CC.journey.movable(request);
    var media = CC.journey.mediaLabel(activity.mediaType);
    var when = CC.i18n.dateTime(activity.created);
    var source = activitySource(activity);
    var row = template(activity.mediaType || "", movable).cloneNode(true);
    var open = row.querySelector(".cc-activity__open");
    row.className = "cc-activity" + (selected ? " cc-activity--selected" : "");
    row.setAttribute("aria-selected", selected ? "true" : "false");
    row.setAttribute("aria-label", [media, when, source].filter(Boolean).join(" · "));
    row.setAttribute("data-activity-id", activity.id);
    row.setAttribute("data-focus-key", "journey:" + activity.id);
    open.setAttribute("data-focus-key", "journey:open:" + activity.id);
    open.querySelector(".cc-activity__time").textContent = when;
    open.querySelector(".cc-activity__summary").textContent = source;
    if (movable) {
      var move = row.querySelector(".cc-activity__move");
      move.setAttribute("data-focus-key", "journey:move:" + activity.id);
      move.setAttribute("aria-label", t("move.buttonLabel", {media: media, when: when}));
    }
    row.ccRow = {entry: entry, activity: activity, request: request};
    return row;
  }

  /** One activity row: the one of the last build that shows the same, else a new one. */
  function item(entry, activity, request) {
    var selected = Boolean(entry.selected && entry.selected.type === "activity" && entry.selected.id === activity.id);
    return CC.rows.row([activity, selected, request && [request.id, request.state, CC.journey.requestTitle(request)]],
      function () { return activityRow(entry, activity, request, selected); });
  }

  /** The row (with its activity, request and entry in ccRow) that `node` is part of, where it matches `selector`. */
  function rowAt(node, selector) {
    var hit = node && node.closest ? node.closest(selector) : null;
    var row = hit && hit.closest(".cc-activity");
    return row && row.ccRow ? {hit: hit, row: row} : null;
  }

  function openOf(row) {
    return row.querySelector(".cc-activity__open");
  }

  /** Hover details: while the pointer is over a row's open button, or the row has the keyboard focus. */
  function wireDetails(host) {
    var show = function (found) {
      ui.showDetails(openOf(found.row), found.row, activityDetails(found.row.ccRow.activity, found.row.ccRow.request));
    };
    host.addEventListener("mouseover", function (event) {
      var found = rowAt(event.target, ".cc-activity__open");
      if (found && !found.hit.contains(event.relatedTarget)) {
        show(found);
      }
    });
    host.addEventListener("mouseout", function (event) {
      var found = rowAt(event.target, ".cc-activity__open");
      if (found && !found.hit.contains(event.relatedTarget)) {
        ui.hideDetails(found.row);
      }
    });
    host.addEventListener("focusin", function (event) {
      var found = rowAt(event.target, ".cc-activity");
      if (found && found.row === event.target) {
        show(found);
      }
    });
    host.addEventListener("focusout", function (event) {
      var found = rowAt(event.target, ".cc-activity");
      if (found && found.row === event.target) {
        ui.hideDetails(found.row);
      }
    });
  }

  /**
   * Handle the rows' events for the whole journey host (once): `handlers.open(info)` (the open button),
   * `handlers.move(info)` (the Move button) and `handlers.dragStart(info, event)` (the drag handle; its dragend is
   * the handler's to hear on the handle, which a row replaced mid-drag no longer has in the journey), each with
   * info = {entry, activity, request} of the row.
   */
  function wire(host, handlers) {
    if (host.ccRowsWired) {
      return;
    }
    host.ccRowsWired = true;
    host.addEventListener("click", function (event) {
      var open = rowAt(event.target, ".cc-activity__open");
      var move = open ? null : rowAt(event.target, ".cc-activity__move");
      if (open || move) {
        (open ? handlers.open : handlers.move)((open || move).row.ccRow);
      }
    });
    host.addEventListener("dragstart", function (event) {
      var found = rowAt(event.target, ".cc-drag-handle");
      if (found) {
        handlers.dragStart(found.row.ccRow, event);
      }
    });
    wireDetails(host);
  }

  return {item: item, wire: wire};
}());
