/** The gadget's client of the proxy API (/api/v1): direct CORS fetch or gadgets.io.makeRequest, Finesse auth. */
var CC = window.CC || (window.CC = {});

CC.api = (function () {
  "use strict";

  var OUTAGE_CODES = ["UPSTREAM_UNAVAILABLE", "UPSTREAM_TIMEOUT", "OVERLOADED", "NETWORK"];

  /** An error answer of the proxy: HTTP status plus the {code, message, field, limit, current} body. */
  function ApiError(status, error) {
    this.status = status;
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

  function headers(hasBody) {
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
    return result;
  }

  function parse(status, text) {
    var body = null;
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
    throw new ApiError(status, (body && body.error) || {code: "HTTP_" + status, message: CC.i18n.t("error.http", {status: status})});
  }

  function viaFetch(method, url, body) {
    return fetch(url, {
      method: method,
      mode: "cors",
      credentials: "omit",
      headers: headers(body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.text().then(function (text) { return parse(response.status, text); });
    }, function () {
      return parse(0, "");
    });
  }

  function viaMakeRequest(method, url, body) {
    var params = {};
    var io = gadgets.io.RequestParameters;
    params[io.METHOD] = method;
    params[io.HEADERS] = headers(body !== undefined);
    params[io.CONTENT_TYPE] = gadgets.io.ContentType.TEXT;
    params[io.GET_FULL_HEADERS] = true;
    params[io.REFRESH_INTERVAL] = 0;
    if (body !== undefined) {
      params[io.POST_DATA] = JSON.stringify(body);
    }
    return new Promise(function (resolve, reject) {
      gadgets.io.makeRequest(url, function (response) {
        try {
          resolve(parse(response.rc, response.text));
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

  /** One call to the proxy; resolves with the JSON body, rejects with an ApiError. */
  function request(method, path, body, params) {
    var url = baseUrl() + path + query(params);
    var send = prefs().getString("transport") === "makeRequest" ? viaMakeRequest : viaFetch;
    return send(method, url, body);
  }

  function id(value) {
    return encodeURIComponent(value);
  }

  return {
    ApiError: ApiError,
    request: request,
    status: function () { return request("GET", "/status"); },
    fields: function () { return request("GET", "/fields", undefined, {locale: CC.i18n.finesseLocale()}); },
    lookup: function (source) { return request("GET", "/customers/lookup", undefined, source); },
    search: function (q, startIndex) {
      return request("GET", "/customers/search", undefined, {q: q, startIndex: startIndex || 0, maxEntries: 25});
    },
    getCustomer: function (customerId) { return request("GET", "/customers/" + id(customerId)); },
    createCustomer: function (body) { return request("POST", "/customers", body); },
    updateCustomer: function (customerId, body) { return request("PUT", "/customers/" + id(customerId), body); },
    journey: function (customerId) {
      return request("GET", "/customers/" + id(customerId) + "/journey", undefined, {startIndex: 0, maxEntries: 50});
    },
    createRequest: function (body) { return request("POST", "/requests", body); },
    updateRequest: function (requestId, body) { return request("PUT", "/requests/" + id(requestId), body); },
    createActivity: function (body) { return request("POST", "/activities", body); },
    getActivity: function (activityId) { return request("GET", "/activities/" + id(activityId)); },
    updateActivity: function (activityId, body) { return request("PUT", "/activities/" + id(activityId), body); },
    moveActivity: function (activityId, body) { return request("POST", "/activities/" + id(activityId) + "/move", body); },
    undoMove: function (moveId) { return request("POST", "/moves/" + id(moveId) + "/undo", {}); },
    comments: function (activityId) { return request("GET", "/activities/" + id(activityId) + "/comments"); },
    addComment: function (activityId, text) {
      return request("POST", "/activities/" + id(activityId) + "/comments", {text: text});
    }
  };
}());
