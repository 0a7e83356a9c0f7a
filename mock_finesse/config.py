"""Settings of the mock Finesse: the defaults of ``defaults.py``, then ``$MOCK_FINESSE_CONFIG`` (JSON file), ``MOCK_FINESSE_*`` variables.

Agents, teams, reason codes and media routing domains (MRDs) are lists in the same settings; bad settings stop
start-up with a ``ConfigError`` naming the setting (``AGENTS[2].teamId``).
"""

import pathlib
from collections.abc import Container, Mapping, Sequence
from typing import Any

from mock_core.secret_key import SecretKeyError, apply_secret_key
from mock_core.settings import boolean_setting, layered_settings, positive_int_setting, require_text

from . import phonebooks
from .defaults import DEFAULTS, LOCALES
from .records import AgentProfile, Mrd, PhoneBook, ReasonCode, Settings, Team, WrapUpReason

ENV_PREFIX = "MOCK_FINESSE_"
SECRET_KEY_FILE = "mock_finesse.secret_key"
SCALAR_KEYS = (
    "SECRET_KEY",
    "INSTANCE_PATH",
    "ADMIN_USERNAME",
    "ADMIN_PASSWORD",
    "XMPP_DOMAIN",
    "DEPLOYMENT_TYPE",
    "SSO_ENABLED",
    "SSO_TOKEN_TTL_SECONDS",
    "GADGET_FILES_DIR",
    "LAYOUTS_DIR",
    "PREFS_FILE",
    "GADGET_FETCH_TIMEOUT",
    "MAKEREQUEST_ALLOWLIST",
    "GADGET_PREF_MAX_CHARS",
    "GADGET_SOURCE_ALLOWLIST",
    "CONTEXT_SERVICE_REGISTRATION_URL",
    "CONTEXT_SERVICE_CONNECTION_FILE",
    "FINESSE_JS",
    "THIRDPARTY_DIR",
    "XMPP_SERVER",
    "PROSODY_PATH",
    "XMPP_DIR",
    "XMPP_C2S_PORT",
    "XMPP_HTTP_PORT",
    "XMPP_CONNECT_TIMEOUT",
)
XMPP_MODES = ("off", "auto", "prosody")
AGENT_REQUIRED = ("id", "password", "firstName", "lastName", "extension", "teamId")
WRAP_UP_MODES = ("OPTIONAL", "REQUIRED", "NOT_ALLOWED")
WRAP_UP_LABEL_MAX = 39  # UCCE's wrap-up reason length


DEFAULT_THIRDPARTY_DIR = pathlib.Path(__file__).resolve().parent.parent / ".thirdparty"


class ConfigError(ValueError):
    """A setting is missing or invalid; the message names it."""


def load_config(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Merge defaults, ``$MOCK_FINESSE_CONFIG`` (JSON file), environment and ``overrides``; validate."""
    return _validated(layered_settings(DEFAULTS, ENV_PREFIX, ConfigError, overrides, environ, SCALAR_KEYS)[0])


def _validated(config: Settings) -> Settings:
    require_text(config, ("ADMIN_USERNAME", "ADMIN_PASSWORD", "XMPP_DOMAIN", "DEPLOYMENT_TYPE"), ConfigError)
    try:
        apply_secret_key(config, SECRET_KEY_FILE)
    except SecretKeyError as exc:
        raise ConfigError(str(exc)) from None
    config["SSO_ENABLED"] = boolean_setting("SSO_ENABLED", config["SSO_ENABLED"], ConfigError)
    for key in ("SSO_TOKEN_TTL_SECONDS", "GADGET_FETCH_TIMEOUT", "GADGET_PREF_MAX_CHARS", "XMPP_CONNECT_TIMEOUT"):
        config[key] = positive_int_setting(key, config[key], ConfigError)
    config["MAKEREQUEST_ALLOWLIST"] = _origins("MAKEREQUEST_ALLOWLIST", config["MAKEREQUEST_ALLOWLIST"])
    config["GADGET_SOURCE_ALLOWLIST"] = _origins("GADGET_SOURCE_ALLOWLIST", config["GADGET_SOURCE_ALLOWLIST"])
    _validate_xmpp(config)
    config["GADGET_FILES_DIR"] = str(pathlib.Path(config["GADGET_FILES_DIR"]).expanduser().resolve())
    url = str(config["CONTEXT_SERVICE_REGISTRATION_URL"] or "").strip()
    if url and not url.startswith(("http://", "https://")):
        raise ConfigError(f"CONTEXT_SERVICE_REGISTRATION_URL must be an http(s) URL, got {url!r}")
    config["CONTEXT_SERVICE_REGISTRATION_URL"] = url
    for key in ("LAYOUTS_DIR", "PREFS_FILE", "CONTEXT_SERVICE_CONNECTION_FILE", "FINESSE_JS"):
        if config[key]:
            config[key] = str(pathlib.Path(config[key]).expanduser().resolve())
    if config["FINESSE_JS"] and not pathlib.Path(config["FINESSE_JS"]).is_file():
        raise ConfigError(f"FINESSE_JS must name a readable finesse.js file, got {config['FINESSE_JS']!r}")
    _validate_thirdparty_dir(config)
    config["TEAMS"] = [_team(i, t) for i, t in enumerate(_list("TEAMS", config["TEAMS"]))]
    _unique("TEAMS", config["TEAMS"], "id")
    team_ids = {t["id"] for t in config["TEAMS"]}
    config["AGENTS"] = [_agent(i, a, team_ids) for i, a in enumerate(_list("AGENTS", config["AGENTS"]))]
    _unique("AGENTS", config["AGENTS"], "id")
    _unique("AGENTS", config["AGENTS"], "extension")
    config["REASON_CODES"] = [_reason_code(i, r) for i, r in enumerate(_list("REASON_CODES", config["REASON_CODES"]))]
    _unique("REASON_CODES", config["REASON_CODES"], "id")
    config["WRAP_UP_REASONS"] = [_wrap_up_reason(i, r) for i, r in enumerate(config["WRAP_UP_REASONS"] or [])]
    _unique("WRAP_UP_REASONS", config["WRAP_UP_REASONS"], "id")
    config["MEDIA"] = [_media(i, m) for i, m in enumerate(_list("MEDIA", config["MEDIA"]))]
    _unique("MEDIA", config["MEDIA"], "id")
    config["PHONEBOOKS"] = _phonebooks(config.get("PHONEBOOKS") or [], team_ids)
    return config


def _phonebooks(entries: object, team_ids: Container[str]) -> list[PhoneBook]:
    if not isinstance(entries, list):
        raise ConfigError("PHONEBOOKS must be a list of phone books")
    books = []
    for i, entry in enumerate(entries):
        try:
            books.append(phonebooks.validate_phonebook(entry, team_ids))
        except ValueError as exc:
            raise ConfigError(f"PHONEBOOKS[{i}]: {exc}") from None
    try:
        phonebooks.check_counts(books)
    except ValueError as exc:
        raise ConfigError(f"PHONEBOOKS: {exc}") from None
    return books


def _validate_thirdparty_dir(config: Settings) -> None:
    """An explicit THIRDPARTY_DIR must exist; the default one may be missing (its libraries then answer 404)."""
    if not config["THIRDPARTY_DIR"]:
        config["THIRDPARTY_DIR"] = str(DEFAULT_THIRDPARTY_DIR)
        return
    folder = pathlib.Path(config["THIRDPARTY_DIR"]).expanduser().resolve()
    if not folder.is_dir():
        raise ConfigError(f"THIRDPARTY_DIR must name a folder, got {config['THIRDPARTY_DIR']!r}")
    config["THIRDPARTY_DIR"] = str(folder)


def _validate_xmpp(config: Settings) -> None:
    mode = str(config["XMPP_SERVER"]).strip().lower()
    if mode not in XMPP_MODES:
        raise ConfigError(f"XMPP_SERVER must be one of {', '.join(XMPP_MODES)}, got {config['XMPP_SERVER']!r}")
    config["XMPP_SERVER"] = mode
    for key in ("XMPP_C2S_PORT", "XMPP_HTTP_PORT"):
        config[key] = _port(key, config[key])
    if config["XMPP_C2S_PORT"] and config["XMPP_C2S_PORT"] == config["XMPP_HTTP_PORT"]:
        raise ConfigError(f"XMPP_C2S_PORT and XMPP_HTTP_PORT must differ, both are {config['XMPP_C2S_PORT']}")
    for key in ("PROSODY_PATH", "XMPP_DIR"):
        config[key] = str(pathlib.Path(config[key]).expanduser().resolve()) if config[key] else ""


def _port(key: str, value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{key} must be a port number, got {value!r}") from None
    if not 0 <= number <= 65535:
        raise ConfigError(f"{key} must be 0 (a free port) to 65535, got {number}")
    return number


def _origins(key: str, value: object) -> list[str]:
    """``host:port`` entries, from a list or a comma-separated string (environment variable)."""
    entries = [v.strip() for v in value.split(",")] if isinstance(value, str) else value
    if not isinstance(entries, list):
        raise ConfigError(f"{key} must be a list of host:port entries, got {value!r}")
    origins = []
    for i, entry in enumerate(e for e in entries if str(e).strip()):
        host, _, port = str(entry).strip().rpartition(":")
        if not host or not port.isdigit():
            raise ConfigError(f"{key}[{i}] must be host:port (e.g. gadgets.example.com:443), got {entry!r}")
        origins.append(f"{host.lower()}:{int(port)}")
    return origins


def _list(key: str, value: object) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{key} must be a non-empty list")
    return value


def _required_text(where: str, entry: dict[str, Any], name: str) -> str:
    value = entry.get(name)
    if value is None or not str(value).strip():
        raise ConfigError(f"{where}.{name} is required")
    return str(value).strip()


def _unique(key: str, entries: Sequence[Mapping[str, object]], name: str) -> None:
    seen: set[object] = set()
    for i, entry in enumerate(entries):
        if entry[name] in seen:
            raise ConfigError(f"{key}[{i}].{name} {entry[name]!r} is used twice")
        seen.add(entry[name])


def _team(i: int, entry: object) -> Team:
    where = f"TEAMS[{i}]"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where} must be an object")
    return Team(id=_required_text(where, entry, "id"), name=_required_text(where, entry, "name"))


def _agent(i: int, entry: object, team_ids: Container[str]) -> AgentProfile:
    where = f"AGENTS[{i}]"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where} must be an object")
    text = {name: _required_text(where, entry, name) for name in AGENT_REQUIRED}
    if text["teamId"] not in team_ids:
        raise ConfigError(f"{where}.teamId {text['teamId']!r} is not one of TEAMS")
    roles = entry.get("roles") or ["Agent"]
    if not set(roles) <= {"Agent", "Supervisor"} or "Agent" not in roles:
        raise ConfigError(f'{where}.roles must be ["Agent"] or ["Agent", "Supervisor"], got {roles!r}')
    supervised = [str(t) for t in entry.get("supervisedTeams") or []]
    for team_id in supervised:
        if team_id not in team_ids:
            raise ConfigError(f"{where}.supervisedTeams: {team_id!r} is not one of TEAMS")
    if supervised and "Supervisor" not in roles:
        raise ConfigError(f"{where}.supervisedTeams needs the Supervisor role")
    locale = entry.get("locale") or "en_US"
    if locale not in LOCALES:
        raise ConfigError(f"{where}.locale must be one of {', '.join(LOCALES)}, got {locale!r}")
    wrap_up = entry.get("wrapUpOnIncoming") or "OPTIONAL"
    if wrap_up not in WRAP_UP_MODES:
        raise ConfigError(f"{where}.wrapUpOnIncoming must be one of {', '.join(WRAP_UP_MODES)}, got {wrap_up!r}")
    return AgentProfile(
        id=text["id"],
        password=text["password"],
        firstName=text["firstName"],
        lastName=text["lastName"],
        extension=text["extension"],
        teamId=text["teamId"],
        roles=list(roles),
        supervisedTeams=supervised,
        locale=locale,
        wrapUpOnIncoming=wrap_up,
        loginName=str(entry.get("loginName") or (text["firstName"][0] + text["lastName"]).lower()),
    )


def _reason_code(i: int, entry: object) -> ReasonCode:
    where = f"REASON_CODES[{i}]"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where} must be an object")
    text = {name: _required_text(where, entry, name) for name in ("id", "category", "code", "label")}
    if text["category"] not in ("NOT_READY", "LOGOUT"):
        raise ConfigError(f"{where}.category must be NOT_READY or LOGOUT, got {text['category']!r}")
    return ReasonCode(
        id=text["id"],
        category=text["category"],
        code=text["code"],
        label=text["label"],
        forAll=bool(entry.get("forAll", True)),
        systemCode=bool(entry.get("systemCode", False)),
    )


def _wrap_up_reason(i: int, entry: object) -> WrapUpReason:
    where = f"WRAP_UP_REASONS[{i}]"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where} must be an object")
    text = {name: _required_text(where, entry, name) for name in ("id", "label")}
    if len(text["label"]) > WRAP_UP_LABEL_MAX:
        raise ConfigError(f"{where}.label is longer than {WRAP_UP_LABEL_MAX} characters")
    return WrapUpReason(id=text["id"], label=text["label"], forAll=bool(entry.get("forAll", True)))


def _media(i: int, entry: object) -> Mrd:
    where = f"MEDIA[{i}]"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where} must be an object")
    text = {name: _required_text(where, entry, name) for name in ("id", "name", "description")}
    limit = positive_int_setting(f"{where}.maxDialogLimit", entry.get("maxDialogLimit", 5), ConfigError)
    if limit > 10:
        raise ConfigError(f"{where}.maxDialogLimit must be 1-10, got {limit}")
    return Mrd(id=text["id"], name=text["name"], description=text["description"], maxDialogLimit=limit)
