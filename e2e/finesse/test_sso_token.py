"""SSO: a gadget gets the agent's access token as finesse.gadget.Config.authToken (the authToken pref, the way
Cisco's TechNote 214687 tells gadgets to read it) and its Finesse REST calls go out as Bearer — while the token
never rides on a URL: not on the gadget iframe's, nor on any request the browser makes, nor in the access log."""

import logging

import pytest
from playwright.sync_api import expect

import mock_finesse
from finesse_harness.desktop import Desktop, set_team_layout
from finesse_harness.servers import ServerThread

SPEC = """<?xml version="1.0" encoding="UTF-8"?>
<Module>
  <ModulePrefs title="SSO Sample"><Require feature="pubsub-2"/><Require feature="setprefs"/></ModulePrefs>
  <Content type="html"><![CDATA[
    <script src="/desktop/assets/js/jquery.min.js"></script>
    <script src="/desktop/assets/js/finesse.js"></script>
    <p>Agent: <output id="agent"></output></p>
    <script>
      gadgets.HubSettings.onConnect = function () {
        var cfg = finesse.gadget.Config;
        finesse.clientservices.ClientServices.init(cfg, false);
        var user = new finesse.restservices.User({ id: cfg.id,
          onLoad: function () { $("#agent").text(user.getFullName()); },
          onError: function (rsp) { $("#agent").text("error " + rsp.status); } });
      };
    </script>
  ]]></Content>
</Module>
"""


@pytest.fixture()
def sso_finesse(tmp_path):
    """A mock Finesse with SSO on and the SSO sample gadget in its 3rdpartygadget folder."""
    files = tmp_path / "files"
    files.mkdir()
    (files / "Sso.xml").write_text(SPEC, encoding="utf-8")
    server = ServerThread(mock_finesse.create_app({"SSO_ENABLED": True, "GADGET_FILES_DIR": str(files)})).start()
    set_team_layout(server, "10", {"home": ["/3rdpartygadget/files/Sso.xml"]})
    yield server
    server.stop()


def test_the_gadget_gets_the_sso_token_from_the_desktop_and_never_from_a_url(sso_finesse, page, caplog):
    """Config.authToken is a token the REST API accepts (the User loads over Bearer); the iframe URL, every
    browser request and every access-log line are free of it."""
    caplog.set_level(logging.INFO, logger="werkzeug")
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    agent = Desktop(page, sso_finesse, "1001").sign_in()
    gadget = agent.gadget_frame("/3rdpartygadget/files/Sso.xml")
    expect(gadget.locator("#agent")).to_have_text("Ana Horvat")
    window = agent.gadget_window("/3rdpartygadget/files/Sso.xml")
    token = window.evaluate("() => finesse.gadget.Config.authToken")
    assert len(token) > 20
    assert (
        window.evaluate("() => finesse.utilities.Utilities.getAuthHeaderString(finesse.gadget.Config)")
        == f"Bearer {token}"
    )
    assert window.evaluate("() => sessionStorage.getItem('userFinesseAuthToken')") == token
    src = agent.gadget_iframe("/3rdpartygadget/files/Sso.xml").get_attribute("src")
    assert "authToken" not in src and token not in src
    assert urls and not [url for url in urls if token in url]
    assert token not in caplog.text


def test_signing_in_again_after_sign_out_gives_a_new_token_and_the_old_item_is_gone(sso_finesse, page):
    """The sign-in page removes the token item; the next desktop page sets a fresh one."""
    agent = Desktop(page, sso_finesse, "1001").sign_in()
    first = page.evaluate("() => sessionStorage.getItem('userFinesseAuthToken')")
    page.click("#sign-out")
    expect(page.locator(".signin-card")).to_be_visible()
    assert page.evaluate("() => sessionStorage.getItem('userFinesseAuthToken')") is None
    agent.sign_in()
    assert page.evaluate("() => sessionStorage.getItem('userFinesseAuthToken')") not in (None, first)
