/**
 * Digital channel sample: one header channel for the chat MRD. Picking Ready / Not Ready in the header's menu
 * sets the Media state (the channel follows the Media's notifications); "Break" is refused with an error
 * payload; each offered chat raises the channel's badge.
 */
var finesse = window.finesse || {};
finesse.modules = finesse.modules || {};

finesse.modules.DigitalChannelSample = (function ($) {
  "use strict";

  var CHANNEL_ID = "SampleChatChannel", MRD_ID = "5000";
  var channelService, media, offers = 0;

  function channelState() {
    var ready = media && media.getState() === finesse.restservices.Media.States.READY;
    return {
      label: "Sample Chat", currentState: ready ? "Ready" : "Not Ready", enable: true, logoutDisabled: false,
      iconColor: ready ? channelService.STATE_STATUS.AVAILABLE : channelService.STATE_STATUS.UNAVAILABLE,
      iconBadge: offers ? channelService.ICON_BADGE_TYPE.INFO : channelService.ICON_BADGE_TYPE.NONE,
      hoverText: offers ? offers + " chat(s) offered" : ""
    };
  }

  function refreshChannel() {
    channelService.updateChannel(CHANNEL_ID, { channelState: channelState() });
  }

  function menuHandler(channelId, selectedMenuId, onSuccess, onError) {
    var States = finesse.restservices.Media.States;
    if (selectedMenuId === "break-menu-item") {
      onError({ channelId: channelId, status: channelService.STATUS.FAILURE,
                error: { errorCode: "567", errorDesc: "Breaks are taken on the voice channel" } });
      return;
    }
    var wanted = selectedMenuId === "ready-menu-item" ? States.READY : States.NOT_READY;
    media.setState(wanted, null, {
      success: function () { onSuccess({ channelId: channelId, status: channelService.STATUS.SUCCESS }); },
      error: function (rsp) {
        onError({ channelId: channelId, status: channelService.STATUS.FAILURE,
                  error: { errorCode: String(rsp.status), errorDesc: finesse.utilities.Utilities.getErrCode(rsp) } });
      }
    });
  }

  function addChannel() {
    var S = channelService.STATE_STATUS;
    channelService.addChannel(CHANNEL_ID, {
      menuConfig: { label: "Sample Chat", menuItems: [
        { id: "ready-menu-item", label: "Ready", iconColor: S.AVAILABLE },
        { id: "not-ready-menu-item", label: "Not Ready", iconColor: S.UNAVAILABLE },
        { id: "break-menu-item", label: "Break", iconColor: S.UNAVAILABLE }] },
      channelConfig: { actionTimeoutInSec: 30, icons: [{ type: channelService.ICON_TYPE.COLLAB_ICON, value: "chat" }] },
      channelState: channelState()
    }, menuHandler, function () { $("#channel").text("added"); }, function (failure) {
      $("#channel").text("failed: " + failure.error.errorDesc);
    });
  }

  return {
    init: function () {
      var cfg = finesse.gadget.Config;
      finesse.clientservices.ClientServices.init(cfg, false);
      var containerServices = finesse.containerservices.ContainerServices.init();
      channelService = finesse.digital.ChannelService.init(containerServices);
      var user = new finesse.restservices.User({ id: cfg.id, onLoad: function () {
        user.getMediaList({ onLoad: function (list) {
          list.getMedia({ id: MRD_ID, onLoad: function (loaded) {
            media = loaded;
            media.addHandler("change", refreshChannel);
            media.getMediaDialogs({ onCollectionAdd: function () { offers += 1; refreshChannel(); } });
            addChannel();
          } });
        } });
      } });
    }
  };
}(jQuery));
