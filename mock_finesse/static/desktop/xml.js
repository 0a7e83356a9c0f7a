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

  /** One element as Cisco's 10.5.1 converter shapes it (Goessner's xml2json): attributes as `@name`, a repeated
   * child as an array, text-only content as the string (`#text` beside attributes), an empty element as null. */
  function elementObject(element) {
    var result = {};
    var kids = Array.prototype.slice.call(element.children);
    var text = Array.prototype.filter.call(element.childNodes, function (n) {
      return (n.nodeType === 3 || n.nodeType === 4) && /\S/.test(n.nodeValue);
    }).map(function (n) { return n.nodeValue; }).join("");
    Array.prototype.forEach.call(element.attributes, function (a) { result["@" + a.name] = a.value; });
    if (!kids.length) {
      if (!element.attributes.length) { return text || null; }
      if (text) { result["#text"] = text; }
      return result;
    }
    kids.forEach(function (child) {
      var name = child.nodeName;
      var seen = Object.prototype.hasOwnProperty.call(result, name);
      result[name] = seen ? [].concat(result[name], [elementObject(child)]) : elementObject(child);
    });
    if (text) { result["#text"] = text; }
    return result;
  }

  /** XML text → `{Root: {...}}`: the `object` the desktop publishes with every notification. */
  function toObject(text) {
    var root = parseXml(text);
    var result = {};
    result[root.nodeName] = elementObject(root);
    return result;
  }

  window.finesseXml = { parse: parseXml, childText: childText, children: children, build: xmlDocument,
                        toObject: toObject };
}(window, document));
