/** Activity details: media type, fields with localized labels, tags, comments, and Move to another customer. */
var CC = window.CC || (window.CC = {});

CC.activityPane = (function () {
  "use strict";

  var ui = CC.ui;
  var TAG_LIMIT = 50;

  function t(key, params) {
    return CC.i18n.t(key, params);
  }

  /** Why a new tag is refused ("" when it is fine): empty, longer than 50 characters, or already there. */
  function tagProblem(tag, tags) {
    if (!tag) {
      return "";
    }
    if (tag.length > TAG_LIMIT) {
      return t("tags.tooLong", {limit: TAG_LIMIT, count: tag.length});
    }
    var lower = tag.toLowerCase();
    if (tags.some(function (other) { return other.trim().toLowerCase() === lower; })) {
      return t("tags.duplicate", {tag: tag});
    }
    return "";
  }

  /**
   * The tags: the list shows the stored tags with the queued operations applied; the input is built once, so
   * a tag save coming back never takes what the agent is typing. Returns {root, update(entry, activity)}.
   */
  function tagsSection(ctx, readOnly) {
    var inputId = ui.uid("tag");
    var error = ui.el("p", {id: inputId + "-error", class: "cc-field-error", role: "alert", hidden: true});
    var list = ui.el("ul", {class: "cc-tags", "aria-label": t("activity.tags")});

    function showError(message) {
      error.textContent = message;
      error.hidden = !message;
    }

    var parts = [ui.el("h4", {text: t("activity.tags")}), list];
    if (!readOnly) {
      var input = ui.el("input", {id: inputId, type: "text", class: "cc-input cc-tag-input", "aria-describedby": inputId + "-error",
        placeholder: t("tags.placeholder")});
      input.addEventListener("keydown", function (event) {
        var tag = input.value.trim();
        if ((event.key !== "Enter" && event.key !== "Tab") || (event.key === "Tab" && !tag)) {
          return;
        }
        event.preventDefault();
        var problem = tagProblem(tag, CC.writes.tagsShown(ctx.activity));
        showError(problem);
        if (tag && !problem) {
          input.value = "";
          CC.actions.edits.changeTag(ctx.entry, ctx.activity.id, {add: tag});
        }
      });
      input.addEventListener("input", function () { showError(""); });
      parts.push(ui.el("label", {for: inputId, text: t("tags.add")}), input, error,
        ui.el("p", {class: "cc-hint", text: t("tags.hint", {limit: TAG_LIMIT})}));
    }

    function tagItem(tag) {
      return ui.el("li", {class: "cc-tag"}, [
        ui.el("span", {class: "cc-tag__text", text: tag}),
        readOnly ? null : ui.el("button", {type: "button", class: "cc-tag__remove", "aria-label": t("tags.remove", {tag: tag}),
          text: "×", onclick: function () { CC.actions.edits.changeTag(ctx.entry, ctx.activity.id, {remove: tag}); }})
      ]);
    }

    return {root: ui.el("section", {class: "cc-tags-section"}, parts), update: function () {
      var tags = CC.writes.tagsShown(ctx.activity);
      ui.keyed(list, JSON.stringify(tags), function () { tags.forEach(function (tag) { list.appendChild(tagItem(tag)); }); });
    }};
  }

  function commentItem(meta, text, pending) {
    return ui.el("li", {class: "cc-comment" + (pending ? " cc-comment--pending" : "")}, [
      ui.el("p", {class: "cc-comment__meta", text: meta}),
      ui.el("p", {class: "cc-comment__text"}, [ui.linkify(text)])
    ]);
  }

  /** The comments, newest first, below the ones still on their way (shown at once, marked "Saving…"). */
  function commentList(comments, pending) {
    var list = ui.el("ol", {class: "cc-comments", "aria-label": t("comments.title")});
    pending.slice().reverse().forEach(function (item) { list.appendChild(commentItem(t("save.saving"), item.text, true)); });
    comments.slice().sort(function (a, b) { return a.created < b.created ? 1 : -1; }).forEach(function (comment) {
      list.appendChild(commentItem(t("comments.meta", {author: comment.author || "—",
        when: CC.i18n.dateTime(comment.created)}), comment.text, false));
    });
    return comments.length || pending.length ? list : ui.el("p", {class: "cc-muted", text: t("comments.none")});
  }

  /** Comments not read yet: "loading comments…", or, when they could not be read, that and Retry. */
  function unreadComments(entry, state) {
    if (state !== "failed") {
      return ui.el("p", {class: "cc-muted", role: "status", text: t("comments.loading")});
    }
    return ui.el("div", {class: "cc-comments-failed", role: "alert"}, [
      ui.el("p", {text: t("comments.failed")}),
      ui.el("button", {type: "button", class: "cc-button cc-button--small", "data-action": "retry-comments",
        text: t("action.retryLoad"), onclick: function () { CC.actions.completion.completeJourney(entry); }})
    ]);
  }

  /**
   * Comments: the list is updated in place; the New comment box is built once and emptied as soon as a comment
   * is sent (the agent can write the next one at once); a comment that cannot be stored goes back into the box.
   * Returns {root, update()}.
   */
  function commentsSection(ctx, readOnly) {
    var listSlot = ui.el("div", {});
    var pending = [];
    var parts = [ui.el("h4", {text: t("comments.title")}), listSlot];
    var update = function () {
      var comments = ctx.activity.comments;
      // Not read yet (the screen pop answered before its comments): that, above those the agent added meanwhile;
      // a failed read offers Retry.
      var unread = ctx.activity.commentsUnread ? ctx.entry.completion || "loading" : null;
      ui.keyed(listSlot, JSON.stringify([comments, pending, unread]), function () {
        if (unread) {
          listSlot.appendChild(unreadComments(ctx.entry, unread));
        }
        if (!unread || (comments || []).length || pending.length) {
          listSlot.appendChild(commentList(comments || [], pending));
        }
      });
    };
    if (!readOnly) {
      var field = ui.textField({field: "comment", label: t("comments.add"), multiline: true,
        value: CC.store.draftValue("comment", ctx.activity.id, "text") || ""});
      field.input.addEventListener("input", function () {
        CC.actions.edits.commentTyped(ctx.entry, ctx.activity.id, field.value());
      });
      parts.push(field.root, ui.el("button", {type: "button", class: "cc-button", "data-action": "add-comment",
        text: t("action.addComment"), onclick: function () {
          var text = field.value().trim();
          field.clearError();
          if (!text) {
            return;
          }
          if (field.overLimit()) {
            field.showError(ui.limitMessage(t("comments.add"), field.value().length));
            return;
          }
          // One idempotency key per comment, reused by every retry of it.
          var item = {text: text, key: CC.api.newKey()};
          pending.push(item);
          field.setValue("");
          CC.actions.edits.commentTyped(ctx.entry, ctx.activity.id, "");
          update();
          CC.actions.edits.addComment(ctx.entry, ctx.activity.id, text, item.key, function (problem) {
            field.showError(problem.message);
            return true;
          }).then(function (comment) {
            pending.splice(pending.indexOf(item), 1);
            if (!comment) {
              field.setValue(field.value() ? text + "\n" + field.value() : text);
              CC.actions.edits.commentTyped(ctx.entry, ctx.activity.id, field.value());
            }
            update();
          });
        }}));
    }
    return {root: ui.el("section", {class: "cc-comments-section"}, parts), update: update};
  }

  /** A list of customers to move to: the other Open ones, and search results. */
  function targetPicker(entry, onPick) {
    var results = ui.el("ul", {class: "cc-customer-list", "aria-label": t("moveCustomer.candidates")});
    function show(customers) {
      ui.clear(results);
      customers.filter(function (customer) { return customer.id && customer.id !== entry.customer.id; }).forEach(function (customer) {
        results.appendChild(ui.el("li", {}, [ui.el("button", {type: "button", class: "cc-customer-item",
          "data-customer-id": customer.id, onclick: function () { onPick(customer); }}, [CC.actions.customers.displayName(customer)])]));
      });
      if (!results.firstChild) {
        results.appendChild(ui.el("li", {class: "cc-muted", text: t("search.noneShort")}));
      }
    }
    var inputId = ui.uid("move-search");
    var input = ui.el("input", {id: inputId, type: "search", class: "cc-input", "data-autofocus": true,
      placeholder: t("search.placeholder")});
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        CC.api.search(input.value.trim()).then(function (result) { show(result.customers || []); }, CC.actions.errors.handle);
      }
    });
    show(CC.store.state.open.map(function (other) { return other.customer; }));
    return ui.el("div", {class: "cc-move-picker"}, [
      ui.el("label", {for: inputId, text: t("moveCustomer.searchLabel")}), input,
      ui.el("p", {class: "cc-hint", text: t("moveCustomer.hint")}), results
    ]);
  }

  /** Move activity to another customer: pick (Open list or Search), confirm, then the target is shown. */
  function moveToCustomer(entry, activity) {
    var picked = null;
    var close = null;
    ui.dialog({
      title: t("moveCustomer.title"),
      body: targetPicker(entry, function (customer) {
        picked = customer;
        close("picked");
      }),
      actions: [],
      onOpen: function (box, closeWith) { close = closeWith; }
    }).then(function (choice) {
      if (choice !== "picked") {
        return null;
      }
      return ui.dialog({title: t("moveCustomer.confirmTitle"),
        body: ui.el("p", {text: t("moveCustomer.confirmBody", {name: CC.actions.customers.displayName(picked)})}),
        actions: [{label: t("action.move"), value: "move", primary: true}]
      }).then(function (confirm) {
        if (confirm === "move") {
          CC.actions.moves.moveToCustomer(entry, activity, picked);
        }
      });
    });
  }

  function summary(activity, request) {
    var f = activity.fields || {};
    return [
      [t("activity.media"), CC.journey.mediaLabel(activity.mediaType)],
      [t("activity.time"), CC.i18n.dateTime(activity.created)],
      [t("activity.sourceName"), f.Context_POD_Source_Cust_Name],
      [t("activity.sourceEmail"), f.Context_POD_Source_Email],
      [t("activity.sourcePhone"), f.Context_POD_Source_Phone],
      [t("activity.request"), request ? CC.journey.requestTitle(request) + " · " + CC.journey.requestStatusText(request) :
        t("journey.unassigned")]
    ];
  }

  /**
   * Build one activity's details into host (under a closed request it is read-only; links stay clickable).
   * Returns {update(entry, activity, request)}, which updates each part in place from the store.
   */
  function build(host, entry, activity, options) {
    var ctx = {entry: entry, activity: activity, request: null};
    var about = ui.el("div", {});
    var caution = ui.el("div", {});
    var fields = CC.details.fieldsPart(entry, "activity", activity, options.readOnly);
    var tags = tagsSection(ctx, options.readOnly);
    var comments = commentsSection(ctx, options.readOnly);
    host.setAttribute("aria-labelledby", "cc-details-title");
    host.appendChild(ui.el("h3", {id: "cc-details-title", text: t("activity.details")}));
    host.appendChild(about);
    host.appendChild(caution);
    if (options.readOnly) {
      host.appendChild(ui.el("p", {class: "cc-hint", text: t("activity.closedReadOnly")}));
    }
    [fields.root, tags.root, comments.root].forEach(function (part) { host.appendChild(part); });
    if (!options.readOnly) { // under a closed request a move could only be refused
      host.appendChild(ui.el("div", {class: "cc-form__actions"}, [
        ui.el("button", {type: "button", class: "cc-button", "data-action": "move-customer", text: t("action.moveToCustomer"),
          onclick: function () { moveToCustomer(ctx.entry, ctx.activity); }})
      ]));
    }
    return {update: function (nextEntry, nextActivity, request) {
      ctx.entry = nextEntry;
      ctx.activity = nextActivity;
      ctx.request = request;
      var rows = summary(nextActivity, request);
      CC.details.fill(about, JSON.stringify(rows), function () { return ui.detailsList(rows); });
      CC.details.cautionSlot(caution, nextEntry, "activity", nextActivity);
      fields.update(nextEntry, nextActivity);
      tags.update();
      comments.update();
    }};
  }

  return {build: build};
}());
