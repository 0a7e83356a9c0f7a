/**
 * What a gadget asks of its own tile through Cisco's ContainerServices (12.x, developer.cisco.com/docs/finesse/
 * container-services; 12.6.1 typings): hideMyGadget / showMyGadget (the whole tile), collapseMyGadget /
 * expandMyGadget (only the title bar stays; gadgets with <Optional feature="collapsible"/>, which also get a
 * collapse button in their title bar), showMyGadgetNotification / hideMyGadgetNotification (a dot on the
 * gadget's tab — Cisco's ECE integration guide: "a red dot will appear on the … link in the left navigation
 * pane" — and, with messageDetails {messageFrom, message, isDismissable, timeout, icon {name, size, color}}, a
 * notification at the desktop's top right). Gadgets reach it as `parent.finesseContainer.tiles` (the gadget ↔
 * desktop protocol is the mock's own).
 */
(function (window, document) {
  "use strict";

  var container = window.finesseContainer;
  var t = (window.finesseDesktop && window.finesseDesktop.messages) || {};

  function tileOf(win) {
    var frame = container.frameOf(win);
    return frame ? frame.closest("section.gadget") : null;
  }

  function features(win) {
    try { return (win.__gadgetContext && win.__gadgetContext.features) || []; } catch (e) { return []; }
  }

  function collapsible(win) { return features(win).indexOf("collapsible") !== -1; }

  function setHidden(win, hidden) {
    var tile = tileOf(win);
    if (!tile) { return false; }
    tile.hidden = hidden;
    return true;
  }

  function setCollapsed(win, collapsed) {
    var tile = tileOf(win);
    if (!tile || !collapsible(win)) { return false; }
    tile.dataset.collapsed = collapsed ? "true" : "false";
    tile.querySelector("iframe.gadget-frame").hidden = collapsed;
    var toggle = tile.querySelector(".gadget-collapse");
    if (toggle) {
      toggle.setAttribute("aria-expanded", collapsed ? "false" : "true");
      toggle.textContent = collapsed ? (t.gadget_expand || "Expand") : (t.gadget_collapse || "Collapse");
    }
    return true;
  }

  /** Collapsible gadgets get a collapse / expand button in their title bar once their frame has loaded. */
  function addCollapseButton(frame) {
    var tile = frame.closest("section.gadget");
    var win = frame.contentWindow;
    if (!tile || tile.querySelector(".gadget-collapse") || !collapsible(win)) { return; }
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "gadget-collapse";
    toggle.setAttribute("aria-controls", frame.id);
    toggle.addEventListener("click", function () { setCollapsed(frame.contentWindow, !frame.hidden); });
    tile.querySelector(".gadget-title").appendChild(toggle);
    setCollapsed(win, false);
  }

  document.querySelectorAll("iframe.gadget-frame").forEach(function (frame) {
    frame.addEventListener("load", function () { addCollapseButton(frame); });
    var loaded;
    try { loaded = frame.contentWindow.__gadgetContext; } catch (e) { loaded = null; }
    if (loaded) { addCollapseButton(frame); } // it loaded before this script ran
  });

  /* ---- notifications ------------------------------------------------------------------------------------ */

  function tabOf(win) {
    var frame = container.frameOf(win);
    var panel = frame && frame.closest("div.tab-panel");
    return panel ? document.querySelector('[role="tab"][aria-controls="' + panel.id + '"]') : null;
  }

  function removeToasts(frameId) {
    document.querySelectorAll('#gadget-notifications .gadget-notification[data-gadget="' + frameId + '"]')
      .forEach(function (toast) { toast.remove(); });
  }

  /** The notification of messageDetails (text only: every field is the gadget's data). */
  function toast(frameId, details) {
    var item = document.createElement("div");
    item.className = "gadget-notification";
    item.setAttribute("role", "status");
    item.dataset.gadget = frameId;
    var icon = details.icon || {};
    var dot = document.createElement("span");
    dot.className = "gadget-notification-icon";
    dot.dataset.icon = String(icon.name || "circle");
    dot.style.color = String(icon.color || "");
    if (icon.size) { dot.style.fontSize = (parseInt(icon.size, 10) || 14) + "px"; }
    var from = document.createElement("strong");
    from.className = "gadget-notification-from";
    from.textContent = details.messageFrom === undefined ? "" : String(details.messageFrom);
    var message = document.createElement("p");
    message.className = "gadget-notification-message";
    message.textContent = details.message === undefined ? "" : String(details.message);
    item.append(dot, from, message);
    if (details.isDismissable) {
      var close = document.createElement("button");
      close.type = "button";
      close.className = "gadget-notification-dismiss";
      close.textContent = t.dismiss || "Dismiss";
      close.addEventListener("click", function () { item.remove(); });
      item.appendChild(close);
    }
    document.getElementById("gadget-notifications").appendChild(item);
    var timeout = parseInt(details.timeout, 10);
    if (timeout > 0) { window.setTimeout(function () { item.remove(); }, timeout); }
  }

  // tab id → {frame id: true} of the gadgets of that tab whose notification is on: the dot stays while any is.
  var notifying = {};

  /** Show the tab's dot while one of its gadgets notifies (and the agent has not looked at the tab since). */
  function markTab(tab, frameId, on) {
    var frames = notifying[tab.id] || (notifying[tab.id] = {});
    if (on) { frames[frameId] = true; } else { delete frames[frameId]; }
    if (Object.keys(frames).length) { tab.dataset.notification = "true"; } else { delete tab.dataset.notification; }
  }

  function notify(win, details) {
    var frame = container.frameOf(win);
    if (!frame) { return false; }
    var tab = tabOf(win);
    if (tab) { markTab(tab, frame.id, true); }
    if (details && typeof details === "object") { toast(frame.id, details); }
    return true;
  }

  function clearNotification(win) {
    var frame = container.frameOf(win);
    if (!frame) { return false; }
    var tab = tabOf(win);
    if (tab) { markTab(tab, frame.id, false); }
    removeToasts(frame.id);
    return true;
  }

  // The agent looked at the tab: its dot goes (inferred), whichever of its gadgets notified.
  container.subscribe(container.TOPICS.ACTIVE_TAB, function (topic, tabId) {
    var tab = document.getElementById("tab_" + tabId);
    if (tab) {
      delete notifying[tab.id];
      delete tab.dataset.notification;
    }
  });

  container.tiles = {
    hide: function (win) { return setHidden(win, true); },
    show: function (win) { return setHidden(win, false); },
    collapse: function (win) { return setCollapsed(win, true); },
    expand: function (win) { return setCollapsed(win, false); },
    notify: notify,
    clearNotification: clearNotification
  };
}(window, document));
