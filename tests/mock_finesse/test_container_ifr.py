"""The gadget container over HTTP: /gadgets/ifr rendering, its error pages, the iframe URL and setprefs."""

import base64
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from lxml import etree

from finesse_harness.handles import allow_gadget_source
from finesse_harness.servers import ServerThread
from mock_finesse import create_app, get_backend
from mock_finesse.config import ConfigError
from mock_finesse.container import gadget_iframe_url

BASIC_1001 = "Basic " + base64.b64encode(b"1001:demo1001").decode()


def ifr(finesse, spec_url, **params):
    """GET /gadgets/ifr for ``spec_url`` with extra query parameters."""
    return requests.get(finesse.url + "/gadgets/ifr", params={"url": spec_url, "mid": "7", **params}, timeout=10)


def gadget_context(page_html):
    """The ``window.__gadgetContext`` JSON the container injects."""
    return json.loads(re.search(r"window.__gadgetContext = (\{.*?\});</script>", page_html).group(1))


def api_error(response):
    """(ErrorType, ErrorMessage, ErrorData) of an <ApiErrors> body."""
    root = etree.fromstring(response.content)
    return tuple(root.findtext(f"ApiError/{name}") for name in ("ErrorType", "ErrorMessage", "ErrorData"))


def test_ifr_renders_content_after_the_shim_with_prefs_and_messages(finesse, test_gadget_server):
    """The spec's CDATA content follows the gadgets shim; prefs (defaults + up_*) and messages are injected."""
    response = ifr(
        finesse,
        test_gadget_server.spec_url,
        lang="en",
        country="US",
        up_id="1001",
        up_scheme="http",
        up_host="127.0.0.1",
        up_hostPort="5200",
    )
    assert response.status_code == 200
    page = response.text
    assert page.index("/gadgets/js/gadgets.js") < page.index("<h1>Harness test gadget</h1>")
    context = gadget_context(page)
    assert context["mid"] == "7"
    assert context["prefs"]["id"] == "1001"
    assert context["prefs"]["echoPath"] == "/api/echo"  # UserPref default
    assert context["messages"]["title"] == "Test Gadget"
    assert context["title"] == "Test Gadget"
    assert context["featureParams"]["loadingindicator"] == {"manual-dismiss": "true"}
    assert "gadgets.util.runOnLoadHandlers()" in page


def test_ifr_resolves_relative_urls_against_the_spec_and_substitutes_user_prefs(finesse, test_gadget_server):
    """Relative src/href point at the gadget's own server; __UP_x__ becomes the pref value."""
    page = ifr(finesse, test_gadget_server.spec_url, up_scheme="http", up_host="127.0.0.1", up_hostPort="5200").text
    assert f'src="{test_gadget_server.url}/test_gadget.js"' in page
    assert f'href="{test_gadget_server.url}/test_gadget.css"' in page
    assert 'src="http://127.0.0.1:5200/desktop/assets/js/finesse.js"' in page
    assert "<!DOCTYPE html>\n    <link" not in page  # the content's own doctype is dropped


def test_spec_in_3rdpartygadget_files_loads_finesse_paths_from_finesse(finesse):
    """A spec hosted on Finesse itself keeps /desktop/assets/… on Finesse; its own files resolve beside it."""
    folder = finesse.gadget_dir / "local"
    folder.mkdir(exist_ok=True)
    (folder / "Local.xml").write_text(
        '<Module><ModulePrefs title="Local"><Require feature="pubsub-2"/></ModulePrefs><Content type="html">'
        '<![CDATA[<script src="/desktop/assets/js/finesse.js"></script><script src="app.js"></script>]]>'
        "</Content></Module>"
    )
    page = ifr(finesse, finesse.url + "/3rdpartygadget/files/local/Local.xml").text
    assert f'src="{finesse.url}/desktop/assets/js/finesse.js"' in page
    assert f'src="{finesse.url}/3rdpartygadget/files/local/app.js"' in page


def test_ifr_html_escapes_user_pref_values_in_content(finesse, test_gadget_server):
    """A hostile up_* value cannot inject markup through __UP_x__ substitution."""
    page = ifr(finesse, test_gadget_server.spec_url, up_host='"><script>alert(1)</script>').text
    assert "<script>alert(1)</script>" not in page
    assert "&#34;&gt;&lt;script&gt;" in page or "&quot;&gt;&lt;script&gt;" in page


def test_ifr_uses_the_agents_language_bundle(finesse, test_gadget_server):
    """lang=hr renders the hr bundle (messages fetched relative to the spec)."""
    page = ifr(finesse, test_gadget_server.spec_url, lang="hr", country="HR").text
    assert "<h1>Testni gadget harnessa</h1>" in page
    assert gadget_context(page)["messages"]["save"] == "Spremi bilješku"


def test_ifr_falls_back_to_the_default_bundle_for_other_languages(finesse, test_gadget_server):
    """A language the spec has no <Locale> for gets the default (English) messages."""
    page = ifr(finesse, test_gadget_server.spec_url, lang="sr", country="RS").text
    assert "<h1>Harness test gadget</h1>" in page


def test_ifr_fetches_href_content_and_resolves_its_links_against_it(finesse, test_gadget_server):
    """<Content href> is fetched; its relative URLs resolve against the content file, fragments stay."""
    page = ifr(finesse, test_gadget_server.url + "/href_gadget.xml", lang="en", country="US").text
    assert "Hello from the default view" in page
    assert f'src="{test_gadget_server.url}/content/logo.png"' in page
    assert 'href="#top"' in page


def test_ifr_renders_the_requested_view(finesse, test_gadget_server):
    """view=canvas picks the <Content view="canvas">."""
    page = ifr(finesse, test_gadget_server.url + "/href_gadget.xml", view="canvas").text
    assert "Canvas view" in page
    assert 'id="greeting"' not in page


def test_unreachable_spec_shows_an_error_page_with_url_and_status(finesse, test_gadget_server):
    """A spec URL answering 404 gives a visible error page (502) naming the URL and the HTTP status."""
    spec_url = test_gadget_server.url + "/missing.xml"
    response = ifr(finesse, spec_url)
    assert response.status_code == 502
    assert "The gadget spec could not be fetched" in response.text
    assert f"{spec_url}: HTTP 404" in response.text
    assert 'class="gadget-error"' in response.text


def test_refused_connection_shows_an_error_page_with_the_exception(finesse):
    """An allowed spec host that refuses connections is named with the exception."""
    closed = ServerThread(lambda environ, start: []).start()
    closed.stop()
    allow_gadget_source(finesse, closed.url)
    response = ifr(finesse, closed.url + "/gadget.xml")
    assert response.status_code == 502
    assert "ConnectionError" in response.text


def test_spec_that_is_not_xml_shows_the_parser_message_and_line(finesse, test_gadget_server):
    """Malformed XML names the parser problem and its line."""
    response = ifr(finesse, test_gadget_server.url + "/broken/not_xml.xml")
    assert response.status_code == 400
    assert "The gadget spec is not well-formed XML" in response.text
    assert re.search(r"line [56]: ", response.text)


def test_spec_without_pubsub_2_is_refused_naming_the_feature(finesse, test_gadget_server):
    """Finesse loads only gadgets that require pubsub-2."""
    response = ifr(finesse, test_gadget_server.url + "/broken/no_pubsub.xml")
    assert response.status_code == 400
    assert (
        "does not require the &#34;pubsub-2&#34; feature" in response.text
        or 'does not require the "pubsub-2" feature' in response.text
    )
    assert "never shown" not in response.text


def test_ifr_without_url_is_an_error_page(finesse):
    """/gadgets/ifr with no url names the missing parameter."""
    response = requests.get(finesse.url + "/gadgets/ifr", timeout=10)
    assert response.status_code == 400
    assert "The gadget URL is missing" in response.text


def iframe_query(finesse_server, spec_url, locale="hr_HR"):
    """The query of ``gadget_iframe_url`` as the desktop page would build it for agent 1001."""
    agent = next(a for a in finesse_server.app.config["AGENTS"] if a["id"] == "1001")
    with finesse_server.app.test_request_context("/desktop/", base_url=finesse_server.url):
        url = gadget_iframe_url(spec_url, 3, agent, locale)
    assert url.startswith("/gadgets/ifr?")
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_iframe_url_carries_the_finesse_prefs_but_never_the_agents_password(finesse):
    """up_* carry host, port, scheme, id, locale, extension, team, XMPP domains; no authorization (the password
    would reach access logs and Referer headers): the desktop's userFinesseAuth session item carries it."""
    port = str(urlsplit(finesse.url).port)
    query = iframe_query(finesse, "/3rdpartygadget/files/hello.xml")
    assert query["url"] == finesse.url + "/3rdpartygadget/files/hello.xml"
    assert (query["mid"], query["lang"], query["country"]) == ("3", "hr", "HR")
    assert "up_authorization" not in query
    assert "demo1001" not in str(query) and base64.b64encode(b"1001:demo1001").decode() not in str(query)
    assert (query["up_host"], query["up_hostPort"], query["up_restHost"]) == ("127.0.0.1", port, "127.0.0.1")
    assert (query["up_scheme"], query["up_id"], query["up_extension"]) == ("http", "1001", "3001")
    assert (query["up_locale"], query["up_language"], query["up_country"]) == ("hr_HR", "hr", "HR")
    assert (query["up_teamId"], query["up_teamName"]) == ("10", "Customer Care")
    assert query["up_pubsubDomain"] == "pubsub." + query["up_xmppDomain"]
    assert (query["up_localhostPort"], query["up_clientDriftInMillis"]) == (port, "0")


def test_an_authorization_pref_saved_earlier_never_reaches_the_iframe_url(finesse):
    """A prefs store holding Finesse's own prefs (an older PREFS_FILE, say) does not put them on the URL."""
    spec = finesse.url + "/3rdpartygadget/files/hello.xml"
    get_backend(finesse.app).gadget_prefs.set("1001", spec, "authorization", "MTAwMTpkZW1vMTAwMQ==")
    get_backend(finesse.app).gadget_prefs.set("1001", spec, "note", "kept")
    query = iframe_query(finesse, "/3rdpartygadget/files/hello.xml")
    assert "up_authorization" not in query and query["up_note"] == "kept"


def test_iframe_url_has_no_auth_token_without_sso(finesse):
    """authToken stays empty unless SSO_ENABLED: gadgets then use Basic."""
    assert iframe_query(finesse, "/3rdpartygadget/files/hello.xml").get("up_authToken", "") == ""


def test_iframe_url_carries_no_sso_token_when_sso_is_on():
    """With SSO_ENABLED the token stays off the iframe URL too (access logs, Referer): the desktop page keeps
    it in the per-tab session item userFinesseAuthToken (e2e/finesse/test_sso_token.py)."""
    with ServerThread(create_app({"SSO_ENABLED": True})) as sso_server:
        query = iframe_query(sso_server, "/3rdpartygadget/files/hello.xml")
    assert "up_authToken" not in query
    assert get_backend(sso_server.app).sso_tokens == {}


def test_saved_pref_comes_back_on_the_iframe_url(finesse, test_gadget_server):
    """setprefs persists per agent and gadget: the next iframe URL carries the value."""
    response = requests.post(
        finesse.url + "/gadgets/prefs",
        headers={"Authorization": BASIC_1001},
        timeout=10,
        data={"url": test_gadget_server.spec_url, "name": "note", "value": "call back Ana"},
    )
    assert response.status_code == 204
    assert iframe_query(finesse, test_gadget_server.spec_url)["up_note"] == "call back Ana"
    assert "up_note" not in iframe_query(finesse, test_gadget_server.url + "/href_gadget.xml")


def test_saved_prefs_are_cleared_by_reset(finesse, test_gadget_server):
    """POST /_mock/reset forgets setprefs values."""
    requests.post(
        finesse.url + "/gadgets/prefs",
        headers={"Authorization": BASIC_1001},
        timeout=10,
        data={"url": test_gadget_server.spec_url, "name": "note", "value": "x"},
    ).raise_for_status()
    finesse.reset()
    assert "up_note" not in iframe_query(finesse, test_gadget_server.spec_url)


def test_saved_prefs_survive_a_restart_with_a_prefs_file(tmp_path, test_gadget_server):
    """With PREFS_FILE an agent's setprefs values are still there after the mock Finesse restarts."""
    settings = {"PREFS_FILE": str(tmp_path / "prefs.json")}
    first = ServerThread(create_app(settings)).start()
    try:
        requests.post(
            first.url + "/gadgets/prefs",
            headers={"Authorization": BASIC_1001},
            timeout=10,
            data={"url": test_gadget_server.spec_url, "name": "recent", "value": '["c-1"]'},
        ).raise_for_status()
    finally:
        first.stop()
    second = ServerThread(create_app(settings)).start()
    try:
        assert iframe_query(second, test_gadget_server.spec_url)["up_recent"] == '["c-1"]'
    finally:
        second.stop()


def test_unreadable_prefs_file_stops_start_up_naming_the_setting(tmp_path):
    """A PREFS_FILE that is not a JSON object is a configuration error, not a crash later."""
    broken = tmp_path / "prefs.json"
    broken.write_text("{not json")
    with pytest.raises(ConfigError, match="PREFS_FILE"):
        create_app({"PREFS_FILE": str(broken)})


def test_setprefs_without_credentials_is_unauthorized(finesse, test_gadget_server):
    """Saving a pref needs the agent's credentials."""
    response = requests.post(
        finesse.url + "/gadgets/prefs",
        timeout=10,
        data={"url": test_gadget_server.spec_url, "name": "note", "value": "x"},
    )
    assert response.status_code == 401
    assert api_error(response)[0] == "Authorization Failure"


@pytest.mark.parametrize("field", ["url", "name"])
def test_setprefs_without_a_required_field_names_it(finesse, test_gadget_server, field):
    """url and name are required."""
    data = {"url": test_gadget_server.spec_url, "name": "note", "value": "x"}
    del data[field]
    response = requests.post(
        finesse.url + "/gadgets/prefs", headers={"Authorization": BASIC_1001}, data=data, timeout=10
    )
    assert response.status_code == 400
    error_type, message, error_data = api_error(response)
    assert (error_type, error_data) == ("Parameter Missing", field)
    assert f"{field} is required" in message


def test_setprefs_value_over_the_limit_is_refused_naming_the_limit(finesse, test_gadget_server):
    """A pref value longer than GADGET_PREF_MAX_CHARS is refused, nothing stored."""
    limit = finesse.app.config["GADGET_PREF_MAX_CHARS"]
    response = requests.post(
        finesse.url + "/gadgets/prefs",
        headers={"Authorization": BASIC_1001},
        timeout=10,
        data={"url": test_gadget_server.spec_url, "name": "note", "value": "x" * (limit + 1)},
    )
    assert response.status_code == 400
    error_type, message, error_data = api_error(response)
    assert (error_type, error_data) == ("Invalid Input", "value")
    assert f"the limit is {limit}" in message
    assert "up_note" not in iframe_query(finesse, test_gadget_server.spec_url)


def test_gadget_source_allow_list_refuses_other_hosts_but_not_this_finesse(test_gadget_server, tmp_path):
    """With GADGET_SOURCE_ALLOWLIST set, specs elsewhere get a 403 tile naming the setting; /3rdpartygadget stays."""
    (tmp_path / "Local.xml").write_text(
        '<Module><ModulePrefs title="Local"><Require feature="pubsub-2"/>'
        '</ModulePrefs><Content type="html"><![CDATA[<p>local</p>]]></Content></Module>'
    )
    app = create_app({"GADGET_SOURCE_ALLOWLIST": ["gadgets.example.com:443"], "GADGET_FILES_DIR": str(tmp_path)})
    with ServerThread(app) as server:
        refused = ifr(server, test_gadget_server.spec_url)
        local = ifr(server, server.url + "/3rdpartygadget/files/Local.xml")
    assert refused.status_code == 403
    assert "The gadget spec host is not on the gadget source allowed list" in refused.text
    assert "add its host:port to GADGET_SOURCE_ALLOWLIST" in refused.text
    assert local.status_code == 200
    assert "<p>local</p>" in local.text


def test_non_http_spec_url_is_an_error_page_naming_it(finesse):
    """file: and other schemes are never fetched."""
    response = ifr(finesse, "file:///etc/passwd")
    assert response.status_code == 400
    assert "The gadget spec URL is not an absolute http(s) address" in response.text
