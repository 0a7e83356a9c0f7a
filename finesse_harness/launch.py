"""The harness's wrapper of pytest-playwright's ``browser_type_launch_args`` (registered by the plugin's
``pytest_configure``, after pytest-playwright, so that it wraps rather than is shadowed)."""
import pytest

from finesse_harness.browser import launch_args


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch arguments, plus the system Chromium (see ``finesse_harness.browser``)."""
    return launch_args(browser_type_launch_args)
