/**
 * The journey's row cache: the activity rows of the last build, by what they show, for its entry and language. A
 * rebuild takes the row of an unchanged activity from it instead of building a new one, so a row stays the same
 * node (its focus, its hover details) when only something else of the journey changed.
 */
var CC = window.CC || (window.CC = {});

CC.rows = (function () {
  "use strict";

  var built = {entry: null, locale: null, rows: {}};
  var building = {};

  /** What a row shows of an activity or request: everything but the comments (the details pane's). */
  function shownPart(name, value) { return name === "comments" || name === "commentsUnread" ? undefined : value; }

  /** Run build() with the rows of the last build at hand (none when `fresh`, another entry or another language). */
  function rebuild(entry, locale, fresh, build) {
    if (fresh || built.entry !== entry || built.locale !== locale) {
      built.rows = {};
    }
    building = {};
    build();
    built = {entry: entry, locale: locale, rows: building};
  }

  /** The row of the last build keyed by `parts` (made JSON without the comments), else make()'s new one. */
  function row(parts, make) {
    var key = JSON.stringify(parts, shownPart);
    var found = built.rows[key] || make();
    delete built.rows[key];
    building[key] = found;
    return found;
  }

  return {shownPart: shownPart, rebuild: rebuild, row: row};
}());
