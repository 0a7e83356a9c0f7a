/**
 * Editors for the dictionary fields of a customer, request or activity, built once per object and then updated
 * in place: an input the agent is in is never touched, one holding a draft shows the draft. Each field shows its
 * save state (editing · saving · saved · not saved + why); after Load, a field another agent changed too shows
 * their value with the agent's own text beside it (keep mine / take theirs / copy).
 */
var CC = window.CC || (window.CC = {});

CC.fieldEditors = (function () {
  "use strict";

  var ui = CC.ui;
  var store = CC.store;
  var edits = CC.actions.edits;
  var MULTILINE = ["Context_Description", "Context_Notes", "Context_Comment"];
  var LANGUAGE_TAGS = ["Context_Preferred_Language"]; // options are BCP 47 tags: shown by name
  var STATE_TEXT = {editing: "save.editing", saving: "save.saving", saved: "save.saved", failed: "save.failed",
    invalid: "save.failed"};

  function t(key, params) {
    return CC.i18n.t(key, params);
  }

  /** A field's label in the agent's language (from the dictionary), else its id. */
  function labelOf(id, dictionary) {
    return ((dictionary.fields || {})[id] || {}).label || id;
  }

  function isConflict(type, id, field) {
    var draft = CC.drafts.get(type, id);
    return Boolean(draft && draft.conflicts[field]);
  }

  function smallButton(action, label, onclick) {
    return ui.el("button", {type: "button", class: "cc-button cc-button--small", "data-action": action, text: label,
      onclick: onclick});
  }

  /** The agent's own text beside their value, with the three ways out of the conflict. */
  function mineBox(ctx, field) {
    var mine = store.draftValue(ctx.type, ctx.id, field);
    return ui.el("div", {class: "cc-mine", role: "group", "data-mine": field, "aria-label": t("conflict.mine")}, [
      ui.el("p", {class: "cc-mine__label", text: t("conflict.mine")}),
      ui.el("p", {class: "cc-mine__text", text: String(mine === null || mine === undefined ? "" : mine)}),
      smallButton("keep-mine", t("action.keepMine"), function () { edits.keepMine(ctx.entry, ctx.type, ctx.id, field); }),
      smallButton("take-theirs", t("action.takeTheirs"), function () { edits.takeTheirs(ctx.type, ctx.id, field); }),
      smallButton("copy-mine", t("action.copy"), function () { edits.copyMine(ctx.type, ctx.id, field); })
    ]);
  }

  /** A draft that is not being saved (its save failed, or it waits after Load): Save or Discard it. */
  function unsavedHint(ctx, field, view) {
    return ui.el("div", {class: "cc-unsaved", role: "status"}, [
      ui.el("span", {text: t("draft.unsaved")}),
      smallButton("save-draft", t("action.save"), function () {
        edits.saveField(ctx.entry, ctx.type, ctx.id, field, view.value());
      }),
      smallButton("discard-draft", t("action.discard"), function () { edits.discardField(ctx.type, ctx.id, field); })
    ]);
  }

  /** Fill a slot with a node only when what it shows changed (same key: left alone). */
  function slot(node, key, build) {
    ui.keyed(node, key, function (host) {
      var built = key ? build() : null;
      if (built) {
        host.appendChild(built);
      }
      return built;
    });
  }

  /** One field's editor; update() brings it in line with the store. */
  function editor(ctx, field, dictionary, options) {
    var definition = (dictionary.fields || {})[field] || {dataType: "string"};
    var label = labelOf(field, dictionary);
    var view = ui.valueField(definition, {field: field, label: label, multiline: MULTILINE.indexOf(field) !== -1,
      readOnly: options.readOnly, value: shownValue(ctx, field),
      optionLabel: LANGUAGE_TAGS.indexOf(field) !== -1 ? CC.i18n.languageName : null});
    var labelNode = view.root.querySelector("label");
    var stateLine = ui.el("p", {class: "cc-save-state", "data-save-state": field, "aria-live": "polite"});
    var mineSlot = ui.el("div", {class: "cc-slot"});
    var hintSlot = ui.el("div", {class: "cc-slot"});
    view.root.appendChild(stateLine);
    view.root.appendChild(mineSlot);
    view.root.appendChild(hintSlot);

    view.input.addEventListener(view.input.type === "checkbox" ? "change" : "input", function () {
      view.clearError();
      edits.typed(ctx.entry, ctx.type, ctx.object, field, view.value());
    });
    if (options.autosave) {
      view.input.addEventListener("change", function () {
        view.clearError();
        if (view.overLimit()) {
          view.showError(ui.limitMessage(label, view.value().length));
          return;
        }
        edits.saveField(ctx.entry, ctx.type, ctx.id, field, view.value());
      });
      view.input.addEventListener("blur", update);
    }

    function update() {
      var focused = document.activeElement === view.input;
      // The id changes once, when a draft request is stored: the same input then edits the stored request.
      view.input.setAttribute("data-focus-key", ctx.type + ":" + ctx.id + ":" + field);
      // A label an admin changed shows in place (the dictionary is read again on the next screen pop).
      label = labelOf(field, store.state.fields);
      if (labelNode && labelNode.textContent !== label) {
        labelNode.textContent = label;
      }
      var conflict = isConflict(ctx.type, ctx.id, field);
      var draft = store.draftValue(ctx.type, ctx.id, field);
      if (!focused) {
        var shown = shownValue(ctx, field);
        if (!CC.writes.same(view.value(), shown)) {
          view.setValue(shown);
        }
      }
      var saveState = store.saveState(ctx.type, ctx.id, field);
      var name = saveState ? saveState.state : "";
      if (name === "invalid") {
        view.showError(saveState.why);
      }
      stateLine.setAttribute("data-state", name);
      stateLine.textContent = name ? t(STATE_TEXT[name], {why: saveState.why}) : "";
      slot(mineSlot, conflict ? "mine:" + draft : "", function () { return mineBox(ctx, field); });
      var waiting = options.autosave && draft !== undefined && !conflict && !focused &&
        (!name || name === "failed" || name === "invalid") && !CC.writes.isPending(ctx.type, ctx.id);
      slot(hintSlot, waiting ? "hint" : "", function () { return unsavedHint(ctx, field, view); });
    }

    update();
    return {root: view.root, view: view, update: update};
  }

  /** What a field shows when the agent is not in it: their value during a conflict, else the draft or stored. */
  function shownValue(ctx, field) {
    var stored = (ctx.object.fields || {})[field];
    if (isConflict(ctx.type, ctx.id, field)) {
      return stored;
    }
    var draft = store.draftValue(ctx.type, ctx.id, field);
    return draft !== undefined ? draft : stored;
  }

  /**
   * Bring the editors in line with the fields to show (a dictionary read again may add or drop some): a new field's
   * editor is inserted in its place without moving the others, so the input the agent is in keeps its text, caret
   * and focus; a dropped one goes, unless the agent is in it.
   */
  function showFields(made, ids) {
    var previous = null;
    ids.forEach(function (field) {
      if (!made.editors[field]) {
        made.editors[field] = editor(made.ctx, field, store.state.fields, made.options);
        made.views[field] = made.editors[field].view;
        made.root.insertBefore(made.editors[field].root, previous ? previous.nextSibling : made.root.firstChild);
      }
      previous = made.editors[field].root;
    });
    Object.keys(made.editors).forEach(function (field) {
      var root = made.editors[field].root;
      if (ids.indexOf(field) === -1 && !root.contains(document.activeElement)) {
        root.remove();
        delete made.editors[field];
        delete made.views[field];
      }
    });
  }

  /**
   * Editors for an object's fields, labelled from the dictionary in the store: {root, views: {field: view},
   * update(entry, object, ids)} (ids: the fields to show now, when they may have changed). options: autosave (save on leaving a field), readOnly, draftId (the id
   * drafts are kept under; a new customer's entry key).
   */
  function build(entry, type, object, ids, options) {
    var made = {ctx: {entry: entry, type: type, object: object, id: options.draftId || object.id},
      root: ui.el("div", {class: "cc-fields"}), views: {}, editors: {}, options: options};
    showFields(made, ids);
    return {
      root: made.root,
      views: made.views,
      update: function (nextEntry, nextObject, nextIds) {
        made.ctx.entry = nextEntry;
        made.ctx.object = nextObject;
        made.ctx.id = options.draftId || nextObject.id;
        if (nextIds) {
          showFields(made, nextIds);
        }
        Object.keys(made.editors).forEach(function (field) { made.editors[field].update(); });
      }
    };
  }

  return {build: build, labelOf: labelOf};
}());
