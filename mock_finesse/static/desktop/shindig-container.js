/**
 * The desktop page's gadgets container API, loaded before finesse.js as Finesse's desktop loads Shindig's
 * (`/gadgets/js/shindig-container:osapi:pubsub-2:loadingindicator.js`, reference finesse.md §2.7): the
 * OpenAjax hub broker that every gadget iframe reaches through `parent.finesseContainer`, and `gadgets.Hub` /
 * `gadgets.util` for the desktop window itself, so a finesse.js loaded here (ours or Cisco's) finds them.
 * There is no `gadgets.Prefs` in the desktop: finesse.js takes that as "not inside a gadget".
 */
(function (window) {
  "use strict";

  var subscriptions = {};
  var nextSubscription = 1;

  /** OpenAjax topic matching: `*` is one token, `**` (last) is one or more tokens. */
  function topicMatches(pattern, topic) {
    var want = pattern.split("."), have = topic.split(".");
    for (var i = 0; i < want.length; i += 1) {
      if (want[i] === "**") { return have.length > i; }
      if (i >= have.length || (want[i] !== "*" && want[i] !== have[i])) { return false; }
    }
    return want.length === have.length;
  }

  function subscribe(topic, callback, owner) {
    var id = "sub" + nextSubscription;
    nextSubscription += 1;
    subscriptions[id] = { topic: topic, callback: callback, owner: owner || window };
    return id;
  }

  function unsubscribe(id) { delete subscriptions[id]; }

  function deliver(id, sub, topic, data) {
    if (!subscriptions[id]) { return; }
    if (sub.owner.closed) { unsubscribe(id); return; }
    try {
      sub.callback(topic, data);
    } catch (err) {
      console.error("Hub subscriber of " + topic + " failed:", err);
    }
  }

  /** Deliver asynchronously, like the iframe hub's postMessage transport. */
  function publish(topic, data) {
    Object.keys(subscriptions).forEach(function (id) {
      var sub = subscriptions[id];
      if (!topicMatches(sub.topic, topic)) { return; }
      queueMicrotask(function () { deliver(id, sub, topic, data); });
    });
  }

  window.finesseHub = { subscribe: subscribe, unsubscribe: unsubscribe, publish: publish };

  var gadgets = window.gadgets = window.gadgets || {};
  gadgets.Hub = {
    isConnected: function () { return true; },
    publish: publish,
    subscribe: function (topic, onData, scope, onComplete, subscriberData) {
      var id = subscribe(topic, function (t, data) { onData.call(scope || window, t, data, subscriberData); });
      if (typeof onComplete === "function") { onComplete.call(scope || window, id, true, null); }
      return id;
    },
    unsubscribe: function (id, onComplete, scope) {
      unsubscribe(id);
      if (typeof onComplete === "function") { onComplete.call(scope || window, id, true, null); }
    },
    getClientID: function () { return "desktop"; }
  };
  gadgets.HubSettings = gadgets.HubSettings || {};
  gadgets.util = gadgets.util || {
    getUrlParameters: function () {
      var params = {};
      new URLSearchParams(window.location.search).forEach(function (value, key) { params[key] = value; });
      return params;
    },
    registerOnLoadHandler: function (fn) { window.addEventListener("load", function () { fn(); }); }
  };
}(window));
