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

  function tagsSection(entry, activity, readOnly) {
    var tags = activity.tags || [];
    var inputId = ui.uid("tag");
    var error = ui.el("p", {id: inputId + "-error", class: "cc-field-error", role: "alert", hidden: true});
    var list = ui.el("ul", {class: "cc-tags", "aria-label": t("activity.tags")});

    function saveTags(next, refocus) {
      return CC.app.saveObject(entry, "activity", activity, {tags: next}, function (problem) {
        if (problem.field !== "tags") {
          return false;
        }
        showError(problem.message);
        return true;
      }).then(function () {
        var again = document.querySelector(refocus);
        if (again) {
          again.focus();
        }
      });
    }

    function showError(message) {
      error.textContent = message;
      error.hidden = !message;
    }

    tags.forEach(function (tag) {
      list.appendChild(ui.el("li", {class: "cc-tag"}, [
        ui.el("span", {class: "cc-tag__text", text: tag}),
        readOnly ? null : ui.el("button", {type: "button", class: "cc-tag__remove", "aria-label": t("tags.remove", {tag: tag}),
          text: "×", onclick: function () {
            saveTags(tags.filter(function (other) { return other !== tag; }), "#cc-details .cc-tag-input");
          }})
      ]));
    });
    var parts = [ui.el("h4", {text: t("activity.tags")}), list];
    if (!readOnly) {
      var input = ui.el("input", {id: inputId, type: "text", class: "cc-input cc-tag-input", "aria-describedby": inputId + "-error",
        "data-focus-key": "tags:" + activity.id, placeholder: t("tags.placeholder")});
      input.addEventListener("keydown", function (event) {
        var tag = input.value.trim();
        if ((event.key !== "Enter" && event.key !== "Tab") || (event.key === "Tab" && !tag)) {
          return;
        }
        event.preventDefault();
        var problem = tagProblem(tag, tags);
        showError(problem);
        if (tag && !problem) {
          saveTags(tags.concat([tag]), "#cc-details .cc-tag-input");
        }
      });
      input.addEventListener("input", function () { showError(""); });
      parts.push(ui.el("label", {for: inputId, text: t("tags.add")}), input, error,
        ui.el("p", {class: "cc-hint", text: t("tags.hint", {limit: TAG_LIMIT})}));
    }
    return ui.el("section", {class: "cc-tags-section"}, parts);
  }

  function commentsSection(entry, activity, readOnly) {
    var list = ui.el("ol", {class: "cc-comments", "aria-label": t("comments.title")});
    (activity.comments || []).slice().sort(function (a, b) { return a.created < b.created ? 1 : -1; }).forEach(function (comment) {
      list.appendChild(ui.el("li", {class: "cc-comment"}, [
        ui.el("p", {class: "cc-comment__meta", text: t("comments.meta", {author: comment.author || "—",
          when: CC.i18n.dateTime(comment.created)})}),
        ui.el("p", {class: "cc-comment__text"}, [ui.linkify(comment.text)])
      ]));
    });
    var parts = [ui.el("h4", {text: t("comments.title")}), (activity.comments || []).length ? list :
      ui.el("p", {class: "cc-muted", text: t("comments.none")})];
    if (!readOnly) {
      var field = ui.textField({field: "comment", label: t("comments.add"), multiline: true});
      field.input.setAttribute("data-focus-key", "comment:" + activity.id);
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
          CC.api.addComment(activity.id, text).then(function (comment) {
            activity.comments = (activity.comments || []).concat([comment]);
            CC.app.render();
          }, function (error) {
            CC.app.handleError(error, {entry: entry, onFieldError: function (problem) {
              field.showError(problem.message);
              return true;
            }});
          });
        }}));
    }
    return ui.el("section", {class: "cc-comments-section"}, parts);
  }

  /** A list of customers to move to: the other Open ones, and search results. */
  function targetPicker(entry, onPick) {
    var results = ui.el("ul", {class: "cc-customer-list", "aria-label": t("moveCustomer.candidates")});
    function show(customers) {
      ui.clear(results);
      customers.filter(function (customer) { return customer.id && customer.id !== entry.customer.id; }).forEach(function (customer) {
        results.appendChild(ui.el("li", {}, [ui.el("button", {type: "button", class: "cc-customer-item",
          "data-customer-id": customer.id, onclick: function () { onPick(customer); }}, [CC.app.displayName(customer)])]));
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
        CC.api.search(input.value.trim()).then(function (result) { show(result.customers || []); }, CC.app.handleError);
      }
    });
    show(CC.app.state.open.map(function (other) { return other.customer; }));
    return ui.el("div", {class: "cc-move-picker"}, [
      ui.el("label", {for: inputId, text: t("moveCustomer.searchLabel")}), input,
      ui.el("p", {class: "cc-hint", text: t("moveCustomer.hint")}), results
    ]);
  }

  /** Move activity to another customer: pick (Open list or Search), confirm, then the target is shown. */
  function moveToCustomer(entry, activity, request) {
    if (request && request.state === "closed") {
      ui.notify(t("move.refusedFromClosed"), {kind: "error"});
      return;
    }
    var picked = null;
    ui.dialog({
      title: t("moveCustomer.title"),
      body: ui.el("div", {}),
      actions: [],
      onOpen: function (box, close) {
        box.querySelector(".cc-dialog__body").appendChild(targetPicker(entry, function (customer) {
          picked = customer;
          close("picked");
        }));
        box.querySelector("input").focus();
      }
    }).then(function (choice) {
      if (choice !== "picked") {
        return null;
      }
      return ui.dialog({title: t("moveCustomer.confirmTitle"),
        body: ui.el("p", {text: t("moveCustomer.confirmBody", {name: CC.app.displayName(picked)})}),
        actions: [{label: t("action.move"), value: "move", primary: true}]
      }).then(function (confirm) {
        if (confirm === "move") {
          CC.app.moveToCustomer(entry, activity, picked);
        }
      });
    });
  }

  /** Render one activity's details into host; under a closed request it is read-only (links stay clickable). */
  function render(host, entry, activity, request, dictionary) {
    var readOnly = Boolean(request && request.state === "closed");
    var f = activity.fields || {};
    var ids = CC.details.visibleFieldIds(activity, dictionary);
    host.setAttribute("aria-labelledby", "cc-details-title");
    host.appendChild(ui.el("h3", {id: "cc-details-title", text: t("activity.details")}));
    host.appendChild(ui.detailsList([
      [t("activity.media"), CC.journey.mediaLabel(activity.mediaType)],
      [t("activity.time"), CC.i18n.dateTime(activity.created)],
      [t("activity.sourceName"), f.Context_POD_Source_Cust_Name],
      [t("activity.sourceEmail"), f.Context_POD_Source_Email],
      [t("activity.sourcePhone"), f.Context_POD_Source_Phone],
      [t("activity.request"), request ? CC.journey.requestTitle(request) + " · " + CC.journey.requestStatusText(request) :
        t("journey.unassigned")]
    ]));
    host.appendChild(CC.details.cautionFor(entry, "activity", activity) || document.createTextNode(""));
    if (readOnly) {
      host.appendChild(ui.el("p", {class: "cc-hint", text: t("activity.closedReadOnly")}));
      host.appendChild(CC.details.readOnlyFields(activity, ids, dictionary));
    } else {
      host.appendChild(CC.details.editableFields(entry, "activity", activity, ids, dictionary));
    }
    host.appendChild(tagsSection(entry, activity, readOnly));
    host.appendChild(commentsSection(entry, activity, readOnly));
    host.appendChild(ui.el("div", {class: "cc-form__actions"}, [
      ui.el("button", {type: "button", class: "cc-button", "data-action": "move-customer", text: t("action.moveToCustomer"),
        onclick: function () { moveToCustomer(entry, activity, request); }})
    ]));
  }

  return {render: render};
}());
