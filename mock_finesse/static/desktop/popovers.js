/**
 * The desktop's popovers (Finesse 12.x): drawn by the desktop, outside the gadget iframes, for the payloads
 * gadgets send with finesse.containerservices.PopoverService (developer.cisco.com/docs/finesse/popover-service;
 * 12.6.1 typings). A popover shows bannerData (icon, header title, the content's name/value rows), the
 * timer of timerData (COUNT_DOWN or COUNT_UP to displayTimeoutInSecs) and actionData's requiredActionText and
 * at most two buttons; a button with confirmButtons asks again with those. Pressing a button calls the
 * gadget's actionHandler(popoverId, buttonId); the gadget dismisses the popover. A dismissible popover goes
 * by itself when its timer ends (actionHandler(popoverId, "timeout")); keepMaximised keeps it from being
 * minimised to its header (minHeaderTitle). Those last two readings are inferred. Gadgets reach this as
 * `parent.finesseContainer.popovers` (the gadget ↔ desktop protocol is the mock's own).
 */
(function (window, document) {
  "use strict";

  var container = window.finesseContainer;
  var t = (window.finesseDesktop && window.finesseDesktop.messages) || {};
  var popovers = {}; // popoverId → {element, window (the gadget's), timer}

  function area() { return document.getElementById("popovers"); }

  function text(tag, className, value) {
    var element = document.createElement(tag);
    if (className) { element.className = className; }
    element.textContent = value === undefined || value === null ? "" : String(value);
    return element;
  }

  function button(spec, onClick) {
    var element = text("button", "popover-button", spec.label);
    element.type = "button";
    element.dataset.buttonId = spec.id;
    element.dataset.type = spec.type || "";
    element.title = spec.hoverText || "";
    element.addEventListener("click", onClick);
    return element;
  }

  /** The buttons of actionData; one with confirmButtons is replaced by those when pressed. */
  function actions(payload, answer) {
    var row = document.createElement("div");
    row.className = "popover-actions";
    (payload.actionData.buttons || []).forEach(function (spec) {
      row.appendChild(button(spec, function () {
        if (!spec.confirmButtons || !spec.confirmButtons.length) { answer(spec.id); return; }
        row.replaceChildren.apply(row, spec.confirmButtons.map(function (confirm) {
          return button(confirm, function () { answer(confirm.id); });
        }));
      }));
    });
    return row;
  }

  function content(rows) {
    var list = document.createElement("dl");
    list.className = "popover-content";
    (rows || []).forEach(function (row) { list.append(text("dt", "", row.name), text("dd", "", row.value)); });
    return list;
  }

  function clock(seconds) {
    var s = Math.max(0, seconds);
    return String(Math.floor(s / 60)).padStart(2, "0") + ":" + String(s % 60).padStart(2, "0");
  }

  /** The timer of timerData; when it ends a dismissible popover goes. */
  function startTimer(popoverId, payload, output, answer) {
    var timer = payload.timerData;
    var total = timer.displayTimeoutInSecs;
    var started = Date.now();
    output.hidden = !timer.display;
    function tick() {
      var elapsed = (Date.now() - started) / 1000;
      // Whole seconds: up from 00:00, down from the full time (01:00 for the whole first second).
      output.textContent = clock(timer.counterType === "COUNT_UP" ? Math.floor(Math.min(elapsed, total))
        : Math.ceil(total - elapsed));
      if (elapsed >= total && total > 0) {
        window.clearInterval(popovers[popoverId].timer);
        if (payload.actionData.dismissible) { dismiss(popoverId); answer("timeout"); }
      }
    }
    tick();
    return window.setInterval(tick, 250);
  }

  function setMinimised(element, banner, minimised) {
    element.dataset.minimised = minimised ? "true" : "false";
    element.querySelector(".popover-title").textContent = minimised ? banner.headerContent.minHeaderTitle
      : banner.headerContent.maxHeaderTitle;
    element.querySelector(".popover-body").hidden = minimised;
    var toggle = element.querySelector(".popover-minimise");
    if (toggle) { toggle.textContent = minimised ? (t.gadget_expand || "Expand") : (t.gadget_collapse || "Collapse"); }
  }

  function header(payload, element) {
    var icon = payload.bannerData.icon;
    var head = document.createElement("div");
    head.className = "popover-header";
    var badge = text("span", "popover-icon", icon.value);
    badge.dataset.iconType = icon.type;
    head.append(badge, text("span", "popover-title", ""), text("output", "popover-timer", ""));
    if (!payload.actionData.keepMaximised) {
      var toggle = text("button", "popover-minimise", "");
      toggle.type = "button";
      toggle.addEventListener("click", function () {
        setMinimised(element, payload.bannerData, element.dataset.minimised !== "true");
      });
      head.appendChild(toggle);
    }
    return head;
  }

  function render(win, payload, actionHandler) {
    var popoverId = payload.popoverId;
    var element = document.createElement("section");
    element.className = "popover";
    element.setAttribute("role", "alertdialog");
    element.dataset.popoverId = popoverId;
    element.dataset.clientIdentifier = payload.actionData.clientIdentifier;
    var frame = container.frameOf(win);
    element.dataset.gadget = frame ? frame.id : "";
    var body = document.createElement("div");
    body.className = "popover-body";
    body.append(content(payload.bannerData.content),
                text("p", "popover-required-action", payload.actionData.requiredActionText));
    function answer(source) { actionHandler(popoverId, source); }
    body.appendChild(actions(payload, answer));
    element.append(header(payload, element), body);
    setMinimised(element, payload.bannerData, false);
    return { element: element, answer: answer };
  }

  var watched = new WeakSet();

  /** A gadget that reloads or goes takes its popovers with it (their handlers belong to the old page). */
  function dismissWithPage(win) {
    if (watched.has(win)) { return; }
    watched.add(win);
    win.addEventListener("pagehide", function () {
      Object.keys(popovers).filter(function (id) { return popovers[id].window === win; }).forEach(dismiss);
    });
  }

  /** Draw (or redraw, for updatePopover) the popover of `payload` for the gadget window `win`. */
  function show(win, payload, actionHandler) {
    dismissWithPage(win);
    var drawn = render(win, payload, actionHandler);
    var existing = popovers[payload.popoverId];
    if (existing) {
      window.clearInterval(existing.timer);
      existing.element.replaceWith(drawn.element);
    } else {
      area().appendChild(drawn.element);
    }
    popovers[payload.popoverId] = { element: drawn.element, window: win, timer: null };
    popovers[payload.popoverId].timer = startTimer(payload.popoverId, payload,
      drawn.element.querySelector(".popover-timer"), drawn.answer);
    return true;
  }

  function dismiss(popoverId) {
    var popover = popovers[popoverId];
    if (!popover) { return false; }
    window.clearInterval(popover.timer);
    popover.element.remove();
    delete popovers[popoverId];
    return true;
  }

  container.popovers = { show: show, dismiss: dismiss, ids: function () { return Object.keys(popovers); } };
}(window, document));
