/**
 * A small dependency-free XMPP-over-BOSH client (XEP-0124/XEP-0206) for the mock desktop, as the real desktop
 * holds one to Finesse's notification service at /http-bind (reference finesse.md §4.1): SASL PLAIN with the
 * agent's Finesse credentials, resource "desktop", initial presence, then every pubsub notification
 * (`<items node><item><notification>` holding the escaped `<Update>`, §4.2) handed to `onNotification(node,
 * updateXml)`. The connection state goes to `onStatus`: "connecting", "connected", "disconnected" (lost, refused,
 * or not up within `connectTimeoutMs`), "reconnecting" (a new session is being opened; it keeps trying until the
 * server is back).
 *
 *   var xmpp = finesseXmpp.connect({url, domain, pubsub, username, password, connectTimeoutMs, onStatus,
 *                                   onNotification});
 *   xmpp.subscribe(node) / xmpp.unsubscribe(node) → Promise (a real pubsub subscription, kept across reconnects)
 */
(function (window) {
  "use strict";

  var NS = {
    BOSH: "http://jabber.org/protocol/httpbind",
    XBOSH: "urn:xmpp:xbosh",
    CLIENT: "jabber:client",
    SASL: "urn:ietf:params:xml:ns:xmpp-sasl",
    BIND: "urn:ietf:params:xml:ns:xmpp-bind",
    PUBSUB: "http://jabber.org/protocol/pubsub",
    EVENT: "http://jabber.org/protocol/pubsub#event",
    PING: "urn:xmpp:ping"
  };
  var WAIT_SECONDS = 30;
  var RETRY_MS = [250, 500, 1000, 2000, 3000];
  var IQ_TIMEOUT_MS = 10000;
  var CONNECT_TIMEOUT_MS = 10000; // without options.connectTimeoutMs (the desktop passes XMPP_CONNECT_TIMEOUT)

  function escapeXml(text) {
    return String(text).replace(/[<>&'"]/g, function (c) {
      return { "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", "\"": "&quot;" }[c];
    });
  }

  function attributes(values) {
    return Object.keys(values).map(function (name) {
      return " " + name + "='" + escapeXml(values[name]) + "'";
    }).join("");
  }

  function childrenNamed(element, localName, ns) {
    return Array.prototype.filter.call(element ? element.children : [], function (child) {
      return child.localName === localName && (!ns || child.namespaceURI === ns);
    });
  }

  function first(element, localName, ns) { return childrenNamed(element, localName, ns)[0] || null; }

  /** base64 of UTF-8 text (SASL PLAIN carries any characters of the password). */
  function base64Utf8(text) {
    var bytes = new TextEncoder().encode(text);
    var binary = "";
    bytes.forEach(function (b) { binary += String.fromCharCode(b); });
    return window.btoa(binary);
  }

  function Connection(options) {
    this.options = options;
    this.status = "";
    this.extraNodes = new Set();
    this.closed = false;
    this.attempt = 0;
    this.open("connecting");
  }

  Connection.prototype.setStatus = function (status) {
    if (this.status === status) { return; }
    this.status = status;
    if (this.options.onStatus) { this.options.onStatus(status); }
  };

  /* ---- session life cycle -------------------------------------------------------------------- */

  /** Open a new BOSH session, sign in, bind, send presence and renew the extra subscriptions. */
  Connection.prototype.open = function (status) {
    var self = this;
    self.setStatus(status);
    self.session = { sid: null, rid: Math.floor(Math.random() * 1e9) + 1e6, queue: [], inFlight: 0, iqs: {},
                     nextIq: 1, alive: true, ready: false, requests: 2, aborter: new AbortController() };
    var session = self.session;
    // A request the server (or a proxy) never answers must not leave the desktop "connecting" for ever: a try not
    // connected within the bound has failed (its requests are aborted) and the next one follows.
    var timeoutMs = self.options.connectTimeoutMs || CONNECT_TIMEOUT_MS;
    var deadline = window.setTimeout(function () {
      self.lost(session, new Error("no XMPP session within " + timeoutMs / 1000 + " s"));
    }, timeoutMs);
    self.request(session, { to: self.options.domain, "xml:lang": "en", wait: WAIT_SECONDS, hold: 1, ver: "1.6",
                            content: "text/xml; charset=utf-8", "xmpp:version": "1.0" }, "")
      .then(function (body) {
        session.sid = body.getAttribute("sid");
        session.requests = Math.max(2, parseInt(body.getAttribute("requests"), 10) || 2);
        return self.features(session, body);
      })
      .then(function () {
        var auth = base64Utf8("\u0000" + self.options.username + "\u0000" + self.options.password);
        return self.exchange(session, "<auth" + attributes({ xmlns: NS.SASL, mechanism: "PLAIN" }) + ">" + auth +
                             "</auth>", function (element) { return element.namespaceURI === NS.SASL; });
      })
      .then(function (answer) {
        if (answer.localName !== "success") { throw new AuthError("XMPP sign-in refused: " + answer.localName); }
        return self.request(session, { sid: session.sid, to: self.options.domain, "xml:lang": "en",
                                       "xmpp:restart": "true" }, "").then(function (body) {
          return self.features(session, body);
        });
      })
      .then(function () {
        return self.iq(session, "set", null, "<bind" + attributes({ xmlns: NS.BIND }) + "><resource>desktop" +
                       "</resource></bind>");
      })
      .then(function () {
        session.ready = true;
        self.send(session, "<presence" + attributes({ xmlns: NS.CLIENT }) + "/>");
        self.poll(session);
        // The server handles a stream's stanzas in order: once the ping is answered the presence has been
        // handled, so no notification published after "connected" goes to a bare JID still offline.
        return self.iq(session, "get", self.options.domain, "<ping" + attributes({ xmlns: "urn:xmpp:ping" }) + "/>");
      })
      .then(function () {
        return Promise.all(Array.from(self.extraNodes).map(function (node) { return self.pubsub("subscribe", node); }));
      })
      .then(function () {
        window.clearTimeout(deadline);
        if (!session.alive) { return; }
        self.attempt = 0;
        self.setStatus("connected");
      })
      .catch(function (err) {
        window.clearTimeout(deadline);
        self.lost(session, err);
      });
  };

  function AuthError(message) { this.message = message; }

  /** The stream features: in the response itself, or in the next one. */
  Connection.prototype.features = function (session, body) {
    var self = this;
    if (first(body, "features")) { return Promise.resolve(body); }
    return self.request(session, { sid: session.sid }, "").then(function (next) { return self.features(session, next); });
  };

  /** Send `payload` and wait for the first top-level element `match` accepts (SASL answers). */
  Connection.prototype.exchange = function (session, payload, match) {
    var self = this;
    return self.request(session, { sid: session.sid }, payload).then(function find(body) {
      var answer = Array.prototype.find.call(body.children, match);
      if (answer) { return answer; }
      return self.request(session, { sid: session.sid }, "").then(find);
    });
  };

  /** One BOSH request; resolves with the `<body>` element, rejects on HTTP errors and `type="terminate"`. */
  Connection.prototype.request = function (session, attrs, payload) {
    var self = this;
    var values = { rid: session.rid, xmlns: NS.BOSH };
    session.rid += 1;
    Object.keys(attrs).forEach(function (name) { values[name] = attrs[name]; });
    if (values["xmpp:version"] || values["xmpp:restart"]) { values["xmlns:xmpp"] = NS.XBOSH; }
    var xml = "<body" + attributes(values) + (payload ? ">" + payload + "</body>" : "/>");
    session.inFlight += 1;
    return fetch(self.options.url, { method: "POST", body: xml, credentials: "same-origin",
                                     signal: session.aborter.signal,
                                     headers: { "Content-Type": "text/xml; charset=utf-8" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("BOSH HTTP " + response.status); }
        return response.text();
      })
      .then(function (text) {
        session.inFlight -= 1;
        var body = new DOMParser().parseFromString(text, "text/xml").documentElement;
        if (!body || body.localName !== "body") { throw new Error("BOSH answer is not a <body>"); }
        if (body.getAttribute("type") === "terminate") {
          throw new Error("BOSH session ended: " + (body.getAttribute("condition") || "terminate"));
        }
        if (session.ready) { self.receive(session, body); }
        return body;
      }, function (err) {
        session.inFlight -= 1;
        throw err;
      });
  };

  /** Keep one request waiting at the server (it answers it as soon as there is something for us). */
  Connection.prototype.poll = function (session) {
    var self = this;
    if (!session.alive || !session.ready) { return; }
    if (session.queue.length === 0 && session.inFlight > 0) { return; }
    if (session.queue.length > 0 && session.inFlight >= session.requests) { return; }
    var payload = session.queue.splice(0).join("");
    self.request(session, { sid: session.sid }, payload)
      .then(function () { self.poll(session); })
      .catch(function (err) { self.lost(session, err); });
  };

  Connection.prototype.send = function (session, stanza) {
    session.queue.push(stanza);
    this.poll(session);
  };

  /** The session is gone: say so, then open a new one after a pause (never after a refused sign-in). */
  Connection.prototype.lost = function (session, err) {
    var self = this;
    if (!session.alive) { return; }
    session.alive = false;
    session.aborter.abort();
    Object.keys(session.iqs).forEach(function (id) { session.iqs[id].reject(err); });
    if (self.closed) { return; }
    console.warn("Finesse desktop: XMPP connection lost:", err && err.message);
    if (self.status !== "reconnecting") { self.setStatus("disconnected"); }
    if (err instanceof AuthError) { return; }
    var delay = RETRY_MS[Math.min(self.attempt, RETRY_MS.length - 1)];
    self.attempt += 1;
    window.setTimeout(function () { if (!self.closed) { self.open("reconnecting"); } }, delay);
  };

  /* ---- stanzas ----------------------------------------------------------------------------------- */

  Connection.prototype.receive = function (session, body) {
    var self = this;
    Array.prototype.forEach.call(body.children, function (stanza) {
      if (stanza.localName === "message") { self.onMessage(stanza); }
      if (stanza.localName === "iq") { self.onIq(session, stanza); }
    });
  };

  Connection.prototype.onMessage = function (message) {
    var self = this;
    childrenNamed(first(message, "event", NS.EVENT), "items", NS.EVENT).forEach(function (items) {
      childrenNamed(items, "item", NS.EVENT).forEach(function (item) {
        var notification = first(item, "notification");
        if (notification && self.options.onNotification) {
          self.options.onNotification(items.getAttribute("node"), notification.textContent);
        }
      });
    });
  };

  Connection.prototype.onIq = function (session, iq) {
    var type = iq.getAttribute("type");
    var pending = session.iqs[iq.getAttribute("id")];
    if ((type === "result" || type === "error") && pending) {
      delete session.iqs[iq.getAttribute("id")];
      if (type === "result") { pending.resolve(iq); } else { pending.reject(new Error(iqError(iq))); }
    } else if ((type === "get" || type === "set") && this.session === session) {
      var ping = first(iq, "ping", NS.PING);
      var reply = { type: ping ? "result" : "error", id: iq.getAttribute("id"), to: iq.getAttribute("from") || "" };
      this.send(session, "<iq" + attributes(reply) + ">" + (ping ? "" : "<error type='cancel'>" +
                "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>") + "</iq>");
    }
  };

  function iqError(iq) {
    var error = first(iq, "error");
    var condition = error && Array.prototype.find.call(error.children, function (c) { return c.localName !== "text"; });
    return condition ? condition.localName : "error";
  }

  /** Send an `<iq>` and wait for its answer. */
  Connection.prototype.iq = function (session, type, to, payload) {
    var self = this;
    var id = "iq" + session.nextIq;
    session.nextIq += 1;
    var values = { xmlns: NS.CLIENT, type: type, id: id };
    if (to) { values.to = to; }
    return new Promise(function (resolve, reject) {
      session.iqs[id] = { resolve: resolve, reject: reject };
      window.setTimeout(function () {
        if (session.iqs[id]) { delete session.iqs[id]; reject(new Error("timeout")); }
      }, IQ_TIMEOUT_MS);
      var stanza = "<iq" + attributes(values) + ">" + payload + "</iq>";
      if (session.ready) { self.send(session, stanza); return; }
      // Before the session is ready (bind): one request, its answer read by the caller's chain.
      self.exchange(session, stanza, function (element) {
        return element.localName === "iq" && element.getAttribute("id") === id;
      }).then(function (answer) { self.onIq(session, answer); }, reject);
    });
  };

  /** Subscribe or unsubscribe this agent's bare JID at the pubsub service. */
  Connection.prototype.pubsub = function (action, node) {
    var jid = this.options.username + "@" + this.options.domain;
    return this.iq(this.session, "set", this.options.pubsub, "<pubsub" + attributes({ xmlns: NS.PUBSUB }) + "><" +
                   action + attributes({ node: node, jid: jid }) + "/></pubsub>");
  };

  /* ---- public API -------------------------------------------------------------------------------- */

  Connection.prototype.subscribe = function (node) {
    var self = this;
    return self.pubsub("subscribe", node).then(function () { self.extraNodes.add(node); });
  };

  Connection.prototype.unsubscribe = function (node) {
    var self = this;
    // XEP-0060 6.2.3.2: unsubscribing a node the JID is not subscribed to is answered <unexpected-request/>
    // (not-subscribed): the node is not subscribed, which is what was asked.
    return self.pubsub("unsubscribe", node).then(null, function (err) {
      if (err.message !== "unexpected-request") { throw err; }
    }).then(function () { self.extraNodes.delete(node); });
  };

  Connection.prototype.close = function () {
    this.closed = true;
    if (this.session) {
      this.session.alive = false;
      this.session.aborter.abort();
    }
    this.setStatus("disconnected");
  };

  /** The desktop's own connection: the agent's Finesse credentials from `window.finesseDesktop`. */
  function forDesktop(desktop, onStatus, onNotification) {
    var binary = window.atob(desktop.authorization);
    var credentials = new TextDecoder().decode(Uint8Array.from(binary, function (c) { return c.charCodeAt(0); }));
    var colon = credentials.indexOf(":");
    return new Connection({ url: desktop.xmpp.boshUrl, domain: desktop.xmpp.domain, pubsub: desktop.xmpp.pubsub,
                            username: credentials.slice(0, colon), password: credentials.slice(colon + 1),
                            connectTimeoutMs: desktop.xmpp.connectTimeoutSeconds * 1000,
                            onStatus: onStatus, onNotification: onNotification });
  }

  window.finesseXmpp = {
    connect: function (options) { return new Connection(options); },
    forDesktop: forDesktop
  };
}(window));
