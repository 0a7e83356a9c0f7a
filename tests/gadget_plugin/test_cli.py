"""The customer-context command: bundle, check, register and deregister against the mock servers."""

import pathlib
import queue
import stat
import threading
import zipfile

import pytest
import requests
from lxml import etree

from finesse_harness.registration_kit import access_token, admin_token, setup_machine_account
from gadget_plugin import cli, connection, registration
from gadget_plugin.config import DEFAULTS


@pytest.fixture()
def settings(monkeypatch, tmp_path, controlhub, finesse):
    """CUSTOMER_CONTEXT_* settings pointing at the mock servers, with an empty instance folder."""
    values = {
        "FINESSE_URLS": finesse.url,
        "CONTEXT_SERVICE_URL": controlhub.url,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "CS_TIMEOUT_SECONDS": "2",
        "CS_RETRIES": "0",
    }
    for key, value in values.items():
        monkeypatch.setenv("CUSTOMER_CONTEXT_" + key, value)
    monkeypatch.setenv("CUSTOMER_CONTEXT_ADMIN_PASSWORD", controlhub.app.config["ADMIN_PASSWORD"])
    monkeypatch.setenv("CUSTOMER_CONTEXT_ADMIN_TOKEN", admin_token(controlhub.url, controlhub.app.config))
    return values


def test_bundle_writes_folder_zip_and_layout_line(tmp_path, capsys):
    """The bundle holds gadget.xml with the proxy URL and every file it refers to, plus a zip of it."""
    assert (
        cli.main(
            ["bundle", "--proxy-url", "https://cc.example.com/", "-o", str(tmp_path), "--transport", "makeRequest"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "<gadget>/3rdpartygadget/files/CustomerContext/gadget.xml</gadget>" in out
    spec = etree.parse(str(tmp_path / "CustomerContext" / "gadget.xml")).getroot()
    prefs = {p.get("name"): p.get("default_value") for p in spec.findall("UserPref")}
    assert prefs["proxyUrl"] == "https://cc.example.com" and prefs["transport"] == "makeRequest"
    assert 'src="/desktop/assets/js/finesse.js"' in spec.find("Content").text
    with zipfile.ZipFile(tmp_path / "CustomerContext.zip") as archive:
        names = set(archive.namelist())
    assert {
        "CustomerContext/gadget.xml",
        "CustomerContext/js/store.js",
        "CustomerContext/js/actions/edits.js",
        "CustomerContext/messages/sr.xml",
    } <= names


def test_bundle_refuses_an_invalid_spec_and_writes_nothing(tmp_path, monkeypatch, capsys):
    """A spec without pubsub-2 is refused before anything is written."""
    broken = tmp_path / "gadget.xml"
    source = pathlib.Path(DEFAULTS["GADGET_SPEC"]).read_text(encoding="utf-8")
    broken.write_text(source.replace('<Require feature="pubsub-2"/>', ""))
    monkeypatch.setenv("CUSTOMER_CONTEXT_GADGET_SPEC", str(broken))
    out_dir = tmp_path / "out"
    assert cli.main(["bundle", "--proxy-url", "https://cc.example.com", "-o", str(out_dir)]) == 1
    assert "pubsub-2" in capsys.readouterr().err
    assert not out_dir.exists()


def test_register_stores_connection_data_and_machine_account_together_owner_only(settings, capsys):
    """register --admin-email signs in and consents; the admin token sets up a machine account; both are
    stored in one file with mode 0600 and no secret is printed."""
    assert cli.main(["register", "--admin-email", "admin@example.com"]) == 0
    path = connection.path_in(settings["INSTANCE_PATH"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    creds = connection.decode(connection.load(settings["INSTANCE_PATH"]))
    account = connection.load_machine_account(settings["INSTANCE_PATH"])
    assert creds["prod"].client_id.startswith("C") and account.name.startswith("customer-context-")
    out = capsys.readouterr().out
    assert creds["prod"].client_secret not in out and account.password not in out and account.name in out
    assert access_token(settings["CONTEXT_SERVICE_URL"], connection.load(settings["INSTANCE_PATH"]), account)


def test_register_without_a_way_to_a_machine_account_stops_naming_the_settings(settings, monkeypatch, capsys):
    """No admin token and no CS_MACHINE_ACCOUNT_* settings: exit 2 before anything is registered."""
    monkeypatch.delenv("CUSTOMER_CONTEXT_ADMIN_TOKEN")
    assert cli.main(["register", "--admin-email", "admin@example.com"]) == 2
    assert "CUSTOMER_CONTEXT_CS_MACHINE_ACCOUNT_NAME" in capsys.readouterr().err
    assert connection.load(settings["INSTANCE_PATH"]) is None


def test_register_takes_the_machine_account_from_the_settings(settings, controlhub, monkeypatch, capsys):
    """A machine account an admin set up elsewhere, given in the settings: register stores none, check passes."""
    assert cli.main(["register", "--admin-email", "admin@example.com"]) == 0
    account = setup_machine_account(controlhub.url, controlhub.app.config, connection.load(settings["INSTANCE_PATH"]))
    connection.remove(settings["INSTANCE_PATH"])
    monkeypatch.delenv("CUSTOMER_CONTEXT_ADMIN_TOKEN")
    monkeypatch.setenv("CUSTOMER_CONTEXT_CS_MACHINE_ACCOUNT_NAME", account.name)
    monkeypatch.setenv("CUSTOMER_CONTEXT_CS_MACHINE_ACCOUNT_PASSWORD", account.password)
    assert cli.main(["register", "--admin-email", "admin@example.com"]) == 0
    assert connection.load_machine_account(settings["INSTANCE_PATH"]) is None
    capsys.readouterr()
    assert cli.main(["check"]) == 0
    assert (
        f"PASS  machine account token: GetBearerToken and the SAML2-bearer grant work for {account.name}"
        in capsys.readouterr().out
    )


def test_check_fails_the_token_line_for_a_wrong_machine_account_password(settings, monkeypatch, capsys):
    """check verifies the whole chain: a machine account Webex refuses is a FAIL line saying so."""
    cli.main(["register", "--admin-email", "admin@example.com"])
    account = connection.load_machine_account(settings["INSTANCE_PATH"])
    monkeypatch.setenv("CUSTOMER_CONTEXT_CS_MACHINE_ACCOUNT_NAME", account.name)
    monkeypatch.setenv("CUSTOMER_CONTEXT_CS_MACHINE_ACCOUNT_PASSWORD", "not-the-password")
    capsys.readouterr()
    assert cli.main(["check"]) == 1
    assert "FAIL  machine account token: Webex refused the machine account (GetBearerToken)" in capsys.readouterr().out


def test_register_with_a_wrong_admin_password_fails_clearly(settings, monkeypatch, capsys):
    """A refused sign-in: exit 1, message says so, nothing stored."""
    monkeypatch.setenv("CUSTOMER_CONTEXT_ADMIN_PASSWORD", "wrong")
    assert cli.main(["register", "--admin-email", "admin@example.com"]) == 1
    assert "refused the admin email or password" in capsys.readouterr().err
    assert connection.load(settings["INSTANCE_PATH"]) is None


def test_check_passes_every_line_once_registered(settings, capsys):
    """check: one PASS line per check and exit 0 after registration."""
    cli.main(["register", "--admin-email", "admin@example.com"])
    capsys.readouterr()
    assert cli.main(["check"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 8 and all(line.startswith("PASS") for line in lines)
    assert "PASS  activity fieldsets: cisco.base.pod" in lines


def test_check_fails_for_an_activity_fieldset_missing_from_the_dictionary(settings, monkeypatch, capsys):
    """A fieldset named in ACTIVITY_FIELDSETS that Control Hub does not have is a FAIL line naming it."""
    cli.main(["register", "--admin-email", "admin@example.com"])
    monkeypatch.setenv("CUSTOMER_CONTEXT_ACTIVITY_FIELDSETS", "cisco.base.pod,acme.missing")
    capsys.readouterr()
    assert cli.main(["check"]) == 1
    assert "FAIL  activity fieldsets: ACTIVITY_FIELDSETS names acme.missing" in capsys.readouterr().out


def test_check_fails_naming_what_is_missing(settings, capsys):
    """Unregistered: the registration and access lines FAIL, exit 1."""
    assert cli.main(["check"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  registration: no connection data" in out
    assert "FAIL  Context Service access: not available: NOT_REGISTERED" in out
    assert "PASS  gadget.xml" in out


def test_deregister_undoes_the_registration(settings, capsys):
    """deregister: Control Hub marks the component deregistered and the connection data is deleted."""
    cli.main(["register", "--admin-email", "admin@example.com"])
    data = connection.load(settings["INSTANCE_PATH"])
    account = connection.load_machine_account(settings["INSTANCE_PATH"])
    assert cli.main(["deregister"]) == 0
    assert connection.load(settings["INSTANCE_PATH"]) is None
    with pytest.raises(requests.HTTPError) as refused:
        access_token(settings["CONTEXT_SERVICE_URL"], data, account)
    assert refused.value.response.status_code == 403
    assert refused.value.response.json()["error"]["type"] == "NOT_REGISTERED"


def test_browser_registration_reaches_the_one_shot_callback_listener(controlhub):
    """The listener on 127.0.0.1 receives the admin's redirect and returns the connection data."""
    urls, result = queue.Queue(), {}
    listener = threading.Thread(
        target=lambda: result.update(data=registration.wait_for_callback(on_listening=urls.put, timeout=20))
    )
    listener.start()
    callback_url = urls.get(timeout=10)
    hub = controlhub.app.config
    data = registration.register_with_admin(controlhub.url, callback_url, hub["ADMIN_EMAIL"], hub["ADMIN_PASSWORD"])
    page = requests.get(callback_url, params={"connectionData": data}, timeout=10)
    listener.join(timeout=10)
    assert "Registered with Context Service" in page.text
    assert result["data"] == data


def test_the_callback_listener_gives_up_after_its_timeout_naming_it():
    """No redirect within ``timeout``: RegistrationError saying how long it waited (and the port is closed)."""
    urls = queue.Queue()
    with pytest.raises(registration.RegistrationError, match=r"No callback within 0.3 s"):
        registration.wait_for_callback(on_listening=urls.put, timeout=0.3)
    with pytest.raises(requests.ConnectionError):
        requests.get(urls.get_nowait(), timeout=2)
