/** Moving activities: to another open request or a new one, to another customer (with Undo). A move waits for
 * the activity's queued writes and sends the lastUpdated the last of them returned. */
var CC = window.CC || (window.CC = {});
CC.actions = CC.actions || {};

CC.actions.moves = (function () {
  "use strict";

  var store = CC.store;
  var state = CC.store.state;
  var customers = CC.actions.customers;

  /** The focus key of an activity's row in the journey: where the focus goes once it has moved. */
  function rowKey(activityId) {
    return "journey:" + activityId;
  }

  /** POST the move after the activity's queued writes; resolves with {activity, move}. */
  function queuedMove(activity, body) {
    return CC.writes.after("activity", activity.id, function (current) {
      return CC.api.moveActivity(activity.id, Object.assign({lastUpdated: current.lastUpdated}, body));
    }, activity);
  }

  /** A refused move: a 409 is a caution on the activity (Load shows where it is now), anything else a notice. */
  function refused(entry, activity, error) {
    if (error.status === 409 && error.current) {
      entry.cautions["activity:" + activity.id] = {theirs: error.current, base: activity, when: error.current.lastUpdated,
        who: CC.actions.edits.otherContributor(error.current), what: []};
      store.changed();
      return;
    }
    CC.actions.errors.handle(error);
  }

  /** Move an activity to another open request of the same customer, or to a new one ("new"). */
  function moveToRequest(entry, activity, requestId) {
    return queuedMove(activity, {requestId: requestId}).then(function (result) {
      entry.selected = {type: "activity", id: result.activity.id};
      state.focusNext = rowKey(result.activity.id);
      CC.notices.show(CC.i18n.t("move.done"), {kind: "success"});
      return customers.reloadJourney(entry);
    }).then(null, function (error) { refused(entry, activity, error); });
  }

  /** Move an activity to another customer (a new request there), then show that customer, offering Undo. */
  function moveToCustomer(entry, activity, target) {
    return queuedMove(activity, {requestId: "new", customerId: target.id}).then(function (result) {
      state.lastMove = {move: result.move, fromCustomerId: entry.customer.id};
      return customers.reloadJourney(entry).then(function () {
        return customers.openCustomer(target);
      }).then(function (targetEntry) {
        targetEntry.selected = {type: "activity", id: result.activity.id};
        state.focusNext = rowKey(result.activity.id);
        store.changed();
        CC.notices.show(CC.i18n.t("move.toCustomerDone", {name: customers.displayName(target)}), {kind: "success", actions: [
          {label: CC.i18n.t("action.undo"), value: "undo", onclick: undoLastMove}
        ]});
      });
    }, function (error) { refused(entry, activity, error); });
  }

  /** Undo the last move to another customer and show the original customer again. */
  function undoLastMove() {
    var last = state.lastMove;
    if (!last) {
      return Promise.resolve();
    }
    return CC.api.undoMove(last.move.id).then(function (result) {
      state.lastMove = null;
      var target = store.entryOf(last.move.to.customerId);
      var reloadTarget = target ? customers.reloadJourney(target) : Promise.resolve();
      return reloadTarget.then(function () { return customers.openCustomerById(last.fromCustomerId); }).then(function () {
        var origin = store.entryOf(last.fromCustomerId);
        if (origin) {
          origin.selected = {type: "activity", id: result.activity.id};
          state.focusNext = rowKey(result.activity.id);
        }
        CC.notices.show(CC.i18n.t("move.undone"), {kind: "success"});
        store.changed();
      });
    }, function (error) { CC.actions.errors.handle(error); });
  }

  return {moveToRequest: moveToRequest, moveToCustomer: moveToCustomer, undoLastMove: undoLastMove};
}());
