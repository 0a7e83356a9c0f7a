"""The container's outbound fetches check exactly the URL they fetch (issue #10: SSRF in makeRequest and
/gadgets/ifr). Every case is an attack an outside tester ran against the mock on loopback."""

import json

import pytest
import requests

from finesse_harness.desktop import set_team_layout

CRUFT = "throw 1; < don't be evil' >"


def make_request(finesse, url, **form):
    """POST /gadgets/makeRequest for ``url``."""
    return requests.post(finesse.url + "/gadgets/makeRequest", data={"url": url, **form}, timeout=15)


def ifr(finesse, spec_url):
    """GET /gadgets/ifr for ``spec_url``."""
    return requests.get(finesse.url + "/gadgets/ifr", params={"url": spec_url, "mid": "1"}, timeout=15)


def test_backslash_before_userinfo_cannot_reach_a_host_off_the_allow_list(
    finesse, test_gadget_server, outsider, api_error
):
    """``http://outsider\\@allowed/`` (urlsplit sees the allowed host, requests connects to the outsider) → 400
    naming url, and nothing of the outsider comes back."""
    url = f"http://127.0.0.1:{outsider.port}\\@127.0.0.1:{test_gadget_server.port}/api/echo"
    response = make_request(finesse, url)
    assert response.status_code == 400, response.text
    error_type, message, data = api_error(response)
    assert (error_type, data) == ("Invalid Input", "url")
    assert "backslash" in message
    assert '"method"' not in response.text


def test_userinfo_in_the_url_is_refused(finesse, test_gadget_server, api_error):
    """``http://user:secret@allowed/`` → 400 naming url (no credentials are sent anywhere)."""
    response = make_request(finesse, f"http://user:secret@127.0.0.1:{test_gadget_server.port}/api/echo")
    assert response.status_code == 400
    error_type, message, data = api_error(response)
    assert (error_type, data) == ("Invalid Input", "url")
    assert "user name or password" in message


@pytest.mark.parametrize("port", ["99999", "abc", "-1"])
def test_malformed_port_is_a_clear_400_not_a_500(finesse, port, api_error):
    """A port that is not 1–65535 → 400 naming url and the port problem."""
    response = make_request(finesse, f"http://127.0.0.1:{port}/")
    assert response.status_code == 400, response.text
    error_type, message, data = api_error(response)
    assert (error_type, data) == ("Invalid Input", "url")
    assert "malformed port" in message


def test_make_request_redirect_with_a_backslash_hop_is_refused(finesse, test_gadget_server, outsider):
    """Every redirect hop is parsed and checked again: a Location with the backslash trick is refused."""
    hop = f"http://127.0.0.1:{outsider.port}\\@127.0.0.1:{test_gadget_server.port}/api/echo"
    response = make_request(finesse, test_gadget_server.url + "/api/redirect?to=" + requests.utils.quote(hop))
    assert response.status_code == 400
    assert '"method"' not in response.text


def test_make_request_to_an_allowed_host_still_works(finesse, test_gadget_server):
    """The checks leave a plain allow-listed URL (query string included) alone."""
    url = test_gadget_server.url + "/api/echo?q=a%20b&x=1"
    answer = make_request(finesse, url)
    entry = json.loads(answer.text[len(CRUFT) :])[url]
    assert (entry["rc"], json.loads(entry["body"])["args"]) == (200, {"q": "a b", "x": "1"})


def test_ifr_does_not_fetch_a_url_outside_the_layouts_and_echoes_nothing_of_it(finesse, outsider):
    """/gadgets/ifr for a host in no layout and on no list → 403 tile; the target's root element is not shown."""
    response = ifr(finesse, outsider.url + "/messages/en.xml")
    assert response.status_code == 403
    assert "not on the gadget source allowed list" in response.text
    assert "messagebundle" not in response.text


def test_ifr_does_not_follow_a_redirect_off_the_allowed_hosts(finesse, test_gadget_server, outsider):
    """An allowed gadget host redirecting to another host gets a 403 tile, not the other host's gadget."""
    target = outsider.url + "/test_gadget.xml"
    response = ifr(finesse, test_gadget_server.url + "/api/redirect?to=" + requests.utils.quote(target))
    assert response.status_code == 403
    assert "Test Gadget" not in response.text and "testGadget" not in response.text


def test_ifr_renders_a_gadget_of_a_team_layout_without_any_allow_list(finesse_server, finesse, outsider):
    """Real gadgets keep working: a spec in a team's layout renders though its host is on no list; once the
    layout is gone, it is refused again."""
    spec = outsider.url + "/test_gadget.xml"
    set_team_layout(finesse_server, "10", {"home": [spec]})
    assert ifr(finesse, spec).status_code == 200
    finesse.control("DELETE", "/layouts/10").raise_for_status()
    assert ifr(finesse, spec).status_code == 403
