/**
 * The gadget container of the mock Finesse desktop, shaped like Finesse's own so that Cisco's finesse.js can be
 * the desktop's library: it needs nothing from the finesse.js loaded here. It keeps the notification stream
 * (Server-Sent Events) and republishes each update on its `finesse.api.*` topic as `{content, object}` with its
 * own XML → JS conversion (xml.js); answers the container requests on both request topics with Finesse's reply
 * shapes; exposes `finesse.container.Container`, `Tabs` and `Config`, which Cisco's ContainerServices reads
 * through `parent.`; and does gadget sizing, titles, loading state and tabs. The hub broker itself is
 * shindig-container.js; gadget iframes reach all of this as `parent.finesseContainer`.
 */
(function (window, document) {
  "use strict";

  var desktop = window.finesseDesktop || {};
  var hub = window.finesseHub;
  var TOPICS = {
    REQUESTS: "finesse.info.requests",
    CONTAINER_REQUESTS: "finesse.containerservices.requests",
    RESPONSES: "finesse.info.responses.",
    CONNECTION: "finesse.info.connection",
    ACTIVE_TAB: "finesse.containerservices.activeTab",
    RELOAD_GADGET: "finesse.containerservices.reloadGadget",
    VIEW_CHANGED: "finesse.containerservices.gadgetViewChangedEvent"
  };
  var publish = hub.publish, subscribe = hub.subscribe, unsubscribe = hub.unsubscribe;

  /* ---- gadget frames ---------------------------------------------------------------------------- */

  function frames() { return Array.prototype.slice.call(document.querySelectorAll("iframe.gadget-frame")); }

  function frameOf(win) {
    return frames().find(function (frame) { return frame.contentWindow === win; }) || null;
  }

  function frameById(gadgetId) { return document.getElementById("finesse_gadget_" + gadgetId); }

  function adjustHeight(win, height) {
    var frame = frameOf(win);
    var pixels = parseInt(height, 10); // Shindig's adjustHeight parses strings ("1000")
    if (frame && pixels > 0) { frame.style.height = pixels + "px"; }
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

  /** Point a gadget at another spec URL; it takes effect at its next reload (Cisco's reloadMyGadgetFromUrl). */
  function modifyGadgetUrl(gadgetId, gadgetUrl) {
    var frame = frameById(gadgetId);
    if (!frame || !gadgetUrl) { return false; }
    frame.dataset.specUrl = new URL(gadgetUrl, window.location.href).href;
    return true;
  }

  function reloadGadget(gadgetId, gadgetUrl) {
    var frame = frameById(gadgetId);
    if (!frame) { return false; }
    if (gadgetUrl) { modifyGadgetUrl(gadgetId, gadgetUrl); }
    var src = new URL(frame.src, window.location.href);
    if (frame.dataset.specUrl) { src.searchParams.set("url", frame.dataset.specUrl); }
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
  // Gadgets whose start (gadgets.HubSettings.onConnect) waits for the first outcome of the notification connection;
  // null once it had one. See whenReady.
  var waitingGadgets = [];

  /**
   * Start a gadget (its hub connect) once the desktop's first try to connect its notification stream has an outcome
   * (connected, or failed: refused, lost, or not up within XMPP_CONNECT_TIMEOUT seconds, xmpp.js; the bound is
   * inferred, Cisco documents none). Finesse's desktop connects BOSH right after sign-in, before the agent's
   * gadgets run (Cisco's login trace, technote 116255; the order is inferred from it), so the notification a
   * gadget's first REST call causes (Media READY after its login) is never published before the desktop listens.
   * Their documents load meanwhile; only their start waits.
   */
  function whenReady(callback) {
    if (waitingGadgets) {
      waitingGadgets.push(callback);
    } else {
      callback();
    }
  }

  /** The notification connection had its first outcome (or there is none): every waiting gadget starts. */
  function startWaitingGadgets() {
    var waiting = waitingGadgets || [];
    waitingGadgets = null;
    waiting.forEach(function (callback) {
      try {
        callback();
      } catch (error) {
        window.setTimeout(function () { throw error; }); // one gadget's error must not keep the others from starting
      }
    });
  }

  /** A node a gadget may subscribe to: any Finesse REST resource. */
  function subscribableNode(data) {
    var node = data && data.node;
    return typeof node === "string" && node.indexOf("/finesse/api/") === 0;
  }

  /** Cisco's desktop answers a node request with `undefined` on success and `{error}` on failure (the error's
   *  fields are inferred). Over XMPP the answer waits for the real pubsub (un)subscription; over Server-Sent
   *  Events every node of the agent already streams. */
  function respondToNodeRequest(request) {
    var node = request.data && request.data.node;
    function reply(answer) {
      if (request.invokeID !== undefined) { publish(TOPICS.RESPONSES + request.invokeID, answer); }
    }
    if (!subscribableNode(request.data)) {
      reply({ error: { errorType: "Invalid Input", errorData: node,
                       errorMessage: "data.node must be a Finesse REST URI (/finesse/api/...)" } });
    } else if (!xmppConnection) {
      reply(undefined);
    } else {
      xmppConnection[request.type === "SubscribeNodeReq" ? "subscribe" : "unsubscribe"](node).then(function () {
        reply(undefined);
      }, function (err) {
        reply({ error: { errorType: "Subscription Failed", errorMessage: err.message, errorData: node } });
      });
    }
  }

  var requestHandlers = {
    ConnectionInfoReq: function () { publish(TOPICS.CONNECTION, connection); },
    SubscribeNodeReq: respondToNodeRequest,
    UnsubscribeNodeReq: respondToNodeRequest,
    ActiveTabReq: function () { publish(TOPICS.ACTIVE_TAB, activeTabId()); },
    SetActiveTabReq: function (request) { activateTab(request.data && request.data.id); },
    ReloadGadgetReq: function (request) {
      var data = request.data || {};
      if (reloadGadget(data.gadgetId, data.gadgetUrl)) { publish(TOPICS.RELOAD_GADGET, data); }
    }
  };

  // ClientServices asks on finesse.info.requests, Cisco's ContainerServices on finesse.containerservices.requests.
  [TOPICS.REQUESTS, TOPICS.CONTAINER_REQUESTS].forEach(function (requestTopic) {
    subscribe(requestTopic, function (topic, request) {
      var handler = request && requestHandlers[request.type];
      if (handler) {
        handler(request);
      } else {
        console.warn("Finesse container: unknown request on " + topic + ":", request && request.type);
      }
    });
  });

  // finesse.cslogger.ClientLogger output of every gadget, newest last (bounded). Cisco's library publishes
  // strings, ours published {message, time} before: both are kept.
  var CLIENT_LOG_LIMIT = 500;
  var clientLogs = [];
  subscribe("finesse.clientLogging.*", function (topic, entry) {
    var text = typeof entry === "string" ? entry : entry && entry.message;
    clientLogs.push({ gadget: topic.slice("finesse.clientLogging.".length),
                      message: text === undefined || text === null ? "" : String(text),
                      time: entry && entry.time ? entry.time : Date.now() });
    if (clientLogs.length > CLIENT_LOG_LIMIT) { clientLogs.shift(); }
  });

  /* ---- notifications --------------------------------------------------------------------------- */

  function setConnection(status) {
    if (connection.status === status) { return; }
    connection = { status: status, resourceID: connection.resourceID };
    publish(TOPICS.CONNECTION, connection);
    if (status !== "connecting") { startWaitingGadgets(); }
  }

  /** `/finesse/api/User/1001/Dialogs` → `finesse.api.User.1001.Dialogs` */
  function topicOfNode(node) { return node.replace(/^\//, "").replace(/\//g, "."); }

  function deliverUpdate(node, update) {
    publish(topicOfNode(node), { content: update, object: window.finesseXml.toObject(update) });
  }

  var xmppConnection = null;

  /** XMPP (BOSH at /http-bind, xmpp.js) when the server runs it, else the Server-Sent Events stream. */
  function startNotifications() {
    if (desktop.xmpp && window.finesseXmpp) {
      document.body.dataset.transport = "xmpp";
      xmppConnection = window.finesseXmpp.forDesktop(desktop, setConnection, deliverUpdate);
      return;
    }
    if (!desktop.notificationsUrl) {
      startWaitingGadgets();
      return;
    }
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

  startNotifications();

  /* ---- the desktop's finesse.container (read by gadgets through parent.) ------------------------ */

  var dialogClose = null;

  /** A modal message in the desktop (Cisco's ContainerServices.showDialog): {title, message, close}. */
  function showDialog(options) {
    options = options || {};
    var dialog = document.getElementById("finesse-dialog");
    var title = options.title === undefined ? "Cisco Finesse" : options.title;
    document.getElementById("finesse-dialog-title").textContent = title || "";
    document.getElementById("finesse-dialog-title").hidden = title === false;
    document.getElementById("finesse-dialog-message").textContent = options.message || "A generic error has occurred.";
    dialogClose = typeof options.close === "function" ? options.close : null;
    if (!dialog.open) { dialog.showModal(); }
    return window.jQuery ? window.jQuery(dialog) : dialog;
  }

  function hideDialog() {
    var dialog = document.getElementById("finesse-dialog");
    if (dialog.open) { dialog.close(); }
    return window.jQuery ? window.jQuery(dialog) : dialog;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var dialog = document.getElementById("finesse-dialog");
    if (!dialog) { return; }
    dialog.addEventListener("close", function () {
      var callback = dialogClose;
      dialogClose = null;
      if (callback) { callback(); }
    });
  });

  var finesse = window.finesse = window.finesse || {};
  finesse.container = {
    Container: { showDialog: showDialog, hideDialog: hideDialog, modifyGadgetUrl: modifyGadgetUrl,
                 reloadGadget: function (gadgetId) { return reloadGadget(gadgetId); } },
    Tabs: { getActiveTab: activeTabId, activateTab: activateTab },
    Config: desktop.config || {}
  };

  window.finesseContainer = {
    TOPICS: TOPICS,
    whenReady: whenReady,
    publish: publish,
    subscribe: subscribe,
    unsubscribe: unsubscribe,
    frameOf: frameOf,
    adjustHeight: adjustHeight,
    setTitle: setTitle,
    setLoading: setLoading,
    navigateTo: navigateTo,
    reloadGadget: reloadGadget,
    modifyGadgetUrl: modifyGadgetUrl,
    activateTab: activateTab,
    activeTabId: activeTabId,
    connection: function () { return connection; },
    clientLogs: function () { return clientLogs.slice(); }
  };
}(window, document));
