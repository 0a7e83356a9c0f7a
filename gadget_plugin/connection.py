"""The Context Service connection data (``connectionData`` from registration), kept in the instance folder.

The file holds the base64 string exactly as Control Hub sent it, readable by the owner only (mode 0600).
"""
import base64
import binascii
import json
import os
import pathlib
from dataclasses import dataclass

FILE_NAME = "connection-data"


@dataclass(frozen=True)
class Credentials:
    """One mode's client credentials."""

    client_id: str
    client_secret: str
    org_id: str

    def __repr__(self):
        return f"Credentials(client_id={self.client_id!r}, org_id={self.org_id!r}, client_secret=<hidden>)"


class ConnectionDataError(ValueError):
    """The connection data cannot be decoded; the message never contains the secret."""


def decode(connection_data):
    """``{"prod": Credentials, "lab": Credentials}`` from the base64 ``connectionData``."""
    try:
        data = json.loads(base64.b64decode(connection_data.strip(), validate=True))
        return {"prod": _credentials(data["credentials"]), "lab": _credentials(data["credentialsLabMode"])}
    except (binascii.Error, ValueError, KeyError, TypeError, AttributeError):
        raise ConnectionDataError("connectionData is not base64 JSON with credentials and credentialsLabMode "
                                  "({clientId, clientSecret, orgId}).") from None


def _credentials(part):
    return Credentials(client_id=str(part["clientId"]), client_secret=str(part["clientSecret"]),
                       org_id=str(part["orgId"]))


def path_in(instance_path):
    """Where the connection data lives in an instance folder."""
    return pathlib.Path(instance_path) / FILE_NAME


def load(instance_path):
    """The stored connection data string, or None when Finesse is not registered."""
    path = path_in(instance_path)
    try:
        return path.read_text().strip() or None
    except FileNotFoundError:
        return None


def store(instance_path, connection_data):
    """Validate and write the connection data with owner-only permissions (created 0600, never wider)."""
    decode(connection_data)
    path = path_in(instance_path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(connection_data.strip() + "\n")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path


def remove(instance_path):
    """Delete the stored connection data; True when there was one."""
    try:
        path_in(instance_path).unlink()
        return True
    except FileNotFoundError:
        return False
