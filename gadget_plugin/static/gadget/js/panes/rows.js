/**
 * The journey's row cache: the rows (and other parts) of the last build, by what they show, for its entry and
 * language. A rebuild takes the row of an unchanged activity from it instead of building a new one, and place()
 * leaves it where it is, so a row stays the same node (its focus, its hover details) when only something else of
 * the journey changed, and the browser lays out again only what did change.
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

  /**
   * Make `nodes` (nulls skipped) the children of `parent`, in this order, touching only what is not in place:
   * children that are not among them are removed first, then the missing or misplaced ones are inserted. A node
   * taken out and put back is laid out anew, one left in place is not.
   */
  function place(parent, nodes) {
    var wanted = nodes.filter(Boolean);
    var keep = new Set(wanted);
    Array.prototype.slice.call(parent.childNodes).forEach(function (child) {
      if (!keep.has(child)) {
        parent.removeChild(child);
      }
    });
    wanted.forEach(function (node, index) {
      var there = parent.childNodes[index] || null;
      if (there !== node) {
        parent.insertBefore(node, there);
      }
    });
  }

  return {shownPart: shownPart, rebuild: rebuild, row: row, place: place};
}());
