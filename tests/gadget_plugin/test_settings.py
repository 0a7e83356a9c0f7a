"""Settings: environment, optional file, and production refusing to start without URLs and secrets."""

import json

import pytest

from gadget_plugin import create_app
from gadget_plugin.config import ConfigError, load_config


def test_environment_variables_override_defaults():
    """CUSTOMER_CONTEXT_* variables set URLs (lists comma-separated), numbers and flags."""
    config = load_config(
        environ={
            "CUSTOMER_CONTEXT_FINESSE_URLS": "https://fin-a.example:8445, https://fin-b.example",
            "CUSTOMER_CONTEXT_LAB_MODE": "true",
            "CUSTOMER_CONTEXT_CS_TIMEOUT_SECONDS": "3.5",
        }
    )
    assert config["FINESSE_URLS"] == ["https://fin-a.example:8445", "https://fin-b.example"]
    assert config["FINESSE_ORIGINS"] == ["https://fin-a.example:8445", "https://fin-b.example"]
    assert config["LAB_MODE"] is True and config["CS_TIMEOUT_SECONDS"] == 3.5
    assert config["DICTIONARY_URL"] == config["CONTEXT_SERVICE_URL"]


def test_settings_file_is_read(tmp_path):
    """CUSTOMER_CONTEXT_CONFIG names a JSON file of settings."""
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"PUBLIC_URL": "https://cc.example.com/"}))
    assert load_config(environ={"CUSTOMER_CONTEXT_CONFIG": str(path)})["PUBLIC_URL"] == "https://cc.example.com"


def test_unknown_setting_in_the_file_is_refused(tmp_path):
    """A typo in the settings file stops start-up naming the setting."""
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"PUBLIC_ULR": "x"}))
    with pytest.raises(ConfigError, match="PUBLIC_ULR"):
        load_config(environ={"CUSTOMER_CONTEXT_CONFIG": str(path)})


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("CUSTOMER_CONTEXT_FINESSE_URLS", "ftp://finesse", "FINESSE_URLS must be an http"),
        ("CUSTOMER_CONTEXT_CS_RETRIES", "many", "CS_RETRIES must be a number"),
        ("CUSTOMER_CONTEXT_CALLER_HINT_SECONDS", "-1", "CALLER_HINT_SECONDS must not be negative"),
        ("CUSTOMER_CONTEXT_LAB_MODE", "maybe", "LAB_MODE must be true or false"),
        ("CUSTOMER_CONTEXT_ENV", "staging", "ENV must be 'development' or 'production'"),
        ("CUSTOMER_CONTEXT_ACTIVITY_FIELDSETS", "acme.activity", "ACTIVITY_FIELDSETS must include cisco.base.pod"),
    ],
)
def test_bad_values_are_refused_naming_the_setting(key, value, message):
    """Each bad value stops start-up with the setting's name."""
    with pytest.raises(ConfigError, match=message):
        load_config(environ={key: value})


def test_production_without_public_url_does_not_start():
    """In production every URL must be given explicitly."""
    with pytest.raises(ConfigError, match="CUSTOMER_CONTEXT_PUBLIC_URL must be set in production"):
        load_config(
            environ={
                "CUSTOMER_CONTEXT_ENV": "production",
                "CUSTOMER_CONTEXT_FINESSE_URLS": "https://finesse.example",
                "CUSTOMER_CONTEXT_CONTEXT_SERVICE_URL": "https://cs.example",
            }
        )


def test_production_without_connection_data_does_not_start(tmp_path, monkeypatch):
    """In production the Context Service secret (connection data) must exist before start-up."""
    for key, value in {
        "ENV": "production",
        "FINESSE_URLS": "https://finesse.example",
        "CONTEXT_SERVICE_URL": "https://cs.example",
        "PUBLIC_URL": "https://cc.example",
        "INSTANCE_PATH": str(tmp_path),
    }.items():
        monkeypatch.setenv("CUSTOMER_CONTEXT_" + key, value)
    with pytest.raises(ConfigError, match="CUSTOMER_CONTEXT_CONNECTION_DATA must be set in production"):
        create_app()
