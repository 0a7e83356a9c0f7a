"""Settings of the gadget server: defaults, then an optional JSON file, then ``CUSTOMER_CONTEXT_*`` variables.

In production (``CUSTOMER_CONTEXT_ENV=production``) a missing URL or secret stops start-up with a message
naming the setting.
"""

import hashlib
import os
import pathlib
import tempfile
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from mock_core.secret_key import MIN_LENGTH as MIN_SECRET_KEY_LENGTH
from mock_core.settings import boolean_setting, layered_settings

ENV_PREFIX = "CUSTOMER_CONTEXT_"
PACKAGE_DIR = pathlib.Path(__file__).resolve().parent
POD_FIELDSET = "cisco.base.pod"  # Cisco's activity fieldset: source name/email/phone and the activity link
# The validated settings, keyed as DEFAULTS (plus FINESSE_ORIGINS); also what ``app.config`` holds.
Settings = dict[str, Any]

DEFAULTS = {
    "ENV": "development",
    # Finesse servers (primary first) whose agents may use the proxy; only these are ever called.
    "FINESSE_URLS": ["http://127.0.0.1:5200"],
    # Context Service hosts: object data (cs-rest), dictionary, identity broker (GetBearerToken, token
    # endpoint), identity API (machine accounts), registration (ccfs).
    "CONTEXT_SERVICE_URL": "http://127.0.0.1:5100",
    "DICTIONARY_URL": "",
    "IDENTITY_URL": "",
    "IDENTITY_API_URL": "",
    "REGISTRATION_URL": "",
    # Public base URL of this server, filled into gadget.xml as proxyUrl; never taken from a request's Host header.
    # Development default: the address the server is bound to (``customer-context serve`` fills it in), else
    # DEV_PUBLIC_URL. Required in production.
    "PUBLIC_URL": "",
    "INSTANCE_PATH": str(PACKAGE_DIR.parent / "instance"),
    # base64 connectionData; normally written by ``customer-context register`` into the instance folder.
    "CONNECTION_DATA": "",
    # The Webex machine account the proxy authenticates as; normally set up by ``register --admin-token``
    # and stored with the connection data. Both set: these win over the stored one.
    "CS_MACHINE_ACCOUNT_NAME": "",
    "CS_MACHINE_ACCOUNT_PASSWORD": "",
    # Signs the screen pop's ``prepared`` tokens (prepared.py); at least 32 characters. Empty: the instance's own
    # random key in INSTANCE_PATH/gadget_plugin.secret_key, shared by every process on that folder.
    "SECRET_KEY": "",
    "LAB_MODE": False,
    # Fieldsets new activities are created with (as CVP's POD_Add "Field Sets"): an admin adds fields to a
    # custom fieldset in Control Hub and names it here; cisco.base.pod must stay (source and dialog fields).
    "ACTIVITY_FIELDSETS": [POD_FIELDSET],
    # Outbound HTTP(S) proxy for Context Service calls (environment *_PROXY variables are not used).
    "CS_PROXY_URL": "",
    "CS_TIMEOUT_SECONDS": 5.0,
    # Every proxy request answers within this: Context Service calls get what is left, retries only fit in it.
    "REQUEST_BUDGET_SECONDS": 8.0,
    # Bulkheads: requests of each kind talking to Context Service at once (per process), and how many more
    # of each kind may wait for a place; beyond that: 503 + Retry-After at once. Sized by bench/bench_load.py:
    # 100 busy agents per process keep ~5 writes in flight at 60 ms per Context Service round, bursts 2-3 times
    # that; reads (screen pops) are fewer. gunicorn's --threads must stay above 16+8 + 16+8 + 2+8 = 58.
    "READ_POOL_SIZE": 16,
    "WRITE_POOL_SIZE": 16,
    "PROBE_POOL_SIZE": 2,
    "POOL_QUEUE_SIZE": 8,
    "CS_RETRIES": 2,
    "CS_BACKOFF_SECONDS": 0.2,
    "FINESSE_TIMEOUT_SECONDS": 5.0,
    "AUTH_CACHE_SECONDS": 60,
    # How long the screen pop remembers which customer a caller's identity was (caller_hints.py), so that the
    # next pop of it reads the journey in the look-up's round; 0: never (every pop reads it after the look-up).
    "CALLER_HINT_SECONDS": 3600,
    "DICTIONARY_CACHE_SECONDS": 30,
    "STATUS_CACHE_SECONDS": 10,
    "MAX_BODY_BYTES": 64 * 1024,
    "LOG_LEVEL": "INFO",
    "GADGET_SPEC": str(PACKAGE_DIR / "gadget.xml"),
    "VERIFY_TLS": True,
    # The private folder (0700) through which the worker processes of one host hand the screen pop's prepared
    # token over (handover_dir.py). Empty: a folder of this instance in a per-user folder of /dev/shm (else of the
    # system temp dir).
    "HANDOVER_DIR": "",
}
LIST_KEYS = {"FINESSE_URLS", "ACTIVITY_FIELDSETS"}
BOOL_KEYS = {"LAB_MODE", "VERIFY_TLS"}
INT_KEYS = {
    "CS_RETRIES",
    "AUTH_CACHE_SECONDS",
    "CALLER_HINT_SECONDS",
    "DICTIONARY_CACHE_SECONDS",
    "STATUS_CACHE_SECONDS",
    "MAX_BODY_BYTES",
    "READ_POOL_SIZE",
    "WRITE_POOL_SIZE",
    "PROBE_POOL_SIZE",
    "POOL_QUEUE_SIZE",
}
FLOAT_KEYS = {"CS_TIMEOUT_SECONDS", "CS_BACKOFF_SECONDS", "FINESSE_TIMEOUT_SECONDS", "REQUEST_BUDGET_SECONDS"}
# Settings that must be at least 1 (a pool of 0, or no time at all, would refuse everything).
POSITIVE_KEYS = ("REQUEST_BUDGET_SECONDS", "READ_POOL_SIZE", "WRITE_POOL_SIZE", "PROBE_POOL_SIZE")
URL_KEYS = (
    "CONTEXT_SERVICE_URL",
    "DICTIONARY_URL",
    "IDENTITY_URL",
    "IDENTITY_API_URL",
    "REGISTRATION_URL",
    "PUBLIC_URL",
    "CS_PROXY_URL",
)
DEV_PUBLIC_URL = "http://127.0.0.1:5300"  # ``customer-context serve``'s default bind address
# Settings that must be given explicitly in production (no development default).
PRODUCTION_REQUIRED = ("FINESSE_URLS", "CONTEXT_SERVICE_URL", "PUBLIC_URL")


class ConfigError(ValueError):
    """A setting is missing or invalid; the message names it."""


def load_config(
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> Settings:
    """Merge defaults (``defaults`` patch them), ``$CUSTOMER_CONTEXT_CONFIG`` (JSON file), environment and
    ``overrides``; validate."""
    config, explicit = layered_settings(
        {**DEFAULTS, **(defaults or {})}, ENV_PREFIX, ConfigError, overrides, environ, env_keys=DEFAULTS
    )
    return _validated(config, explicit)


def _validated(config: Settings, explicit: set[str]) -> Settings:
    config["ENV"] = str(config["ENV"]).strip().lower()
    if config["ENV"] not in ("development", "production"):
        raise ConfigError(f"{ENV_PREFIX}ENV must be 'development' or 'production', got {config['ENV']!r}")
    for key in LIST_KEYS:
        config[key] = _as_list(config[key])
    for key in BOOL_KEYS:
        config[key] = boolean_setting(ENV_PREFIX + key, config[key], ConfigError)
    for key in INT_KEYS | FLOAT_KEYS:
        config[key] = _as_number(key, config[key], int if key in INT_KEYS else float)
    for key in POSITIVE_KEYS:
        if config[key] < 1:
            raise ConfigError(f"{ENV_PREFIX}{key} must be at least 1, got {config[key]}")
    if config["ENV"] == "production":
        missing = [key for key in PRODUCTION_REQUIRED if key not in explicit or not config[key]]
        if missing:
            raise ConfigError(f"{ENV_PREFIX}{missing[0]} must be set in production")
    for key in URL_KEYS:
        config[key] = _as_url(key, config[key]) if config[key] else ""
    config["FINESSE_URLS"] = [_as_url("FINESSE_URLS", url) for url in config["FINESSE_URLS"]]
    if not config["FINESSE_URLS"]:
        raise ConfigError(f"{ENV_PREFIX}FINESSE_URLS must name at least one Finesse server")
    config["PUBLIC_URL"] = config["PUBLIC_URL"] or DEV_PUBLIC_URL
    for key in ("DICTIONARY_URL", "IDENTITY_URL", "REGISTRATION_URL"):
        config[key] = config[key] or config["CONTEXT_SERVICE_URL"]
    config["IDENTITY_API_URL"] = config["IDENTITY_API_URL"] or config["IDENTITY_URL"]
    if bool(config["CS_MACHINE_ACCOUNT_NAME"]) != bool(config["CS_MACHINE_ACCOUNT_PASSWORD"]):
        raise ConfigError(
            f"{ENV_PREFIX}CS_MACHINE_ACCOUNT_NAME and {ENV_PREFIX}CS_MACHINE_ACCOUNT_PASSWORD must be set together"
        )
    if not config["CONTEXT_SERVICE_URL"]:
        raise ConfigError(f"{ENV_PREFIX}CONTEXT_SERVICE_URL must be set")
    config["SECRET_KEY"] = str(config["SECRET_KEY"] or "").strip()
    if config["SECRET_KEY"] and len(config["SECRET_KEY"]) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(
            f"{ENV_PREFIX}SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters, got {len(config['SECRET_KEY'])}"
        )
    if POD_FIELDSET not in config["ACTIVITY_FIELDSETS"]:
        raise ConfigError(
            f"{ENV_PREFIX}ACTIVITY_FIELDSETS must include {POD_FIELDSET} (the activity's source "
            f"and dialog fields), got {','.join(config['ACTIVITY_FIELDSETS']) or 'nothing'}"
        )
    config["FINESSE_ORIGINS"] = [origin_of(url) for url in config["FINESSE_URLS"]]
    config["INSTANCE_PATH"] = str(pathlib.Path(config["INSTANCE_PATH"]).expanduser().resolve())
    config["HANDOVER_DIR"] = _handover_dir(str(config["HANDOVER_DIR"] or "").strip(), config["INSTANCE_PATH"])
    return config


def _handover_dir(configured: str, instance_path: str) -> str:
    """The hand-over folder: the configured one (absolute), else ``<shared temp dir>/customer-context-<uid>/
    handover-<hash of the instance folder>``: the processes sharing an instance (its secret key) share it, other instances on the
    host (another deployment, each test harness) have their own."""
    if configured:
        path = pathlib.Path(configured).expanduser()
        if not path.is_absolute():
            raise ConfigError(f"{ENV_PREFIX}HANDOVER_DIR must be an absolute path, got {configured!r}")
        return str(path.resolve())
    instance = hashlib.sha256(instance_path.encode()).hexdigest()[:16]
    return str(shared_temp_dir() / f"customer-context-{os.getuid()}" / f"handover-{instance}")


def shared_temp_dir() -> pathlib.Path:
    """Where the hand-over folder goes by default: ``/dev/shm`` (RAM: a file written and renamed costs ~10 µs of
    CPU there, ~150 µs on a disk's journal), else the system temp dir."""
    shm = pathlib.Path("/dev/shm")
    return shm if shm.is_dir() else pathlib.Path(tempfile.gettempdir()).resolve()


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL, the form browsers send in ``Origin``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return [str(item).strip() for item in value or [] if str(item).strip()]


def _as_number(key: str, value: Any, kind: type[int] | type[float]) -> float:
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{ENV_PREFIX}{key} must be a number, got {value!r}") from None
    if number < 0:
        raise ConfigError(f"{ENV_PREFIX}{key} must not be negative, got {number}")
    return number


def _as_url(key: str, value: object) -> str:
    url = str(value).strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{ENV_PREFIX}{key} must be an http(s) URL, got {value!r}")
    return url
