"""The call actions that change a call's data, not its flow: UPDATE_CALL_DATA, SEND_DTMF and START_RECORDING.

Each takes ``(backend, agent, dialog, body, request_id)`` like the handlers in ``calls.py`` and publishes the
dialog's change.
"""

import re

from lxml import etree

from .config import WRAP_UP_LABEL_MAX
from .dialogs import publish_changed, validate_call_variable
from .errors import InvalidInput, ParameterMissing
from .models import Agent, Dialog, FinesseBackend

DTMF = re.compile(r"^[0-9*#]{1,32}$")


def update_call_data(
    backend: FinesseBackend, agent: Agent, dialog: Dialog, body: etree._Element, request_id: str
) -> None:
    """UPDATE_CALL_DATA: call variables (callVariable1-10, ECC) and the wrap-up reason."""
    properties = body.find("mediaProperties")
    if properties is None:
        raise ParameterMissing("mediaProperties is required for UPDATE_CALL_DATA.", data="mediaProperties")
    changes = _call_variable_changes(properties)
    reason = properties.findtext("wrapUpReason")
    if reason is not None and len(reason) > WRAP_UP_LABEL_MAX:
        raise InvalidInput(f"wrapUpReason is longer than {WRAP_UP_LABEL_MAX} characters.", data="wrapUpReason")
    dialog.call_variables.update(changes)
    if reason is not None:
        dialog.media_properties["wrapUpReason"] = reason.strip()
    publish_changed(backend, dialog, request_id)


def _call_variable_changes(properties: etree._Element) -> dict[str, str]:
    changes = {}
    for variable in properties.iterfind("callvariables/CallVariable"):
        name = (variable.findtext("name") or "").strip()
        value = variable.findtext("value") or ""
        changes[name] = validate_call_variable(name, value)
    return changes


def recordable(backend: FinesseBackend) -> bool:
    """Agents may start recording a call on UCCX (Cisco's CallRecording sample; inferred: not on UCCE)."""
    return backend.config["DEPLOYMENT_TYPE"].upper() == "UCCX"


def start_recording(
    backend: FinesseBackend, agent: Agent, dialog: Dialog, body: etree._Element, request_id: str
) -> None:
    """START_RECORDING: the call is recorded from now on (no longer offered on it)."""
    dialog.recording = True
    publish_changed(backend, dialog, request_id)


def send_dtmf(backend: FinesseBackend, agent: Agent, dialog: Dialog, body: etree._Element, request_id: str) -> None:
    """SEND_DTMF: the ``dtmfString`` action parameter, 1-32 of 0-9, * and #."""
    digits = ""
    for param in body.iterfind("actionParams/ActionParam"):
        if (param.findtext("name") or "").strip() == "dtmfString":
            digits = (param.findtext("value") or "").strip()
    if not DTMF.match(digits):
        raise InvalidInput("dtmfString must be 1-32 of 0-9, * and #.", data="dtmfString")
    publish_changed(backend, dialog, request_id)
