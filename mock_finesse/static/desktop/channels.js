/**
 * The desktop header's channel area (Finesse 12.x): third-party digital channels that gadgets add with
 * finesse.digital.ChannelService (Cisco's TaskManagement / DigitalChannel samples, 12.6). Each channel shows
 * its label and current state; its menu lists the channel's states, and picking one calls the gadget's menu
 * handler, which answers with onSuccess / onError ({status, error: {errorCode, errorDesc}}).
 * Gadgets reach it as `parent.finesseContainer.channels` (the gadget ↔ desktop protocol is the mock's own).
 */
(function (window, document) {
  "use strict";

  var channels = {}; // channelId → {data, menuHandler, element}
  var t = (window.finesseDesktop && window.finesseDesktop.messages) || {};

  function area() { return document.getElementById("digital-channels"); }

  function menuItem(channelId, item) {
    var button = document.createElement("button");
    button.type = "button";
    button.setAttribute("role", "menuitem");
    button.dataset.menuId = item.id;
    button.dataset.iconColor = item.iconColor || "";
    button.textContent = item.label;
    button.addEventListener("click", function () { select(channelId, item.id); });
    var li = document.createElement("li");
    li.setAttribute("role", "none");
    li.appendChild(button);
    return li;
  }

  function render(channelId) {
    var channel = channels[channelId];
    var state = channel.data.channelState || {};
    var menu = channel.data.menuConfig || { menuItems: [] };
    var element = channel.element;
    element.dataset.enabled = state.enable === false ? "false" : "true";
    element.dataset.iconColor = state.iconColor || "";
    element.dataset.iconBadge = state.iconBadge || "";
    var toggle = element.querySelector(".channel-button");
    toggle.textContent = (state.label || menu.label || channelId) + ": " + (state.currentState || "");
    toggle.title = state.hoverText || "";
    toggle.disabled = state.enable === false;
    var list = element.querySelector("ul");
    list.replaceChildren.apply(list, (menu.menuItems || []).map(function (item) { return menuItem(channelId, item); }));
  }

  function create(channelId) {
    var element = document.createElement("div");
    element.className = "channel";
    element.dataset.channelId = channelId;
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "channel-button";
    toggle.setAttribute("aria-haspopup", "menu");
    var list = document.createElement("ul");
    list.setAttribute("role", "menu");
    list.hidden = true;
    toggle.addEventListener("click", function () { list.hidden = !list.hidden; });
    var status = document.createElement("span");
    status.className = "channel-status";
    status.setAttribute("role", "status");
    element.append(toggle, list, status);
    area().appendChild(element);
    return element;
  }

  /** The agent picked a state: the gadget's menu handler decides (it may answer after a while). */
  function select(channelId, menuId) {
    var channel = channels[channelId];
    var element = channel.element;
    element.querySelector("ul").hidden = true;
    element.dataset.pending = menuId;
    var status = element.querySelector(".channel-status");
    status.textContent = "";
    channel.menuHandler(channelId, menuId, function () {
      delete element.dataset.pending;
    }, function (failure) {
      delete element.dataset.pending;
      var error = (failure && failure.error) || {};
      status.textContent = (t.channel_error || "Could not change the state") + ": " + (error.errorDesc || "") +
        (error.errorCode ? " (" + error.errorCode + ")" : "");
    });
  }

  function add(channelId, data, menuHandler) {
    if (!channelId || typeof menuHandler !== "function") { return false; }
    var existing = channels[channelId];
    channels[channelId] = { data: data || {}, menuHandler: menuHandler,
                            element: existing ? existing.element : create(channelId) };
    render(channelId);
    return true;
  }

  function update(channelId, data) {
    var channel = channels[channelId];
    if (!channel) { return false; }
    Object.keys(data || {}).forEach(function (key) { channel.data[key] = data[key]; });
    render(channelId);
    return true;
  }

  function remove(channelId) {
    var channel = channels[channelId];
    if (!channel) { return false; }
    channel.element.remove();
    delete channels[channelId];
    return true;
  }

  window.finesseContainer.channels = { add: add, update: update, remove: remove,
                                       ids: function () { return Object.keys(channels); } };
}(window, document));
