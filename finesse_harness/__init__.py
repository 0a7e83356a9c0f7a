"""The harness as a pytest plugin: the mock Finesse desktop, the mock Webex cloud and the gadget server on free
ports, signed-in desktops in Playwright, gadget frames, team layouts, a console-error guard.

Installing the distribution registers the plugin (``finesse_harness.plugin``, a ``pytest11`` entry point); the
helpers live in the submodules (``desktop``, ``handles``, ``servers``, ``mock_control``, …). See
docs/testing-your-gadget.md.
"""
