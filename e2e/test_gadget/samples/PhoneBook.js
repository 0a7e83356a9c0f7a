/**
 * Phone book sample: the agent's phone books and their contacts (finesse.restservices.PhoneBooks, PhoneBook,
 * Contacts, Contact); clicking a contact calls it with User.makeCall, and the new dialog's state is shown.
 */
var finesse = window.finesse || {};
finesse.modules = finesse.modules || {};

finesse.modules.PhoneBookSample = (function ($) {
  "use strict";

  var user;

  function contactItem(contact) {
    var button = $("<button type='button' class='contact'>")
      .text(contact.getFirstName() + " " + contact.getLastName() + " (" + contact.getPhoneNumber() + ")")
      .attr("title", contact.getDescription())
      .on("click", function () {
        user.makeCall(contact.getPhoneNumber(), { error: function (rsp) { $("#call-state").text("error " + rsp.status); } });
      });
    return $("<li>").append(button);
  }

  function showBook(book) {
    var list = $("<ul class='contacts'>");
    $("<li class='phonebook'>").attr("data-type", book.getType()).text(book.getName()).append(list)
      .appendTo("#phonebooks");
    book.getContacts({ onLoad: function (contacts) {
      var all = contacts.getCollection();
      Object.keys(all).forEach(function (id) { list.append(contactItem(all[id])); });
      gadgets.window.adjustHeight();
    } });
  }

  function onPhoneBooksLoaded(books) {
    var all = books.getCollection();
    Object.keys(all).forEach(function (id) { showBook(all[id]); });
  }

  return {
    init: function () {
      var cfg = finesse.gadget.Config;
      finesse.clientservices.ClientServices.init(cfg, false);
      user = new finesse.restservices.User({ id: cfg.id, onLoad: function () {
        user.getPhoneBooks({ onLoad: onPhoneBooksLoaded });
        user.getDialogs({ onCollectionAdd: function (dialog) {
          $("#call-state").text(dialog.getToAddress() + " " + dialog.getState());
          dialog.addHandler("change", function () { $("#call-state").text(dialog.getToAddress() + " " + dialog.getState()); });
        } });
      } });
      finesse.containerservices.ContainerServices.init();
    }
  };
}(jQuery));
