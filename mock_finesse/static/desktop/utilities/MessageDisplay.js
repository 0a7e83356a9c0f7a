/**
 * finesse.utilities.MessageDisplay, the banner helper Finesse serves at /desktop/js/utilities/MessageDisplay.js
 * for gadgets (Cisco's 12.6 TaskManagement sample: `uiMsg = finesse.utilities.MessageDisplay`,
 * `uiMsg.showBannerError(text)`, `uiMsg.hideBanner()`). Our own implementation: one banner at the top of the
 * gadget's page, text only (never HTML); showBanner for information is inferred.
 */
(function (window, document) {
  "use strict";

  function banner() {
    var element = document.getElementById("finesse-message-banner");
    if (!element) {
      element = document.createElement("div");
      element.id = "finesse-message-banner";
      element.className = "finesse-message-banner";
      element.hidden = true;
      (document.body || document.documentElement).prepend(element);
    }
    return element;
  }

  function show(kind, text) {
    var element = banner();
    element.setAttribute("role", kind === "error" ? "alert" : "status");
    element.dataset.kind = kind;
    element.textContent = text === undefined || text === null ? "" : String(text);
    element.hidden = false;
  }

  var finesse = window.finesse = window.finesse || {};
  finesse.utilities = finesse.utilities || {};
  finesse.utilities.MessageDisplay = {
    showBannerError: function (text) { show("error", text); },
    showBanner: function (text) { show("info", text); },
    hideBanner: function () { banner().hidden = true; }
  };
}(window, document));
