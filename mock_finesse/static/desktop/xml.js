/**
 * XML helpers of the mock desktop (no dependency on finesse.js): parse, read children, build request bodies,
 * and Finesse's XML → JS object conversion the desktop uses for the `object` of every hub notification.
 */
(function (window, document) {
  "use strict";

  function parseXml(text) { return new DOMParser().parseFromString(text, "application/xml").documentElement; }

  function childText(element, tag) {
    var child = element && Array.prototype.find.call(element.children, function (c) { return c.tagName === tag; });
    return child ? child.textContent : "";
  }

  function children(element, tag) {
    return element ? Array.prototype.filter.call(element.children, function (c) { return c.tagName === tag; }) : [];
  }

  /** `{a: "x", b: {c: "y"}}` → `<root><a>x</a><b><c>y</c></b></root>` (text set with textContent). */
  function xmlDocument(rootTag, fields) {
    var doc = document.implementation.createDocument(null, rootTag, null);
    (function append(parent, values) {
      Object.keys(values).forEach(function (name) {
        var element = doc.createElement(name);
        if (typeof values[name] === "object") { append(element, values[name]); } else { element.textContent = values[name]; }
        parent.appendChild(element);
      });
    }(doc.documentElement, fields));
    return new XMLSerializer().serializeToString(doc);
  }

  window.finesseXml = { parse: parseXml, childText: childText, children: children, build: xmlDocument };
}(window, document));
