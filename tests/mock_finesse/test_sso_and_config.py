"""SSO bearer tokens (when enabled), supervisors' Team resource, and settings that fail fast."""

import json

import pytest
import requests
from lxml import etree

from finesse_harness.mock_control import mock_control
from finesse_harness.servers import ServerThread
from mock_finesse import create_app
from mock_finesse.config import ConfigError, load_config


@pytest.fixture(scope="module")
def sso_server():
    """A mock Finesse with SSO_ENABLED, for this module only."""
    with ServerThread(create_app({"SSO_ENABLED": True, "SSO_TOKEN_TTL_SECONDS": 60})) as server:
        yield server


def test_sso_token_authenticates_rest_calls_as_a_bearer(sso_server, api_error):
    """A token from /_mock/sso/tokens works as Bearer; SystemInfo says HYBRID; a made-up token → 401."""
    token = mock_control(sso_server.url, "POST", "/sso/tokens", json={"agentId": "1002"}).json()
    assert token["token_type"] == "Bearer" and token["expires_in"] == 60
    response = requests.get(
        f"{sso_server.url}/finesse/api/User/1002",
        timeout=5,
        headers={"Authorization": f"Bearer {token['access_token']}"},
    )
    assert response.status_code == 200
    assert etree.fromstring(response.content).findtext("firstName") == "Marko"
    info = etree.fromstring(requests.get(f"{sso_server.url}/finesse/api/SystemInfo", timeout=5).content)
    assert info.findtext("systemAuthMode") == "HYBRID"
    bad = requests.get(f"{sso_server.url}/finesse/api/User/1002", headers={"Authorization": "Bearer nope"}, timeout=5)
    assert bad.status_code == 401
    assert api_error(bad)[1] == "The SSO access token is invalid or expired."


def test_bearer_tokens_are_refused_when_sso_is_off(finesse, api_error):
    """Without SSO_ENABLED, Bearer is not accepted and no tokens are issued."""
    response = requests.get(f"{finesse.url}/finesse/api/User/1001", headers={"Authorization": "Bearer x"}, timeout=5)
    assert response.status_code == 401
    assert api_error(response) == ("Authorization Failure", "Send Authorization: Basic base64(id:password).", "")
    refused = finesse.control("POST", "/sso/tokens", json={"agentId": "1001"})
    assert refused.status_code == 400
    assert api_error(refused)[2] == "SSO_ENABLED"


def test_supervisor_reads_a_supervised_team_and_an_agent_cannot(finesse, basic, api_error):
    """GET Team/20 as supervisor 2001 lists Jelena Petrović; agent 1001 → 401."""
    response = requests.get(
        f"{finesse.url}/finesse/api/Team/20", headers={"Authorization": basic("2001", "demo2001")}, timeout=5
    )
    team = etree.fromstring(response.content)
    assert (team.tag, team.findtext("name")) == ("Team", "Billing")
    assert [u.findtext("lastName") for u in team.find("users")] == ["Petrović"]
    refused = requests.get(
        f"{finesse.url}/finesse/api/Team/20", headers={"Authorization": basic("1001", "demo1001")}, timeout=5
    )
    assert refused.status_code == 401
    assert api_error(refused)[1] == "User 1001 does not supervise team 20."


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {
                "AGENTS": [
                    {"id": "1", "password": "p", "firstName": "A", "lastName": "B", "extension": "9", "teamId": "77"}
                ]
            },
            "AGENTS[0].teamId '77' is not one of TEAMS",
        ),
        (
            {"AGENTS": [{"id": "1", "firstName": "A", "lastName": "B", "extension": "9", "teamId": "10"}]},
            "AGENTS[0].password is required",
        ),
        ({"SSO_ENABLED": "maybe"}, "SSO_ENABLED must be true or false"),
        ({"XMPP_CONNECT_TIMEOUT": 0}, "XMPP_CONNECT_TIMEOUT must be positive, got 0"),
        (
            {"MEDIA": [{"id": "5000", "name": "Chat", "description": "Chat", "maxDialogLimit": 11}]},
            "MEDIA[0].maxDialogLimit must be 1-10",
        ),
        (
            {"REASON_CODES": [{"id": "1", "category": "BREAK", "code": "1", "label": "x"}]},
            "REASON_CODES[0].category must be NOT_READY or LOGOUT",
        ),
    ],
)
def test_bad_settings_stop_start_up_naming_the_setting(overrides, message):
    """Each bad setting → ConfigError whose message names it."""
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]").replace("(", r"\(")):
        load_config(overrides, environ={})


def test_agents_come_from_the_json_config_file(tmp_path):
    """MOCK_FINESSE_CONFIG points at a JSON file whose agents and teams replace the demo ones."""
    path = tmp_path / "finesse.json"
    path.write_text(
        json.dumps(
            {
                "TEAMS": [{"id": "5", "name": "Sales"}],
                "AGENTS": [
                    {
                        "id": "7001",
                        "password": "pw",
                        "firstName": "Ema",
                        "lastName": "Zec",
                        "extension": "7001",
                        "teamId": "5",
                        "locale": "sr_RS",
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    config = load_config(environ={"MOCK_FINESSE_CONFIG": str(path)})
    assert [a["id"] for a in config["AGENTS"]] == ["7001"]
    assert config["AGENTS"][0]["locale"] == "sr_RS" and config["AGENTS"][0]["roles"] == ["Agent"]
    with pytest.raises(ConfigError, match="MOCK_FINESSE_CONFIG: cannot read"):
        load_config(environ={"MOCK_FINESSE_CONFIG": str(tmp_path / "missing.json")})
