/** Request details: title, description (and custom fields), the status with created/closed dates. */
var CC = window.CC || (window.CC = {});

CC.requestPane = (function () {
  "use strict";

  var ui = CC.ui;

  function t(key, params) {
    return CC.i18n.t(key, params);
  }

  /**
   * Build one request's details into host (a closed request is read-only; its links stay clickable). Returns
   * {update(entry, request)}, which brings the status, the caution and the fields in line with the store.
   */
  function build(host, entry, request, options) {
    var status = ui.el("div", {});
    var caution = ui.el("div", {});
    var hint = ui.el("div", {});
    var fields = CC.details.fieldsPart(entry, "request", request, options.readOnly);
    host.setAttribute("aria-labelledby", "cc-details-title");
    host.appendChild(ui.el("h3", {id: "cc-details-title", text: t("request.details")}));
    host.appendChild(status);
    host.appendChild(caution);
    host.appendChild(hint);
    host.appendChild(fields.root);
    return {update: function (nextEntry, nextRequest) {
      // A draft stored while the agent types in it stays on screen: its hint goes then.
      var hintKey = nextRequest.draft ? "request.draftHint" : options.readOnly ? "request.closedReadOnly" : "";
      CC.details.fill(hint, hintKey, function () { return ui.el("p", {class: "cc-hint", text: t(hintKey)}); });
      var text = CC.journey.requestStatusText(nextRequest);
      CC.details.fill(status, nextRequest.state + text, function () {
        var closed = nextRequest.state === "closed";
        return ui.el("p", {class: "cc-status cc-status--" + nextRequest.state, "data-request-status": nextRequest.state}, [
          CC.journey.icon(closed ? "closed" : "open"), ui.el("span", {text: text})
        ]);
      });
      CC.details.cautionSlot(caution, nextEntry, "request", nextRequest);
      fields.update(nextEntry, nextRequest);
    }};
  }

  return {build: build};
}());
