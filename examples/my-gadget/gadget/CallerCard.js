/**
 * Caller card: shows the caller and the state of the agent's newest dialog (finesse.restservices.User,
 * Dialogs), kept up to date by the dialog's change notifications.
 */
/* exported callerCard */ // called by the spec's inline script
var callerCard = (function () {
  "use strict";

  function show(dialog) {
    // textContent, never innerHTML: the caller's address comes from outside.
    document.getElementById("caller").textContent = dialog.getFromAddress();
    document.getElementById("state").textContent = dialog.getState();
    gadgets.window.adjustHeight();
  }

  function onNewDialog(dialog) {
    show(dialog);
    dialog.addHandler("change", function () { show(dialog); });
  }

  // The first load reports the dialogs the agent already has (a reload during a call); later ones are added.
  function onDialogsLoaded(dialogs) {
    var all = dialogs.getCollection();
    Object.keys(all).forEach(function (id) { onNewDialog(all[id]); });
    document.body.dataset.ready = "true";
  }

  return {
    init: function () {
      var config = finesse.gadget.Config;
      finesse.clientservices.ClientServices.init(config, false);
      var user = new finesse.restservices.User({ id: config.id, onLoad: function () {
        user.getDialogs({ onLoad: onDialogsLoaded, onCollectionAdd: onNewDialog });
      } });
      finesse.containerservices.ContainerServices.init();
    }
  };
}());
