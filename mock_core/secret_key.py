"""A random secret key per mock instance, kept in the instance folder (the bar of Werkzeug's debugger PIN and
Jupyter's token: nothing a stranger can guess signs a session)."""

import os
import pathlib
import secrets
import tempfile
from collections.abc import MutableMapping
from typing import Any

MIN_LENGTH = 32


class SecretKeyError(ValueError):
    """The key file cannot be read or written, or a configured key is too short; the message says which."""


def instance_secret_key(folder: str, file_name: str) -> str:
    """The key in ``folder/file_name``, created there (owner-only, written whole) on first use; a fresh random
    key, in memory only, when ``folder`` is empty (sessions then end with the process)."""
    if not folder:
        return secrets.token_hex(32)
    path = pathlib.Path(folder) / file_name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            _create(path, secrets.token_hex(32))
        key = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise SecretKeyError(f"cannot keep the secret key in {path}: {exc}") from exc
    return checked_key(key, str(path))


def _create(path: pathlib.Path, key: str) -> None:
    """Write ``key`` to a temporary file and link it into place: another process starting at the same moment
    either wins the link or reads the complete key of the one that did."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".secret-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(key)
        os.chmod(temp, 0o600)
        os.link(temp, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(temp)


def apply_secret_key(config: MutableMapping[str, Any], file_name: str) -> None:
    """Settle ``config``'s INSTANCE_PATH (absolute, or empty) and SECRET_KEY: the configured key (checked) when
    set, else the instance's own key in ``INSTANCE_PATH/file_name`` (``instance_secret_key``)."""
    folder = str(config.get("INSTANCE_PATH") or "").strip()
    config["INSTANCE_PATH"] = str(pathlib.Path(folder).expanduser().resolve()) if folder else ""
    configured = str(config.get("SECRET_KEY") or "").strip()
    config["SECRET_KEY"] = (
        checked_key(configured) if configured else instance_secret_key(config["INSTANCE_PATH"], file_name)
    )


def checked_key(key: str, where: str = "SECRET_KEY") -> str:
    """``key`` when it is at least MIN_LENGTH characters, else SecretKeyError naming ``where``."""
    if len(key) < MIN_LENGTH:
        raise SecretKeyError(
            f"{where} must be at least {MIN_LENGTH} characters (a random key: "
            f"python -c 'import secrets; print(secrets.token_hex(32))'), got {len(key)}"
        )
    return key
