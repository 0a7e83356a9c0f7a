"""Settings of the mock cloud: defaults, then an optional JSON file, then ``MOCK_CONTROLHUB_*`` variables.

Bad settings stop start-up with a message naming the setting.
"""

import pathlib
from collections.abc import Mapping
from typing import Any

from mock_core.secret_key import SecretKeyError, apply_secret_key
from mock_core.settings import layered_settings, positive_int_setting, require_text

DEFAULTS = {
    "DATABASE": ":memory:",
    "ORG_ID": "2d5a3e4c-1f00-4c1e-9d1e-0b5c7c0f0a01",
    "ORG_NAME": "Demo Contact Center",
    "ADMIN_EMAIL": "admin@example.com",
    "ADMIN_PASSWORD": "ContextDemo1!",
    "TOKEN_TTL_SECONDS": 3600,  # access tokens
    "BEARER_TTL_SECONDS": 3600,  # GetBearerToken assertions
    "REFRESH_TTL_SECONDS": 60 * 24 * 3600,
    "SECRET_KEY": "",  # empty: the instance's own random key (INSTANCE_PATH/mock_controlhub.secret_key)
    "INSTANCE_PATH": "",  # folder of the instance's secret key; empty: a new key each start (in memory)
    "MAX_OBJECT_BYTES": 256 * 1024,
    "MAX_CUSTOM_FIELDS": 100,
    "MAX_FIELDSETS": 1000,
    "MAX_FIELDS_PER_FIELDSET": 50,
}
ENV_PREFIX = "MOCK_CONTROLHUB_"
SECRET_KEY_FILE = "mock_controlhub.secret_key"


class ConfigError(ValueError):
    """A setting is missing or invalid; the message names it."""


def load_config(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Merge defaults, ``$MOCK_CONTROLHUB_CONFIG`` (JSON file), environment and ``overrides``; validate."""
    return _validated(layered_settings(DEFAULTS, ENV_PREFIX, ConfigError, overrides, environ)[0])


def _validated(config: dict[str, Any]) -> dict[str, Any]:
    for key in (
        "TOKEN_TTL_SECONDS",
        "BEARER_TTL_SECONDS",
        "REFRESH_TTL_SECONDS",
        "MAX_OBJECT_BYTES",
        "MAX_CUSTOM_FIELDS",
        "MAX_FIELDSETS",
        "MAX_FIELDS_PER_FIELDSET",
    ):
        config[key] = positive_int_setting(key, config[key], ConfigError)
    require_text(config, ("ORG_ID", "ORG_NAME", "ADMIN_EMAIL", "ADMIN_PASSWORD", "DATABASE"), ConfigError)
    try:
        apply_secret_key(config, SECRET_KEY_FILE)
    except SecretKeyError as exc:
        raise ConfigError(str(exc)) from None
    database = config["DATABASE"]
    if database != ":memory:":
        parent = pathlib.Path(database).expanduser().resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        config["DATABASE"] = str(pathlib.Path(database).expanduser().resolve())
    return config
