// ESLint (flat config) for every browser script of the project: the gadget, the mock Finesse's desktop, container,
// gadgets.js and finesse.js, the mock Control Hub's pages, the test and example gadgets. One dialect: classic
// scripts (no ES modules), as an OpenSocial gadget and Finesse's desktop load them with <script src>, each
// wrapped in a function with "use strict", modern syntax allowed (the desktop supports current browsers only).
"use strict";

const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  {ignores: ["node_modules/", ".venv/", ".thirdparty/", "test-results/", "instance/", "build/", "dist/"]},
  js.configs.recommended,
  {
    files: ["**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: {
        ...globals.browser,
        // What the gadget container and Finesse's desktop define for gadgets (OpenSocial, OpenAjax, finesse.js).
        gadgets: "readonly",
        OpenAjax: "readonly",
        finesse: "readonly",
        jQuery: "readonly",
      },
    },
    rules: {
      "no-unused-vars": ["error", {args: "none", caughtErrors: "none"}],
      strict: ["error", "function"],
      eqeqeq: ["error", "smart"],
      // Cisco's sample gadgets declare the namespace they extend: var finesse = window.finesse || {}.
      "no-redeclare": ["error", {builtinGlobals: false}],
    },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: {sourceType: "commonjs", globals: globals.node},
    rules: {strict: ["error", "global"]},
  },
];
