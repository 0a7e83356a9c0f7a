/**
 * The gadgets.* API (OpenSocial 1.1 as Shindig serves it in Finesse), injected into every gadget iframe by
 * /gadgets/ifr. The hub, sizing, titles and tabs go through the desktop's `parent.finesseContainer`
 * (same origin); prefs, messages and the module id come from window.__gadgetContext written by the server.
 */
(function (window) {
  "use strict";

  var context = window.__gadgetContext || { mid: "0", prefs: {}, messages: {}, lang: "en", country: "", view: "default" };
  var loadHandlers = [];
  // The iframe URL never carries the agent's password nor SSO token: like Finesse's, the container keeps them
  // in per-tab session items (same origin, so this frame sees the desktop's sessionStorage).
  function fromSession(pref, item) {
    if (context.prefs[pref]) { return; }
    try {
      var stored = window.sessionStorage.getItem(item);
      if (stored) { context.prefs[pref] = stored; }
    } catch (e) { /* storage blocked: finesse.js reports the missing credentials */ }
  }
  fromSession("authorization", "userFinesseAuth");
  fromSession("authToken", "userFinesseAuthToken");
  var SHINDIG_CRUFT = "throw 1; < don't be evil' >";

  function container() {
    try {
      return window.parent !== window ? window.parent.finesseContainer || null : null;
    } catch (e) {
      return null; // a cross-origin parent: no container
    }
  }

  function parentStillLoading() {
    try {
      return window.parent !== window && window.parent.document.readyState === "loading";
    } catch (e) {
      return false;
    }
  }

  /** Copy hub data into this frame's realm, so instanceof Array and friends work for the gadget. */
  function ownCopy(data) {
    if (data === undefined || data === null || typeof data !== "object") { return data; }
    return window.structuredClone ? window.structuredClone(data) : JSON.parse(JSON.stringify(data));
  }

  function queryParameters(search) {
    var params = {};
    new URLSearchParams(search).forEach(function (value, key) { params[key] = value; });
    return params;
  }

  var util = {
    getUrlParameters: function () { return queryParameters(window.location.search); },
    escapeString: function (text) {
      return String(text).replace(/[&<>"'/=]/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
    },
    unescapeString: function (text) {
      var area = document.createElement("textarea");
      area.innerHTML = String(text);
      return area.value;
    },
    registerOnLoadHandler: function (fn) { loadHandlers.push(fn); },
    runOnLoadHandlers: function () {
      loadHandlers.splice(0).forEach(function (fn) { fn(); });
      hub.connect();
    },
    makeClosure: function (scope, fn) {
      var bound = Array.prototype.slice.call(arguments, 2);
      return function () { return fn.apply(scope, bound.concat(Array.prototype.slice.call(arguments))); };
    },
    /** The <Param>s of a <Require>/<Optional> feature in the spec, e.g. loadingindicator's manual-dismiss. */
    getFeatureParameters: function (feature) { return (context.featureParams || {})[feature] || null; },
    hasFeature: function (name) { return (context.features || []).indexOf(name) >= 0; }
  };

  /** gadgets.Prefs: the spec's UserPref defaults overlaid with the up_* values, messages of the locale. */
  function Prefs() {}
  Prefs.prototype.getString = function (name) {
    var value = context.prefs[name];
    return value === undefined || value === null ? "" : String(value);
  };
  Prefs.prototype.getInt = function (name) {
    var value = parseInt(this.getString(name), 10);
    return isNaN(value) ? 0 : value;
  };
  Prefs.prototype.getFloat = function (name) {
    var value = parseFloat(this.getString(name));
    return isNaN(value) ? 0 : value;
  };
  Prefs.prototype.getBool = function (name) {
    var value = this.getString(name).toLowerCase();
    return value === "true" || value === "1";
  };
  Prefs.prototype.getArray = function (name) {
    var value = this.getString(name);
    return value ? value.split("|") : [];
  };
  Prefs.prototype.getMsg = function (key) {
    var value = context.messages[key];
    return value === undefined ? "" : value;
  };
  Prefs.prototype.getLang = function () { return context.lang; };
  Prefs.prototype.getCountry = function () { return context.country; };
  Prefs.prototype.getModuleId = function () { return context.mid; };
  /** set(name, value[, name2, value2…]): changes the value now and persists it for this agent and gadget. */
  Prefs.prototype.set = function () {
    for (var i = 0; i + 1 < arguments.length; i += 2) {
      var name = String(arguments[i]), value = String(arguments[i + 1]);
      context.prefs[name] = value;
      savePref(name, value);
    }
  };
  Prefs.prototype.setArray = function (name, values) { this.set(name, values.join("|")); };

  function savePref(name, value) {
    var body = new URLSearchParams({ url: context.specUrl, name: name, value: value });
    // The desktop session (cookie) says who saves; credentials only when there is no desktop around.
    var headers = {};
    if (!container() && (context.prefs.authToken || context.prefs.authorization)) {
      headers.Authorization = context.prefs.authToken ? "Bearer " + context.prefs.authToken
        : "Basic " + context.prefs.authorization;
    }
    var init = { method: "POST", body: body, headers: headers, credentials: "same-origin" };
    return fetch("/gadgets/prefs", init).then(function (resp) {
      if (!resp.ok) {
        return resp.text().then(function (text) {
          console.error("gadgets.Prefs.set(" + name + ") was not saved: HTTP " + resp.status + " " + errorMessage(text));
        });
      }
    });
  }

  /** The message of a Finesse <ApiErrors> body (or the raw text). */
  function errorMessage(text) {
    var match = /<ErrorMessage>([\s\S]*?)<\/ErrorMessage>/.exec(text || "");
    return match ? util.unescapeString(match[1]) : String(text || "").slice(0, 300);
  }

  /** gadgets.Hub: an OpenAjax hub client whose broker is the desktop's container. */
  var subscriptions = {};
  var hub = {
    connected: false,
    connect: function () {
      var c = container();
      if (!c && parentStillLoading()) {
        // The desktop has not run its container.js yet: connect once its document is parsed.
        window.parent.addEventListener("DOMContentLoaded", hub.connect, { once: true });
        return;
      }
      if (!c) {
        console.warn("gadgets.Hub: no Finesse container around this gadget; onConnect is not called");
        return;
      }
      finishLoading();
      // The tile shows the spec's <ModulePrefs title> (as Shindig's container), until the gadget sets its own.
      if (context.title) { c.setTitle(window, context.title); }
      c.whenReady(function () {
        hub.connected = true;
        if (typeof window.gadgets.HubSettings.onConnect === "function") {
          window.gadgets.HubSettings.onConnect(hub, true, null);
        }
      });
    },
    isConnected: function () { return hub.connected; },
    publish: function (topic, data) {
      requireContainer("publish").publish(topic, data);
    },
    subscribe: function (topic, onData, scope, onComplete, subscriberData) {
      var id = requireContainer("subscribe").subscribe(topic, function (t, data) {
        onData.call(scope || window, t, ownCopy(data), subscriberData);
      }, window);
      subscriptions[id] = true;
      if (typeof onComplete === "function") { onComplete.call(scope || window, id, true, null); }
      return id;
    },
    unsubscribe: function (id, onComplete, scope) {
      var c = container();
      if (c) { c.unsubscribe(id); }
      delete subscriptions[id];
      if (typeof onComplete === "function") { onComplete.call(scope || window, id, true, null); }
    },
    getClientID: function () { return "gadget-" + context.mid; }
  };

  function requireContainer(what) {
    var c = container();
    if (!c || !hub.connected) {
      throw new Error("gadgets.Hub." + what + ": the hub is not connected yet (use gadgets.HubSettings.onConnect)");
    }
    return c;
  }

  // A reloaded or removed frame must not keep receiving hub messages.
  window.addEventListener("pagehide", function () {
    var c = container();
    Object.keys(subscriptions).forEach(function (id) { if (c) { c.unsubscribe(id); } });
    subscriptions = {};
  });

  var gwindow = {
    /** Shindig parses the height, so "1000" works like 1000; without one, the content's height. */
    adjustHeight: function (height) {
      var c = container();
      var wanted = parseInt(height, 10) > 0 ? parseInt(height, 10) : contentHeight();
      if (c) { c.adjustHeight(window, wanted); }
    },
    setTitle: function (title) {
      var c = container();
      if (c) { c.setTitle(window, String(title)); }
    },
    getViewportDimensions: function () {
      return { width: window.innerWidth, height: window.innerHeight };
    }
  };

  function contentHeight() {
    var body = document.body, root = document.documentElement;
    return Math.max(body ? body.scrollHeight : 0, body ? body.offsetHeight : 0, root.offsetHeight);
  }

  /** gadgets.io: makeRequest through the container's /gadgets/makeRequest proxy. */
  var RequestParameters = {
    METHOD: "METHOD", CONTENT_TYPE: "CONTENT_TYPE", POST_DATA: "POST_DATA", HEADERS: "HEADERS",
    AUTHORIZATION: "AUTHORIZATION", NUM_ENTRIES: "NUM_ENTRIES", GET_SUMMARIES: "GET_SUMMARIES",
    GET_FULL_HEADERS: "GET_FULL_HEADERS", REFRESH_INTERVAL: "REFRESH_INTERVAL"
  };
  var ContentType = { TEXT: "TEXT", DOM: "DOM", JSON: "JSON", FEED: "FEED" };
  var MethodType = { GET: "GET", POST: "POST", PUT: "PUT", DELETE: "DELETE", HEAD: "HEAD" };
  var AuthorizationType = { NONE: "NONE", SIGNED: "SIGNED", OAUTH: "OAUTH" };

  function encodeHeaders(headers) {
    return Object.keys(headers || {}).map(function (name) {
      return encodeURIComponent(name) + "=" + encodeURIComponent(headers[name]);
    }).join("&");
  }

  function makeRequest(url, callback, params) {
    params = params || {};
    var contentType = params[RequestParameters.CONTENT_TYPE] || ContentType.TEXT;
    var form = new URLSearchParams({
      url: url,
      httpMethod: params[RequestParameters.METHOD] || MethodType.GET,
      headers: encodeHeaders(params[RequestParameters.HEADERS]),
      postData: params[RequestParameters.POST_DATA] || "",
      contentType: contentType,
      getFullHeaders: params[RequestParameters.GET_FULL_HEADERS] ? "true" : "false",
      gadget: context.specUrl || "",
      container: "default"
    });
    if (params[RequestParameters.REFRESH_INTERVAL] !== undefined) {
      form.set("refresh", String(params[RequestParameters.REFRESH_INTERVAL]));
    }
    fetch("/gadgets/makeRequest", { method: "POST", body: form, credentials: "same-origin" })
      .then(function (resp) {
        return resp.text().then(function (text) { return { status: resp.status, text: text }; });
      })
      .then(function (proxied) { callback(proxyResponse(url, proxied, contentType)); },
            function (err) { callback({ rc: 500, text: "", data: null, headers: {}, errors: [String(err)] }); });
  }

  function proxyResponse(url, proxied, contentType) {
    if (proxied.status !== 200) {
      return { rc: proxied.status, text: proxied.text, data: null, headers: {},
               errors: ["Error " + proxied.status + ": " + errorMessage(proxied.text)] };
    }
    var entry = JSON.parse(proxied.text.replace(SHINDIG_CRUFT, ""))[url];
    var result = { rc: entry.rc, text: entry.body, headers: entry.headers || {}, data: null, errors: [] };
    if (entry.rc < 200 || entry.rc >= 400) { result.errors.push("Error " + entry.rc); }
    result.data = parseBody(entry.body, contentType, result.errors);
    return result;
  }

  function parseBody(text, contentType, errors) {
    if (contentType === ContentType.JSON) {
      try { return JSON.parse(text); } catch (e) { errors.push("failed to parse JSON"); return null; }
    }
    if (contentType === ContentType.DOM) {
      var doc = new DOMParser().parseFromString(text, "application/xml");
      if (doc.getElementsByTagName("parsererror").length) { errors.push("failed to parse XML"); return null; }
      return doc;
    }
    return text;
  }

  var views = {
    getCurrentView: function () {
      return { getName: function () { return context.view; }, isOnlyVisibleGadget: function () { return false; } };
    },
    requestNavigateTo: function (view) {
      var c = container();
      var name = typeof view === "string" ? view : view.getName();
      if (c) { c.navigateTo(window, name); }
    },
    getParams: function () { return {}; },
    ViewType: { CANVAS: "canvas", HOME: "home", PREVIEW: "preview", PROFILE: "profile", DEFAULT: "default" }
  };

  /** Without loadingindicator's manual-dismiss the indicator ends at load; with it, at dismiss() or loading-timeout. */
  function finishLoading() {
    var params = util.getFeatureParameters("loadingindicator");
    if (!params || params["manual-dismiss"] !== "true") { return; }
    loadingindicator.showLoading();
    var seconds = parseInt(params["loading-timeout"], 10);
    if (seconds > 0) { window.setTimeout(loadingindicator.dismiss, seconds * 1000); }
  }

  var loadingindicator = {
    dismiss: function () { var c = container(); if (c) { c.setLoading(window, false); } },
    showLoading: function () { var c = container(); if (c) { c.setLoading(window, true); } }
  };

  window.gadgets = {
    util: util,
    Prefs: Prefs,
    Hub: hub,
    HubSettings: { onConnect: null },
    window: gwindow,
    io: {
      makeRequest: makeRequest,
      RequestParameters: RequestParameters,
      ContentType: ContentType,
      MethodType: MethodType,
      AuthorizationType: AuthorizationType,
      encodeValues: function (fields) { return new URLSearchParams(fields).toString(); }
    },
    views: views,
    loadingindicator: loadingindicator,
    json: { parse: JSON.parse, stringify: JSON.stringify }
  };
}(window));
