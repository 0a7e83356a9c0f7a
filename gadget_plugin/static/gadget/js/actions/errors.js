/**
 * What the agent sees of a refused call: outage mode (drafts kept, retried), a field error, or a notice. A proxy
 * that is overloaded (503 OVERLOADED) is told apart from Context Service being out, and its Retry-After is kept:
 * no retry goes out sooner.
 */
var CC = window.CC || (window.CC = {});
CC.actions = CC.actions || {};

CC.actions.errors = (function () {
  "use strict";

  var RETRY_MS = 3000;
  var BUSY_SECONDS = 5; // an OVERLOADED answer without a usable Retry-After
  var retryTimer = null;
  var busy = false;
  var retry = function () { return Promise.resolve(); };

  /** The function that saves the drafts again while Context Service is out (set by the session at start). */
  function onRetry(fn) {
    retry = fn;
  }

  function isBusy(error) {
    return Boolean(error && error.code === "OVERLOADED");
  }

  function busySeconds(error) {
    return error.retryAfter === null || error.retryAfter === undefined ? BUSY_SECONDS : error.retryAfter;
  }

  /** Why a save did not land, for the field's save state: the proxy is busy, or Context Service is out. */
  function whyNotSaved(error) {
    return isBusy(error) ? CC.i18n.t("save.whyBusy", {seconds: busySeconds(error)}) : CC.i18n.t("save.whyOutage");
  }

  /** The next retry in `ms` (replacing one already planned); while still offline after it, every RETRY_MS. */
  function retryIn(ms) {
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      var again = function () {
        if (CC.store.state.offline && !retryTimer) {
          retryIn(RETRY_MS);
        }
      };
      Promise.resolve(retry()).then(again, again);
    }, ms);
  }

  /**
   * Switch to offline mode: drafts keep the text, a retry saves it when Context Service is back. `error` (the
   * refusal, when there is one): OVERLOADED says the proxy is busy and retries only after its Retry-After.
   */
  function goOffline(error) {
    busy = isBusy(error);
    CC.store.state.offline = true;
    CC.notices.show(busy ? CC.i18n.t("outage.busy", {seconds: busySeconds(error)}) : CC.i18n.t("outage.notice"),
      {kind: "warning", global: true});
    if (busy || !retryTimer) {
      retryIn(busy ? Math.max(RETRY_MS, busySeconds(error) * 1000) : RETRY_MS);
    }
    CC.store.changed();
  }

  /** Back from offline mode: say how many pending changes were saved. */
  function backOnline(savedCount) {
    CC.store.state.offline = false;
    window.clearTimeout(retryTimer);
    retryTimer = null;
    if (savedCount) {
      CC.notices.show(CC.i18n.t(busy ? "outage.busySaved" : "outage.recovered", {count: savedCount}),
        {kind: "success", global: true});
    } else {
      CC.notices.clearGlobal();
    }
    busy = false;
    CC.store.changed();
  }

  /** Not entitled / not registered: say so plainly and offer nothing that would fail. */
  function showUnavailable(reason) {
    document.getElementById("cc-app").hidden = true;
    var box = document.getElementById("cc-unavailable");
    box.textContent = CC.i18n.t("unavailable." + (reason || "UNREACHABLE"));
    box.hidden = false;
  }

  /**
   * Turn a refused call into what the agent sees: outage → offline mode (drafts kept); a validation error →
   * shown next to the field it names (via context.onFieldError); otherwise a notice. Returns nothing.
   */
  function handle(error, context) {
    if (!(error instanceof CC.api.ApiError)) {
      CC.notices.show(CC.i18n.t("error.unexpected"), {kind: "error"});
      window.console.error(error);
      return;
    }
    if (error.isOutage()) {
      goOffline(error);
    } else if (error.field && context && context.onFieldError && context.onFieldError(error)) {
      return;
    } else if (error.code === "NOT_ENTITLED" || error.code === "NOT_REGISTERED") {
      showUnavailable(error.code);
    } else {
      CC.notices.show(error.message || CC.i18n.t("error.unexpected"), {kind: "error"});
    }
  }

  return {onRetry: onRetry, goOffline: goOffline, backOnline: backOnline, showUnavailable: showUnavailable,
    handle: handle, whyNotSaved: whyNotSaved};
}());
