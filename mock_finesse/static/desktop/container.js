/**
 * The gadget container of the mock Finesse desktop: an OpenAjax-style hub shared by every gadget iframe
 * (same origin, reached as `parent.finesseContainer`), the Finesse container protocol on
 * `finesse.info.requests`, notifications from the server (Server-Sent Events) republished on
 * `finesse.api.*` topics, and gadget sizing, titles, loading state and tabs.
 */
(function (window, document) {
  "use strict";

  var desktop = window.finesseDesktop || {};
  var TOPICS = {
    REQUESTS: "finesse.info.requests",
    RESPONSES: "finesse.info.responses.",
    CONNECTION: "finesse.info.connection",
    ACTIVE_TAB: "finesse.containerservices.activeTab",
    RELOAD_GADGET: "finesse.containerservices.reloadGadget",
    VIEW_CHANGED: "finesse.containerservices.gadgetViewChangedEvent"
  };
  var FINESSE_JS = "/desktop/assets/js/finesse.js";

  /* ---- hub ------------------------------------------------------------------------------------ */

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

  /** Deliver asynchronously, like the iframe hub's postMessage transport. */
  function publish(topic, data) {
    Object.keys(subscriptions).forEach(function (id) {
      var sub = subscriptions[id];
      if (!topicMatches(sub.topic, topic)) { return; }
      queueMicrotask(function () { deliver(id, sub, topic, data); });
    });
  }

  function deliver(id, sub, topic, data) {
    if (!subscriptions[id]) { return; }
    if (sub.owner.closed) { unsubscribe(id); return; }
    try {
      sub.callback(topic, data);
    } catch (err) {
      console.error("Hub subscriber of " + topic + " failed:", err);
    }
  }

  /* ---- gadget frames ---------------------------------------------------------------------------- */

  function frames() { return Array.prototype.slice.call(document.querySelectorAll("iframe.gadget-frame")); }

  function frameOf(win) {
    return frames().find(function (frame) { return frame.contentWindow === win; }) || null;
  }

  function frameById(gadgetId) { return document.getElementById("finesse_gadget_" + gadgetId); }

  function adjustHeight(win, height) {
    var frame = frameOf(win);
    if (frame && height > 0) { frame.style.height = Math.ceil(height) + "px"; }
  }

  function setTitle(win, title) {
    var frame = frameOf(win);
    if (!frame) { return; }
    frame.title = title;
    var element = document.getElementById(frame.id + "_title");
    if (element) { element.textContent = title; }
  }

  function setLoading(win, loading) {
    var frame = frameOf(win);
    if (frame) { frame.setAttribute("aria-busy", loading ? "true" : "false"); }
  }

  /** Render the gadget in another view; "canvas" maximises it within its tab (the tab's other tiles hide). */
  function navigateTo(win, view) {
    var frame = frameOf(win);
    if (!frame) { return; }
    var tile = frame.closest("section.gadget");
    var panel = frame.closest("div.tab-panel");
    if (panel) {
      panel.querySelectorAll("section.gadget").forEach(function (other) {
        if (other === tile) { return; }
        if (view === "canvas" && !other.hidden) {
          other.hidden = true;
          other.dataset.canvasHidden = "true";
        } else if (view !== "canvas" && other.dataset.canvasHidden) {
          other.hidden = false;
          delete other.dataset.canvasHidden;
        }
      });
    }
    var src = new URL(frame.src, window.location.href);
    src.searchParams.set("view", view);
    frame.src = src.pathname + src.search;
    publish(TOPICS.VIEW_CHANGED, { gadgetId: frame.id.replace("finesse_gadget_", ""), view: view });
  }

  function reloadGadget(gadgetId, gadgetUrl) {
    var frame = frameById(gadgetId);
    if (!frame) { return false; }
    var src = new URL(frame.src, window.location.href);
    if (gadgetUrl) { src.searchParams.set("url", new URL(gadgetUrl, window.location.href).href); }
    frame.src = src.pathname + src.search;
    return true;
  }

  /* ---- tabs ----------------------------------------------------------------------------------- */

  function panels() { return Array.prototype.slice.call(document.querySelectorAll("div.tab-panel")); }

  function activeTabId() {
    var panel = panels().find(function (p) { return !p.hidden; });
    return panel ? panel.id.replace(/^panel_/, "") : null;
  }

  function activateTab(tabId) {
    var target = document.getElementById("panel_" + tabId);
    if (!target || !target.classList.contains("tab-panel")) { return false; }
    panels().forEach(function (panel) { panel.hidden = panel !== target; });
    document.querySelectorAll('[role="tab"][aria-controls^="panel_"]').forEach(function (tab) {
      var selected = tab.getAttribute("aria-controls") === target.id;
      tab.setAttribute("aria-selected", selected ? "true" : "false");
      tab.tabIndex = selected ? 0 : -1;
    });
    publish(TOPICS.ACTIVE_TAB, tabId);
    return true;
  }

  document.addEventListener("click", function (event) {
    var tab = event.target.closest && event.target.closest('[role="tab"][aria-controls^="panel_"]');
    if (tab) {
      event.preventDefault();
      activateTab(tab.getAttribute("aria-controls").replace(/^panel_/, ""));
    }
  });

  /* ---- the Finesse container protocol --------------------------------------------------------- */

  var connection = { status: "connecting", resourceID: "desktop" };

  function respond(request, type, data) {
    if (request.invokeID !== undefined) {
      publish(TOPICS.RESPONSES + request.invokeID, { invokeID: request.invokeID, type: type, success: true, data: data });
    }
  }

  /** Over XMPP a node request is a real pubsub (un)subscription, answered once the server answered; over Server-Sent
   *  Events every node of the signed-in agent already streams to the desktop, so it is acknowledged. */
  function nodeRequest(request, action, type) {
    var node = request.data && request.data.node;
    var done = xmppConnection ? xmppConnection[action](node) : Promise.resolve();
    done.then(function () { respond(request, type, { node: node }); }, function (err) {
      if (request.invokeID !== undefined) {
        publish(TOPICS.RESPONSES + request.invokeID, { invokeID: request.invokeID, type: type, success: false,
                                                       error: { errorType: "Subscription Failed", node: node,
                                                                errorMessage: err.message } }); // inferred shape
      }
    });
  }

  var requestHandlers = {
    ConnectionInfoReq: function () { publish(TOPICS.CONNECTION, connection); },
    SubscribeNodeReq: function (request) { nodeRequest(request, "subscribe", "SubscribeNodeResp"); },
    UnsubscribeNodeReq: function (request) { nodeRequest(request, "unsubscribe", "UnsubscribeNodeResp"); },
    ActiveTabReq: function () { publish(TOPICS.ACTIVE_TAB, activeTabId()); },
    SetActiveTabReq: function (request) { activateTab(request.data && request.data.id); },
    ReloadGadgetReq: function (request) {
      var data = request.data || {};
      if (reloadGadget(data.gadgetId, data.gadgetUrl)) { publish(TOPICS.RELOAD_GADGET, data); }
    }
  };

  subscribe(TOPICS.REQUESTS, function (topic, request) {
    var handler = request && requestHandlers[request.type];
    if (handler) {
      handler(request);
    } else {
      console.warn("Finesse container: unknown request on " + topic + ":", request && request.type);
    }
  });

  // finesse.cslogger.ClientLogger output of every gadget, newest last (bounded).
  var CLIENT_LOG_LIMIT = 500;
  var clientLogs = [];
  subscribe("finesse.clientLogging.*", function (topic, entry) {
    clientLogs.push({ gadget: topic.slice("finesse.clientLogging.".length), message: entry && entry.message,
                      time: entry && entry.time });
    if (clientLogs.length > CLIENT_LOG_LIMIT) { clientLogs.shift(); }
  });

  /* ---- notifications --------------------------------------------------------------------------- */

  function setConnection(status) {
    if (connection.status === status) { return; }
    connection = { status: status, resourceID: connection.resourceID };
    publish(TOPICS.CONNECTION, connection);
  }

  /** `/finesse/api/User/1001/Dialogs` → `finesse.api.User.1001.Dialogs` */
  function topicOfNode(node) { return node.replace(/^\//, "").replace(/\//g, "."); }

  function deliverUpdate(node, update) {
    whenReady(function () {
      publish(topicOfNode(node), { content: update, object: window.finesse.utilities.Utilities.xml2JsObj(update) });
    });
  }

  var xmppConnection = null;

  /** XMPP (BOSH at /http-bind, xmpp.js) when the server runs it, else the Server-Sent Events stream. */
  function startNotifications() {
    if (desktop.xmpp && window.finesseXmpp) {
      document.body.dataset.transport = "xmpp";
      xmppConnection = window.finesseXmpp.forDesktop(desktop, setConnection, deliverUpdate);
      return;
    }
    if (!desktop.notificationsUrl) { return; }
    document.body.dataset.transport = "sse";
    var source = new EventSource(desktop.notificationsUrl, { withCredentials: true });
    source.addEventListener("open", function () { setConnection("connected"); });
    source.addEventListener("error", function () {
      setConnection(source.readyState === EventSource.CLOSED ? "disconnected" : "reconnecting");
    });
    source.addEventListener("update", function (event) {
      var message = JSON.parse(event.data);
      deliverUpdate(message.node, message.update);
    });
  }

  /* ---- start-up ---------------------------------------------------------------------------------- */

  var ready = false;
  var waiting = [];

  function whenReady(callback) {
    if (ready) { callback(); } else { waiting.push(callback); }
  }

  // The desktop itself runs finesse.js (as the real one does) for the XML → object conversion.
  function loadFinesseJs(done) {
    if (window.finesse && window.finesse.utilities) { done(); return; }
    var script = document.createElement("script");
    script.src = FINESSE_JS;
    script.onload = done;
    script.onerror = function () { console.error("Finesse container: could not load " + FINESSE_JS); };
    document.head.appendChild(script);
  }

  // Connect at once (no update may be missed while finesse.js loads); updates wait for it in order.
  startNotifications();
  loadFinesseJs(function () {
    ready = true;
    waiting.splice(0).forEach(function (callback) { callback(); });
  });

  window.finesseContainer = {
    TOPICS: TOPICS,
    whenReady: whenReady,
    publish: publish,
    subscribe: subscribe,
    unsubscribe: unsubscribe,
    adjustHeight: adjustHeight,
    setTitle: setTitle,
    setLoading: setLoading,
    navigateTo: navigateTo,
    reloadGadget: reloadGadget,
    activateTab: activateTab,
    activeTabId: activeTabId,
    connection: function () { return connection; },
    clientLogs: function () { return clientLogs.slice(); }
  };
}(window, document));
