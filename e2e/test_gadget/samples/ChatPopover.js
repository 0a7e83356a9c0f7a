/**
 * Chat popover sample: signs in to the chat MRD and, for each offered chat, draws a popover in the desktop
 * with the customer's name and address and a 60 s countdown. Accept accepts the chat (MediaDialog ACCEPT);
 * Decline asks to confirm first; a chat answered elsewhere (or gone) before that takes its popover with it. Each outcome
 * is listed in the gadget.
 */
var finesse = window.finesse || {};
finesse.modules = finesse.modules || {};

finesse.modules.ChatPopoverSample = (function ($) {
  "use strict";

  var MRD_ID = "5000";
  var popoverService, media, popoverOfDialog = {};

  function note(dialogId, text) {
    var row = $("#offer-" + dialogId);
    if (!row.length) { row = $("<li>").attr("id", "offer-" + dialogId).appendTo("#offers"); }
    row.text(text);
  }

  function bannerData(dialog) {
    var variables = dialog.getMediaProperties();
    return {
      icon: { type: "collab-icon", value: "chat" },
      content: [{ name: "Customer", value: variables.callVariable1 }, { name: "Email", value: variables.callVariable2 }],
      headerContent: { maxHeaderTitle: "Incoming chat", minHeaderTitle: "Chat" }
    };
  }

  function actionData(dialog) {
    return {
      dismissible: true, keepMaximised: false, clientIdentifier: "chat-" + dialog.getId(),
      requiredActionText: "Accept the chat from " + dialog.getMediaProperties().callVariable1,
      buttons: [
        { id: "accept", label: "Accept", type: "Affirm", hoverText: "Accept the chat" },
        { id: "decline", label: "Decline", type: "Decline", confirmButtons: [
          { id: "decline-confirm", label: "Decline the chat", hoverText: "It stays offered to you" },
          { id: "decline-cancel", label: "Keep it", hoverText: "" }] }]
    };
  }

  var TIMER = { displayTimeoutInSecs: 60, display: true, counterType: "COUNT_DOWN" };

  function offer(dialog) {
    popoverOfDialog[dialog.getId()] = popoverService.showPopover(bannerData(dialog), TIMER, actionData(dialog),
      function (popoverId, source) { answer(dialog, popoverId, source); });
    note(dialog.getId(), "offered");
  }

  /** "Keep it" puts the popover back as it was (updatePopover); every other answer ends it. */
  function answer(dialog, popoverId, source) {
    if (source === "decline-cancel") {
      popoverService.updatePopover(popoverId, bannerData(dialog), TIMER, actionData(dialog),
        function (id, again) { answer(dialog, id, again); });
      return;
    }
    popoverService.dismissPopover(popoverId);
    delete popoverOfDialog[dialog.getId()];
    if (source === "accept") {
      dialog.accept({ success: function () { note(dialog.getId(), "accepted"); },
                      error: function (rsp) { note(dialog.getId(), "refused: " + rsp.status); } });
    } else {
      note(dialog.getId(), source === "timeout" ? "timed out" : "declined");
    }
  }

  /** The chat was answered elsewhere (the desktop's call control) or left: its popover goes. */
  function settled(dialog, text) {
    var popoverId = popoverOfDialog[dialog.getId()];
    if (!popoverId) { return; }
    popoverService.dismissPopover(popoverId);
    delete popoverOfDialog[dialog.getId()];
    note(dialog.getId(), text);
  }

  function watch(dialog) {
    // A chat added by a notification held back during the first load is also listed by that load's onLoad.
    if (popoverOfDialog[dialog.getId()]) { return; }
    offer(dialog);
    dialog.addHandler("change", function (changed) {
      if (changed.getState() !== finesse.restservices.MediaDialog.States.OFFERED) {
        settled(changed, "answered elsewhere");
      }
    });
  }

  /** Every dialog of a loaded collection that is still offered gets its popover. */
  function watchOffered(dialogs) {
    var all = dialogs.getCollection();
    Object.keys(all).forEach(function (id) {
      if (all[id].getState() === finesse.restservices.MediaDialog.States.OFFERED) { watch(all[id]); }
    });
  }

  return {
    init: function () {
      var cfg = finesse.gadget.Config;
      finesse.clientservices.ClientServices.init(cfg, false);
      var containerServices = finesse.containerservices.ContainerServices.init();
      popoverService = finesse.containerservices.PopoverService.init(containerServices);
      var user = new finesse.restservices.User({ id: cfg.id, onLoad: function () {
        user.getMediaList({ onLoad: function (list) {
          list.getMedia({ id: MRD_ID, onLoad: function (loaded) {
            media = loaded;
            $("#media-state").text(media.getState());
            media.addHandler("change", function () { $("#media-state").text(media.getState()); });
            // The first load reports the dialogs it finds in onLoad only: a chat offered meanwhile is one of them.
            media.getMediaDialogs({ onCollectionAdd: watch, onLoad: watchOffered,
                                     onCollectionDelete: function (d) { settled(d, "gone"); } });
          } });
        } });
      } });
    }
  };
}(jQuery));
