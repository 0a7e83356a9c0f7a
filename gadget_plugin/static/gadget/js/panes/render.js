/** Render every pane from the store (each pane updates in place; see CC.ui.keyed). */
var CC = window.CC || (window.CC = {});

CC.panes = (function () {
  "use strict";

  /** Hover details whose row was rebuilt away (no mouseleave or blur comes then) must not stay on screen. */
  function hideOrphanTooltip() {
    var tip = document.getElementById("cc-tooltip");
    if (!tip.hidden && !document.querySelector('[aria-describedby="cc-tooltip"]')) {
      tip.hidden = true;
    }
  }

  /**
   * Bring every pane in line with the state. Panes keep what they built while it still shows the same thing;
   * when a focused element was rebuilt anyway (a button in a changed list), the focus goes to its successor.
   */
  function render(state) {
    var active = document.activeElement;
    var focusKey = active && active.getAttribute ? active.getAttribute("data-focus-key") : null;
    var entry = CC.store.current();
    CC.management.render(state);
    CC.customerPane.render(entry, state);
    CC.journey.render(entry, state);
    CC.details.render(entry);
    CC.notices.render();
    document.getElementById("cc-empty").hidden = Boolean(entry || state.pickList);
    hideOrphanTooltip();
    // Two work columns only when there are details to show beside the journey (see gadget.css).
    document.getElementById("cc-work").classList.toggle("cc-work--details", !document.getElementById("cc-details").hidden);
    if (!(state.focusNext && focusNext(state)) && focusKey && !document.contains(active)) {
      var again = document.querySelector('[data-focus-key="' + window.CSS.escape(focusKey) + '"]');
      if (again) {
        again.focus();
      }
    }
  }

  /** Focus the control an action asked for (state.focusNext, a data-focus-key); asked once, on this render. */
  function focusNext(state) {
    var target = document.querySelector('[data-focus-key="' + window.CSS.escape(state.focusNext) + '"]');
    state.focusNext = null;
    if (target) {
      target.focus();
    }
    return Boolean(target);
  }

  return {render: render};
}());
