/**
 * A finesse.js we did not write, standing in for Cisco's own (which users supply through FINESSE_JS; its
 * licence keeps it out of this repository). It has the load-time behaviour of Cisco's 10.5.1 library that a
 * desktop must survive (finesse-10.5.1.js, its last module): it needs jQuery and gadgets.* as it loads, and
 * inside a gadget (gadgets.Prefs present) it copies the per-tab session item userFinesseAuth into the
 * authorization pref. It has none of our finesse.js's internals: no finesse.utilities.Utilities.xml2JsObj.
 */
(function ($, gadgets) {
  "use strict";

  var finesse = window.finesse = window.finesse || {};
  finesse.foreignLibrary = { jQuery: $.fn.jquery };
  finesse.utilities = finesse.utilities || {};
  finesse.utilities.Utilities = {
    getUserAuthString: function () { return window.sessionStorage.getItem("userFinesseAuth"); }
  };
  if (gadgets.Prefs) {
    new gadgets.Prefs().set("authorization", finesse.utilities.Utilities.getUserAuthString());
  }
}(jQuery, gadgets));
