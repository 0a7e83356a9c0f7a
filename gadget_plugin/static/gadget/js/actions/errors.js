/** What the agent sees of a refused call: outage mode (drafts kept, retried), a field error, or a notice. */
var CC = window.CC || (window.CC = {});
CC.actions = CC.actions || {};

CC.actions.errors = (function () {
  "use strict";

  var RETRY_MS = 3000;
  var retryTimer = null;
  var retry = function () { return Promise.resolve(); };

  /** The function that saves the drafts again while Context Service is out (set by the session at start). */
  function onRetry(fn) {
    retry = fn;
  }

  /** Switch to offline mode: drafts keep the text, a retry loop saves it when Context Service is back. */
  function goOffline() {
    CC.store.state.offline = true;
    CC.notices.show(CC.i18n.t("outage.notice"), {kind: "warning", global: true});
    if (!retryTimer) {
      retryTimer = window.setInterval(function () { retry(); }, RETRY_MS);
    }
    CC.store.changed();
  }

  /** Back from offline mode: say how many pending changes were saved. */
  function backOnline(savedCount) {
    CC.store.state.offline = false;
    window.clearInterval(retryTimer);
    retryTimer = null;
    if (savedCount) {
      CC.notices.show(CC.i18n.t("outage.recovered", {count: savedCount}), {kind: "success", global: true});
    } else {
      CC.notices.clearGlobal();
    }
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
      goOffline();
    } else if (error.field && context && context.onFieldError && context.onFieldError(error)) {
      return;
    } else if (error.code === "NOT_ENTITLED" || error.code === "NOT_REGISTERED") {
      showUnavailable(error.code);
    } else {
      CC.notices.show(error.message || CC.i18n.t("error.unexpected"), {kind: "error"});
    }
  }

  return {onRetry: onRetry, goOffline: goOffline, backOnline: backOnline, showUnavailable: showUnavailable,
    handle: handle};
}());
