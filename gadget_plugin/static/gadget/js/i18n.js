/** Texts from the gadget's message bundles (gadgets.Prefs().getMsg), the agent's Finesse locale, Intl dates. */
var CC = window.CC || (window.CC = {});

CC.i18n = (function () {
  "use strict";

  var prefs = null;
  function getPrefs() {
    if (!prefs) {
      prefs = new gadgets.Prefs();
    }
    return prefs;
  }

  /** The agent's Finesse locale (finesse.gadget.Config.locale, e.g. "hr_HR"), falling back to en_US. */
  function finesseLocale() {
    var config = window.finesse && finesse.gadget && finesse.gadget.Config;
    return (config && config.locale) || getPrefs().getString("locale") || "en_US";
  }

  /** The BCP 47 tag Intl understands for the agent's locale ("hr_HR" → "hr-HR", "sr_RS" → "sr-Latn-RS"). */
  function bcp47() {
    var parts = finesseLocale().split(/[_-]/);
    var language = parts[0].toLowerCase();
    var rest = parts.slice(1);
    var hasScript = rest.some(function (part) { return part.length === 4; });
    // Serbian is shown in Latin script (the bundle is Latin), so dates must be too.
    if (language === "sr" && !hasScript) {
      rest.unshift("Latn");
    }
    return [language].concat(rest).join("-");
  }

  /** The message for `key` with {name} placeholders filled in from params (as plain text). */
  function t(key, params) {
    var text = getPrefs().getMsg(key) || key;
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return params && params[name] !== undefined && params[name] !== null ? String(params[name]) : whole;
    });
  }

  // Building an Intl formatter costs far more than using one; a journey formats hundreds of dates.
  var formatters = {};
  // Croatian and Serbian write dates in numbers ("1. 12. 2026. 14:05"); other languages name the month.
  var NUMERIC_DATES = /^(hr|sr)(-|$)/;
  var DATE_STYLES = {
    numeric: {day: "numeric", month: "numeric", year: "numeric", hour: "2-digit", minute: "2-digit"},
    named: {dateStyle: "medium", timeStyle: "short"}
  };

  function formatter(kind) {
    var tag = bcp47();
    var key = kind + ":" + tag;
    if (!formatters[key]) {
      if (kind === "date") {
        formatters[key] = new Intl.DateTimeFormat(tag, DATE_STYLES[NUMERIC_DATES.test(tag) ? "numeric" : "named"]);
      } else if (kind === "language") {
        formatters[key] = Intl.DisplayNames ? new Intl.DisplayNames([tag], {type: "language"}) : null;
      } else {
        formatters[key] = new Intl.NumberFormat(tag);
      }
    }
    return formatters[key];
  }

  /** A date-time in the locale's format, or "" for a missing date. */
  function dateTime(iso) {
    return iso ? formatter("date").format(new Date(iso)) : "";
  }

  /** A number with the locale's grouping (2,000 / 2.000). */
  function number(value) {
    return formatter("number").format(value);
  }

  /** A language tag's name in the agent's language ("hr-HR" → "Croatian (Croatia)"), else the tag itself. */
  function languageName(tag) {
    try {
      return (formatter("language") && formatter("language").of(String(tag))) || String(tag);
    } catch (e) {
      return String(tag); // not a well-formed tag
    }
  }

  /** Fill every [data-msg], [data-msg-label], [data-msg-placeholder] under root from the bundle. */
  function translate(root) {
    root.querySelectorAll("[data-msg]").forEach(function (node) {
      node.textContent = t(node.getAttribute("data-msg"));
    });
    root.querySelectorAll("[data-msg-label]").forEach(function (node) {
      node.setAttribute("aria-label", t(node.getAttribute("data-msg-label")));
    });
    root.querySelectorAll("[data-msg-placeholder]").forEach(function (node) {
      node.setAttribute("placeholder", t(node.getAttribute("data-msg-placeholder")));
    });
    document.documentElement.lang = bcp47();
  }

  return {finesseLocale: finesseLocale, bcp47: bcp47, t: t, dateTime: dateTime, number: number, languageName: languageName,
    translate: translate};
}());
