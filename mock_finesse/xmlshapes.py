"""Finesse's XML on the wire: User, Dialog, Media, SystemInfo, ReasonCodes, ``<Update>`` and ``<ApiErrors>``.

REST answers use the capitalised root (``<User>``, ``<Dialog>``); notifications put the lower-case root in
``<data>`` (``<user>``, ``<dialog>``) and ``<dialogs><Dialog>`` for collection adds and deletes, as Finesse does.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TypeVar

from lxml import etree

from .clock import format_timestamp
from .models import Agent, Dialog, FinesseBackend, Media, Participant
from .records import MediaPropertiesLayout, PhoneBook, ReasonCode, Settings, Team, WrapUpReason

XML_MIMETYPE = "application/xml"
Item = TypeVar("Item")


def to_xml(element: etree._Element) -> str:
    """Serialise an element to a unicode string (no XML declaration, as Finesse's notifications)."""
    return etree.tostring(element, encoding="unicode")


def _text(parent: etree._Element, tag: str, value: object = "") -> etree._Element:
    child = etree.SubElement(parent, tag)
    child.text = "" if value is None else str(value)
    return child


def _time(moment: dt.datetime | None) -> str:
    return format_timestamp(moment) if moment else ""


def api_errors(error_type: str, message: str, data: str = "") -> etree._Element:
    """``<ApiErrors><ApiError>`` with type, message and the field or object it concerns."""
    root = etree.Element("ApiErrors")
    api_error = etree.SubElement(root, "ApiError")
    _text(api_error, "ErrorType", error_type)
    _text(api_error, "ErrorMessage", message)
    _text(api_error, "ErrorData", data)
    return root


def update(data_child: etree._Element, event: str, source: str, request_id: str = "") -> str:
    """An ``<Update>`` notification wrapping ``data_child``, as an XML string."""
    root = etree.Element("Update")
    etree.SubElement(root, "data").append(data_child)
    _text(root, "event", event)
    _text(root, "requestId", request_id or "")
    _text(root, "source", source)
    return to_xml(root)


def reason_code_element(code: ReasonCode) -> etree._Element:
    """``<ReasonCode>`` as in User and the ReasonCodes list."""
    element = etree.Element("ReasonCode")
    _text(element, "category", code["category"])
    _text(element, "uri", f"/finesse/api/ReasonCode/{code['id']}")
    _text(element, "code", code["code"])
    _text(element, "label", code["label"])
    _text(element, "forAll", str(code["forAll"]).lower())
    _text(element, "systemCode", str(code["systemCode"]).lower())
    _text(element, "id", code["id"])
    return element


def list_element(tag: str, items: Iterable[Item], item_element: Callable[[Item], etree._Element]) -> etree._Element:
    """A list resource: ``<tag>`` with ``item_element(item)`` for each item (``<ReasonCodes>``, ``<PhoneBooks>``)."""
    root = etree.Element(tag)
    for item in items:
        root.append(item_element(item))
    return root


def reason_codes_element(codes: Iterable[ReasonCode]) -> etree._Element:
    """``<ReasonCodes>`` with one ``<ReasonCode>`` per code."""
    return list_element("ReasonCodes", codes, reason_code_element)


def wrap_up_reasons_element(reasons: Iterable[WrapUpReason]) -> etree._Element:
    """``<WrapUpReasons>`` with one ``<WrapUpReason>`` (uri, id, label, forAll) per configured reason."""
    root = etree.Element("WrapUpReasons")
    for reason in reasons:
        element = etree.SubElement(root, "WrapUpReason")
        _text(element, "uri", f"/finesse/api/WrapUpReason/{reason['id']}")
        _text(element, "id", reason["id"])
        _text(element, "label", reason["label"])
        _text(element, "forAll", str(reason["forAll"]).lower())
    return root


def phonebook_element(book: PhoneBook) -> etree._Element:
    """``<PhoneBook>`` (uri, name, type, contacts URI) as developer.cisco.com/docs/finesse/phonebook shows it."""
    element = etree.Element("PhoneBook")
    _text(element, "uri", f"/finesse/api/PhoneBook/{book['id']}")
    _text(element, "name", book["name"])
    _text(element, "type", book["type"])
    _text(element, "contacts", f"/finesse/api/PhoneBook/{book['id']}/Contacts")
    return element


def phonebooks_element(books: Iterable[PhoneBook]) -> etree._Element:
    """``<PhoneBooks>`` of the books an agent sees (root name inferred from Finesse's list resources)."""
    return list_element("PhoneBooks", books, phonebook_element)


def contacts_element(book: PhoneBook) -> etree._Element:
    """``<Contacts>``: one ``<Contact>`` (firstName, lastName, phoneNumber, description, uri) per entry."""
    root = etree.Element("Contacts")
    for contact in book["contacts"]:
        element = etree.SubElement(root, "Contact")
        for name in ("firstName", "lastName", "phoneNumber", "description"):
            _text(element, name, contact[name])
        _text(element, "uri", f"/finesse/api/PhoneBook/{book['id']}/Contact/{contact['id']}")
    return root


def media_properties_layout_element(layout: MediaPropertiesLayout) -> etree._Element:
    """``<MediaPropertiesLayout>``: uri, name, description, type, a ``<header>`` entry and up to two columns."""
    root = etree.Element("MediaPropertiesLayout")
    _text(root, "uri", f"/finesse/api/MediaPropertiesLayout/{layout['id']}")
    for name in ("name", "description", "type"):
        _text(root, name, layout[name])
    for tag, entries in [("header", layout["header"])] + [("column", c) for c in layout["columns"]]:
        group = etree.SubElement(root, tag)
        for display_name, media_property in entries:
            entry = etree.SubElement(group, "entry")
            _text(entry, "displayName", display_name)
            _text(entry, "mediaProperty", media_property)
            _text(entry, "showInPopOver", "false")
            _text(entry, "uiEditable", "false")
    return root


def user_element(backend: FinesseBackend, agent: Agent, tag: str = "User") -> etree._Element:
    """The full User resource (``tag="user"`` inside notifications)."""
    profile = agent.profile
    team = backend.teams[profile["teamId"]]
    root = etree.Element(tag)
    _text(root, "uri", f"/finesse/api/User/{agent.id}")
    roles = etree.SubElement(root, "roles")
    for role in profile["roles"]:
        _text(roles, "role", role)
    _text(root, "loginId", agent.id)
    _text(root, "loginName", profile["loginName"])
    _text(root, "state", agent.state)
    _text(root, "stateChangeTime", _time(agent.state_change_time))
    _text(root, "pendingState", agent.pending_state)
    _append_reason(backend, root, agent.reason_code_id)
    settings = etree.SubElement(root, "settings")
    _text(settings, "wrapUpOnIncoming", profile["wrapUpOnIncoming"])
    _text(settings, "wrapUpOnOutgoing", "NOT_ALLOWED")
    _text(root, "extension", profile["extension"])
    _text(root, "firstName", profile["firstName"])
    _text(root, "lastName", profile["lastName"])
    _text(root, "teamId", team["id"])
    _text(root, "teamName", team["name"])
    _text(root, "dialogs", f"/finesse/api/User/{agent.id}/Dialogs")
    _text(root, "mediaType", "1")
    if profile["supervisedTeams"]:
        teams = etree.SubElement(root, "teams")
        for team_id in profile["supervisedTeams"]:
            teams.append(team_element(backend.teams[team_id]))
    return root


def _append_reason(backend: FinesseBackend, root: etree._Element, reason_code_id: str | None) -> None:
    _text(root, "reasonCodeId", reason_code_id if reason_code_id else "-1")
    if reason_code_id:
        root.append(reason_code_element(backend.reason_codes[reason_code_id]))


def team_element(team: Team) -> etree._Element:
    """``<Team>`` reference (uri, id, name)."""
    element = etree.Element("Team")
    _text(element, "uri", f"/finesse/api/Team/{team['id']}")
    _text(element, "id", team["id"])
    _text(element, "name", team["name"])
    return element


def team_user_element(backend: FinesseBackend, agent: Agent, tag: str = "User") -> etree._Element:
    """The summary of a team member in ``/finesse/api/Team/{id}/Users`` (supervisor view)."""
    root = etree.Element(tag)
    _text(root, "dialogs", f"/finesse/api/User/{agent.id}/Dialogs")
    _text(root, "extension", agent.profile["extension"])
    _text(root, "firstName", agent.profile["firstName"])
    _text(root, "lastName", agent.profile["lastName"])
    _text(root, "loginId", agent.id)
    _text(root, "loginName", agent.profile["loginName"])
    _text(root, "pendingState", agent.pending_state)
    _append_reason(backend, root, agent.reason_code_id)
    _text(root, "state", agent.state)
    _text(root, "stateChangeTime", _time(agent.state_change_time))
    _text(root, "uri", f"/finesse/api/User/{agent.id}")
    return root


def team_users_element(backend: FinesseBackend, team: Team, agents: Iterable[Agent]) -> etree._Element:
    """``<Team>`` with its ``<users>`` (``GET /finesse/api/Team/{id}``)."""
    root = team_element(team)
    users = etree.SubElement(root, "users")
    for agent in agents:
        users.append(team_user_element(backend, agent))
    return root


def participant_element(participant: Participant, allowed: Iterable[str]) -> etree._Element:
    """``<Participant>`` with the actions it is ``allowed``."""
    element = etree.Element("Participant")
    actions = etree.SubElement(element, "actions")
    for action in allowed:
        _text(actions, "action", action)
    _text(element, "mediaAddress", participant.media_address)
    if participant.media_address_type is not None:
        _text(element, "mediaAddressType", participant.media_address_type)
    _text(element, "startTime", _time(participant.start_time))
    _text(element, "state", participant.state)
    _text(element, "stateCause", participant.state_cause)
    _text(element, "stateChangeTime", _time(participant.state_change_time))
    return element


def dialog_element(dialog: Dialog, tag: str = "Dialog") -> etree._Element:
    """A voice or non-voice Dialog (``tag="dialog"`` for a single-dialog notification)."""
    root = etree.Element(tag)
    _text(root, "associatedDialogUri", f"/finesse/api/Dialog/{dialog.associated_id}" if dialog.associated_id else "")
    _text(root, "fromAddress", dialog.from_address)
    _text(root, "id", dialog.id)
    properties = etree.SubElement(root, "mediaProperties")
    for name, value in dialog.media_properties.items():
        _text(properties, name, value)
    variables = etree.SubElement(properties, "callvariables")
    for name, value in dialog.call_variables.items():
        variable = etree.SubElement(variables, "CallVariable")
        _text(variable, "name", name)
        _text(variable, "value", value)
    _text(root, "mediaType", dialog.media_type)
    participants = etree.SubElement(root, "participants")
    for participant in dialog.participants:
        participants.append(participant_element(participant, dialog.actions_of(participant)))
    _text(root, "state", dialog.state)
    _text(root, "toAddress", dialog.to_address)
    _text(root, "uri", f"/finesse/api/Dialog/{dialog.id}")
    return root


def dialogs_element(dialogs: Iterable[Dialog], tag: str = "Dialogs") -> etree._Element:
    """``<Dialogs>`` (REST) or ``<dialogs>`` (collection notifications) of ``<Dialog>``."""
    root = etree.Element(tag)
    for dialog in dialogs:
        root.append(dialog_element(dialog))
    return root


def media_element(backend: FinesseBackend, agent_id: str, media: Media, tag: str = "Media") -> etree._Element:
    """An agent's ``<Media>`` for one MRD."""
    root = etree.Element(tag)
    _text(root, "uri", f"/finesse/api/User/{agent_id}/Media/{media.mrd['id']}")
    _text(root, "id", media.mrd["id"])
    _text(root, "name", media.mrd["name"])
    _text(root, "description", media.mrd["description"])
    _text(root, "dialogLogoutAction", media.dialog_logout_action)
    _text(root, "interruptAction", media.interrupt_action)
    _text(root, "interruptible", "true")
    _text(root, "maxDialogLimit", media.max_dialog_limit)
    _append_reason(backend, root, media.reason_code_id)
    _text(root, "routable", str(media.routable).lower())
    _text(root, "state", media.state)
    _text(root, "stateChangeTime", _time(media.state_change_time))
    _text(root, "dialogs", f"/finesse/api/User/{agent_id}/Media/{media.mrd['id']}/Dialogs")
    return root


def media_list_element(backend: FinesseBackend, agent: Agent) -> etree._Element:
    """``<MediaList>`` of the agent's MRDs."""
    root = etree.Element("MediaList")
    for media in agent.media.values():
        root.append(media_element(backend, agent.id, media))
    return root


def system_info_element(config: Settings, moment: dt.datetime, host: str, port: str) -> etree._Element:
    """``<SystemInfo>`` for this mock server."""
    root = etree.Element("SystemInfo")
    _text(root, "currentTimestamp", _time(moment))
    _text(root, "deploymentType", config["DEPLOYMENT_TYPE"])
    node = etree.SubElement(root, "primaryNode")
    _text(node, "host", host)
    _text(node, "httpsPort", port)
    if config.get("XMPP_C2S_PORT"):  # only while XMPP runs (the mock has no TLS port: no xmppSecurePort)
        _text(node, "xmppPort", config["XMPP_C2S_PORT"])
    _text(root, "status", "IN_SERVICE")
    _text(root, "statusReason", "")
    _text(root, "systemAuthMode", "HYBRID" if config["SSO_ENABLED"] else "NON_SSO")
    _text(root, "timezoneOffset", "0")
    _text(root, "uri", "/finesse/api/SystemInfo")
    _text(root, "xmppDomain", config["XMPP_DOMAIN"])
    _text(root, "xmppPubSubDomain", "pubsub." + config["XMPP_DOMAIN"])
    return root
