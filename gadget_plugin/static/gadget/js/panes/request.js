/** Request details: title, description (and custom fields), the status with created/closed dates. */
var CC = window.CC || (window.CC = {});

CC.requestPane = (function () {
  "use strict";

  var ui = CC.ui;

  function t(key, params) {
    return CC.i18n.t(key, params);
  }

  /** Render one request's details into host; a closed request is read-only (its links stay clickable). */
  function render(host, entry, request, dictionary) {
    var closed = request.state === "closed";
    var ids = CC.details.visibleFieldIds(request, dictionary);
    host.setAttribute("aria-labelledby", "cc-details-title");
    host.appendChild(ui.el("h3", {id: "cc-details-title", text: t("request.details")}));
    host.appendChild(ui.el("p", {class: "cc-status cc-status--" + request.state, "data-request-status": request.state}, [
      CC.journey.icon(closed ? "closed" : "open"),
      ui.el("span", {text: CC.journey.requestStatusText(request)})
    ]));
    host.appendChild(CC.details.cautionFor(entry, "request", request) || document.createTextNode(""));
    if (closed) {
      host.appendChild(ui.el("p", {class: "cc-hint", text: t("request.closedReadOnly")}));
      host.appendChild(CC.details.readOnlyFields(request, ids, dictionary));
    } else {
      host.appendChild(CC.details.editableFields(entry, "request", request, ids, dictionary));
    }
  }

  return {render: render};
}());
