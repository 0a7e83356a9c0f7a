"""The Finesse REST API (XML) under ``/finesse/api``: User, Dialogs, Dialog, Media, SystemInfo, ReasonCodes, Team.

Every call is authenticated (HTTP Basic ``id:password``, or an SSO bearer token when enabled); reads answer
200 with the resource, writes answer 202 and the result arrives as a notification carrying the caller's
``requestId`` header.
"""

from flask import Blueprint, Response, request
from flask.typing import ResponseReturnValue
from lxml import etree

from . import agentstate, calls, dialogs, phonebooks, tasks, xmlshapes
from .auth import caller
from .clock import now
from .defaults import MEDIA_PROPERTIES_LAYOUT
from .errors import InvalidAuthorizationUser, InvalidInput, NotFound, ParameterMissing, UnsupportedMediaType
from .models import Agent, get_backend
from .records import PhoneBook

bp = Blueprint("rest", __name__, url_prefix="/finesse/api")
MAX_BODY_BYTES = 64 * 1024


def xml_response(element: etree._Element, status: int = 200) -> Response:
    """An XML answer with Finesse's content type."""
    return Response(xmlshapes.to_xml(element), status=status, mimetype=xmlshapes.XML_MIMETYPE)


def accepted() -> Response:
    """202 Accepted with an empty body: the outcome follows as a notification."""
    return Response(status=202)


def agent_for_caller(agent_id: str) -> Agent:
    """The agent ``agent_id`` if the caller is that agent or supervises their team; else 401 as Finesse."""
    me = caller()
    agent = get_backend().agent(agent_id)
    if me.id != agent.id and agent.profile["teamId"] not in me.profile["supervisedTeams"]:
        raise InvalidAuthorizationUser(f"User {me.id} cannot act on user {agent.id}.", data=me.id)
    return agent


def own_agent(agent_id: str) -> Agent:
    """The agent ``agent_id`` when the caller is that very agent (writes are never on someone else's behalf)."""
    me = caller()
    if me.id != str(agent_id):
        get_backend().agent(agent_id)
        raise InvalidAuthorizationUser(f"User {me.id} cannot act on user {agent_id}.", data=me.id)
    return me


def xml_body(root_tag: str) -> etree._Element:
    """The request body parsed as XML with the expected root element; clear errors otherwise."""
    if request.content_length and request.content_length > MAX_BODY_BYTES:
        raise InvalidInput(f"The body is larger than {MAX_BODY_BYTES // 1024} KB.", data="body")
    mimetype = request.mimetype or ""
    if mimetype and "xml" not in mimetype:
        raise UnsupportedMediaType(f"Send Content-Type: application/xml, not {mimetype}.", data="Content-Type")
    body = request.get_data()
    if not body.strip():
        raise ParameterMissing(f"The body must be a <{root_tag}> element.", data=root_tag)
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise InvalidInput(f"The body is not well-formed XML: {exc.msg} (line {exc.lineno}).", data="body") from None
    if root.tag != root_tag:
        raise InvalidInput(f"The body's root element must be <{root_tag}>, not <{root.tag}>.", data=root_tag)
    return root


def child_text(element: etree._Element, tag: str) -> str | None:
    """The stripped text of a child element, or None when absent."""
    child = element.find(tag)
    return None if child is None else (child.text or "").strip()


def request_id() -> str:
    """The caller's ``requestId`` header, echoed into the resulting notification."""
    return request.headers.get("requestId", "")


@bp.route("/User/<agent_id>", methods=["GET"])
def get_user(agent_id: str) -> ResponseReturnValue:
    """``GET /finesse/api/User/{id}``."""
    return xml_response(xmlshapes.user_element(get_backend(), agent_for_caller(agent_id)))


@bp.route("/User/<agent_id>", methods=["PUT"])
def put_user(agent_id: str) -> ResponseReturnValue:
    """Change state (LOGIN with extension, READY, NOT_READY with reasonCodeId, LOGOUT)."""
    agent = own_agent(agent_id)
    body = xml_body("User")
    state = child_text(body, "state")
    if not state:
        raise ParameterMissing("state is required.", data="state")
    agentstate.change_agent_state(
        get_backend(),
        agent,
        state,
        reason_code_id=child_text(body, "reasonCodeId") or None,
        extension=child_text(body, "extension"),
        request_id=request_id(),
    )
    return accepted()


@bp.route("/User/<agent_id>/ReasonCodes", methods=["GET"])
def user_reason_codes(agent_id: str) -> ResponseReturnValue:
    """Reason codes of a category (``?category=NOT_READY|LOGOUT``) available to the user."""
    agent_for_caller(agent_id)
    return _reason_codes_answer()


@bp.route("/ReasonCodes", methods=["GET"])
def reason_codes() -> ResponseReturnValue:
    """``GET /finesse/api/ReasonCodes?category=NOT_READY|LOGOUT``."""
    caller()
    return _reason_codes_answer()


def _reason_codes_answer() -> Response:
    category = request.args.get("category", "")
    if category not in ("NOT_READY", "LOGOUT"):
        raise InvalidInput(f"category must be NOT_READY or LOGOUT, got {category!r}.", data="category")
    return xml_response(xmlshapes.reason_codes_element(get_backend().reason_codes_of(category)))


@bp.route("/User/<agent_id>/WrapUpReasons", methods=["GET"])
def user_wrap_up_reasons(agent_id: str) -> ResponseReturnValue:
    """The wrap-up reasons the agent can pick after a call (set with UPDATE_CALL_DATA wrapUpReason)."""
    agent_for_caller(agent_id)
    return xml_response(xmlshapes.wrap_up_reasons_element(get_backend().config["WRAP_UP_REASONS"]))


@bp.route("/ReasonCode/<code_id>", methods=["GET"])
def reason_code(code_id: str) -> ResponseReturnValue:
    """One reason code by id."""
    caller()
    code = get_backend().reason_codes.get(code_id)
    if code is None:
        raise NotFound(f"ReasonCode {code_id} does not exist.", data=code_id)
    return xml_response(xmlshapes.reason_code_element(code))


@bp.route("/SystemInfo", methods=["GET"])
def system_info() -> ResponseReturnValue:
    """``GET /finesse/api/SystemInfo`` (no credentials needed, as on Finesse)."""
    backend = get_backend()
    host = request.host.rsplit(":", 1)
    port = host[1] if len(host) == 2 else ("443" if request.scheme == "https" else "80")
    return xml_response(xmlshapes.system_info_element(backend.config, now(), host[0], port))


@bp.route("/Team/<team_id>", methods=["GET"])
def team(team_id: str) -> ResponseReturnValue:
    """A team and its users, for its supervisors."""
    me = caller()
    backend = get_backend()
    found = backend.team(team_id)
    if team_id not in me.profile["supervisedTeams"]:
        raise InvalidAuthorizationUser(f"User {me.id} does not supervise team {team_id}.", data=me.id)
    return xml_response(xmlshapes.team_users_element(backend, found, backend.team_members(team_id)))


@bp.route("/User/<agent_id>/MediaPropertiesLayouts", methods=["GET"])
def user_media_properties_layouts(agent_id: str) -> ResponseReturnValue:
    """The media properties layouts of the agent's team: the system default (collection root inferred)."""
    agent_for_caller(agent_id)
    return xml_response(
        xmlshapes.list_element(
            "MediaPropertiesLayouts", [MEDIA_PROPERTIES_LAYOUT], xmlshapes.media_properties_layout_element
        )
    )


@bp.route("/MediaPropertiesLayout/<layout_id>", methods=["GET"])
def media_properties_layout(layout_id: str) -> ResponseReturnValue:
    """One media properties layout by id."""
    caller()
    if layout_id != MEDIA_PROPERTIES_LAYOUT["id"]:
        raise NotFound(f"MediaPropertiesLayout {layout_id} does not exist.", data=layout_id)
    return xml_response(xmlshapes.media_properties_layout_element(MEDIA_PROPERTIES_LAYOUT))


@bp.route("/User/<agent_id>/PhoneBooks", methods=["GET"])
def user_phonebooks(agent_id: str) -> ResponseReturnValue:
    """The phone books the agent sees: every GLOBAL one and the TEAM ones of the agent's team."""
    agent = agent_for_caller(agent_id)
    books = phonebooks.books_of(get_backend().phonebooks.values(), agent.profile["teamId"])
    return xml_response(xmlshapes.phonebooks_element(books))


@bp.route("/PhoneBook/<book_id>", methods=["GET"])
def phonebook(book_id: str) -> ResponseReturnValue:
    """One phone book the caller sees."""
    return xml_response(xmlshapes.phonebook_element(_visible_phonebook(book_id)))


@bp.route("/PhoneBook/<book_id>/Contacts", methods=["GET"])
def phonebook_contacts(book_id: str) -> ResponseReturnValue:
    """The contacts of a phone book the caller sees."""
    return xml_response(xmlshapes.contacts_element(_visible_phonebook(book_id)))


def _visible_phonebook(book_id: str) -> PhoneBook:
    """A phone book assigned to the caller (GLOBAL, or TEAM for the caller's team); NotFound otherwise."""
    me = caller()
    book = get_backend().phonebooks.get(book_id)
    if book is None or book not in phonebooks.books_of([book], me.profile["teamId"]):
        raise NotFound(f"PhoneBook {book_id} does not exist.", data=book_id)
    return book


@bp.route("/User/<agent_id>/Dialogs", methods=["GET"])
def list_dialogs(agent_id: str) -> ResponseReturnValue:
    """The agent's voice dialogs (chat and email dialogs are listed per MRD under Media)."""
    agent = agent_for_caller(agent_id)
    return xml_response(xmlshapes.dialogs_element(dialogs.dialogs_of(get_backend(), agent)))


@bp.route("/User/<agent_id>/Dialogs", methods=["POST"])
def make_call(agent_id: str) -> ResponseReturnValue:
    """MAKE_CALL: ``<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress/><toAddress/></Dialog>``."""
    agent = own_agent(agent_id)
    body = xml_body("Dialog")
    action = child_text(body, "requestedAction")
    if action != "MAKE_CALL":
        raise InvalidInput(f"requestedAction must be MAKE_CALL here, got {action!r}.", data="requestedAction")
    calls.make_call(get_backend(), agent, child_text(body, "fromAddress"), child_text(body, "toAddress"), request_id())
    return accepted()


@bp.route("/Dialog/<dialog_id>", methods=["GET"])
def get_dialog(dialog_id: str) -> ResponseReturnValue:
    """One dialog the caller takes part in (or supervises)."""
    dialog = dialogs.find(get_backend(), dialog_id)
    agent_for_caller(dialog.agent_id)
    return xml_response(xmlshapes.dialog_element(dialog))


@bp.route("/Dialog/<dialog_id>", methods=["PUT"])
def put_dialog(dialog_id: str) -> ResponseReturnValue:
    """Take an action on a dialog (ANSWER, HOLD, RETRIEVE, DROP, UPDATE_CALL_DATA, SEND_DTMF, ACCEPT, …)."""
    backend = get_backend()
    dialog = dialogs.find(backend, dialog_id)
    agent = own_agent(dialog.agent_id)
    body = xml_body("Dialog")
    action = child_text(body, "requestedAction")
    if not action:
        raise ParameterMissing("requestedAction is required.", data="requestedAction")
    rules = calls if dialog.is_voice else tasks
    rules.request_action(backend, agent, dialog, action, body, request_id())
    return accepted()


@bp.route("/User/<agent_id>/Media", methods=["GET"])
def media_list(agent_id: str) -> ResponseReturnValue:
    """``<MediaList>``: the agent's state in every MRD."""
    agent = agent_for_caller(agent_id)
    return xml_response(xmlshapes.media_list_element(get_backend(), agent))


@bp.route("/User/<agent_id>/Media/<mrd_id>", methods=["GET"])
def get_media(agent_id: str, mrd_id: str) -> ResponseReturnValue:
    """The agent's ``<Media>`` in one MRD."""
    agent = agent_for_caller(agent_id)
    return xml_response(xmlshapes.media_element(get_backend(), agent.id, dialogs.media_of(agent, mrd_id)))


@bp.route("/User/<agent_id>/Media/<mrd_id>", methods=["PUT"])
def put_media(agent_id: str, mrd_id: str) -> ResponseReturnValue:
    """Sign in to an MRD (LOGIN with options) or change its state (READY, NOT_READY, LOGOUT)."""
    agent = own_agent(agent_id)
    body = xml_body("Media")
    tasks.change_media(get_backend(), agent, dialogs.media_of(agent, mrd_id), body, request_id())
    return accepted()


@bp.route("/User/<agent_id>/Media/<mrd_id>/Dialogs", methods=["GET"])
def media_dialogs(agent_id: str, mrd_id: str) -> ResponseReturnValue:
    """The agent's non-voice dialogs in one MRD."""
    agent = agent_for_caller(agent_id)
    media = dialogs.media_of(agent, mrd_id)
    return xml_response(xmlshapes.dialogs_element(dialogs.media_dialogs_of(get_backend(), agent, media)))
