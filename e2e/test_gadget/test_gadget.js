/**
 * The harness test gadget: shows the agent (finesse.js User), calls (Dialogs), chats and emails
 * (MediaList/Media/MediaDialogs), the tab state (ContainerServices), a saved note (gadgets.Prefs.set) and a
 * makeRequest echo. `window.testGadget.adds` records when each onCollectionAdd handler ran (benchmark).
 */
var finesse = window.finesse || {};
finesse.modules = finesse.modules || {};

finesse.modules.TestGadget = (function ($) {
  "use strict";

  var user, prefs = new gadgets.Prefs();
  window.testGadget = { adds: [], tabShown: 0 };

  function fit() { gadgets.window.adjustHeight(); }

  function renderUser() {
    $("#agent-name").text(user.getFullName());
    $("#agent-extension").text(user.getExtension());
    $("#agent-team").text(user.getTeamName());
    $("#agent-state").text(user.getState());
    fit();
  }

  function dialogItem(listId, prefix, dialog) {
    var id = prefix + dialog.getId();
    var item = document.getElementById(id);
    if (!item) {
      item = document.createElement("li");
      item.id = id;
      document.getElementById(listId).appendChild(item);
    }
    return item;
  }

  function showDialog(dialog) {
    var item = dialogItem("dialogs", "dialog-", dialog);
    var variables = dialog.getMediaProperties();
    item.dataset.state = dialog.getState();
    item.textContent = dialog.getFromAddress() + " → " + dialog.getToAddress() + " " + dialog.getState() +
      (variables.callVariable1 ? " (" + variables.callVariable1 + ")" : "");
    fit();
  }

  function recordAdd(dialog) {
    window.testGadget.adds.push({ id: dialog.getId(), at: performance.timeOrigin + performance.now() });
  }

  function followCall(dialog) {
    showDialog(dialog);
    dialog.addHandler("change", showDialog);
  }

  function onCallAdded(dialog) {
    recordAdd(dialog);
    followCall(dialog);
  }

  /** Items already there at load come with onLoad, not onCollectionAdd (Cisco's 10.5.1 builds silently). */
  function eachItem(collection, fn) {
    var items = collection.getCollection();
    Object.keys(items).forEach(function (id) { fn(items[id]); });
  }

  function onCallRemoved(dialog) {
    showDialog(dialog);
    dialogItem("dialogs", "dialog-", dialog).dataset.removed = "true";
  }

  function showTask(media, dialog, ended) {
    var item = dialogItem("tasks", "task-", dialog);
    var state = ended ? "CLOSED" : dialog.getState();
    item.dataset.state = state;
    item.textContent = media.getName() + ": " + dialog.getFromAddress() + " " + state;
    fit();
  }

  function watchMedia(list) {
    list.getMediaIds().forEach(function (mediaId) {
      list.getMedia({ id: mediaId, onLoad: function (media) {
        function followTask(dialog) {
          showTask(media, dialog, false);
          dialog.addHandler("change", function () { showTask(media, dialog, false); });
        }
        media.getMediaDialogs({
          onCollectionAdd: function (dialog) {
            recordAdd(dialog);
            followTask(dialog);
          },
          onCollectionDelete: function (dialog) { showTask(media, dialog, true); },
          onLoad: function (dialogs) { eachItem(dialogs, followTask); }
        });
      } });
    });
  }

  function saveNote() {
    prefs.set("note", $("#note-input").val());
    $("#note-saved").text("saved");
  }

  function sendEcho() {
    var params = {};
    var P = gadgets.io.RequestParameters;
    params[P.METHOD] = gadgets.io.MethodType.POST;
    params[P.POST_DATA] = "hello from " + user.getId();
    params[P.HEADERS] = { "X-Test-Gadget": "1" };
    params[P.CONTENT_TYPE] = gadgets.io.ContentType.JSON;
    var specUrl = gadgets.util.getUrlParameters().url;
    gadgets.io.makeRequest(new URL(prefs.getString("echoPath"), specUrl).href, function (response) {
      var text = response.errors.length ? "error " + response.rc + ": " + response.errors.join("; ")
        : response.rc + " " + response.data.method + " " + response.data.body + " " + response.data.headers["X-Test-Gadget"];
      $("#echo-result").text(text);
      fit();
    }, params);
  }

  return {
    init: function () {
      var config = finesse.gadget.Config;
      var clientServices = finesse.clientservices.ClientServices;
      var containerServices = finesse.containerservices.ContainerServices.init();
      clientServices.init(config);
      clientServices.registerOnConnectHandler(function () {
        $("#hub-connection").text("connected");
        fit();  // the line appears when the desktop's notification connection is up, maybe after the first fit
      });
      finesse.cslogger.ClientLogger.init(gadgets.Hub, "TestGadget");
      containerServices.addHandler(finesse.containerservices.ContainerServices.Topics.ACTIVE_TAB, function () {
        window.testGadget.tabShown += 1;
        $("#tab-state").text("visible");
        fit();
      });
      $("#note-input").val(prefs.getString("note"));
      $("#note-save").on("click", saveNote);
      $("#echo-send").on("click", sendEcho);
      user = new finesse.restservices.User({
        id: config.id,
        onLoad: function () {
          renderUser();
          containerServices.setMyGadgetTitle(prefs.getMsg("title") + " – " + user.getFullName());
          user.getDialogs({ onCollectionAdd: onCallAdded, onCollectionDelete: onCallRemoved,
                            onLoad: function (dialogs) { eachItem(dialogs, followCall); } });
          user.getMediaList({ onLoad: watchMedia });
          gadgets.loadingindicator.dismiss();
        },
        onChange: renderUser
      });
    }
  };
}(jQuery));
