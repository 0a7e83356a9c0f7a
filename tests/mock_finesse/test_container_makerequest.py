"""The makeRequest proxy over HTTP: Shindig's request form and response envelope, and the allow-list."""

import base64
import json

import pytest
import requests
from lxml import etree

from finesse_harness.handles import allow_make_request
from finesse_harness.servers import ServerThread
from e2e.test_gadget.server import create_app as gadget_server_app
from mock_finesse.config import ConfigError, load_config

CRUFT = "throw 1; < don't be evil' >"


def proxy(finesse, **form):
    """POST /gadgets/makeRequest with Shindig's form fields."""
    return requests.post(finesse.url + "/gadgets/makeRequest", data=form, timeout=15)


def envelope(response, url):
    """The entry for ``url`` in Shindig's ``throw 1; < don't be evil' >{...}`` answer."""
    assert response.status_code == 200
    assert response.text.startswith(CRUFT)
    return json.loads(response.text[len(CRUFT) :])[url]


def api_error(response):
    """(ErrorType, ErrorMessage, ErrorData) of an <ApiErrors> body."""
    root = etree.fromstring(response.content)
    return tuple(root.findtext(f"ApiError/{name}") for name in ("ErrorType", "ErrorMessage", "ErrorData"))


def test_proxy_forwards_method_headers_and_body_in_shindigs_envelope(finesse, test_gadget_server):
    """httpMethod, url-encoded headers and postData reach the target; rc, body and full headers come back."""
    url = test_gadget_server.url + "/api/echo?q=1"
    entry = envelope(
        proxy(
            finesse,
            url=url,
            httpMethod="POST",
            headers="X-Test=yes&Content-Type=text%2Fplain",
            postData="hello",
            getFullHeaders="true",
            contentType="JSON",
        ),
        url,
    )
    assert entry["rc"] == 200
    echoed = json.loads(entry["body"])
    assert (echoed["method"], echoed["body"], echoed["args"]) == ("POST", "hello", {"q": "1"})
    assert echoed["headers"]["X-Test"] == "yes"
    assert entry["headers"]["content-type"] == ["application/json"]


def test_proxy_leaves_headers_out_unless_full_headers_are_asked(finesse, test_gadget_server):
    """Without getFullHeaders the entry has rc and body only."""
    url = test_gadget_server.url + "/api/echo"
    assert set(envelope(proxy(finesse, url=url), url)) == {"rc", "body"}


def test_proxy_reaches_this_finesse_without_configuration(finesse):
    """The Finesse REST API of this server is always allowed (that is how finesse.js calls it)."""
    url = finesse.url + "/finesse/api/User/1001"
    auth = "Authorization=" + requests.utils.quote("Basic " + base64.b64encode(b"1001:demo1001").decode())
    entry = envelope(proxy(finesse, url=url, headers=auth), url)
    assert entry["rc"] == 200
    assert etree.fromstring(entry["body"].encode()).findtext("loginId") == "1001"


def test_upstream_error_status_is_passed_through_as_rc(finesse, test_gadget_server):
    """A 404 from the target is the envelope's rc, not an error of the proxy."""
    url = test_gadget_server.url + "/no-such-file.txt"
    assert envelope(proxy(finesse, url=url), url)["rc"] == 404


def test_host_off_the_allow_list_is_refused(finesse, outsider):
    """The proxy is never open: an unlisted host:port gets 403 naming it and the setting."""
    response = proxy(finesse, url=outsider.url + "/api/echo")
    assert response.status_code == 403
    error_type, message, error_data = api_error(response)
    assert (error_type, error_data) == ("Forbidden", "url")
    assert f"127.0.0.1:{outsider.port} is not on the makeRequest allow-list (MAKEREQUEST_ALLOWLIST)" in message


def test_spoofed_host_header_does_not_open_the_proxy(finesse, outsider):
    """ "This server" comes from the listening socket, not the Host header a client sends."""
    response = requests.post(
        finesse.url + "/gadgets/makeRequest",
        data={"url": outsider.url + "/api/echo"},
        headers={"Host": f"127.0.0.1:{outsider.port}"},
        timeout=15,
    )
    assert response.status_code == 403
    assert api_error(response)[0] == "Forbidden"


def test_this_server_is_reachable_under_its_loopback_names(finesse):
    """localhost and 127.0.0.1 on this server's port are this server."""
    url = f"http://localhost:{finesse.thread.port}/finesse/api/SystemInfo"
    assert envelope(proxy(finesse, url=url), url)["rc"] == 200


def test_redirect_to_a_host_off_the_allow_list_is_refused(finesse, test_gadget_server, outsider):
    """An allowed host cannot bounce the proxy to an unlisted one."""
    response = proxy(finesse, url=test_gadget_server.url + "/api/redirect?to=" + outsider.url + "/api/echo")
    assert response.status_code == 403
    assert f"127.0.0.1:{outsider.port} is not on the makeRequest allow-list" in api_error(response)[1]


def test_redirect_within_the_allow_list_is_followed(finesse, test_gadget_server):
    """A 302 to an allowed host is followed (as GET)."""
    url = test_gadget_server.url + "/api/redirect?to=/api/echo"
    entry = envelope(proxy(finesse, url=url, httpMethod="POST", postData="x"), url)
    assert (entry["rc"], json.loads(entry["body"])["method"]) == (200, "GET")


def test_non_http_url_is_refused_naming_the_field(finesse):
    """file:, ftp: and relative URLs are not proxied."""
    response = proxy(finesse, url="file:///etc/passwd")
    assert response.status_code == 400
    error_type, message, error_data = api_error(response)
    assert (error_type, error_data) == ("Invalid Input", "url")
    assert "url must be an absolute http(s) address" in message


def test_missing_url_is_refused_naming_the_field(finesse):
    """url is required."""
    response = proxy(finesse, httpMethod="GET")
    assert response.status_code == 400
    assert api_error(response)[0::2] == ("Parameter Missing", "url")


def test_unknown_method_is_refused_naming_the_field(finesse, test_gadget_server):
    """httpMethod must be one Shindig proxies."""
    response = proxy(finesse, url=test_gadget_server.url + "/api/echo", httpMethod="TRACE")
    assert response.status_code == 400
    error_type, message, error_data = api_error(response)
    assert (error_type, error_data) == ("Invalid Input", "httpMethod")
    assert "httpMethod must be one of GET, POST, PUT, DELETE, HEAD, got 'TRACE'" == message


def test_allowed_host_that_is_down_is_a_bad_gateway(finesse_server, finesse):
    """A listed host that refuses the connection gives 502 naming the URL."""
    closed = ServerThread(gadget_server_app()).start()
    closed.stop()
    allow_make_request(finesse_server, closed.url)
    response = proxy(finesse, url=closed.url + "/api/echo")
    assert response.status_code == 502
    error_type, message, _ = api_error(response)
    assert error_type == "Bad Gateway"
    assert f"{closed.url}/api/echo could not be reached" in message


def test_allow_list_setting_accepts_a_comma_separated_environment_value():
    """MOCK_FINESSE_MAKEREQUEST_ALLOWLIST="a:1, B:2" becomes normalised host:port entries."""
    config = load_config(environ={"MOCK_FINESSE_MAKEREQUEST_ALLOWLIST": "gadgets.example.com:443, B.example:8080"})
    assert config["MAKEREQUEST_ALLOWLIST"] == ["gadgets.example.com:443", "b.example:8080"]


def test_allow_list_entry_without_port_stops_start_up_naming_the_setting():
    """A bad entry is a ConfigError naming MAKEREQUEST_ALLOWLIST and the entry."""
    with pytest.raises(ConfigError, match=r"MAKEREQUEST_ALLOWLIST\[0\] must be host:port .* got 'gadgets.example.com'"):
        load_config({"MAKEREQUEST_ALLOWLIST": ["gadgets.example.com"]}, environ={})
