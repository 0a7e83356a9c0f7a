"""How every server of the project loads its settings: the defaults, then the JSON file that ``<PREFIX>CONFIG``
names, then ``<PREFIX><KEY>`` environment variables, then the caller's overrides. Each server validates the
result itself and raises its own ``ConfigError``; a setting the file does not know stops start-up here."""

import copy
import json
import os
import pathlib
from collections.abc import Iterable, Mapping
from typing import Any


def layered_settings(
    defaults: Mapping[str, Any],
    prefix: str,
    error: type[Exception],
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    env_keys: Iterable[str] | None = None,
) -> tuple[dict[str, Any], set[str]]:
    """``(settings, explicit)``: the merged settings and the names set by the file, the environment or
    ``overrides``. ``env_keys`` (default: every key of ``defaults``) are read from the environment; ``error``
    is the server's ``ConfigError``, raised naming ``<PREFIX>CONFIG`` when its file is unreadable or unknown."""
    environ = os.environ if environ is None else environ
    settings = copy.deepcopy(dict(defaults))  # validation normalises lists in place
    explicit: set[str] = set()
    path = environ.get(prefix + "CONFIG")
    if path:
        from_file = read_settings_file(path, prefix, error, known=defaults)
        settings.update(from_file)
        explicit.update(from_file)
    for key in defaults if env_keys is None else env_keys:
        if prefix + key in environ:
            settings[key] = environ[prefix + key]
            explicit.add(key)
    settings.update(overrides or {})
    explicit.update(overrides or {})
    return settings, explicit


def read_settings_file(path: str, prefix: str, error: type[Exception], known: Iterable[str]) -> dict[str, Any]:
    """The JSON object in ``path``; ``error`` naming ``<PREFIX>CONFIG`` when it cannot be read, is not an object,
    or holds a setting not in ``known``."""
    try:
        settings = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise error(f"{prefix}CONFIG: cannot read {path}: {exc}") from exc
    if not isinstance(settings, dict):
        raise error(f"{prefix}CONFIG: {path} must hold a JSON object")
    unknown = sorted(set(settings) - set(known))
    if unknown:
        raise error(f"{prefix}CONFIG: unknown setting(s) {', '.join(unknown)} in {path}")
    return settings


def boolean_setting(name: str, value: object, error: type[Exception]) -> bool:
    """``value`` as a boolean setting: a bool, or 1/true/yes/on and 0/false/no/off/empty in any case; else
    ``error`` naming the setting ``name``."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise error(f"{name} must be true or false, got {value!r}")


def positive_int_setting(name: str, value: Any, error: type[Exception]) -> int:
    """``value`` as a whole number above zero; else ``error`` naming the setting ``name``."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise error(f"{name} must be an integer, got {value!r}") from None
    if number <= 0:
        raise error(f"{name} must be positive, got {number}")
    return number


def require_text(config: Mapping[str, Any], names: Iterable[str], error: type[Exception]) -> None:
    """``error`` naming the first setting of ``names`` that is missing or blank in ``config``."""
    for name in names:
        if not str(config.get(name) or "").strip():
            raise error(f"{name} must not be empty")
