/**
 * The mock's simulator panel on the desktop: offer calls, chats and emails to the agent and play the remote
 * party (hang up, answer, end wrap-up) through the control API under /_mock/.
 */
(function (window, document) {
  "use strict";

  var xml = window.finesseXml;
  var agentId = window.finesseDesktop.agent.id;

  function simulatorStatus(text) { document.getElementById("simulator-status").textContent = text; }

  // The one JS client of the control API: the mock refuses any /_mock/ call without X-Mock-Control: 1, a header a
  // page of another site cannot send, so a web page the agent visits cannot ring calls or reset the mock.
  function mockControl(path, body) {
    return fetch("/_mock" + path, {
      method: "POST", headers: { "Content-Type": "application/json", "X-Mock-Control": "1" },
      body: JSON.stringify(body), credentials: "same-origin"
    }).then(function (response) {
      if (response.ok) { return response.json(); }
      return response.text().then(function (text) {
        var error = xml.children(xml.parse(text), "ApiError")[0];
        throw new Error(xml.childText(error, "ErrorMessage") || ("HTTP " + response.status));
      });
    });
  }

  function formBody(form) {
    var body = { agentId: agentId };
    var variables = {};
    var ecc = {};
    new FormData(form).forEach(function (value, name) {
      if (!value) { return; }
      if (/^callVariable\d+$/.test(name)) {
        variables[name] = value;
      } else if (name === "ecc") {
        value.split("\n").forEach(function (line) {
          var at = line.indexOf("=");
          if (at > 0) { ecc[line.slice(0, at).trim()] = line.slice(at + 1).trim(); }
        });
      } else {
        body[name] = value;
      }
    });
    if (Object.keys(variables).length) { body.callVariables = variables; }
    if (Object.keys(ecc).length) { body.ecc = ecc; }
    return body;
  }

  function setupSimulator() {
    document.querySelectorAll("#simulator form[data-endpoint]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        mockControl(form.dataset.endpoint, formBody(form))
          .then(function (dialog) { simulatorStatus("Offered " + dialog.mediaType + " " + dialog.id + "."); })
          .catch(function (err) { simulatorStatus(err.message); });
      });
    });
  }

  var REMOTE_ACTIONS = [
    { action: "CALLER_HANGUP", label: "Caller hangs up", when: ["ALERTING", "ACTIVE", "HELD", "INITIATED"] },
    { action: "FAR_END_ANSWER", label: "Far end answers", when: ["INITIATED"] },
    { action: "END_WRAP_UP", label: "End wrap-up", when: ["WRAP_UP"] }
  ];

  function renderSimulatorDialogs(event) {
    var list = document.getElementById("simulator-dialogs");
    list.replaceChildren();
    event.detail.forEach(function (entry) {
      var dialog = entry.dialog, state = entry.state;
      if (dialog.mediaType !== "Voice") { return; }
      var actions = REMOTE_ACTIONS.filter(function (r) { return r.when.indexOf(state) >= 0; });
      if (!actions.length) { return; }
      var item = document.createElement("li");
      var label = document.createElement("span");
      label.textContent = "Call " + dialog.id + " (" + dialog.fromAddress + ")";
      item.appendChild(label);
      actions.forEach(function (remote) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = remote.label;
        button.addEventListener("click", function () {
          mockControl("/dialogs/" + encodeURIComponent(dialog.id) + "/actions", { action: remote.action })
            .then(function () { simulatorStatus(remote.label + ": call " + dialog.id + "."); })
            .catch(function (err) { simulatorStatus(err.message); });
        });
        item.appendChild(button);
      });
      list.appendChild(item);
    });
  }

  setupSimulator();
  window.mockSimulator = { control: mockControl };  // for benchmarks driving the desktop page
  document.addEventListener("finesse:dialogs", renderSimulatorDialogs);
}(window, document));
