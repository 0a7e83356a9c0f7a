"""The harness's wrapper of pytest-playwright's ``browser_type_launch_args`` (registered by the plugin's
``pytest_configure``, after pytest-playwright, so that it wraps rather than is shadowed)."""

from typing import Any

import pytest
from playwright.sync_api import BrowserType

from finesse_harness.browser import launch_args


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], browser_type: BrowserType, request: pytest.FixtureRequest
) -> dict[str, Any]:
    """pytest-playwright's launch arguments (``--headed``, ``--browser-channel``, ``--slowmo``, and an indirect
    parametrization of this fixture) plus the system Chromium when Playwright's own is absent."""
    return launch_args({**browser_type_launch_args, **getattr(request, "param", {})}, browser_type)
