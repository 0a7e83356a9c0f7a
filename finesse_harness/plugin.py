"""The pytest plugin of the harness (entry point ``pytest11: finesse_harness``): the three servers per session
(each pytest-xdist worker starts its own), reset per test, signed-in desktops, the console-error guard, and the
system Chromium for Playwright when Playwright's own browser is absent.

Installing the distribution is enough: pytest loads this module through its entry point. See
docs/testing-your-gadget.md for the fixtures.
"""

import os
from collections.abc import Callable, Generator, Iterator

import pluggy
import pytest
from playwright.sync_api import BrowserContext, FrameLocator, Page

from finesse_harness import launch
from finesse_harness.desktop import BrowserErrors, Desktop
from finesse_harness.errors import HarnessError
from finesse_harness.handles import FinesseServer, GadgetServer, HarnessServer, set_cs_faults
from finesse_harness.harness import TEST_GADGET_SETTINGS, Harness, start_harness


CS_LATENCY_OPTION = "--cs-latency-ms"


def pytest_addoption(parser: pytest.Parser) -> None:
    """The kit's options: ``--cs-latency-ms N`` runs every test against a slow cloud (the real one answers an
    on-premises Finesse in 200-600 ms)."""
    parser.addoption(
        CS_LATENCY_OPTION,
        type=int,
        default=0,
        metavar="N",
        help="mock Context Service latency for the whole run, in ms (0 - 10000); re-applied after "
        "each reset through /_mock/faults",
    )


@pytest.fixture(scope="session")
def cs_latency_ms(pytestconfig: pytest.Config) -> int:
    """The slow-cloud profile of the run (``--cs-latency-ms``; 0: no added latency)."""
    value = pytestconfig.getoption(CS_LATENCY_OPTION)
    if not 0 <= value <= 10000:
        raise pytest.UsageError(f"{CS_LATENCY_OPTION} must be between 0 and 10000 ms, got {value}")
    return value


@pytest.fixture()
def controlhub(controlhub_server: HarnessServer, cs_latency_ms: int) -> HarnessServer:
    """The mock cloud, reset before the test, with the run's slow-cloud latency (``--cs-latency-ms``) applied."""
    controlhub_server.reset()
    if cs_latency_ms:
        set_cs_faults(controlhub_server, latencyMs=cs_latency_ms)
    return controlhub_server


@pytest.fixture(scope="session")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    """The harness of this session (under pytest-xdist: of this worker), started once: the mock cloud, the mock
    Finesse and the gadget server on free ports, registered through Control Hub's pages; a ``Harness``."""
    with start_harness(tmp_path_factory.mktemp("harness"), gadget_settings=TEST_GADGET_SETTINGS) as started:
        yield started


@pytest.fixture(scope="session")
def controlhub_server(harness: Harness) -> HarnessServer:
    """The mock Control Hub + Context Service of the session (in-memory SQLite): ``HarnessServer``."""
    return harness.controlhub


@pytest.fixture(scope="session")
def finesse_server(harness: Harness) -> FinesseServer:
    """The mock Finesse of the session; ``.gadget_dir`` is its /3rdpartygadget/files/ folder."""
    return harness.finesse


@pytest.fixture(scope="session")
def gadget_server(harness: Harness) -> GadgetServer:
    """The gadget server of the session, against the mock cloud and mock Finesse, makeRequest-allowed,
    registered once through Control Hub's sign-in and consent pages: ``GadgetServer``."""
    if not isinstance(harness.gadget, GadgetServer):
        raise HarnessError(f"expected the session's harness to have started the gadget server, got {harness.gadget!r}")
    return harness.gadget


@pytest.fixture()
def finesse(finesse_server: FinesseServer) -> FinesseServer:
    """The mock Finesse, reset before the test (agents signed out, no dialogs, default layouts)."""
    finesse_server.reset()
    return finesse_server


@pytest.fixture()
def gadget(gadget_server: GadgetServer, controlhub: HarnessServer, finesse: FinesseServer) -> GadgetServer:
    """The gadget server with a freshly reset mock cloud and Finesse, registered again (the reset wipes
    registrations) with the mock's identity functions."""
    gadget_server.register()
    return gadget_server


# --- desktop kit: signed-in mock Finesse desktops, gadget frames, team layouts, browser errors ---------------

ALLOW_CONSOLE_ERRORS = "allow_console_errors"


SLOW_CLOUD = "slow_cloud"
LAUNCH_PLUGIN = "finesse_harness.launch"


def pytest_configure(config: pytest.Config) -> None:
    """Register the kit's markers; under pytest-xdist, give each worker its own artifact folder (pytest-playwright
    empties ``--output`` when a worker's session starts, which would delete the other worker's traces)."""
    if config.pluginmanager.hasplugin("playwright") and not config.pluginmanager.hasplugin(LAUNCH_PLUGIN):
        # Registered now, after every plugin pytest found, so its fixture wraps pytest-playwright's (a fixture of
        # the same name in a plugin registered earlier would be shadowed by pytest-playwright's own).
        config.pluginmanager.register(launch, LAUNCH_PLUGIN)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and getattr(config.option, "output", None):
        config.option.output = os.path.join(config.option.output, worker)
    config.addinivalue_line(
        "markers", f"{SLOW_CLOUD}: a flow CI runs again against a slow cloud (-m {SLOW_CLOUD} {CS_LATENCY_OPTION} 250)"
    )
    config.addinivalue_line(
        "markers",
        f"{ALLOW_CONSOLE_ERRORS}(*patterns): do not fail the test on browser console/page errors "
        "(only those matching one of the regex patterns, when given)",
    )


@pytest.fixture(autouse=True)
def browser_errors(request: pytest.FixtureRequest) -> BrowserErrors:
    """Fail any browser test on a console error or uncaught page error (opt out: ``@pytest.mark.allow_console_errors``)."""
    errors = BrowserErrors()
    if "page" in request.fixturenames:
        errors.watch(request.getfixturevalue("page"))
    request.node.browser_errors = errors
    return errors


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, pluggy.Result[None], None]:
    """Turn collected browser errors into a test failure once the test body has passed."""
    outcome = yield
    errors = getattr(item, "browser_errors", None)
    if errors is None or outcome.excinfo is not None:
        return
    unexpected = errors.unexpected(item.get_closest_marker(ALLOW_CONSOLE_ERRORS))
    if unexpected:
        outcome.force_exception(AssertionError("browser errors during the test:\n" + "\n".join(unexpected)))


@pytest.fixture()
def desktop(
    finesse: FinesseServer, page: Page, new_context: Callable[..., BrowserContext], browser_errors: BrowserErrors
) -> Callable[..., Desktop]:
    """Factory: ``desktop("1001")`` signs an agent in (the sign-in form's own GET and POST over the page's HTTP,
    ``Desktop.open_signed_in``: the form is not drawn) and returns the Desktop; the first uses ``page``, others
    get their own browser context (two agents at once)."""
    used: list[str] = []

    def open_desktop(agent_id: str = "1001", locale: str | None = None) -> Desktop:
        target = page if not used else browser_errors.watch(new_context().new_page())
        used.append(agent_id)
        return Desktop(target, finesse, agent_id).open_signed_in(locale)

    return open_desktop


@pytest.fixture()
def gadget_frame() -> Callable[[Desktop, str], FrameLocator]:
    """``gadget_frame(desktop, name_or_spec)`` → the FrameLocator of a gadget on that desktop."""
    return lambda desktop, name_or_spec: desktop.gadget_frame(name_or_spec)
