/** The gadget's client of the proxy API (/api/v1): direct CORS fetch or gadgets.io.makeRequest, Finesse auth. */
var CC = window.CC || (window.CC = {});

CC.api = (function () {
  "use strict";

  var OUTAGE_CODES = ["UPSTREAM_UNAVAILABLE", "UPSTREAM_TIMEOUT", "OVERLOADED", "NETWORK"];
  var CREATE_RETRIES = 2;
  var CREATE_BACKOFF_MS = 500;
  var JOURNEY_PAGE = 50; // requests per journey page, in the screen pop and in a reload alike
  var COMMENT_IDS_PER_CALL = 50; // the proxy's limit for GET /comments (one Context Service search)

  /**
   * An error answer of the proxy: HTTP status plus the {code, message, field, limit, current} body, and the
   * seconds its Retry-After header asks to wait (null without one).
   */
  function ApiError(status, error, retryAfter) {
    this.status = status;
    this.retryAfter = retryAfter === undefined ? null : retryAfter;
    this.code = error.code || "UNKNOWN";
    this.message = error.message || "";
    this.field = error.field || null;
    this.limit = error.limit || null;
    this.current = error.current || null;
  }
  ApiError.prototype = Object.create(Error.prototype);

  /** True when the error means Context Service (or the proxy) is out of reach, not that the input is wrong. */
  ApiError.prototype.isOutage = function () {
    return OUTAGE_CODES.indexOf(this.code) !== -1;
  };

  function prefs() {
    return new gadgets.Prefs();
  }

  function baseUrl() {
    return (prefs().getString("proxyUrl") || "").replace(/\/+$/, "") + "/api/v1";
  }

  function headers(hasBody, extra) {
    var config = finesse.gadget.Config;
    var result = {
      "Authorization": finesse.utilities.Utilities.getAuthHeaderString(config),
      "X-Finesse-Agent-Id": config.id,
      "Accept-Language": CC.i18n.bcp47(),
      "Accept": "application/json"
    };
    if (hasBody) {
      result["Content-Type"] = "application/json";
    }
    return Object.assign(result, extra || {});
  }

  /** Seconds from a Retry-After value (a string, or Shindig's list of values); null for none or an HTTP date. */
  function retrySeconds(value) {
    var seconds = parseInt(Array.isArray(value) ? value[0] : value, 10);
    return isFinite(seconds) && seconds >= 0 ? seconds : null;
  }

  function parse(status, text, retryAfter) {
    var body;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (e) {
      body = null;
    }
    if (status >= 200 && status < 300) {
      return body;
    }
    if (!status) {
      throw new ApiError(0, {code: "NETWORK", message: CC.i18n.t("error.network")});
    }
    throw new ApiError(status, (body && body.error) || {code: "HTTP_" + status, message: CC.i18n.t("error.http", {status: status})},
      retrySeconds(retryAfter));
  }

  function viaFetch(method, url, body, extra) {
    return fetch(url, {
      method: method,
      mode: "cors",
      credentials: "omit",
      headers: headers(body !== undefined, extra),
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.text().then(function (text) {
        return parse(response.status, text, response.headers.get("Retry-After"));
      });
    }, function () {
      return parse(0, "");
    });
  }

  function viaMakeRequest(method, url, body, extra) {
    var params = {};
    var io = gadgets.io.RequestParameters;
    params[io.METHOD] = method;
    params[io.HEADERS] = headers(body !== undefined, extra);
    params[io.CONTENT_TYPE] = gadgets.io.ContentType.TEXT;
    params[io.GET_FULL_HEADERS] = true;
    params[io.REFRESH_INTERVAL] = 0;
    if (body !== undefined) {
      params[io.POST_DATA] = JSON.stringify(body);
    }
    return new Promise(function (resolve, reject) {
      gadgets.io.makeRequest(url, function (response) {
        try {
          var received = response.headers || {};
          resolve(parse(response.rc, response.text, received["retry-after"] || received["Retry-After"]));
        } catch (error) {
          reject(error);
        }
      }, params);
    });
  }

  function query(params) {
    var pairs = Object.keys(params || {}).filter(function (key) {
      return params[key] !== undefined && params[key] !== null && params[key] !== "";
    }).map(function (key) {
      return encodeURIComponent(key) + "=" + encodeURIComponent(params[key]);
    });
    return pairs.length ? "?" + pairs.join("&") : "";
  }

  /** One call to the proxy (extra: more request headers); resolves with the JSON body, rejects with an ApiError. */
  function request(method, path, body, params, extra) {
    var url = baseUrl() + path + query(params);
    var send = prefs().getString("transport") === "makeRequest" ? viaMakeRequest : viaFetch;
    return send(method, url, body, extra);
  }

  /** A fresh idempotency key (one per logical create, reused by every retry of it). */
  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  /**
   * A create (POST) carrying its Idempotency-Key. An outage answer (502/503/504, no network) may hide a create
   * that was stored, so it is retried with the same key: the proxy answers a retry with the object made. A retry
   * never carries the screen pop's prepared token, which skips the proxy's check for an earlier write.
   */
  function create(path, body, key, attempt) {
    key = key || newKey();
    return request("POST", path, body, undefined, {"Idempotency-Key": key}).then(null, function (error) {
      var tries = attempt || 0;
      if (!(error instanceof ApiError) || !error.isOutage() || tries >= CREATE_RETRIES) {
        throw error;
      }
      var wait = Math.max(CREATE_BACKOFF_MS * (tries + 1), (error.retryAfter || 0) * 1000);
      var again = Object.assign({}, body);
      delete again.prepared;
      return new Promise(function (resolve) { window.setTimeout(resolve, wait); })
        .then(function () { return create(path, again, key, tries + 1); });
    });
  }

  function id(value) {
    return encodeURIComponent(value);
  }

  return {
    ApiError: ApiError,
    status: function () { return request("GET", "/status"); },
    fields: function () { return request("GET", "/fields", undefined, {locale: CC.i18n.finesseLocale()}); },
    // The screen pop and the record at its hand-over are POSTed to one URL each (not GET with the dialog in the query): the
    // browser then sends their CORS preflight once, not before every call, one round trip before the look-up.
    screenPop: function (source) {
      // partial: the journey right after its first round, without comments (completed after the first paint)
      return request("POST", "/screen-pop", Object.assign({maxEntries: JOURNEY_PAGE, partial: true}, source));
    },
    /** {activity, running}: the dialog recorded with its screen pop's token once handed over (activity null: none). */
    screenPopRecord: function (body, key) {
      return request("POST", "/screen-pop/record", body, undefined, {"Idempotency-Key": key});
    },
    search: function (q, startIndex) {
      return request("GET", "/customers/search", undefined, {q: q, startIndex: startIndex || 0, maxEntries: 25});
    },
    getCustomer: function (customerId) { return request("GET", "/customers/" + id(customerId)); },
    newKey: newKey,
    createCustomer: function (body, key) { return create("/customers", body, key); },
    updateCustomer: function (customerId, body) { return request("PUT", "/customers/" + id(customerId), body); },
    journey: function (customerId) {
      return request("GET", "/customers/" + id(customerId) + "/journey", undefined, {startIndex: 0, maxEntries: JOURNEY_PAGE});
    },
    createRequest: function (body, key) { return create("/requests", body, key); },
    updateRequest: function (requestId, body) { return request("PUT", "/requests/" + id(requestId), body); },
    createActivity: function (body, key) { return create("/activities", body, key); },
    getActivity: function (activityId) { return request("GET", "/activities/" + id(activityId)); },
    updateActivity: function (activityId, body) { return request("PUT", "/activities/" + id(activityId), body); },
    moveActivity: function (activityId, body) { return request("POST", "/activities/" + id(activityId) + "/move", body); },
    undoMove: function (moveId) { return request("POST", "/moves/" + id(moveId) + "/undo", {}); },
    commentsPerCall: COMMENT_IDS_PER_CALL,
    /** {activityId: [Comment]} of up to commentsPerCall activities. */
    commentsOf: function (activityIds) {
      return request("GET", "/comments", undefined, {activityIds: activityIds.join(",")}).then(function (answer) {
        return answer.comments;
      });
    },
    addComment: function (activityId, text, key) {
      return create("/activities/" + id(activityId) + "/comments", {text: text}, key);
    }
  };
}());
