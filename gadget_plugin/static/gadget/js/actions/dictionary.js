/**
 * The field dictionary (labels in the agent's language, each fieldset's fields), read from the proxy at start and
 * again on a screen pop or a customer opened once the copy in hand is older than the proxy keeps its own
 * (`cacheSeconds`), so a label an admin changes in Control Hub shows without a reload. The panes update the
 * labels in place; inputs and drafts are not touched.
 */
var CC = window.CC || (window.CC = {});
CC.actions = CC.actions || {};

CC.actions.dictionary = (function () {
  "use strict";

  var DEFAULT_TTL_SECONDS = 30; // the proxy's default DICTIONARY_CACHE_SECONDS, for an answer without cacheSeconds
  var readAt = 0;
  var ttlSeconds = DEFAULT_TTL_SECONDS;
  var reading = null;

  function older() {
    return Date.now() - readAt >= ttlSeconds * 1000;
  }

  /**
   * Read the dictionary when the copy in hand is too old (always with force); resolves with the dictionary in
   * the store. The store changes (and the panes render) only when something in it changed.
   */
  function refresh(force) {
    var state = CC.store.state;
    if (reading || (!force && !older())) {
      return reading || Promise.resolve(state.fields);
    }
    reading = CC.api.fields().then(function (fields) {
      readAt = Date.now();
      ttlSeconds = typeof fields.cacheSeconds === "number" ? fields.cacheSeconds : DEFAULT_TTL_SECONDS;
      if (JSON.stringify(fields) !== JSON.stringify(state.fields)) {
        state.fields = fields;
        CC.store.changed();
      }
      return state.fields;
    }).finally(function () { reading = null; });
    return reading;
  }

  /** Read it again in the background when it is old (a failure keeps the copy in hand, and says nothing). */
  function refreshIfOld() {
    refresh(false).then(null, function () { return null; });
  }

  return {refresh: refresh, refreshIfOld: refreshIfOld};
}());
