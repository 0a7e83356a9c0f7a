/**
 * finesse.js for the mock Finesse desktop: our own implementation of the public finesse.js API that gadgets
 * use (finesse.gadget.Config, clientservices, restservices User/Dialogs/Dialog/MediaList/Media/MediaDialogs,
 * containerservices, utilities, cslogger). Objects load over the Finesse REST API through
 * gadgets.io.makeRequest (as Cisco's library does) and follow the notifications the desktop republishes
 * on the OpenAjax hub (`finesse.api.*` topics, `{content, object}` payloads).
 */
(function (window) {
  "use strict";

  var finesse = window.finesse = window.finesse || {};
  ["utilities", "gadget", "clientservices", "restservices", "containerservices", "cslogger", "modules", "digital"]
    .forEach(function (ns) { finesse[ns] = finesse[ns] || {}; });

  /* ---- utilities ------------------------------------------------------------------------------ */

  function asArray(value) {
    if (value === undefined || value === null || value === "") { return []; }
    return Array.isArray(value) ? value : [value];
  }

  function elementValue(element) {
    var children = element.children;
    var attributes = element.attributes;
    if (!children.length && !attributes.length) { return element.textContent; }
    var result = {};
    Array.prototype.forEach.call(attributes, function (attr) { result["@" + attr.name] = attr.value; });
    Array.prototype.forEach.call(children, function (child) {
      var value = elementValue(child);
      if (!Object.prototype.hasOwnProperty.call(result, child.nodeName)) {
        result[child.nodeName] = value;
      } else if (Array.isArray(result[child.nodeName])) {
        result[child.nodeName].push(value);
      } else {
        result[child.nodeName] = [result[child.nodeName], value];
      }
    });
    if (!children.length && element.textContent) { result["#text"] = element.textContent; }
    return result;
  }

  function escapeXml(text) {
    return String(text).replace(/[<>&"']/g, function (c) {
      return { "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" }[c];
    });
  }

  function toXml(name, value) {
    if (Array.isArray(value)) {
      return value.map(function (item) { return toXml(name, item); }).join("");
    }
    if (value !== null && typeof value === "object") {
      var inner = Object.keys(value).map(function (key) { return toXml(key, value[key]); }).join("");
      return "<" + name + ">" + inner + "</" + name + ">";
    }
    return "<" + name + ">" + escapeXml(value === undefined || value === null ? "" : value) + "</" + name + ">";
  }

  var Utilities = {
    /** Parse an XML string (or Document) into `{Root: {child: "text", repeated: [...]}}`. */
    xml2JsObj: function (xml) {
      var doc = typeof xml === "string" ? new DOMParser().parseFromString(xml, "application/xml") : xml;
      if (!doc || !doc.documentElement || doc.getElementsByTagName("parsererror").length) {
        throw new Error("finesse.utilities.Utilities.xml2JsObj: not well-formed XML");
      }
      var result = {};
      result[doc.documentElement.nodeName] = elementValue(doc.documentElement);
      return result;
    },
    /** `{Dialog: {requestedAction: "ANSWER"}}` → `<Dialog><requestedAction>ANSWER</requestedAction></Dialog>`. */
    json2xml: function (object) {
      return Object.keys(object).map(function (key) { return toXml(key, object[key]); }).join("");
    },
    js2xml: function (object) { return Utilities.json2xml(object); },
    b64Encode: function (text) {
      var bytes = new TextEncoder().encode(String(text));
      var binary = "";
      bytes.forEach(function (b) { binary += String.fromCharCode(b); });
      return window.btoa(binary);
    },
    b64Decode: function (encoded) {
      var binary = window.atob(String(encoded));
      return new TextDecoder().decode(Uint8Array.from(binary, function (c) { return c.charCodeAt(0); }));
    },
    generateUUID: function () {
      if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
      return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
        var r = Math.floor(Math.random() * 16);
        return (c === "x" ? r : (r % 4) + 8).toString(16);
      });
    },
    /** "Bearer <authToken>" in SSO deployments, else "Basic <authorization>". */
    getAuthHeaderString: function (config) {
      return config.authToken ? "Bearer " + config.authToken : "Basic " + config.authorization;
    },
    /** The per-tab session item the desktop sets at sign-in (base64 id:password), as Cisco's library reads it. */
    getUserAuthString: function () {
      var stored;
      try { stored = window.sessionStorage.getItem("userFinesseAuth"); } catch (e) { stored = null; }
      return stored || finesse.gadget.Config.authorization;
    },
    /** The error code of a failed request's `{status, content, object}` (the ApiError's ErrorType; inferred). */
    getErrCode: function (rsp) {
      var errors = rsp && rsp.object && (rsp.object.ApiErrors || rsp.object.apiErrors);
      var error = errors ? asArray(errors.ApiError || errors.apiError)[0] : null;
      return error ? String(error.ErrorType || error.errorType || "") : "";
    },
    getAuthModes: function () { return { SSO: "SSO", NONSSO: "NON_SSO", HYBRID: "HYBRID" }; },
    getToken: function () { return finesse.gadget.Config.authToken; },
    currentTimeMillis: function () { return Date.now(); },
    currentServerTimeMillis: function () {
      return Date.now() + (parseInt(finesse.gadget.Config.clientDriftInMillis, 10) || 0);
    },
    getParameterByName: function (name, url) {
      return new URL(url || window.location.href, window.location.href).searchParams.get(name);
    },
    getQueryString: function (field, url) { return Utilities.getParameterByName(field, url); },
    validateHandler: function (handler) {
      if (handler !== undefined && typeof handler !== "function") {
        throw new Error("finesse: handler must be a function");
      }
      return handler;
    },
    escapeXml: escapeXml
  };
  finesse.utilities.Utilities = Utilities;

  /** Localised strings of the gadget: its spec's message bundle for the agent's language (<Locale messages>),
   * `{0}`, `{1}` … replaced by the further arguments; the key itself when the bundle lacks it (inferred). */
  finesse.utilities.I18n = {
    getString: function (key) {
      var text = window.gadgets && window.gadgets.Prefs ? new window.gadgets.Prefs().getMsg(key) : "";
      var args = Array.prototype.slice.call(arguments, 1);
      return (text || key).replace(/\{(\d+)\}/g, function (match, n) { return n < args.length ? args[n] : match; });
    }
  };

  /* ---- gadget configuration (from the gadget's user prefs) ------------------------------------ */

  var CONFIG_STRINGS = ["authorization", "authToken", "country", "language", "locale", "host", "hostPort",
    "extension", "mobileAgentMode", "mobileAgentDialNumber", "xmppDomain", "pubsubDomain", "restHost",
    "scheme", "localhostFQDN", "localhostPort", "id", "teamId", "teamName", "compatibilityMode",
    "peripheralId", "systemAuthMode"];

  function gadgetConfig() {
    var config = {};
    if (!window.gadgets || !window.gadgets.Prefs) { return config; }
    var prefs = new window.gadgets.Prefs();
    CONFIG_STRINGS.forEach(function (name) { config[name] = prefs.getString(name); });
    config.clientDriftInMillis = prefs.getInt("clientDriftInMillis");
    return config;
  }
  finesse.gadget.Config = gadgetConfig();

  /* ---- client services ------------------------------------------------------------------------- */

  var TOPIC_CONNECTION = "finesse.info.connection";
  var TOPIC_REQUESTS = "finesse.info.requests";
  var TOPIC_CONTAINER_REQUESTS = "finesse.containerservices.requests";

  function hub() {
    if (!window.gadgets || !window.gadgets.Hub || !window.gadgets.Hub.isConnected()) {
      throw new Error("finesse: the OpenAjax hub is not connected; initialise from gadgets.HubSettings.onConnect");
    }
    return window.gadgets.Hub;
  }

  function callAll(list, arg) {
    list.slice().forEach(function (fn) { fn(arg); });
  }

  var ClientServices = (function () {
    var config = null;
    var connectionState = null;
    var onConnect = [], onDisconnect = [];

    function onConnection(topic, data) {
      var previous = connectionState;
      connectionState = data.status;
      if (data.status === "connected" && previous !== "connected") { callAll(onConnect, data); }
      if (data.status === "disconnected" && previous !== "disconnected") { callAll(onDisconnect, data); }
    }

    return {
      /** Validate and keep the config; ask the container for the notification connection state. */
      init: function (cfg) {
        if (!cfg || !cfg.host) { throw new Error("ClientServices.init: config.host is required"); }
        if (!cfg.restHost) { throw new Error("ClientServices.init: config.restHost is required"); }
        if (!cfg.authorization && !cfg.authToken && !(cfg.id && cfg.password)) {
          throw new Error("ClientServices.init: config.authorization (or authToken) is required");
        }
        config = cfg;
        if (!config.authorization && config.password) {
          config.authorization = Utilities.b64Encode(config.id + ":" + config.password);
        }
        hub().subscribe(TOPIC_CONNECTION, onConnection);
        hub().publish(TOPIC_REQUESTS, { type: "ConnectionInfoReq", data: {}, invokeID: Utilities.generateUUID() });
      },
      isInitialized: function () { return config !== null; },
      getConfig: function () { return config; },
      getRestHost: function () { return config && config.restHost; },
      registerOnConnectHandler: function (fn) { onConnect.push(Utilities.validateHandler(fn)); },
      registerOnDisconnectHandler: function (fn) { onDisconnect.push(Utilities.validateHandler(fn)); },
      getNotificationConnectionState: function () { return connectionState; },
      /** Subscribe `handler(data)` to a hub topic; returns the subscription id. */
      subscribe: function (topic, handler) {
        return hub().subscribe(topic, function (t, data) { handler(data); });
      },
      unsubscribe: function (id) { hub().unsubscribe(id); },
      /** A Finesse REST call through the container's proxy with the agent's credentials. */
      makeRequest: function (url, handler, params) {
        if (!config) { throw new Error("ClientServices.makeRequest: call ClientServices.init(config) first"); }
        var io = window.gadgets.io, P = io.RequestParameters;
        params = params || {};
        var headers = Object.assign({}, params[P.HEADERS] || {});
        headers.Authorization = Utilities.getAuthHeaderString(config);
        if (config.locale) { headers.locale = config.locale; }
        params[P.HEADERS] = headers;
        params[P.REFRESH_INTERVAL] = 0;
        var port = config.localhostPort || config.hostPort;
        io.makeRequest(config.scheme + "://" + config.restHost + (port ? ":" + port : "") + url, handler, params);
      }
    };
  }());
  finesse.clientservices.ClientServices = ClientServices;

  /* ---- REST objects ----------------------------------------------------------------------------- */

  function apiErrorOf(response) {
    var error = { status: response.rc, content: response.text, object: null };
    try { error.object = Utilities.xml2JsObj(response.text); } catch (e) { error.object = null; }
    return error;
  }

  /** One REST request; `success(response)` on 2xx, else `error({status, content, object})`. */
  function restRequest(uri, options) {
    var io = window.gadgets.io, P = io.RequestParameters;
    var method = options.method || "GET";
    var params = {};
    params[P.METHOD] = method;
    params[P.HEADERS] = {};
    if (method === "GET") {
      uri += (uri.indexOf("?") < 0 ? "?" : "&") + "nocache=" + Date.now();
    } else {
      params[P.HEADERS]["Content-Type"] = "application/xml";
      params[P.HEADERS].requestId = Utilities.generateUUID();
      params[P.POST_DATA] = Utilities.json2xml(options.content || {});
      params[P.GET_FULL_HEADERS] = "true";
    }
    ClientServices.makeRequest(uri, function (response) {
      if (response.rc >= 200 && response.rc < 300) {
        if (options.success) { options.success(response); }
      } else if (options.error) {
        options.error(apiErrorOf(response));
      }
    }, params);
  }

  function writeHandlers(handlers) {
    handlers = handlers || {};
    return { success: handlers.success, error: handlers.error };
  }

  var EVENTS = ["load", "change", "add", "delete", "error", "collectionAdd", "collectionDelete"];

  /** Base of every REST object: data, handlers by event, load over REST. */
  class RestBase {
    constructor(options) {
      options = options || {};
      this._options = options;
      this._id = options.id;
      this._data = null;
      this._loaded = false;
      this._handlers = {};
      EVENTS.forEach(function (event) { this._handlers[event] = []; }, this);
      this._addOptionHandlers(options);
    }

    _addOptionHandlers(options) {
      var map = { onLoad: "load", onChange: "change", onAdd: "add", onDelete: "delete", onError: "error",
                  onCollectionAdd: "collectionAdd", onCollectionDelete: "collectionDelete" };
      Object.keys(map).forEach(function (option) {
        if (typeof options[option] === "function") { this.addHandler(map[option], options[option]); }
      }, this);
    }

    addHandler(event, handler) {
      if (!this._handlers[event]) { throw new Error("finesse: unknown event '" + event + "'"); }
      this._handlers[event].push(Utilities.validateHandler(handler));
    }

    removeHandler(event, handler) {
      var list = this._handlers[event] || [];
      var index = list.indexOf(handler);
      if (index >= 0) { list.splice(index, 1); }
    }

    _notify(event, arg) { callAll(this._handlers[event], arg); }

    getId() { return this._id; }
    getData() { return this._data; }
    isLoaded() { return this._loaded; }

    _set(data) {
      this._data = data;
      if (data && data.id !== undefined) { this._id = data.id; }
    }

    /** Load (or reload) the object with GET; `load` on the first success, `change` afterwards. */
    refresh() {
      var self = this;
      restRequest(this.getRestUrl(), {
        success: function (response) { self._receive(Utilities.xml2JsObj(response.text)); },
        error: function (error) { self._notify("error", error); }
      });
    }

    _receive(parsed) {
      this._set(parsed[Object.keys(parsed)[0]]);
      var first = !this._loaded;
      this._loaded = true;
      this._notify(first ? "load" : "change", this);
    }

    _update(data) {
      this._set(data);
      this._notify("change", this);
    }

    _put(content, handlers) {
      var h = writeHandlers(handlers);
      restRequest(this.getRestUrl(), { method: "PUT", content: content, success: h.success, error: h.error });
    }
  }

  /** The `<data>` of an Update, whatever the case of its root (updates use `user`, REST uses `User`). */
  function updateData(update, name) {
    var data = update.data || {};
    return data[name] || data[name.charAt(0).toLowerCase() + name.slice(1)] || null;
  }

  /** The desktop's `{content, object}`: the XML is parsed here, so any desktop's object shape will do. */
  function parseUpdate(payload) {
    var object = payload && payload.content ? Utilities.xml2JsObj(payload.content) : payload.object;
    var update = object.Update || {};
    return { data: update.data || {}, event: String(update.event || "").toUpperCase(),
             source: update.source || "", requestId: update.requestId || "" };
  }

  /**
   * A REST object that follows its own node (User, Media). An update that comes while its first GET is on its way
   * is kept, not dropped: the GET's answer may have been read before that change (the answer and the notification
   * travel on different connections), so the update, a whole object, is what `load` reports.
   */
  class SubscribedObject extends RestBase {
    constructor(options, topic, dataName) {
      super(options);
      this._dataName = dataName;
      this._early = null; // the newest update that came before the first GET's answer
      var self = this;
      ClientServices.subscribe(topic, function (payload) { self._onUpdate(parseUpdate(payload)); });
    }

    _onUpdate(update) {
      if (update.data.apiErrors) { this._notify("error", update.data.apiErrors); return; }
      if (update.source !== this.getRestUrl()) { return; }
      var data = updateData(update, this._dataName);
      if (!data) { return; }
      if (this._loaded) { this._update(data); } else { this._early = data; }
    }

    /** The GET's answer, unless an update came while it was on its way: that update is the newer state. */
    _receive(parsed) {
      var early = this._early;
      this._early = null;
      super._receive(early ? { [this._dataName]: early } : parsed);
    }
  }

  /** A collection (Dialogs, MediaList, MediaDialogs): items by id, add/delete from notifications. */
  class RestCollectionBase extends RestBase {
    constructor(options, topic, names) {
      super(options);
      this._names = names; // {collection: "Dialogs", item: "Dialog"}
      this._collection = {};
      this._pending = [];
      if (topic) {
        var self = this;
        ClientServices.subscribe(topic, function (payload) { self._onUpdate(parseUpdate(payload)); });
      }
    }

    getCollection() { return this._collection; }
    getItem(id) { return this._collection[id] || null; }

    _itemsOf(container) {
      if (!container) { return []; }
      return asArray(container[this._names.item]);
    }

    /** The first load builds the collection silently (Cisco's 10.5.1): onLoad reports it, not onCollectionAdd. */
    _receive(parsed) {
      var self = this;
      var first = !this._loaded;
      this._itemsOf(parsed[this._names.collection]).forEach(function (data) { self._add(data, first); });
      this._loaded = true;
      this._pending.splice(0).forEach(function (update) { self._apply(update); });
      this._notify("load", this);
    }

    /** An item's key: its id, or the last segment of its uri (PhoneBook and Contact carry no id element). */
    _idOf(data) {
      if (data.id !== undefined && data.id !== null) { return data.id; }
      return data.uri ? String(data.uri).split("/").pop() : undefined;
    }

    _add(data, silent) {
      var id = this._idOf(data);
      if (!this._owns(data) || this._collection[id]) { return; }
      var item = this._createItem(data);
      this._collection[id] = item;
      if (!silent) { this._notify("collectionAdd", item); }
    }

    _remove(data) {
      var id = this._idOf(data);
      var item = this._collection[id];
      if (!item) { return; }
      delete this._collection[id];
      item._set(data);
      this._notify("collectionDelete", item);
    }

    /** Whether an item belongs here (MediaDialogs keep only their MRD's dialogs). */
    _owns() { return true; }

    _onUpdate(update) {
      if (update.data.apiErrors) { this._notify("error", update.data.apiErrors); return; }
      if (this._loaded) { this._apply(update); } else { this._pending.push(update); }
    }

    _apply(update) {
      var self = this;
      if (update.source === this.getRestUrl()) {
        var items = this._itemsOf(updateData(update, this._names.collection));
        if (update.event === "POST") { items.forEach(function (data) { self._add(data); }); }
        if (update.event === "DELETE") { items.forEach(function (data) { self._remove(data); }); }
        return;
      }
      var data = updateData(update, this._names.item);
      if (!data || data.id === undefined) { return; }
      if (update.event === "DELETE") { this._remove(data); return; }
      var item = this._collection[data.id];
      if (item) { item._update(data); } else { this._add(data); }
    }
  }

  /* ---- Dialog / Dialogs ------------------------------------------------------------------------- */

  function flattenMediaProperties(properties) {
    var map = {};
    Object.keys(properties || {}).forEach(function (key) {
      if (key !== "callvariables") { map[key] = properties[key]; }
    });
    var variables = properties && properties.callvariables ? asArray(properties.callvariables.CallVariable) : [];
    variables.forEach(function (variable) { map[variable.name] = variable.value; });
    return map;
  }

  class Dialog extends RestBase {
    getRestUrl() { return "/finesse/api/Dialog/" + this.getId(); }
    getState() { return this._data.state; }
    getFromAddress() { return this._data.fromAddress; }
    getToAddress() { return this._data.toAddress; }
    getMediaType() { return this._data.mediaType; }
    getDialogUri() { return this._data.uri; }
    getSecondaryId() { return this._data.secondaryId; }
    getAssociatedDialogUri() { return this._data.associatedDialogUri; }
    getMediaProperties() { return flattenMediaProperties(this._data.mediaProperties); }
    getCallType() { return this.getMediaProperties().callType; }
    getDNIS() { return this.getMediaProperties().DNIS; }
    getCallVariable(name) { return this.getMediaProperties()[name]; }
    getParticipants() {
      return asArray(this._data.participants && this._data.participants.Participant);
    }
    /** The participant at `mediaAddress` (the agent's extension), or null. */
    getParticipant(mediaAddress) {
      return this.getParticipants().find(function (p) { return p.mediaAddress === mediaAddress; }) || null;
    }
    getParticipantActions(mediaAddress) {
      var participant = this.getParticipant(mediaAddress);
      return participant && participant.actions ? asArray(participant.actions.action) : [];
    }
    isActionAllowed(mediaAddress, action) { return this.getParticipantActions(mediaAddress).indexOf(action) >= 0; }
    requestAction(mediaAddress, action, handlers) {
      this._put({ Dialog: { targetMediaAddress: mediaAddress, requestedAction: action } }, handlers);
    }
    makeConsultCall(mediaAddress, toAddress, handlers) {
      this._put({ Dialog: { requestedAction: Dialog.Actions.CONSULT_CALL, toAddress: toAddress,
                            targetMediaAddress: mediaAddress } }, handlers);
    }
    initiateDirectTransfer(mediaAddress, toAddress, handlers) {
      this._put({ Dialog: { requestedAction: Dialog.Actions.TRANSFER_SST, toAddress: toAddress,
                            targetMediaAddress: mediaAddress } }, handlers);
    }
    sendDTMFRequest(mediaAddress, handlers, digits) {
      this._put({ Dialog: { requestedAction: Dialog.Actions.DTMF, targetMediaAddress: mediaAddress,
                            actionParams: { ActionParam: { name: "dtmfString", value: digits } } } }, handlers);
    }
    updateCallVariables(variables, handlers) {
      var list = Object.keys(variables).map(function (name) { return { name: name, value: variables[name] }; });
      this._put({ Dialog: { requestedAction: Dialog.Actions.UPDATE_CALL_DATA,
                            mediaProperties: { callvariables: { CallVariable: list } } } }, handlers);
    }
    updateCallVariable(name, value, handlers) {
      var variables = {};
      variables[name] = value;
      this.updateCallVariables(variables, handlers);
    }
    updateWrapUpReason(reason, handlers) {
      this._put({ Dialog: { requestedAction: Dialog.Actions.UPDATE_CALL_DATA,
                            mediaProperties: { wrapUpReason: reason } } }, handlers);
    }
  }
  Dialog.Actions = {
    DROP: "DROP", ANSWER: "ANSWER", HOLD: "HOLD", BARGE_CALL: "BARGE_CALL", PARTICIPANT_DROP: "PARTICIPANT_DROP",
    MAKE_CALL: "MAKE_CALL", RETRIEVE: "RETRIEVE", UPDATE_SCHEDULED_CALLBACK: "UPDATE_SCHEDULED_CALLBACK",
    CANCEL_SCHEDULED_CALLBACK: "CANCEL_SCHEDULED_CALLBACK", CONSULT_CALL: "CONSULT_CALL", TRANSFER: "TRANSFER",
    TRANSFER_SST: "TRANSFER_SST", CONFERENCE: "CONFERENCE", RECLASSIFY: "RECLASSIFY",
    UPDATE_CALL_DATA: "UPDATE_CALL_DATA", START_RECORDING: "START_RECORDING", DTMF: "SEND_DTMF",
    ACCEPT: "ACCEPT", REJECT: "REJECT", CLOSE: "CLOSE"
  };
  Dialog.States = {
    ALERTING: "ALERTING", INITIATING: "INITIATING", ACTIVE: "ACTIVE", DROPPED: "DROPPED",
    INITIATED: "INITIATED", FAILED: "FAILED", ACCEPTED: "ACCEPTED"
  };
  Dialog.ParticipantStates = Object.assign({ HELD: "HELD", WRAP_UP: "WRAP_UP" }, Dialog.States);
  Dialog.ReasonStates = { BUSY: "BUSY", BAD_DESTINATION: "BAD_DESTINATION", OTHER: "OTHER",
                          DEVICE_RESOURCE_NOT_AVAILABLE: "DEVICE_RESOURCE_NOT_AVAILABLE" };

  class Dialogs extends RestCollectionBase {
    constructor(options) {
      super(options, "finesse.api.User." + options.userId + ".Dialogs", { collection: "Dialogs", item: "Dialog" });
      this._userId = options.userId;
    }
    getRestUrl() { return "/finesse/api/User/" + this._userId + "/Dialogs"; }
    _createItem(data) { return loadedItem(Dialog, data, data.id); }
    getDialogCount() { return Object.keys(this._collection).length; }
    createNewCallDialog(toAddress, fromAddress, handlers) {
      var h = writeHandlers(handlers);
      restRequest(this.getRestUrl(), { method: "POST", success: h.success, error: h.error, content: {
        Dialog: { requestedAction: Dialog.Actions.MAKE_CALL, fromAddress: fromAddress, toAddress: toAddress } } });
    }
  }

  /* ---- non-voice: MediaDialog / MediaDialogs / Media / MediaList -------------------------------- */

  class MediaDialog extends Dialog {
    getMediaId() { return this.getMediaProperties().mediaId; }
    getTaskState() { return this._data.state; }
    /** A task action (ACCEPT, START, PAUSE, RESUME, WRAP_UP, CLOSE, TRANSFER) for the signed-in agent. */
    setTaskState(action, handlers, reasonCodeId) {
      var dialog = { requestedAction: action, targetMediaAddress: finesse.gadget.Config.id || ClientServices.getConfig().id };
      if (reasonCodeId) { dialog.reasonCodeId = reasonCodeId; }
      this._put({ Dialog: dialog }, handlers);
    }
    accept(handlers) { this.setTaskState(MediaDialog.TaskActions.ACCEPT, handlers); }
    /** Hand the task to a script selector (TaskManagement sample's `mediaDialog.transfer(target)`). */
    transfer(target, handlers) {
      this._put({ Dialog: { requestedAction: MediaDialog.TaskActions.TRANSFER, toAddress: target,
                            targetMediaAddress: finesse.gadget.Config.id || ClientServices.getConfig().id } }, handlers);
    }
    close(handlers) { this.setTaskState(MediaDialog.TaskActions.CLOSE, handlers); }
  }
  MediaDialog.States = {
    OFFERED: "OFFERED", ACCEPTED: "ACCEPTED", ACTIVE: "ACTIVE", PAUSED: "PAUSED", WRAPPING_UP: "WRAPPING_UP",
    INTERRUPTED: "INTERRUPTED", CLOSED: "CLOSED", UNKNOWN: "UNKNOWN"
  };
  MediaDialog.TaskActions = {
    ACCEPT: "ACCEPT", START: "START", PAUSE: "PAUSE", RESUME: "RESUME", WRAP_UP: "WRAP_UP",
    TRANSFER: "TRANSFER", CLOSE: "CLOSE"
  };

  class MediaDialogs extends RestCollectionBase {
    constructor(options) {
      super(options, "finesse.api.User." + options.userId + ".Dialogs.Media", { collection: "Dialogs", item: "Dialog" });
      this._userId = options.userId;
      this._mediaId = String(options.mediaId);
    }
    getRestUrl() { return "/finesse/api/User/" + this._userId + "/Media/" + this._mediaId + "/Dialogs"; }
    _owns(data) {
      var mediaId = flattenMediaProperties(data.mediaProperties).mediaId;
      return mediaId === undefined || String(mediaId) === this._mediaId;
    }
    _createItem(data) { return loadedItem(MediaDialog, data, data.id); }
    getDialogCount() { return Object.keys(this._collection).length; }
  }

  class Media extends SubscribedObject {
    constructor(options) {
      super(options, "finesse.api.User." + options.userId + ".Media", "Media");
      this._userId = options.userId;
      this._mediaDialogs = null;
      this.refresh();
    }
    getRestUrl() { return "/finesse/api/User/" + this._userId + "/Media/" + this.getId(); }
    getMediaId() { return this.getId(); }
    getName() { return this._data.name; }
    getDescription() { return this._data.description; }
    getState() { return this._data.state; }
    getStateChangeTime() { return this._data.stateChangeTime; }
    getMaxDialogLimit() { return parseInt(this._data.maxDialogLimit, 10); }
    getInterruptAction() { return this._data.interruptAction; }
    getInterruptible() { return this._data.interruptible === "true"; }
    getDialogLogoutAction() { return this._data.dialogLogoutAction; }
    getReasonCodeId() { return this._data.reasonCodeId; }
    getReasonCodeLabel() { return this._data.ReasonCode ? this._data.ReasonCode.label : ""; }
    isRoutable() { return this._data.routable === "true"; }
    getRoutable() { return this.isRoutable(); }
    isLoggedIn() { return this.getState() !== Media.States.LOGOUT; }
    login(options) {
      options = options || {};
      var media = { maxDialogLimit: options.maxDialogLimit || this.getMaxDialogLimit(), state: Media.States.LOGIN,
                    interruptAction: options.interruptAction || "ACCEPT",
                    dialogLogoutAction: options.dialogLogoutAction || "CLOSE" };
      this._put({ Media: media }, options.handlers);
    }
    setState(state, reasonCode, handlers) {
      var media = { state: state };
      var reasonId = reasonCode && typeof reasonCode === "object" ? reasonCode.id : reasonCode;
      if (reasonId) { media.reasonCodeId = reasonId; }
      this._put({ Media: media }, handlers);
    }
    logout(reasonCode, options) { this.setState(Media.States.LOGOUT, reasonCode, (options || {}).handlers); }
    setRoutable(options) { this._put({ Media: { routable: options.routable ? "true" : "false" } }, options.handlers); }
    getMediaDialogs(options) {
      options = options || {};
      if (!this._mediaDialogs) {
        this._mediaDialogs = new MediaDialogs(Object.assign({}, options, { userId: this._userId, mediaId: this.getId() }));
        this._mediaDialogs.refresh();
      } else {
        this._mediaDialogs._addOptionHandlers(options);
      }
      return this._mediaDialogs;
    }
  }
  Media.States = { LOGIN: "LOGIN", LOGOUT: "LOGOUT", NOT_READY: "NOT_READY", READY: "READY",
                   RESERVED: "RESERVED", WORK: "WORK", INTERRUPTED: "INTERRUPTED" };

  class MediaList extends RestCollectionBase {
    constructor(options) {
      super(options, null, { collection: "MediaList", item: "Media" });
      this._userId = options.userId;
    }
    getRestUrl() { return "/finesse/api/User/" + this._userId + "/Media"; }
    _createItem(data) { return data; }
    /** A Media object for one MRD (`options.id`), loaded over REST and following its notifications. */
    getMedia(options) {
      return new Media(Object.assign({}, options, { userId: this._userId }));
    }
    getMediaIds() { return Object.keys(this._collection); }
  }

  /* ---- phone books ---------------------------------------------------------------------------------- */

  /** One phone book entry (developer.cisco.com/docs/finesse/rest-services-contact). */
  class Contact extends RestBase {
    getRestUrl() { return this._data.uri; }
    getFirstName() { return this._data.firstName; }
    getLastName() { return this._data.lastName; }
    getPhoneNumber() { return this._data.phoneNumber; }
    getDescription() { return this._data.description; }
  }

  class Contacts extends RestCollectionBase {
    constructor(options) {
      super(options, null, { collection: "Contacts", item: "Contact" });
      this._uri = options.uri;
    }
    getRestUrl() { return this._uri; }
    _createItem(data) { return loadedItem(Contact, data, this._idOf(data)); }
  }

  /** A phone book: name, GLOBAL or TEAM, and its Contacts
   * (developer.cisco.com/docs/finesse/rest-services-phonebook). */
  class PhoneBook extends RestBase {
    getRestUrl() { return this._data.uri; }
    getName() { return this._data.name; }
    getType() { return this._data.type; }
    getEmbeddedContacts() { return this._contacts || this._data.contacts; }
    /** The Contacts collection, loaded over REST (`handlers`: onLoad, onCollectionAdd, …). */
    getContacts(handlers) {
      this._contacts = new Contacts(Object.assign({}, handlers || {}, { uri: this._data.contacts }));
      this._contacts.refresh();
      return this._contacts;
    }
  }
  PhoneBook.Types = { GLOBAL: "GLOBAL", TEAM: "TEAM" };

  class PhoneBooks extends RestCollectionBase {
    constructor(options) {
      super(options, null, { collection: "PhoneBooks", item: "PhoneBook" });
      this._userId = options.userId;
    }
    getRestUrl() { return "/finesse/api/User/" + this._userId + "/PhoneBooks"; }
    _createItem(data) { return loadedItem(PhoneBook, data, this._idOf(data)); }
  }

  /** An item of a collection, already holding its data. */
  function loadedItem(Type, data, id) {
    var item = new Type({ id: id });
    item._set(data);
    item._id = id;
    item._loaded = true;
    return item;
  }

  /* ---- media properties layouts ------------------------------------------------------------------ */

  function layoutEntries(container) {
    return container ? asArray(container.entry).map(function (entry) {
      return { displayName: entry.displayName || "", mediaProperty: entry.mediaProperty };
    }) : [];
  }

  /** How the call control shows a dialog's media properties
   * (developer.cisco.com/docs/finesse/mediapropertieslayout). */
  class MediaPropertiesLayout extends RestBase {
    getRestUrl() { return this._data.uri; }
    getName() { return this._data.name; }
    getDescription() { return this._data.description; }
    getType() { return this._data.type; }
    /** `{header: entry, columns: [[entries], [entries]]}`: the header's one entry and exactly two columns. */
    getData() {
      var columns = asArray(this._data.column).map(layoutEntries);
      while (columns.length < 2) { columns.push([]); }
      return { header: layoutEntries(this._data.header)[0] || null, columns: columns.slice(0, 2) };
    }
  }

  class MediaPropertiesLayouts extends RestCollectionBase {
    constructor(options) {
      super(options, null, { collection: "MediaPropertiesLayouts", item: "MediaPropertiesLayout" });
      this._userId = options.userId;
    }
    getRestUrl() { return "/finesse/api/User/" + this._userId + "/MediaPropertiesLayouts"; }
    _createItem(data) { return loadedItem(MediaPropertiesLayout, data, this._idOf(data)); }
  }

  /** A read-only list resource of the agent (WrapUpReasons): items are the plain `{id, label, …}` objects. */
  class UserList extends RestCollectionBase {
    constructor(options, path, names) {
      super(options, null, names);
      this._path = path;
    }
    getRestUrl() { return this._path; }
    _createItem(data) { return data; }
  }

  /* ---- User ---------------------------------------------------------------------------------------- */

  class User extends SubscribedObject {
    constructor(options) {
      if (!options || !options.id) { throw new Error("finesse.restservices.User: options.id is required"); }
      super(options, "finesse.api.User." + options.id, "User");
      this._dialogs = null;
      this._mediaList = null;
      this.refresh();
    }
    getRestUrl() { return "/finesse/api/User/" + this.getId(); }
    getFirstName() { return this._data.firstName; }
    getLastName() { return this._data.lastName; }
    getFullName() { return (this.getFirstName() + " " + this.getLastName()).trim(); }
    getLoginName() { return this._data.loginName; }
    getExtension() { return this._data.extension; }
    getState() { return this._data.state; }
    getStateChangeTime() { return this._data.stateChangeTime; }
    getPendingState() { return this._data.pendingState; }
    getTeamId() { return this._data.teamId; }
    getTeamName() { return this._data.teamName; }
    getRoles() { return this._data.roles ? asArray(this._data.roles.role) : []; }
    hasAgentRole() { return this.getRoles().indexOf("Agent") >= 0; }
    hasSupervisorRole() { return this.getRoles().indexOf("Supervisor") >= 0; }
    getNotReadyReasonCodeId() { return this._data.reasonCodeId; }
    getReasonCodeLabel() { return this._data.ReasonCode ? this._data.ReasonCode.label : ""; }
    getWrapUpOnIncoming() { return this._data.settings ? this._data.settings.wrapUpOnIncoming : undefined; }
    isWrapUp() { return this.getState() === User.States.WORK || this.getState() === User.States.WORK_READY; }
    isMobileAgent() { return this._data.mobileAgent ? this._data.mobileAgent.enabled === "true" : false; }
    getActiveDeviceId() { return this._data.activeDeviceId; }
    getSupervisedTeams() { return this._data.teams ? asArray(this._data.teams.Team) : []; }
    getTeams() { return this.getSupervisedTeams(); }
    setState(state, reasonCode, handlers) {
      var user = { state: state };
      var reasonId = reasonCode && typeof reasonCode === "object" ? reasonCode.id : reasonCode;
      if (reasonId) { user.reasonCodeId = reasonId; }
      this._put({ User: user }, handlers);
    }
    login(extension, handlers) { this._put({ User: { state: User.States.LOGIN, extension: extension } }, handlers); }
    logout(reasonCode, handlers) { this.setState(User.States.LOGOUT, reasonCode, handlers); }
    makeCall(number, handlers) { this.getDialogs().createNewCallDialog(number, this.getExtension(), handlers); }
    /** The agent's dialogs (one collection per User; later calls add their handlers). */
    getDialogs(options) {
      options = options || {};
      if (!this._dialogs) {
        this._dialogs = new Dialogs(Object.assign({}, options, { userId: this.getId() }));
        this._dialogs.refresh();
      } else {
        this._dialogs._addOptionHandlers(options);
      }
      return this._dialogs;
    }
    getDialogsNoCache(options) {
      var dialogs = new Dialogs(Object.assign({}, options || {}, { userId: this.getId() }));
      dialogs.refresh();
      return dialogs;
    }
    getMediaList(options) {
      options = options || {};
      if (!this._mediaList) {
        this._mediaList = new MediaList(Object.assign({}, options, { userId: this.getId() }));
        this._mediaList.refresh();
      } else {
        this._mediaList._addOptionHandlers(options);
      }
      return this._mediaList;
    }
    /** The wrap-up reasons the agent may pick (`onLoad(list)`; `list.getCollection()` by id). */
    getWrapUpReasons(options) {
      var reasons = new UserList(options || {}, "/finesse/api/User/" + this.getId() + "/WrapUpReasons",
                                 { collection: "WrapUpReasons", item: "WrapUpReason" });
      reasons.refresh();
      return reasons;
    }
    /** The media properties layouts of the agent's team (`onLoad(list)`, `list.getCollection()` by id). */
    getMediaPropertiesLayouts(options) {
      var layouts = new MediaPropertiesLayouts(Object.assign({}, options || {}, { userId: this.getId() }));
      layouts.refresh();
      return layouts;
    }
    /** The phone books assigned to the agent (GLOBAL and the team's): `onLoad(list)`, `list.getCollection()`. */
    getPhoneBooks(options) {
      var books = new PhoneBooks(Object.assign({}, options || {}, { userId: this.getId() }));
      books.refresh();
      return books;
    }
    /** NOT_READY (or LOGOUT) reason codes: `handlers.success(list)`. */
    getNotReadyReasonCodes(handlers) { this._reasonCodes("NOT_READY", handlers); }
    getSignoutReasonCodes(handlers) { this._reasonCodes("LOGOUT", handlers); }
    _reasonCodes(category, handlers) {
      restRequest("/finesse/api/User/" + this.getId() + "/ReasonCodes?category=" + category, {
        success: function (response) {
          var parsed = Utilities.xml2JsObj(response.text);
          handlers.success(asArray(parsed.ReasonCodes && parsed.ReasonCodes.ReasonCode));
        },
        error: handlers.error
      });
    }
  }
  User.States = {
    LOGIN: "LOGIN", LOGOUT: "LOGOUT", NOT_READY: "NOT_READY", READY: "READY", RESERVED: "RESERVED",
    RESERVED_OUTBOUND: "RESERVED_OUTBOUND", RESERVED_OUTBOUND_PREVIEW: "RESERVED_OUTBOUND_PREVIEW",
    TALKING: "TALKING", HOLD: "HOLD", WORK: "WORK", WORK_READY: "WORK_READY", UNKNOWN: "UNKNOWN"
  };

  var InterruptActions = { ACCEPT: "ACCEPT", IGNORE: "IGNORE",
    isValidAction: function (a) { return a === "ACCEPT" || a === "IGNORE"; } };
  var DialogLogoutActions = { CLOSE: "CLOSE", TRANSFER: "TRANSFER",
    isValidAction: function (a) { return a === "CLOSE" || a === "TRANSFER"; } };

  Object.assign(finesse.restservices, {
    RestBase: RestBase, RestCollectionBase: RestCollectionBase, User: User, Dialog: Dialog, Dialogs: Dialogs,
    MediaDialog: MediaDialog, MediaDialogs: MediaDialogs, Media: Media, MediaList: MediaList,
    PhoneBooks: PhoneBooks, PhoneBook: PhoneBook, Contacts: Contacts, Contact: Contact,
    MediaPropertiesLayouts: MediaPropertiesLayouts, MediaPropertiesLayout: MediaPropertiesLayout,
    InterruptActions: InterruptActions, DialogLogoutActions: DialogLogoutActions
  });

  /* ---- container services -------------------------------------------------------------------------- */

  var ContainerServices = (function () {
    var Topics = {
      ACTIVE_TAB: "finesse.containerservices.activeTab",
      WORKFLOW_ACTION_EVENT: "finesse.containerservices.workflowActionEvent",
      TIMER_TICK_EVENT: "finesse.containerservices.timerTickEvent",
      RELOAD_GADGET_EVENT: "finesse.containerservices.reloadGadget",
      GADGET_VIEW_CHANGED_EVENT: "finesse.containerservices.gadgetViewChangedEvent",
      MAX_AVAILABLE_HEIGHT_CHANGED_EVENT: "finesse.containerservices.maxAvailableHeightChangedEvent"
    };
    var initialized = false;
    var visible = false;
    var handlers = {}; // topic → [{handler, subscription}]; ACTIVE_TAB handlers have no subscription of their own
    var tabTracker = null;

    function myGadgetId() { return window.gadgets.util.getUrlParameters().mid; }

    function myTabId() {
      var frame = window.frameElement;
      var panel = frame && frame.closest("div.tab-panel");
      return panel ? panel.id.replace(/^panel_/, "") : null;
    }

    /** Ask the desktop to change this gadget's tile (`parent.finesseContainer.tiles`, the mock's protocol). */
    function desktopTiles(action, details) {
      var tiles;
      try { tiles = window.parent.finesseContainer && window.parent.finesseContainer.tiles; } catch (e) { tiles = null; }
      if (tiles) { tiles[action](window, details); }
    }

    // Cisco's ContainerServices publishes its requests in its own namespace (Topics.REQUESTS).
    function request(type, data) {
      hub().publish(TOPIC_CONTAINER_REQUESTS, { type: type, data: data || {}, invokeID: Utilities.generateUUID() });
    }

    /** ACTIVE_TAB handlers run when this gadget's tab becomes visible, not on every publish (Cisco's 10.5.1). */
    function onActiveTab(topic, tabId) {
      if (tabId !== myTabId()) { visible = false; return; }
      if (visible) { return; }
      visible = true;
      callAll((handlers[Topics.ACTIVE_TAB] || []).map(function (h) { return h.handler; }), tabId);
    }

    var api = {
      Topics: Topics,
      /** The singleton; asks the container which tab is active (on every call, as Cisco's). */
      init: function () {
        initialized = true;
        api.makeActiveTabReq();
        return api;
      },
      /** Call `handler(data)` on a topic; ACTIVE_TAB handlers run when this gadget's tab becomes visible. */
      addHandler: function (topic, handler) {
        Utilities.validateHandler(handler);
        if (!initialized) { throw new Error("addHandler(): ContainerServices needs to be inited."); }
        var subscription = null;
        if (topic === Topics.ACTIVE_TAB) {
          tabTracker = tabTracker || hub().subscribe(Topics.ACTIVE_TAB, onActiveTab);
        } else {
          subscription = hub().subscribe(topic, function (t, data) { handler(data); });
        }
        (handlers[topic] = handlers[topic] || []).push({ handler: handler, subscription: subscription });
      },
      removeHandler: function (topic, handler) {
        (handlers[topic] || []).filter(function (h) { return h.handler === handler && h.subscription; })
          .forEach(function (h) { hub().unsubscribe(h.subscription); });
        handlers[topic] = (handlers[topic] || []).filter(function (h) { return h.handler !== handler; });
      },
      publish: function (topic, data) { hub().publish(topic, data); },
      makeActiveTabReq: function () { request("ActiveTabReq"); },
      activateTab: function (tabId) { request("SetActiveTabReq", { id: tabId }); },
      activateMyTab: function () { api.activateTab(myTabId()); },
      tabVisible: function () { return visible; },
      getMyTabId: myTabId,
      getMyGadgetId: myGadgetId,
      isTabbedGadget: function () { return myTabId() !== null; },
      reloadMyGadget: function () { request("ReloadGadgetReq", { gadgetId: myGadgetId() }); },
      reloadMyGadgetFromUrl: function (url) { request("ReloadGadgetReq", { gadgetId: myGadgetId(), gadgetUrl: url }); },
      setMyGadgetTitle: function (title) { window.gadgets.window.setTitle(title); },
      getMyGadgetView: function () { return window.gadgets.views.getCurrentView().getName(); },
      // 12.x tile helpers (developer.cisco.com/docs/finesse/container-services): the desktop hides, collapses
      // (collapsible gadgets only) or flags this gadget's tile; messageDetails {messageFrom, message,
      // isDismissable, timeout, icon} also shows a notification (Cisco's ECE integration guide).
      hideMyGadget: function () { desktopTiles("hide"); },
      showMyGadget: function () { desktopTiles("show"); },
      collapseMyGadget: function () { desktopTiles("collapse"); },
      expandMyGadget: function () { desktopTiles("expand"); },
      showMyGadgetNotification: function (messageDetails) { desktopTiles("notify", messageDetails); },
      hideMyGadgetNotification: function () { desktopTiles("clearNotification"); }
    };
    return api;
  }());
  finesse.containerservices.ContainerServices = ContainerServices;

  /* ---- popovers (12.x): finesse.containerservices.PopoverService ------------------------------------ */

  // Field names, types and limits from developer.cisco.com/docs/finesse/popover-service (actionData, the
  // buttons' "Max 2") and the 12.6.1 typings (BannerData, TimerData); the schemas' own layout is inferred.
  var TEXT = { type: "string" };
  var BUTTON = { type: "object", required: ["id", "label", "type"], properties: {
    id: TEXT, label: TEXT, type: { type: "string", enum: ["Affirm", "Decline"] }, hoverText: TEXT,
    confirmButtons: { type: "array", maxItems: 2, items: { type: "object", required: ["id", "label"],
      properties: { id: TEXT, label: TEXT, hoverText: TEXT } } } } };
  var POPOVER_SCHEMAS = {
    actionData: { type: "object", required: ["dismissible", "keepMaximised", "clientIdentifier"], properties: {
      dismissible: { type: "boolean" }, keepMaximised: { type: "boolean" }, clientIdentifier: TEXT,
      requiredActionText: TEXT, buttons: { type: "array", maxItems: 2, items: BUTTON } } },
    bannerData: { type: "object", required: ["icon", "headerContent"], properties: {
      icon: { type: "object", required: ["type", "value"], properties: { type: TEXT, value: TEXT } },
      content: { type: "array", items: { type: "object", required: ["name", "value"],
        properties: { name: TEXT, value: TEXT } } },
      headerContent: { type: "object", required: ["maxHeaderTitle", "minHeaderTitle"],
        properties: { maxHeaderTitle: TEXT, minHeaderTitle: TEXT } } } },
    timerData: { type: "object", required: ["displayTimeoutInSecs", "display", "counterType"], properties: {
      displayTimeoutInSecs: { type: "number", minimum: 0 }, display: { type: "boolean" },
      counterType: { type: "string", enum: ["COUNT_UP", "COUNT_DOWN"] } } }
  };

  function typeOf(value) { return Array.isArray(value) ? "array" : value === null ? "null" : typeof value; }

  /** The first way `value` breaks `schema`, naming the field (`actionData.buttons[0].type`), or null. */
  function schemaError(schema, value, field) {
    if (typeOf(value) !== schema.type) { return field + " must be a " + schema.type + " (got " + typeOf(value) + ")"; }
    if (schema.enum && schema.enum.indexOf(value) === -1) { return field + " must be one of " + schema.enum.join(", "); }
    if (schema.minimum !== undefined && value < schema.minimum) { return field + " must be at least " + schema.minimum; }
    if (schema.type === "array") {
      if (schema.maxItems !== undefined && value.length > schema.maxItems) {
        return field + " holds at most " + schema.maxItems + " items (got " + value.length + ")";
      }
      for (var i = 0; i < value.length; i += 1) {
        var itemError = schemaError(schema.items, value[i], field + "[" + i + "]");
        if (itemError) { return itemError; }
      }
    }
    if (schema.type !== "object") { return null; }
    var missing = (schema.required || []).find(function (name) { return value[name] === undefined; });
    if (missing) { return field + "." + missing + " is required"; }
    var names = Object.keys(schema.properties).filter(function (name) { return value[name] !== undefined; });
    for (var j = 0; j < names.length; j += 1) {
      var error = schemaError(schema.properties[names[j]], value[names[j]], field + "." + names[j]);
      if (error) { return error; }
    }
    return null;
  }

  finesse.containerservices.PopoverSchema = {
    getActionDataSchema: function () { return JSON.parse(JSON.stringify(POPOVER_SCHEMAS.actionData)); },
    getBannerDataSchema: function () { return JSON.parse(JSON.stringify(POPOVER_SCHEMAS.bannerData)); },
    getTimerDataSchema: function () { return JSON.parse(JSON.stringify(POPOVER_SCHEMAS.timerData)); }
  };

  finesse.containerservices.PopoverService = (function () {
    function desktopPopovers() {
      try { return window.parent.finesseContainer && window.parent.finesseContainer.popovers; } catch (e) { return null; }
    }

    function checked(method, data) {
      ["bannerData", "timerData", "actionData"].forEach(function (name) {
        var error = schemaError(POPOVER_SCHEMAS[name], data[name], name);
        if (error) { throw new Error("PopoverService." + method + ": " + error); }
      });
    }

    function draw(method, payload, actionHandler) {
      if (typeof actionHandler !== "function") {
        throw new Error("PopoverService." + method + ": actionHandler must be a function");
      }
      var popovers = desktopPopovers();
      if (!popovers) { throw new Error("PopoverService." + method + ": the desktop has no popover area"); }
      popovers.show(window, payload, actionHandler);
      return payload.popoverId;
    }

    var service = {
      /** Start using the service (`containerServices`: the gadget's ContainerServices, as in Cisco's samples). */
      init: function () { return service; },
      /** The desktop's payload of one popover; throws an Error naming the first field that breaks the schema. */
      generatePayload: function (isExistingPopover, popoverId, bannerData, timerData, actionData) {
        var payload = { isExistingPopover: Boolean(isExistingPopover), popoverId: popoverId,
                        bannerData: bannerData, timerData: timerData, actionData: actionData };
        checked(isExistingPopover ? "updatePopover" : "showPopover", payload);
        return payload;
      },
      /** Draw a popover in the desktop (outside the gadget); `actionHandler(popoverId, source)` runs when the
       * agent presses one of its buttons (source: the button's id) or its timer ends it ("timeout"; inferred).
       * Returns the popover's id. */
      showPopover: function (bannerData, timerData, actionData, actionHandler) {
        var payload = service.generatePayload(false, Utilities.generateUUID(), bannerData, timerData, actionData);
        return draw("showPopover", payload, actionHandler);
      },
      /** Redraw a shown popover with new data (its timer starts again). */
      updatePopover: function (popoverId, bannerData, timerData, actionData, actionHandler) {
        var payload = service.generatePayload(true, popoverId, bannerData, timerData, actionData);
        return draw("updatePopover", payload, actionHandler);
      },
      dismissPopover: function (popoverId) {
        var popovers = desktopPopovers();
        if (popovers) { popovers.dismiss(popoverId); }
      }
    };
    return service;
  }());

  /* ---- digital channels (12.x): the desktop header's channel area ------------------------------------ */

  finesse.digital = finesse.digital || {};
  finesse.digital.ChannelService = (function () {
    // Names as Cisco's 12.6 TaskManagement sample uses them; the values are inferred.
    var STATUS = { SUCCESS: "success", FAILURE: "failure" };
    var service = {
      STATUS: STATUS,
      STATE_STATUS: { AVAILABLE: "available", UNAVAILABLE: "unavailable", BUSY: "busy" },
      ICON_BADGE_TYPE: { NONE: "none", INFO: "info", WARNING: "warning", ERROR: "error" },
      ICON_TYPE: { COLLAB_ICON: "collab-icon", SYMBOL: "symbol" }
    };

    function area() {
      try { return window.parent.finesseContainer && window.parent.finesseContainer.channels; } catch (e) { return null; }
    }

    /** Run `change(area)` on the desktop's channel area; report {channelId, status[, error]} to the callbacks. */
    function call(channelId, change, onSuccess, onFailure) {
      var channels = area();
      var done = channels ? change(channels) : false;
      if (done) {
        if (typeof onSuccess === "function") { onSuccess({ channelId: channelId, status: STATUS.SUCCESS }); }
      } else if (typeof onFailure === "function") {
        onFailure({ channelId: channelId, status: STATUS.FAILURE, error: { errorCode: channels ? "404" : "503",
          errorDesc: channels ? "No channel " + channelId + " on the desktop" : "The desktop has no channel area" } });
      }
    }

    /** Start using the service (`containerServices`: the gadget's ContainerServices, as in Cisco's samples). */
    service.init = function () { return service; };
    /** Add a channel to the header: `data` {menuConfig, channelConfig, channelState};
     * `menuHandler(channelId, selectedMenuId, onSuccess, onError)` runs when the agent picks a state. */
    service.addChannel = function (channelId, data, menuHandler, onSuccess, onFailure) {
      call(channelId, function (c) { return c.add(channelId, data, menuHandler); }, onSuccess, onFailure);
    };
    /** Change a channel's `{channelState}` (or `{menuConfig}`). */
    service.updateChannel = function (channelId, data, onSuccess, onFailure) {
      call(channelId, function (c) { return c.update(channelId, data); }, onSuccess, onFailure);
    };
    service.removeChannel = function (channelId, onSuccess, onFailure) {
      call(channelId, function (c) { return c.remove(channelId); }, onSuccess, onFailure);
    };
    return service;
  }());

  /* ---- client logging -------------------------------------------------------------------------------- */

  finesse.cslogger.ClientLogger = (function () {
    var logHub = null, id = "";
    return {
      /** Logs go to the hub topic `finesse.clientLogging.<id>` (the desktop collects them). */
      init: function (hubClient, gadgetId) { logHub = hubClient; id = gadgetId; },
      /** Like Cisco's ClientLogger, each entry goes to the hub as a string. */
      log: function (message) {
        if (logHub) { logHub.publish("finesse.clientLogging." + id, String(message)); }
      },
      error: function (message) { finesse.cslogger.ClientLogger.log("ERROR: " + message); }
    };
  }());
}(window));
