"""The Context Service connection data (``connectionData`` from registration) and the machine account the
proxy authenticates as, kept together in one owner-only file (mode 0600) in the instance folder.

The file is JSON ``{"connectionData": "<base64 as Control Hub sent it>", "machineAccount": {"name",
"password", "id"}}``; a file holding only the base64 string (written before machine accounts) still loads.
"""

import base64
import binascii
import json
import os
import pathlib
from dataclasses import dataclass
from typing import Any

FILE_NAME = "connection-data"


@dataclass(frozen=True)
class Credentials:
    """One mode's client credentials."""

    client_id: str
    client_secret: str
    org_id: str

    def __repr__(self) -> str:
        return f"Credentials(client_id={self.client_id!r}, org_id={self.org_id!r}, client_secret=<hidden>)"


@dataclass(frozen=True)
class MachineAccount:
    """The Webex machine account whose bearer token the SAML2-bearer grant trades (reference §2.9)."""

    name: str
    password: str
    id: str = ""

    def __repr__(self) -> str:
        return f"MachineAccount(name={self.name!r}, id={self.id!r}, password=<hidden>)"


class ConnectionDataError(ValueError):
    """The connection data cannot be decoded; the message never contains the secret."""


def decode(connection_data: str) -> dict[str, Credentials]:
    """``{"prod": Credentials, "lab": Credentials}`` from the base64 ``connectionData``."""
    try:
        data = json.loads(base64.b64decode(connection_data.strip(), validate=True))
        return {"prod": _credentials(data["credentials"]), "lab": _credentials(data["credentialsLabMode"])}
    except (binascii.Error, ValueError, KeyError, TypeError, AttributeError):
        raise ConnectionDataError(
            "connectionData is not base64 JSON with credentials and credentialsLabMode "
            "({clientId, clientSecret, orgId})."
        ) from None


def _credentials(part: dict[str, Any]) -> Credentials:
    return Credentials(
        client_id=str(part["clientId"]), client_secret=str(part["clientSecret"]), org_id=str(part["orgId"])
    )


def path_in(instance_path: str | os.PathLike[str]) -> pathlib.Path:
    """Where the connection data lives in an instance folder."""
    return pathlib.Path(instance_path) / FILE_NAME


def _read(instance_path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The stored document ``{"connectionData", "machineAccount"?}``, or None when there is none."""
    try:
        text = path_in(instance_path).read_text().strip()
    except FileNotFoundError:
        return None
    if not text:
        return None
    if not text.startswith("{"):
        return {"connectionData": text}
    try:
        document = json.loads(text)
    except ValueError:
        raise ConnectionDataError(
            f"{path_in(instance_path)} is not the JSON 'customer-context register' writes."
        ) from None
    return document if isinstance(document, dict) else None


def load(instance_path: str | os.PathLike[str]) -> str | None:
    """The stored connection data string, or None when Finesse is not registered."""
    document = _read(instance_path)
    return (document or {}).get("connectionData") or None


def load_machine_account(instance_path: str | os.PathLike[str]) -> MachineAccount | None:
    """The stored MachineAccount, or None when ``register`` stored none."""
    part = ((_read(instance_path) or {}).get("machineAccount")) or {}
    if not part.get("name") or not part.get("password"):
        return None
    return MachineAccount(name=str(part["name"]), password=str(part["password"]), id=str(part.get("id") or ""))


def store(
    instance_path: str | os.PathLike[str], connection_data: str, machine_account: MachineAccount | None = None
) -> pathlib.Path:
    """Validate and write the connection data and the machine account together, owner-only (created 0600,
    never wider); a machine account not given keeps the stored one."""
    decode(connection_data)
    account = machine_account or load_machine_account(instance_path)
    document: dict[str, Any] = {"connectionData": connection_data.strip()}
    if account is not None:
        document["machineAccount"] = {"name": account.name, "password": account.password, "id": account.id}
    path = path_in(instance_path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(json.dumps(document) + "\n")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path


def remove(instance_path: str | os.PathLike[str]) -> bool:
    """Delete the stored connection data; True when there was one."""
    try:
        path_in(instance_path).unlink()
        return True
    except FileNotFoundError:
        return False
