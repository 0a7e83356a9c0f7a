/**
 * The part of the gadget's frame the agent can see. Finesse sizes the gadget's iframe to its content
 * (adjustHeight), so the desktop page scrolls, not the gadget: `position: fixed` and window.innerHeight say
 * nothing about what is on screen. An IntersectionObserver with the implicit root measures against the top-level
 * viewport, also from a cross-origin frame, so it tells us which part of this document is visible.
 */
var CC = window.CC || (window.CC = {});

CC.inView = (function () {
  "use strict";

  var STEPS = 100;
  var MARGIN = 8;
  var last = null;
  var watchers = [];

  /** The whole window, when the observer has nothing to say (not visible, or no IntersectionObserver). */
  function wholeWindow() {
    return {top: 0, bottom: window.innerHeight, left: 0, right: window.innerWidth};
  }

  function fromEntries(entries) {
    var rect = entries[entries.length - 1].intersectionRect;
    return rect && rect.height > 0 ? {top: rect.top, bottom: rect.bottom, left: rect.left, right: rect.right} : null;
  }

  /** The visible part of the frame in client coordinates ({top, bottom, left, right}), as last seen. */
  function area() {
    return last || wholeWindow();
  }

  /** Measure the visible part now; resolves with it (client coordinates). */
  function measure() {
    if (!window.IntersectionObserver) {
      return Promise.resolve(wholeWindow());
    }
    return new Promise(function (resolve) {
      var observer = new window.IntersectionObserver(function (entries) {
        observer.disconnect();
        last = fromEntries(entries);
        resolve(area());
      });
      observer.observe(document.documentElement);
    });
  }

  /** Call fn(area) whenever the visible part changes noticeably (the desktop page scrolled or resized). */
  function watch(fn) {
    watchers.push(fn);
    if (watchers.length > 1 || !window.IntersectionObserver) {
      return;
    }
    var thresholds = [];
    for (var step = 0; step <= STEPS; step += 1) {
      thresholds.push(step / STEPS);
    }
    new window.IntersectionObserver(function (entries) {
      last = fromEntries(entries);
      watchers.forEach(function (watcher) { watcher(area()); });
    }, {threshold: thresholds}).observe(document.documentElement);
  }

  /**
   * Place a fixed-position box next to its anchor (below it, else above it), always inside the visible part;
   * a box taller than that part scrolls inside itself. Without an anchor it goes to the top of the visible part.
   */
  function place(box, anchor, visible) {
    var view = visible || area();
    var room = view.bottom - view.top - 2 * MARGIN;
    box.style.maxHeight = Math.max(120, room) + "px";
    var height = box.offsetHeight;
    var target = anchor && anchor.getBoundingClientRect && document.contains(anchor) ? anchor.getBoundingClientRect() : null;
    var top = view.top + MARGIN;
    if (target && target.height) {
      top = target.bottom + MARGIN + height <= view.bottom ? target.bottom + MARGIN : target.top - MARGIN - height;
    }
    top = Math.min(Math.max(top, view.top + MARGIN), Math.max(view.top + MARGIN, view.bottom - MARGIN - height));
    box.style.top = Math.round(top) + "px";
    box.style.left = Math.round(Math.max(MARGIN, (window.innerWidth - box.offsetWidth) / 2)) + "px";
  }

  return {area: area, measure: measure, watch: watch, place: place};
}());
