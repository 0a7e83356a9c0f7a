"""The gadget container in the browser: rendering, titles, sizing, tabs, prefs, makeRequest and error tiles."""

import pytest
from playwright.sync_api import expect

from finesse_harness.desktop import set_team_layout


@pytest.fixture()
def gadget_desktop(desktop, finesse, test_gadget_server):
    """Agent 1001 signed in with the test gadget on the home tab."""
    set_team_layout(finesse, "10", {"home": [test_gadget_server.spec_url]})
    return desktop("1001")


def test_gadget_starts_from_onconnect_and_shows_the_agent(gadget_desktop, test_gadget_server):
    """onConnect runs, finesse.js loads the User over makeRequest, the hub reports connected."""
    frame = gadget_desktop.gadget_frame(test_gadget_server.spec_url)
    expect(frame.locator("#agent-name")).to_have_text("Ana Horvat")
    expect(frame.locator("#agent-extension")).to_have_text("3001")
    expect(frame.locator("#agent-team")).to_have_text("Customer Care")
    expect(frame.locator("#agent-state")).to_have_text("NOT_READY")
    expect(frame.locator("#hub-connection")).to_have_text("connected")
    # manual-dismiss loading indicator: busy until the gadget calls gadgets.loadingindicator.dismiss()
    expect(gadget_desktop.gadget_iframe(test_gadget_server.spec_url)).to_have_attribute("aria-busy", "false")


def test_set_title_names_the_gadget_tile(gadget_desktop, test_gadget_server):
    """gadgets.window.setTitle (via ContainerServices.setMyGadgetTitle) changes the tile's title."""
    expect(gadget_desktop.page.locator(".gadget-title")).to_have_text("Test Gadget – Ana Horvat")
    expect(gadget_desktop.gadget_iframe("Test Gadget – Ana Horvat")).to_have_count(1)


def test_adjust_height_sizes_the_iframe_to_its_content(gadget_desktop, test_gadget_server):
    """After adjustHeight the iframe is as tall as the gadget's document."""
    iframe = gadget_desktop.gadget_iframe(test_gadget_server.spec_url)
    frame = iframe.content_frame
    expect(frame.locator("#agent-name")).to_have_text("Ana Horvat")
    content_height = frame.locator("html").evaluate("root => root.offsetHeight")
    expect(iframe).to_have_css("height", f"{content_height}px")
    assert content_height > 300


def test_active_tab_handler_runs_when_the_gadgets_tab_is_shown(desktop, finesse, test_gadget_server):
    """ContainerServices ACTIVE_TAB handlers fire only when the gadget's own tab becomes active."""
    set_team_layout(finesse, "10", {"home": [], "tests": [test_gadget_server.spec_url]})
    agent = desktop("1001")
    frame = agent.gadget_frame(test_gadget_server.spec_url)
    expect(frame.locator("#agent-name")).to_have_text("Ana Horvat")
    expect(frame.locator("#tab-state")).to_have_text("hidden")
    agent.activate_tab("tests")
    expect(agent.page.locator("#panel_tests")).to_be_visible()
    expect(frame.locator("#tab-state")).to_have_text("visible")


def test_activate_my_tab_brings_the_gadgets_tab_forward(desktop, finesse, test_gadget_server):
    """ContainerServices.activateMyTab sends SetActiveTabReq; the desktop shows the gadget's tab."""
    set_team_layout(finesse, "10", {"home": [], "tests": [test_gadget_server.spec_url]})
    agent = desktop("1001")
    expect(agent.gadget_frame(test_gadget_server.spec_url).locator("#hub-connection")).to_have_text("connected")
    agent.gadget_window(test_gadget_server.spec_url).evaluate(
        "() => finesse.containerservices.ContainerServices.activateMyTab()"
    )
    expect(agent.page.locator("#panel_tests")).to_be_visible()
    expect(agent.page.locator("#panel_home")).to_be_hidden()
    expect(agent.page.locator("#tab_tests")).to_have_attribute("aria-selected", "true")


def test_saved_pref_survives_a_desktop_reload(gadget_desktop, test_gadget_server):
    """gadgets.Prefs.set persists per agent and gadget; after reload getString returns it."""
    frame = gadget_desktop.gadget_frame(test_gadget_server.spec_url)
    frame.locator("#note-input").fill("Customer prefers email")
    # Not "networkidle": over BOSH, as on Finesse, a notification request is always waiting at the server.
    with gadget_desktop.page.expect_response(lambda r: r.url.endswith("/gadgets/prefs") and r.ok):
        frame.locator("#note-save").click()
    expect(frame.locator("#note-saved")).to_have_text("saved")
    gadget_desktop.reload()
    expect(gadget_desktop.gadget_frame(test_gadget_server.spec_url).locator("#note-input")).to_have_value(
        "Customer prefers email"
    )


def test_make_request_reaches_the_gadgets_server_through_the_proxy(gadget_desktop, test_gadget_server):
    """gadgets.io.makeRequest with METHOD, HEADERS, POST_DATA and JSON content type round-trips."""
    frame = gadget_desktop.gadget_frame(test_gadget_server.spec_url)
    expect(frame.locator("#agent-name")).to_have_text("Ana Horvat")
    frame.locator("#echo-send").click()
    expect(frame.locator("#echo-result")).to_have_text("200 POST hello from 1001 1")


@pytest.mark.allow_console_errors(r"status of (400|502)")
def test_broken_gadgets_show_error_tiles_naming_the_problem(desktop, finesse, test_gadget_server):
    """Unreachable spec, malformed XML and a missing pubsub-2 each give a visible tile, never a blank frame."""
    base = test_gadget_server.url
    set_team_layout(
        finesse, "10", {"home": [base + "/missing.xml", base + "/broken/not_xml.xml", base + "/broken/no_pubsub.xml"]}
    )
    agent = desktop("1001")
    missing = agent.gadget_frame(base + "/missing.xml")
    expect(missing.locator(".gadget-error h1")).to_have_text("The gadget spec could not be fetched")
    expect(missing.locator(".gadget-error-detail")).to_have_text(f"{base}/missing.xml: HTTP 404 NOT FOUND")
    expect(agent.gadget_frame(base + "/broken/not_xml.xml").locator(".gadget-error h1")).to_have_text(
        "The gadget spec is not well-formed XML"
    )
    expect(agent.gadget_frame(base + "/broken/no_pubsub.xml").locator(".gadget-error h1")).to_have_text(
        'The gadget spec does not require the "pubsub-2" feature'
    )


def test_navigate_to_canvas_renders_that_view_and_maximises_the_gadget(desktop, finesse, test_gadget_server):
    """gadgets.views.requestNavigateTo("canvas") re-renders the canvas content; the tab's other tiles hide."""
    href_spec = test_gadget_server.url + "/href_gadget.xml"
    set_team_layout(finesse, "10", {"home": [href_spec, test_gadget_server.spec_url]})
    agent = desktop("1001")
    expect(agent.gadget_frame(href_spec).locator("#greeting")).to_have_text("Hello from the default view")
    agent.gadget_window(href_spec).evaluate("() => gadgets.views.requestNavigateTo('canvas')")
    expect(agent.gadget_frame(href_spec).locator("#canvas")).to_have_text("Canvas view")
    expect(agent.gadget_iframe(test_gadget_server.spec_url)).to_be_hidden()


def test_prefs_and_util_read_the_iframe_parameters(gadget_desktop, test_gadget_server):
    """gadgets.Prefs gives messages, language and typed Finesse prefs; util gives mid, url, feature params."""
    expect(gadget_desktop.gadget_frame(test_gadget_server.spec_url).locator("#hub-connection")).to_have_text(
        "connected"
    )
    values = gadget_desktop.gadget_window(test_gadget_server.spec_url).evaluate("""() => {
        const prefs = new gadgets.Prefs();
        const params = gadgets.util.getUrlParameters();
        return [prefs.getMsg("save"), prefs.getLang(), prefs.getCountry(), prefs.getInt("clientDriftInMillis"),
                prefs.getString("extension"), prefs.getBool("note"), params.mid, params.url,
                gadgets.util.escapeString("<b>"), gadgets.util.getFeatureParameters("loadingindicator")];
    }""")
    assert values == [
        "Save note",
        "en",
        "US",
        0,
        "3001",
        False,
        "1",
        test_gadget_server.spec_url,
        "&#60;b&#62;",
        {"manual-dismiss": "true"},
    ]


@pytest.mark.allow_console_errors(r"status of 403 \(FORBIDDEN\) \(at http://127.0.0.1:\d+/gadgets/makeRequest\)")
def test_make_request_to_a_host_off_the_allow_list_reports_the_refusal(gadget_desktop, test_gadget_server):
    """The callback gets rc 403 and an error naming the allow-list; nothing is fetched."""
    expect(gadget_desktop.gadget_frame(test_gadget_server.spec_url).locator("#hub-connection")).to_have_text(
        "connected"
    )
    response = gadget_desktop.gadget_window(test_gadget_server.spec_url).evaluate("""() => new Promise((resolve) =>
        gadgets.io.makeRequest("http://192.0.2.1:8080/data", resolve, {}))""")
    assert response["rc"] == 403
    assert "192.0.2.1:8080 is not on the makeRequest allow-list (MAKEREQUEST_ALLOWLIST)" in response["errors"][0]


def test_reload_my_gadget_loads_the_frame_again(gadget_desktop, test_gadget_server):
    """ReloadGadgetReq reloads the gadget's iframe (a fresh document, started again)."""
    gadget = gadget_desktop.gadget_window(test_gadget_server.spec_url)
    gadget.evaluate(
        "() => { window.beforeReload = true; finesse.containerservices.ContainerServices.reloadMyGadget(); }"
    )
    gadget.wait_for_function("() => window.beforeReload === undefined && window.testGadget !== undefined")
    expect(gadget.locator("#agent-name")).to_have_text("Ana Horvat")


def test_agent_language_picks_the_gadgets_message_bundle(desktop, finesse, test_gadget_server):
    """Signing in in Croatian renders the gadget with its hr bundle (__MSG__ and getMsg)."""
    set_team_layout(finesse, "10", {"home": [test_gadget_server.spec_url]})
    agent = desktop("1001", locale="hr_HR")
    frame = agent.gadget_frame(test_gadget_server.spec_url)
    expect(frame.locator("h1")).to_have_text("Testni gadget harnessa")
    expect(frame.locator("#note-save")).to_have_text("Spremi bilješku")
    expect(agent.page.locator(".gadget-title")).to_have_text("Testni gadget – Ana Horvat")
