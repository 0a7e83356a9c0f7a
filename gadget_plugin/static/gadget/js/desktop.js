/** Reacting to the Finesse desktop through finesse.js: answered calls, accepted chats, opened emails. */
var CC = window.CC || (window.CC = {});

CC.desktop = (function () {
  "use strict";

  var VOICE_TRIGGER = ["ACTIVE"];
  var MEDIA_TRIGGER = ["ACCEPTED", "ACTIVE"];
  var VOICE_RINGING = ["ALERTING"];
  var MEDIA_RINGING = ["OFFERED"];
  var NOT_A_NAME = /^(queueName|taskName|wrapUpReason|mediaId|callKey.*)$/i;
  var onContact = null;
  var onRinging = null;
  var onMissed = null;
  var onSignOut = null;
  var onState = null;
  var onEnded = null;
  var user = null;
  var containerServices = null;
  var watched = {};

  /** The first non-empty media property whose name matches the pattern. */
  function property(props, pattern) {
    var key = Object.keys(props).filter(function (name) {
      return pattern.test(name) && !NOT_A_NAME.test(name) && String(props[name] || "").trim();
    })[0];
    return key ? String(props[key]).trim() : "";
  }

  /** "voice", "chat" or "email" from the dialog's media type (voice) or its MRD name (Cisco_Chat_MRD, ...). */
  function mediaTypeOf(dialog) {
    var type = String(dialog.getMediaType() || "");
    if (/voice/i.test(type)) {
      return "voice";
    }
    return /mail/i.test(type) ? "email" : "chat";
  }

  /** Who the customer is, as far as the contact tells: {name, email, phone, chat}. */
  function sourceOf(dialog, mediaType) {
    var props = dialog.getMediaProperties() || {};
    var from = String(dialog.getFromAddress() || "").trim();
    var isEmail = from.indexOf("@") !== -1;
    // Chat and email entry points (and many IVR scripts) put the customer's name in callVariable1.
    var variableName = String(props.callVariable1 || "").trim();
    return {
      name: property(props, /name/i) || (/^[^\d@]+$/.test(variableName) ? variableName : ""),
      email: isEmail ? from : property(props, /e-?mail/i),
      phone: mediaType === "voice" ? from : property(props, /phone|ani/i),
      chat: mediaType === "chat" && !isEmail ? from : ""
    };
  }

  /** What the gadget needs of a dialog; podId is the activity CVP, SocialMiner or ECE created (POD.ID). */
  function contactOf(dialog) {
    var mediaType = mediaTypeOf(dialog);
    var podId = String((dialog.getMediaProperties() || {})["POD.ID"] || "").trim();
    return {dialogId: String(dialog.getId()), mediaType: mediaType, source: sourceOf(dialog, mediaType),
      podId: podId || null};
  }

  function agentExtension() {
    return finesse.gadget.Config.extension || (user && user.getExtension());
  }

  /** The state of the agent's own side of a call (the dialog's state when there is no such participant). */
  function agentState(dialog) {
    var mine = (dialog.getParticipants() || []).filter(function (p) { return p.mediaAddress === agentExtension(); })[0];
    return mine ? mine.state : dialog.getState();
  }

  /**
   * When a dialog entered `state`: the stateChangeTime of the participant in it (the agent's own first), in ms
   * since the epoch, or null when the dialog does not say (the badge then counts from now).
   */
  function stateSince(dialog, state) {
    var inState = (dialog.getParticipants() || []).filter(function (p) { return p.state === state && p.stateChangeTime; });
    var participant = inState.filter(function (p) { return p.mediaAddress === agentExtension(); })[0] || inState[0];
    var time = participant ? Date.parse(participant.stateChangeTime) : NaN;
    return isNaN(time) ? null : time;
  }

  /** Tell the session a dialog's state (the agent's own side of a call) and since when. */
  function report(dialog, state) {
    onState(contactOf(dialog), state, stateSince(dialog, state));
  }

  /** Follow a dialog's changes once, however many times the collection reports it. */
  function once(dialog) {
    var id = String(dialog.getId());
    if (watched[id]) {
      return false;
    }
    watched[id] = true;
    return true;
  }

  function watchVoice(dialog) {
    if (!once(dialog)) {
      return;
    }
    function check() {
      report(dialog, agentState(dialog));
      if (VOICE_TRIGGER.indexOf(dialog.getState()) !== -1 && VOICE_TRIGGER.indexOf(agentState(dialog)) !== -1) {
        onContact(contactOf(dialog));
      } else if (VOICE_RINGING.indexOf(agentState(dialog)) !== -1) {
        onRinging(contactOf(dialog));
      } else {
        onMissed(String(dialog.getId()));
      }
    }
    dialog.addHandler("change", check);
    check();
  }

  function watchMedia(dialog) {
    if (!once(dialog)) {
      return;
    }
    function check() {
      report(dialog, dialog.getState());
      if (MEDIA_TRIGGER.indexOf(dialog.getState()) !== -1) {
        onContact(contactOf(dialog));
      } else if (MEDIA_RINGING.indexOf(dialog.getState()) !== -1) {
        onRinging(contactOf(dialog));
      } else {
        onMissed(String(dialog.getId()));
      }
    }
    dialog.addHandler("change", check);
    check();
  }

  /**
   * A dialog left its collection (the call was deleted, the chat or email closed): one removed while it still
   * rang has had no other state, so it is missed too (what was prepared for it, its lock, is dropped).
   */
  function removed(dialog) {
    var id = String(dialog.getId());
    onMissed(id);
    onEnded(id);
  }

  function eachItem(collection, fn) {
    var items = collection.getCollection();
    Object.keys(items).forEach(function (id) { fn(items[id]); });
  }

  function watchMediaList(mediaList) {
    Object.keys(mediaList.getCollection()).forEach(function (mediaId) {
      mediaList.getMedia({id: mediaId, onLoad: function (media) {
        media.getMediaDialogs({
          onCollectionAdd: watchMedia,
          onCollectionDelete: removed,
          onLoad: function (dialogs) { eachItem(dialogs, watchMedia); }
        });
      }});
    });
  }

  /** Tell the session when the agent's state becomes LOGOUT (signed out of Finesse). */
  function watchSignOut() {
    if (typeof user.getState === "function" && user.getState() === "LOGOUT") {
      onSignOut();
    }
  }

  /**
   * Start following the agent: handlers.onContact({dialogId, mediaType, source, podId}) runs when the agent
   * answers a call, accepts a chat or opens an email; handlers.onRinging(contact) while it is still ringing /
   * offered; handlers.onMissed(dialogId) when it is in any other state (it stopped ringing unanswered, or ended);
   * handlers.onState(contact, state, since) on every state of a dialog (the agent's own side of a call; since:
   * when it began, ms since the epoch, or null), and handlers.onEnded(dialogId) when it leaves the desktop; handlers.onSignOut() when the agent signs out.
   */
  function start(handlers) {
    onContact = handlers.onContact;
    onRinging = handlers.onRinging;
    onMissed = handlers.onMissed;
    onSignOut = handlers.onSignOut;
    onState = handlers.onState;
    onEnded = handlers.onEnded;
    var config = finesse.gadget.Config;
    finesse.clientservices.ClientServices.init(config, false);
    user = new finesse.restservices.User({id: config.id, onChange: watchSignOut, onLoad: function () {
      user.getDialogs({
        onCollectionAdd: watchVoice,
        onCollectionDelete: removed,
        onLoad: function (dialogs) { eachItem(dialogs, watchVoice); }
      });
      user.getMediaList({onLoad: watchMediaList});
    }});
    containerServices = finesse.containerservices.ContainerServices.init();
    containerServices.addHandler(finesse.containerservices.ContainerServices.Topics.ACTIVE_TAB, function () {
      gadgets.window.adjustHeight();
    });
  }

  /** Bring the gadget's desktop tab to the front (a screen pop the agent cannot see is no screen pop). */
  function bringToFront() {
    var cs = containerServices;
    // isTabbedGadget is newer than tabVisible/activateMyTab (Finesse 10.5): without it, assume a tab.
    var tabbed = cs && (typeof cs.isTabbedGadget !== "function" || cs.isTabbedGadget());
    if (tabbed && !cs.tabVisible()) {
      cs.activateMyTab();
    }
  }

  return {start: start, bringToFront: bringToFront};
}());
