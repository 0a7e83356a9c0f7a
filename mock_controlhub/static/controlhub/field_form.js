// Field form: show the single-select options and default option only for the Single-select list data type.
(function () {
  "use strict";
  var kind = document.getElementById("kind");
  var rows = document.querySelectorAll("[data-enum-only]");
  function sync() {
    var isEnum = kind.value === "enum";
    rows.forEach(function (row) { row.hidden = !isEnum; });
  }
  if (kind) {
    kind.addEventListener("change", sync);
    sync();
  }
})();
