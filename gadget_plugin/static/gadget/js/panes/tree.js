/**
 * The WAI-ARIA tree pattern for a list of rows (role=tree / treeitem / group): the whole tree is one tab stop
 * (roving tabindex), Up/Down go between the visible rows, Right/Left expand/collapse a parent or go to its first
 * child / its parent, Home/End to the first/last row, Enter or Space activates the row.
 */
var CC = window.CC || (window.CC = {});

CC.tree = (function () {
  "use strict";

  var ROW = '[role="treeitem"]';

  function rowOf(node) {
    return node && node.closest ? node.closest(ROW) : null;
  }

  /** The rows a keyboard can reach: those not inside a collapsed parent. */
  function visibleRows(tree) {
    return Array.prototype.filter.call(tree.querySelectorAll(ROW), function (row) {
      var parent = row.parentElement && rowOf(row.parentElement);
      while (parent) {
        if (parent.getAttribute("aria-expanded") === "false") {
          return false;
        }
        parent = parent.parentElement && rowOf(parent.parentElement);
      }
      return true;
    });
  }

  /** The row itself when the agent can see it, else its nearest ancestor that is not inside a collapsed one. */
  function visibleRowOf(tree, row) {
    var visible = visibleRows(tree);
    var candidate = row;
    while (candidate && visible.indexOf(candidate) === -1) {
      candidate = candidate.parentElement && rowOf(candidate.parentElement);
    }
    return candidate;
  }

  /**
   * A row was collapsed: when the tab stop was inside it (now hidden), the row itself becomes the tab stop, with
   * the focus if the focus was in there too.
   */
  function collapsed(tree, row) {
    var stop = tree.querySelector(ROW + '[tabindex="0"]');
    if (stop && stop !== row && row.contains(stop)) {
      activate(tree, row, row.contains(document.activeElement));
    }
  }

  /** Make `row` the tree's one tab stop (and focus it, unless told not to). */
  function activate(tree, row, focus) {
    Array.prototype.forEach.call(tree.querySelectorAll(ROW), function (other) {
      var stop = other === row ? 0 : -1;
      if (other.tabIndex !== stop) {
        other.tabIndex = stop; // unchanged rows are left alone: a write would make the browser look at them again
      }
    });
    if (tree.ccOnActive) {
      tree.ccOnActive(row);
    }
    if (focus !== false) {
      row.focus();
    }
  }

  function firstChild(row) {
    return row.querySelector(ROW);
  }

  function handleKey(tree, event, options) {
    var row = rowOf(event.target);
    if (!row || !tree.contains(row)) {
      return;
    }
    var rows = visibleRows(tree);
    var index = rows.indexOf(row);
    var expanded = row.getAttribute("aria-expanded");
    var next = null;
    if (event.key === "ArrowDown") {
      next = rows[index + 1];
    } else if (event.key === "ArrowUp") {
      next = rows[index - 1];
    } else if (event.key === "Home") {
      next = rows[0];
    } else if (event.key === "End") {
      next = rows[rows.length - 1];
    } else if (event.key === "ArrowRight" && expanded === "false") {
      options.onToggle(row, true);
    } else if (event.key === "ArrowRight" && expanded === "true") {
      next = firstChild(row);
    } else if (event.key === "ArrowLeft" && expanded === "true") {
      options.onToggle(row, false);
    } else if (event.key === "ArrowLeft") {
      next = row.parentElement && rowOf(row.parentElement);
    } else if ((event.key === "Enter" || event.key === " ") && event.target === row) {
      options.onActivate(row);
    } else {
      return;
    }
    event.preventDefault();
    if (next) {
      activate(tree, next);
    }
  }

  /**
   * Wire a tree: options.onActivate(row) on Enter/Space, options.onToggle(row, expand) on Right/Left,
   * options.onActive(row) when a row becomes the tab stop; options.active: the row to start as the tab stop. A
   * tree kept across rebuilds is wired again with the new options (its listeners are added once).
   */
  function wire(tree, options) {
    tree.ccOptions = options;
    tree.ccOnActive = options.onActive;
    if (!tree.ccWired) {
      tree.ccWired = true;
      tree.setAttribute("role", "tree");
      tree.addEventListener("keydown", function (event) { handleKey(tree, event, tree.ccOptions); });
      tree.addEventListener("focusin", function (event) {
        var row = rowOf(event.target);
        if (row && row.tabIndex !== 0) {
          activate(tree, row, false);
        }
      });
    }
    // A remembered or selected row inside a collapsed request cannot take the focus: its visible parent does.
    var start = (options.active && visibleRowOf(tree, options.active)) || tree.querySelector(ROW);
    if (start) {
      activate(tree, start, false);
    }
  }

  return {wire: wire, activate: activate, collapsed: collapsed};
}());
