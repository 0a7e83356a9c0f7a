/** DOM helpers shared by the panes: element builder, in-gadget dialogs, tooltips, limited text fields, links. */
var CC = window.CC || (window.CC = {});

CC.ui = (function () {
  "use strict";

  var TEXT_LIMIT = 2000;
  var COUNTER_FROM = 1800;
  var LINK_PATTERN = /(https?:\/\/[^\s<>"']+|mailto:[^\s<>"']+|tel:[+0-9][0-9()\-. ]*[0-9])/gi;
  var SAFE_PROTOCOLS = ["http:", "https:", "mailto:", "tel:"];
  var idCounter = 0;

  /** Build an element: el("button", {class: "x", onclick: fn, text: "Go"}, [children]); text is always textContent. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) {
        return;
      }
      if (name === "text") {
        node.textContent = value;
      } else if (name.indexOf("on") === 0 && typeof value === "function") {
        node.addEventListener(name.slice(2), value);
      } else if (name === "hidden" || name === "disabled" || name === "checked" || name === "readOnly") {
        node[name] = Boolean(value);
      } else if (name === "value") {
        node.value = value;
      } else {
        node.setAttribute(name, value === true ? "" : String(value));
      }
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined && child !== false) {
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  /** A document-unique id for label/aria wiring. */
  function uid(prefix) {
    idCounter += 1;
    return (prefix || "cc") + "-" + idCounter;
  }

  /** Remove every child of a node. */
  function clear(node) {
    node.replaceChildren();
    return node;
  }

  /**
   * Keyed, targeted rendering: build(host) runs only when `key` differs from the last one rendered into host
   * (the old children are replaced then); otherwise what was built stays, with its inputs and their focus.
   * Returns what build returned (kept on the host).
   */
  function keyed(host, key, build) {
    if (host.ccKey !== key) {
      clear(host);
      host.ccKey = key;
      host.ccView = build(host);
    }
    return host.ccView;
  }

  /** True when the URL parses and uses one of the protocols we let agents click. */
  function isSafeLink(text) {
    try {
      return SAFE_PROTOCOLS.indexOf(new URL(text).protocol) !== -1;
    } catch (e) {
      return false;
    }
  }

  /** A link that opens in a new tab without giving the page a handle on the gadget. */
  function externalLink(href, label) {
    return el("a", {href: href, target: "_blank", rel: "noopener noreferrer", class: "cc-link", text: label || href});
  }

  /** Text with http/https/mailto/tel links made clickable; everything else stays plain text. */
  function linkify(text) {
    var fragment = document.createDocumentFragment();
    var source = String(text || "");
    var last = 0;
    source.replace(LINK_PATTERN, function (match, _group, offset) {
      var trimmed = match.replace(/[.,;:!?)]+$/, "");
      fragment.appendChild(document.createTextNode(source.slice(last, offset)));
      fragment.appendChild(isSafeLink(trimmed) ? externalLink(trimmed) : document.createTextNode(trimmed));
      last = offset + trimmed.length;
      return match;
    });
    fragment.appendChild(document.createTextNode(source.slice(last)));
    return fragment;
  }

  /** Only the safe links found in a text, as anchors (shown under editable fields). */
  function linksOf(text) {
    var found = String(text || "").match(LINK_PATTERN) || [];
    return found.map(function (m) { return m.replace(/[.,;:!?)]+$/, ""); }).filter(isSafeLink);
  }

  /**
   * A labelled text input or textarea with the 2,000-character counter, a links line and an error slot.
   * Returns {root, input, showError(message), clearError(), value(), setValue(v), overLimit()}.
   */
  function textField(options) {
    var id = uid("field");
    var errorId = id + "-error";
    var counterId = id + "-counter";
    var input = el(options.multiline ? "textarea" : "input", {
      id: id,
      class: "cc-input",
      type: options.multiline ? null : "text",
      rows: options.multiline ? 3 : null,
      "data-field": options.field,
      "aria-describedby": counterId + " " + errorId,
      readOnly: options.readOnly,
      placeholder: options.placeholder || null,
      value: options.value || ""
    });
    var counter = el("span", {id: counterId, class: "cc-counter", "aria-live": "polite", hidden: true});
    var error = el("p", {id: errorId, class: "cc-field-error", role: "alert", hidden: true});
    var links = el("div", {class: "cc-links"});
    var root = el("div", {class: "cc-field"}, [
      el("label", {for: id, text: options.label}), input, counter, links, error
    ]);

    function refresh() {
      var length = input.value.length;
      counter.hidden = length < COUNTER_FROM;
      counter.textContent = CC.i18n.t("counter", {count: CC.i18n.number(length), limit: CC.i18n.number(TEXT_LIMIT)});
      counter.classList.toggle("cc-counter--over", length > TEXT_LIMIT);
      clear(links);
      linksOf(input.value).forEach(function (href) { links.appendChild(externalLink(href)); });
    }

    input.addEventListener("input", refresh);
    refresh();
    return withErrorSlot({
      root: root,
      input: input,
      value: function () { return input.value; },
      setValue: function (value) {
        input.value = value || "";
        refresh();
      },
      overLimit: function () { return input.value.length > TEXT_LIMIT; }
    }, error);
  }

  /** Adds showError(message) / clearError() to a field view: the message in its error slot, aria-invalid. */
  function withErrorSlot(view, error) {
    view.showError = function (message) {
      error.textContent = message;
      error.hidden = false;
      view.input.setAttribute("aria-invalid", "true");
    };
    view.clearError = function () {
      error.hidden = true;
      error.textContent = "";
      view.input.removeAttribute("aria-invalid");
    };
    return view;
  }

  /**
   * An editor for one dictionary field, by its data type: options → select, boolean → checkbox, numbers →
   * number input, text → textField (with the limit counter). Same interface as textField.
   */
  function valueField(definition, options) {
    if (definition.dataType === "string" && !(definition.options && definition.options.length)) {
      return textField(options);
    }
    var id = uid("field");
    var errorId = id + "-error";
    var input;
    if (definition.options && definition.options.length) {
      input = el("select", {id: id, class: "cc-input", disabled: options.readOnly}, [el("option", {value: "", text: ""})]
        .concat(definition.options.map(function (option) {
          var value = typeof option === "object" ? option.value : option;
          var label = typeof option === "object" ? (option.label || option.value) : (options.optionLabel || String)(option);
          return el("option", {value: value, text: label});
        })));
      input.value = options.value === undefined || options.value === null ? "" : String(options.value);
    } else if (definition.dataType === "boolean") {
      input = el("input", {id: id, type: "checkbox", class: "cc-checkbox", checked: options.value === true ||
        options.value === "true", disabled: options.readOnly});
    } else {
      input = el("input", {id: id, type: "number", class: "cc-input", readOnly: options.readOnly,
        step: definition.dataType === "double" ? "any" : "1",
        value: options.value === undefined || options.value === null ? "" : String(options.value)});
    }
    input.setAttribute("data-field", options.field);
    input.setAttribute("aria-describedby", errorId);
    var error = el("p", {id: errorId, class: "cc-field-error", role: "alert", hidden: true});
    return withErrorSlot({
      root: el("div", {class: "cc-field cc-field--" + definition.dataType}, [el("label", {for: id, text: options.label}), input, error]),
      input: input,
      value: function () {
        if (input.type === "checkbox") {
          return input.checked;
        }
        if (input.type === "number") {
          return input.value === "" ? null : Number(input.value);
        }
        return input.value;
      },
      setValue: function (value) {
        if (input.type === "checkbox") {
          input.checked = value === true;
        } else {
          input.value = value === null || value === undefined ? "" : String(value);
        }
      },
      overLimit: function () { return false; }
    }, error);
  }

  /** The message shown when a text is longer than the limit, naming the field. */
  function limitMessage(label, length) {
    return CC.i18n.t("error.tooLong", {field: label, limit: CC.i18n.number(TEXT_LIMIT), count: CC.i18n.number(length)});
  }

  /**
   * An in-gadget modal dialog (never window.confirm: it would block Finesse), placed next to options.anchor (by
   * default the element that had focus: what opened it). Resolves with the chosen action's value, or null on
   * Escape / Cancel.
   */
  function dialog(options) {
    var host = document.getElementById("cc-dialog-host");
    var previousFocus = document.activeElement;
    var titleId = uid("dialog-title");
    return new Promise(function (resolve) {
      var box;
      function close(value) {
        clear(host);
        host.hidden = true;
        if (previousFocus && previousFocus.focus && document.contains(previousFocus)) {
          previousFocus.focus();
        }
        resolve(value);
      }
      var buttons = (options.actions || []).map(function (action) {
        return el("button", {
          type: "button",
          class: action.primary ? "cc-button cc-button--primary" : "cc-button",
          "data-action": action.value,
          text: action.label,
          onclick: function () { close(action.value); }
        });
      });
      buttons.push(el("button", {type: "button", class: "cc-button", "data-action": "cancel",
        text: CC.i18n.t("action.cancel"), onclick: function () { close(null); }}));
      box = el("div", {class: "cc-dialog", role: "dialog", "aria-modal": "true", "aria-labelledby": titleId}, [
        el("h2", {id: titleId, class: "cc-dialog__title", text: options.title}),
        options.body ? el("div", {class: "cc-dialog__body"}, [options.body]) : null,
        el("div", {class: "cc-dialog__actions"}, buttons)
      ]);
      box.addEventListener("keydown", function (event) {
        if (event.key === "Escape") {
          event.preventDefault();
          close(null);
        } else if (event.key === "Tab") {
          trapFocus(box, event);
        }
      });
      box.closeWith = close;
      box.style.visibility = "hidden";
      clear(host).appendChild(box);
      host.hidden = false;
      // Next to what opened it, inside the part of the frame the agent sees (not the frame's middle).
      CC.inView.measure().then(function (visible) {
        CC.inView.place(box, options.anchor || previousFocus, visible);
        box.style.visibility = "";
        (box.querySelector("[data-autofocus]") || buttons[0]).focus({preventScroll: true});
        if (options.onOpen) {
          options.onOpen(box, close);
        }
      });
    });
  }

  /** Keep Tab inside an open dialog. */
  function trapFocus(box, event) {
    var focusable = box.querySelectorAll("button, input, select, textarea, a[href]");
    if (!focusable.length) {
      return;
    }
    var first = focusable[0];
    var lastOne = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      lastOne.focus();
    } else if (!event.shiftKey && document.activeElement === lastOne) {
      event.preventDefault();
      first.focus();
    }
  }

  /** Show `content` in the tooltip below `target`, described-by on `focused` (the element with the focus). */
  function showDetails(target, focused, content) {
    var tip = document.getElementById("cc-tooltip");
    clear(tip).appendChild(content);
    var box = target.getBoundingClientRect();
    tip.style.top = Math.round(box.bottom + window.scrollY + 4) + "px";
    tip.style.left = Math.round(Math.max(4, box.left + window.scrollX)) + "px";
    tip.hidden = false;
    focused.setAttribute("aria-describedby", "cc-tooltip");
  }

  /** Hide the tooltip that showDetails opened for `focused`. */
  function hideDetails(focused) {
    document.getElementById("cc-tooltip").hidden = true;
    focused.removeAttribute("aria-describedby");
  }

  /** Show details for `target` on hover, and on keyboard focus of `focusTarget` (default: target), in the tooltip. */
  function hoverDetails(target, buildContent, focusTarget) {
    var focused = focusTarget || target;
    function show() {
      showDetails(target, focused, buildContent());
    }
    function hide() {
      hideDetails(focused);
    }
    target.addEventListener("mouseenter", show);
    focused.addEventListener("focus", show);
    target.addEventListener("mouseleave", hide);
    focused.addEventListener("blur", hide);
  }

  /** A definition list of label/value rows, skipping empty values. */
  function detailsList(rows) {
    var list = el("dl", {class: "cc-details-list"});
    rows.forEach(function (row) {
      if (row[1]) {
        list.appendChild(el("dt", {text: row[0]}));
        list.appendChild(el("dd", {}, [linkify(row[1])]));
      }
    });
    return list;
  }

  /**
   * The caution notice shown when another agent changed an object first: who (when known), what (field labels)
   * and when, and Load. caution: {who, what: [label], when}.
   */
  function cautionNotice(caution, onLoad) {
    var when = caution.when ? CC.i18n.dateTime(caution.when) : "";
    var what = (caution.what || []).join(", ") || CC.i18n.t("caution.this");
    var key = caution.who ? "caution.byWho" : when ? "caution.when" : "caution.generic";
    return el("div", {class: "cc-caution", role: "alert"}, [
      el("p", {class: "cc-caution__text", text: CC.i18n.t(key, {who: caution.who, what: what, when: when})}),
      el("p", {class: "cc-hint", text: CC.i18n.t("caution.keepHint")}),
      el("button", {type: "button", class: "cc-button cc-button--primary", text: CC.i18n.t("action.load"), onclick: onLoad})
    ]);
  }

  return {
    TEXT_LIMIT: TEXT_LIMIT,
    el: el,
    uid: uid,
    clear: clear,
    keyed: keyed,
    linkify: linkify,
    textField: textField,
    valueField: valueField,
    limitMessage: limitMessage,
    dialog: dialog,
    hoverDetails: hoverDetails,
    showDetails: showDetails,
    hideDetails: hideDetails,
    detailsList: detailsList,
    cautionNotice: cautionNotice
  };
}());
