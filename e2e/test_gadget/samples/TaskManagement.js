/**
 * Task management sample: signs the agent in to the MRD named by the layout URL's `mrdid`, lists its media
 * dialogs with the media properties layout's label, and offers Accept, Transfer (to a script selector) and
 * Close; a refused action shows Utilities.getErrCode of the error in MessageDisplay's banner.
 */
var finesse = window.finesse || {};
finesse.modules = finesse.modules || {};

finesse.modules.TaskManagementSample = (function ($) {
  "use strict";

  var I18n, Utilities, user, media, label = "", SCRIPT_SELECTOR = "ScriptSelector_Sales";

  function layoutParams() {
    var specUrl = gadgets.util.getUrlParameters().url;
    return new URL(specUrl).searchParams;
  }

  function showError(rsp) { finesse.utilities.MessageDisplay.showBannerError(Utilities.getErrCode(rsp)); }

  function action(dialog, name, run) {
    return $("<button type='button'>").text(I18n.getString(name)).addClass(name).on("click", function () {
      finesse.utilities.MessageDisplay.hideBanner();
      run(dialog, { error: showError });
    });
  }

  function showTask(dialog) {
    var row = $("#task-" + dialog.getId());
    if (!row.length) { row = $("<li>").attr("id", "task-" + dialog.getId()).appendTo("#tasks"); }
    var variables = dialog.getMediaProperties();
    row.attr("data-state", dialog.getState()).empty()
      .append($("<span class='customer'>").text(label + ": " + variables.callVariable1))
      .append(action(dialog, "accept", function (d, h) { d.accept(h); }))
      .append(action(dialog, "transfer", function (d, h) { d.transfer(SCRIPT_SELECTOR, h); }))
      .append(action(dialog, "close", function (d, h) { d.close(h); }));
    gadgets.window.adjustHeight();
  }

  function watchDialogs() {
    media.getMediaDialogs({
      onCollectionAdd: function (dialog) { showTask(dialog); dialog.addHandler("change", showTask); },
      onCollectionDelete: function (dialog) { $("#task-" + dialog.getId()).attr("data-removed", "true"); },
      onLoad: function (dialogs) {
        var all = dialogs.getCollection();
        Object.keys(all).forEach(function (id) { showTask(all[id]); });
      }
    });
  }

  function handleMediaChange() {
    $("#media-state").text(I18n.getString("signedIn", media.getName()) + ": " + media.getState());
    if (media.getState() === finesse.restservices.Media.States.NOT_READY) {
      media.setState(finesse.restservices.Media.States.READY);
    }
  }

  function handleMediaLoad(loaded) {
    media = loaded;
    media.addHandler("change", handleMediaChange);
    watchDialogs();
    if (!media.isLoggedIn()) {
      media.login({ maxDialogLimit: "3", interruptAction: "ACCEPT", dialogLogoutAction: "CLOSE",
                    handlers: { error: showError } });
    } else {
      handleMediaChange();
    }
  }

  return {
    init: function () {
      var cfg = finesse.gadget.Config;
      I18n = finesse.utilities.I18n;
      Utilities = finesse.utilities.Utilities;
      finesse.clientservices.ClientServices.init(cfg, false);
      user = new finesse.restservices.User({ id: cfg.id, onLoad: function () {
        user.getMediaPropertiesLayouts({ onLoad: function (layouts) {
          var all = layouts.getCollection();
          var first = all[Object.keys(all)[0]];
          label = first.getData().header.displayName;
          user.getMediaList({ onLoad: function (list) {
            list.getMedia({ id: layoutParams().get("mrdid"), onLoad: handleMediaLoad });
          } });
        } });
      } });
    }
  };
}(jQuery));
