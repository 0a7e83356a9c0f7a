"""A desktop shaped like Finesse's: another finesse.js through FINESSE_JS, userFinesseAuth, and the smaller
behaviours where Cisco's 10.5.1 library and Shindig set the rule (issue #12, "Why")."""

import base64
import pathlib
import shutil

import pytest
from playwright.sync_api import expect

from finesse_harness.desktop import set_team_layout

FOREIGN = pathlib.Path(__file__).parents[1] / "test_gadget" / "foreign"
FOREIGN_SPEC = "/3rdpartygadget/files/foreign/foreign_gadget.xml"


@pytest.fixture()
def foreign_gadget(finesse):
    """The hub-only gadget in the mock Finesse's /3rdpartygadget/files/ (its /desktop/... paths are Finesse's)."""
    target = pathlib.Path(finesse.gadget_dir) / "foreign"
    target.mkdir(exist_ok=True)
    shutil.copy(FOREIGN / "foreign_gadget.xml", target / "foreign_gadget.xml")
    set_team_layout(finesse, "10", {"home": [FOREIGN_SPEC]})
    return FOREIGN_SPEC


@pytest.fixture()
def foreign_library(finesse):
    """FINESSE_JS names the stand-in for Cisco's library for this test; ours is served again afterwards."""
    finesse.app.config["FINESSE_JS"] = str(FOREIGN / "finesse.js")
    yield
    finesse.app.config["FINESSE_JS"] = ""


def test_a_finesse_js_given_through_the_setting_is_the_desktops_and_the_fan_out_still_works(
    foreign_library, foreign_gadget, desktop
):
    """With FINESSE_JS set, Finesse's paths serve that file (to the desktop and the gadget alike), the desktop
    loads it after jQuery and gadgets.* without errors, and each notification still reaches the gadget as
    {content, object} from the desktop's own XML conversion."""
    agent = desktop("1001")
    assert agent.page.evaluate("() => finesse.foreignLibrary.jQuery") == agent.page.evaluate("() => jQuery.fn.jquery")
    gadget = agent.gadget_frame(foreign_gadget)
    expect(gadget.locator("#library")).to_have_text("foreign")
    call = agent.offer_call("+385914445555")
    expect(gadget.locator("#updates li").first).to_have_text(f"POST {call['id']} xml")


def test_gadgets_get_the_agents_credentials_from_the_userfinesseauth_session_item(
    foreign_library, foreign_gadget, desktop
):
    """Cisco's library copies sessionStorage userFinesseAuth into the authorization pref at load: the desktop
    sets it (base64 id:password), so the gadget's REST call with that pref is answered 200, and saving the pref
    is no error."""
    agent = desktop("1001")
    expect(agent.gadget_frame(foreign_gadget).locator("#rest")).to_have_text("200")
    frame = agent.gadget_window(foreign_gadget)
    assert (
        frame.evaluate("() => sessionStorage.getItem('userFinesseAuth')") == base64.b64encode(b"1001:demo1001").decode()
    )
    assert "demo1001" not in frame.url and "up_authorization" not in frame.url


def test_the_gadget_tile_shows_the_specs_module_prefs_title(foreign_gadget, desktop):
    """The tile heading is <ModulePrefs title>, not the spec's file name (Shindig's container does so)."""
    agent = desktop("1001")
    expect(agent.gadget_frame(foreign_gadget).locator("#library")).to_have_text("ours")
    expect(agent.page.locator(".gadget-title")).to_have_text("Foreign Library Gadget")


@pytest.fixture()
def test_gadget(desktop, finesse, test_gadget_server):
    """Agent 1001 with the test gadget on the home tab; the gadget's Playwright Frame."""
    set_team_layout(finesse, "10", {"home": [test_gadget_server.spec_url], "other": []})
    agent = desktop("1001")
    expect(agent.gadget_frame(test_gadget_server.spec_url).locator("#hub-connection")).to_have_text("connected")
    frame = agent.gadget_window(test_gadget_server.spec_url)
    frame.desktop = agent
    frame.iframe = agent.gadget_iframe(test_gadget_server.spec_url)
    return frame


def test_adjust_height_takes_a_height_given_as_a_string(test_gadget):
    """gadgets.window.adjustHeight("1000") sizes the iframe to 1000 px: Shindig parses the argument."""
    test_gadget.evaluate("() => gadgets.window.adjustHeight('1000')")
    expect(test_gadget.iframe).to_have_css("height", "1000px")


def test_active_tab_handlers_run_when_the_tab_becomes_visible_not_on_every_publish(test_gadget):
    """Asking for the active tab again while the tab stays visible does not run ACTIVE_TAB handlers again;
    leaving the tab and coming back does (Cisco's 10.5.1 tab tracker)."""
    test_gadget.wait_for_function("() => window.testGadget.tabShown === 1")
    test_gadget.evaluate("""() => { const cs = finesse.containerservices.ContainerServices;
                                    cs.makeActiveTabReq(); cs.makeActiveTabReq(); }""")
    test_gadget.wait_for_timeout(300)
    assert test_gadget.evaluate("() => window.testGadget.tabShown") == 1
    test_gadget.desktop.activate_tab("other")
    test_gadget.desktop.activate_tab("home")
    test_gadget.wait_for_function("() => window.testGadget.tabShown === 2")


def test_string_client_log_entries_are_recorded_with_their_text(test_gadget):
    """Cisco's ClientLogger publishes strings on finesse.clientLogging.<id>; the desktop keeps their text."""
    test_gadget.evaluate("() => gadgets.Hub.publish('finesse.clientLogging.CiscoStyle', 'handled the call')")
    test_gadget.desktop.page.wait_for_function(
        "() => finesseContainer.clientLogs().some(l => l.gadget === 'CiscoStyle' && l.message === 'handled the call')"
    )
