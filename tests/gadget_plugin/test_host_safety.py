"""The Host header chooses nothing: the spec's proxyUrl comes from configuration only (development default: the
bind address), the same-origin exception is the configured public URL, and /readyz ignores *_PROXY variables."""

import re

import pytest
import requests

from finesse_harness.servers import ServerThread, free_port
from gadget_plugin import create_app
from gadget_plugin.cli import serve_app


def proxy_url_in(spec_xml):
    """The ``proxyUrl`` default of a served gadget.xml."""
    return re.search(rb'name="proxyUrl"[^>]*default_value="([^"]*)"', spec_xml).group(1).decode()


@pytest.fixture()
def unconfigured(finesse_server, controlhub_server, tmp_path):
    """A development gadget server whose PUBLIC_URL is not set, as a developer starts one."""
    app = create_app(
        {
            "FINESSE_URLS": [finesse_server.url],
            "CONTEXT_SERVICE_URL": controlhub_server.url,
            "INSTANCE_PATH": str(tmp_path),
            "LOG_LEVEL": "ERROR",
        }
    )
    with ServerThread(app) as thread:
        yield thread


def test_a_forged_host_header_never_becomes_the_specs_proxy_url(unconfigured):
    """The measured defect: with PUBLIC_URL unset the spec took proxyUrl from Host, so one forged request could
    poison a cache in front of the server. Now it is the development default, whatever Host says."""
    forged = requests.get(unconfigured.url + "/gadget.xml", headers={"Host": "evil.example"}, timeout=10)
    honest = requests.get(unconfigured.url + "/gadget.xml", timeout=10)
    assert proxy_url_in(forged.content) == proxy_url_in(honest.content) == "http://127.0.0.1:5300"


def test_serve_fills_the_proxy_url_from_its_bind_address(monkeypatch):
    """``customer-context serve --host H --port P`` without PUBLIC_URL: proxyUrl is http://H:P (a wildcard bind:
    127.0.0.1); a configured PUBLIC_URL wins."""
    monkeypatch.delenv("CUSTOMER_CONTEXT_PUBLIC_URL", raising=False)
    port = free_port()
    with ServerThread(serve_app("127.0.0.1", port), port=port) as thread:
        spec = requests.get(thread.url + "/gadget.xml", headers={"Host": "evil.example"}, timeout=10)
    assert proxy_url_in(spec.content) == f"http://127.0.0.1:{port}"
    assert serve_app("0.0.0.0", 8080).config["PUBLIC_URL"] == "http://127.0.0.1:8080"
    monkeypatch.setenv("CUSTOMER_CONTEXT_PUBLIC_URL", "https://cc.example.com")
    assert serve_app("127.0.0.1", 8080).config["PUBLIC_URL"] == "https://cc.example.com"


def test_an_origin_matching_a_forged_host_is_not_let_in(gadget, api):
    """DNS rebinding: a page on evil.example (rebound to this server) sends Origin and Host evil.example. Before,
    an Origin equal to the Host was let in as same-origin; now only Finesse and the configured URL are."""
    port = gadget.url.rsplit(":", 1)[1]
    rebound = f"http://evil.example:{port}"
    api.error("GET", "/status", 403, "ORIGIN_NOT_ALLOWED", headers={"Origin": rebound, "Host": f"evil.example:{port}"})
    assert api.call("GET", "/status", headers={"Origin": gadget.url}).status_code == 200


def test_readyz_ignores_proxy_environment_variables(gadget, monkeypatch):
    """The measured defect: /readyz called Finesse through HTTP_PROXY although the docs say *_PROXY is ignored; a
    dead proxy in the environment made the server look unready."""
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    client = requests.Session()
    client.trust_env = False  # the test's own call goes straight to the server
    ready = client.get(gadget.url + "/readyz", timeout=30)
    assert ready.status_code == 200, ready.text
    assert all(check["ok"] for check in ready.json()["checks"].values())
