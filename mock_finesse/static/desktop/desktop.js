/**
 * The mock Finesse desktop chrome: voice state menu and call control (calls, chats, emails). Like the real desktop it talks to the Finesse REST API with the agent's Basic credentials
 * and follows the notifications that container.js republishes on the hub (finesse.api.User.<id>…).
 */
(function (window, document) {
  "use strict";

  var desktop = window.finesseDesktop;
  var hub = window.finesseContainer;
  var t = desktop.messages;
  var agentId = desktop.agent.id;
  var userUri = "/finesse/api/User/" + agentId;
  var dialogs = new Map();
  var agentState = { state: "", pendingState: "", stateChangeTime: "" };

  var xml = window.finesseXml;
  var parseXml = xml.parse, childText = xml.childText, children = xml.children, xmlDocument = xml.build;

  /* ---- dialogs --------------------------------------------------------------------------------- */

  /** A Dialog element as a plain object for rendering. */
  function readDialog(element) {
    var properties = children(element, "mediaProperties")[0];
    var variables = {};
    children(children(properties, "callvariables")[0], "CallVariable").forEach(function (v) {
      variables[childText(v, "name")] = childText(v, "value");
    });
    var participants = children(children(element, "participants")[0], "Participant").map(function (p) {
      return {
        mediaAddress: childText(p, "mediaAddress"),
        state: childText(p, "state"),
        actions: children(children(p, "actions")[0], "action").map(function (a) { return a.textContent; })
      };
    });
    return {
      id: childText(element, "id"), mediaType: childText(element, "mediaType"), state: childText(element, "state"),
      fromAddress: childText(element, "fromAddress"), variables: variables, participants: participants,
      mediaId: childText(properties, "mediaId"), wrapUpReason: childText(properties, "wrapUpReason")
    };
  }

  /* ---- REST ------------------------------------------------------------------------------------ */

  function showError(message) {
    var box = document.getElementById("call-control-error");
    box.textContent = message || "";
    box.hidden = !message;
  }

  function api(method, path, body) {
    var headers = { Authorization: "Basic " + desktop.authorization, Accept: "application/xml" };
    if (body) {
      headers["Content-Type"] = "application/xml";
      headers.requestId = window.crypto.randomUUID();
    }
    return fetch(path, { method: method, headers: headers, body: body, credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (text) {
          if (!response.ok) {
            var error = text ? parseXml(text) : null;
            var message = error ? childText(children(error, "ApiError")[0], "ErrorMessage") : "";
            throw new Error(message || ("HTTP " + response.status));
          }
          showError("");
          return text ? parseXml(text) : null;
        });
      })
      .catch(function (err) { showError(err.message); throw err; });
  }

  /* ---- voice state ----------------------------------------------------------------------------- */

  function stateLabel(state, reasonLabel) {
    var label = t["state_" + state] || state;
    return reasonLabel && state === "NOT_READY" ? label + " - " + reasonLabel : label;
  }

  /** The header's time in state, `m:ss` (or `h:mm:ss`), counted from the User's stateChangeTime. */
  function renderTimer() {
    var since = Date.parse(agentState.stateChangeTime);
    var seconds = isNaN(since) ? 0 : Math.max(0, Math.floor((Date.now() - since) / 1000));
    var parts = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60];
    var text = (parts[0] ? parts[0] + ":" + String(parts[1]).padStart(2, "0") : String(parts[1])) + ":" +
      String(parts[2]).padStart(2, "0");
    document.getElementById("voice-state-timer").textContent = isNaN(since) ? "" : text;
  }

  function renderUser(user) {
    agentState.stateChangeTime = childText(user, "stateChangeTime");
    renderTimer();
    agentState.state = childText(user, "state");
    agentState.pendingState = childText(user, "pendingState");
    var reason = children(user, "ReasonCode")[0];
    var button = document.getElementById("voice-state-button");
    button.dataset.state = agentState.state;
    document.getElementById("voice-state-label").textContent =
      stateLabel(agentState.state, reason ? childText(reason, "label") : "");
    document.getElementById("pending-state").textContent =
      agentState.pendingState ? t.pending.replace("{state}", stateLabel(agentState.pendingState)) : "";
    if (agentState.state === "LOGOUT") { window.location.assign("/desktop/signin"); }
  }

  function setupStateMenu() {
    var button = document.getElementById("voice-state-button");
    var menu = document.getElementById("voice-state-menu");
    function toggle(open) {
      menu.hidden = !open;
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) { menu.querySelector("button").focus(); }
    }
    button.addEventListener("click", function () { toggle(menu.hidden); });
    menu.addEventListener("keydown", function (event) {
      var items = Array.prototype.slice.call(menu.querySelectorAll("button[role=menuitem]"));
      var index = items.indexOf(document.activeElement);
      if (event.key === "Escape") { toggle(false); button.focus(); }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : items.length - 1;
        items[(index + step) % items.length].focus();
      }
    });
    menu.addEventListener("click", function (event) {
      var item = event.target.closest("button[data-state]");
      if (!item) { return; }
      toggle(false);
      var fields = { state: item.dataset.state };
      if (item.dataset.reason) { fields.reasonCodeId = item.dataset.reason; }
      api("PUT", userUri, xmlDocument("User", fields)).catch(function () {});
    });
  }

  /* ---- call control ---------------------------------------------------------------------------- */

  function mediaKind(dialog) {
    if (dialog.mediaType === "Voice") { return "call"; }
    return /email/i.test(dialog.mediaType) ? "email" : "chat";
  }

  function actionLabel(action, dialog) {
    if (action === "ACCEPT") { return t["action_ACCEPT_" + mediaKind(dialog)]; }
    return t["action_" + action] || action;
  }

  function ownParticipant(dialog) {
    var own = dialog.mediaType === "Voice" ? desktop.agent.extension : agentId;
    return dialog.participants.find(function (p) { return p.mediaAddress === own; }) || dialog.participants[0];
  }

  function describe(dialog) {
    var v = dialog.variables;
    if (dialog.mediaType === "Voice") { return dialog.fromAddress; }
    var name = v.callVariable1 ? v.callVariable1 + " <" + dialog.fromAddress + ">" : dialog.fromAddress;
    return v.callVariable3 ? name + " · " + v.callVariable3 : name;
  }

  var renderedDialogs = null;

  /** Redraw the call control when the dialogs changed (an unchanged re-read keeps focus and the DOM as they are). */
  function renderDialogs() {
    var signature = JSON.stringify(Array.from(dialogs.values())) + JSON.stringify(wrapUpReasons);
    if (signature === renderedDialogs) { return; }
    renderedDialogs = signature;
    var list = document.getElementById("dialog-list");
    list.replaceChildren();
    dialogs.forEach(function (dialog) { list.appendChild(dialogItem(dialog)); });
    document.getElementById("no-dialogs").hidden = dialogs.size > 0;
    // The simulator panel (simulator.js) offers the remote party's actions on these calls.
    document.dispatchEvent(new CustomEvent("finesse:dialogs", { detail: Array.from(dialogs.values()).map(
      function (dialog) { return { dialog: dialog, state: ownParticipant(dialog).state }; }) }));
  }

  function dialogItem(dialog) {
    var item = document.createElement("li");
    var participant = ownParticipant(dialog);
    item.className = "dialog dialog-" + mediaKind(dialog);
    item.id = "dialog_" + dialog.id;
    item.dataset.state = participant.state;
    var kind = document.createElement("span");
    kind.className = "dialog-kind";
    kind.textContent = t["media_" + dialog.mediaType] || dialog.mediaType;
    var from = document.createElement("span");
    from.className = "dialog-from";
    from.textContent = describe(dialog);
    var state = document.createElement("span");
    state.className = "dialog-state";
    state.textContent = t["dialog_" + participant.state] || participant.state;
    item.append(kind, from, state);
    if (dialog.mediaType === "Voice" && Object.keys(dialog.variables).length) {
      var variables = document.createElement("span");
      variables.className = "dialog-variables";
      variables.textContent = Object.keys(dialog.variables).map(function (name) {
        return name + ": " + dialog.variables[name];
      }).join(" · ");
      item.appendChild(variables);
    }
    if (participant.actions.indexOf("UPDATE_CALL_DATA") >= 0 && wrapUpReasons.length) {
      item.appendChild(wrapUpPicker(dialog));
    }
    participant.actions.filter(function (a) { return BUTTON_ACTIONS.indexOf(a) >= 0; }).forEach(function (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = actionLabel(action, dialog);
      button.addEventListener("click", function () { runAction(dialog, action); });
      item.appendChild(button);
    });
    return item;
  }

  var wrapUpReasons = [];

  /** The wrap-up reason list of a call; choosing one sends UPDATE_CALL_DATA with wrapUpReason. */
  function wrapUpPicker(dialog) {
    var label = document.createElement("label");
    label.className = "wrap-up-reason";
    label.textContent = t.wrap_up_reason + " ";
    var select = document.createElement("select");
    [""].concat(wrapUpReasons).forEach(function (reason) {
      var option = document.createElement("option");
      option.value = reason;
      option.textContent = reason || t.choose;
      option.selected = reason === dialog.wrapUpReason;
      select.appendChild(option);
    });
    select.addEventListener("change", function () {
      api("PUT", "/finesse/api/Dialog/" + dialog.id, xmlDocument("Dialog", {
        requestedAction: "UPDATE_CALL_DATA", mediaProperties: { wrapUpReason: select.value }
      })).catch(function () {});
    });
    label.appendChild(select);
    return label;
  }

  function loadWrapUpReasons() {
    return api("GET", userUri + "/WrapUpReasons").then(function (list) {
      wrapUpReasons = children(list, "WrapUpReason").map(function (r) { return childText(r, "label"); });
    });
  }

  var BUTTON_ACTIONS = ["ANSWER", "HOLD", "RETRIEVE", "CONSULT_CALL", "TRANSFER_SST", "TRANSFER", "CONFERENCE",
                        "DROP", "ACCEPT", "START", "PAUSE", "RESUME", "WRAP_UP", "CLOSE"];
  var NEEDS_NUMBER = ["CONSULT_CALL", "TRANSFER_SST"];

  function requestAction(dialog, action, toAddress) {
    var fields = { targetMediaAddress: ownParticipant(dialog).mediaAddress, requestedAction: action };
    if (toAddress) { fields.toAddress = toAddress; }
    return api("PUT", "/finesse/api/Dialog/" + dialog.id, xmlDocument("Dialog", fields));
  }

  /** Accepting a chat or opening an email starts working on it, as the real desktop does; consult and direct
   *  transfer dial the number typed in "Number to call". */
  function runAction(dialog, action) {
    var number = document.getElementById("make-call-number");
    if (NEEDS_NUMBER.indexOf(action) >= 0 && !number.value.trim()) {
      showError(t.enter_number);
      number.focus();
      return;
    }
    var done = requestAction(dialog, action, NEEDS_NUMBER.indexOf(action) >= 0 ? number.value.trim() : "");
    if (action === "ACCEPT") { done = done.then(function () { return requestAction(dialog, "START"); }); }
    done.catch(function () {});
  }

  function setupMakeCall() {
    var form = document.getElementById("make-call-form");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var number = form.elements.toAddress.value.trim();
      api("POST", userUri + "/Dialogs", xmlDocument("Dialog", {
        requestedAction: "MAKE_CALL", fromAddress: desktop.agent.extension, toAddress: number
      })).then(function () { form.reset(); }).catch(function () {});
    });
  }

  /* ---- notifications --------------------------------------------------------------------------- */

  function onUserUpdate(topic, message) {
    var user = children(children(parseXml(message.content), "data")[0], "user")[0];
    if (user) { renderUser(user); }
  }

  // While the dialogs are being re-read, updates are held here and replayed on top of the fresh lists, so a
  // list answered just before an offer cannot wipe the offer out.
  var heldUpdates = null;

  function onDialogsUpdate(topic, message) {
    if (heldUpdates) {
      heldUpdates.push(message);
      return;
    }
    applyDialogsUpdate(message);
    renderDialogs();
  }

  function applyDialogsUpdate(message) {
    var update = parseXml(message.content);
    var data = children(update, "data")[0];
    var event = childText(update, "event").toUpperCase();
    var collection = children(data, "dialogs")[0];
    var items = collection ? children(collection, "Dialog") : children(data, "dialog");
    items.map(readDialog).forEach(function (dialog) {
      if (event === "DELETE") { dialogs.delete(dialog.id); } else { dialogs.set(dialog.id, dialog); }
    });
  }

  var readsInFlight = 0;

  /** When the last re-read is in, apply what arrived meanwhile and show the result. */
  function replayHeldUpdates() {
    readsInFlight -= 1;
    if (readsInFlight > 0) { return; }
    var held = heldUpdates || [];
    heldUpdates = null;
    held.forEach(applyDialogsUpdate);
    renderDialogs();
  }

  var shownConnection = "";

  /** Once notifications flow (and after every reconnect) read the User and dialogs again: nothing is missed.
   *  The same status again (the container answers every gadget's ConnectionInfoReq with it) reads nothing. */
  function onConnection(topic, info) {
    var status = info ? info.status : "";
    if (status === shownConnection) { return; }
    shownConnection = status;
    document.body.dataset.connection = status;
    document.getElementById("connection-banner").hidden = status !== "disconnected" && status !== "reconnecting";
    if (status === "connected") { resync(); }
  }

  function resync() {
    api("GET", userUri).then(renderUser).catch(function () {});
    loadWrapUpReasons().then(loadDialogs).catch(function () {});
  }

  function loadDialogs() {
    heldUpdates = heldUpdates || [];
    readsInFlight += 1;
    var lists = [api("GET", userUri + "/Dialogs")];
    return api("GET", userUri + "/Media").then(function (mediaList) {
      children(mediaList, "Media").forEach(function (media) {
        lists.push(api("GET", userUri + "/Media/" + childText(media, "id") + "/Dialogs"));
      });
      return Promise.all(lists);
    }).then(function (collections) {
      dialogs.clear();
      collections.forEach(function (collection) {
        children(collection, "Dialog").map(readDialog).forEach(function (d) { dialogs.set(d.id, d); });
      });
      replayHeldUpdates();
    }, function (err) {
      replayHeldUpdates();
      throw err;
    });
  }

  /* ---- start-up -------------------------------------------------------------------------------- */

  hub.subscribe("finesse.api.User." + agentId, onUserUpdate);
  hub.subscribe("finesse.api.User." + agentId + ".Dialogs", onDialogsUpdate);
  hub.subscribe("finesse.api.User." + agentId + ".Dialogs.Media", onDialogsUpdate);
  hub.subscribe(hub.TOPICS.CONNECTION, onConnection);
  setupStateMenu();
  setupMakeCall();
  onConnection(hub.TOPICS.CONNECTION, hub.connection());
  window.setInterval(renderTimer, 1000);
}(window, document));
