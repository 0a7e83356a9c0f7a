"""A random secret key per mock instance, kept in the instance folder (the bar of Werkzeug's debugger PIN and
Jupyter's token: nothing a stranger can guess signs a session)."""
import os
import pathlib
import secrets
import tempfile

MIN_LENGTH = 32


class SecretKeyError(ValueError):
    """The key file cannot be read or written, or a configured key is too short; the message says which."""


def instance_secret_key(folder, file_name):
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


def _create(path, key):
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


def resolve_secret_key(configured, folder, file_name):
    """``configured`` (SECRET_KEY, checked) when set, else the instance's own key (``instance_secret_key``)."""
    configured = str(configured or "").strip()
    return checked_key(configured) if configured else instance_secret_key(folder, file_name)


def checked_key(key, where="SECRET_KEY"):
    """``key`` when it is at least MIN_LENGTH characters, else SecretKeyError naming ``where``."""
    if len(key) < MIN_LENGTH:
        raise SecretKeyError(f"{where} must be at least {MIN_LENGTH} characters (a random key: "
                             f"python -c 'import secrets; print(secrets.token_hex(32))'), got {len(key)}")
    return key
