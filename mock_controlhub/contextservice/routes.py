"""The Context Service object API, ``/context/v1/...``: objects, search, flush and ping.

Every call except ping needs ``Authorization: Bearer <token>`` (pod_read for reads, pod_write for writes);
faults injected through ``/_mock/faults`` apply to every call (or the method and type they name); a call is
handled when it arrives and answered once its latency is over (``state.Latency``). ``cisco-context-labmode:
true`` selects the lab partition (default production).
"""

from typing import Any

from flask import Blueprint, Response, g, jsonify, make_response, request
from flask.typing import ResponseReturnValue

from ..dictionary.usage import note_component_use
from ..errors import BadRequest, InjectedFault, PayloadTooLarge
from ..identity import models as identity
from ..web import get_backend, json_body, set_latency
from . import models as objects, search

bp = Blueprint("context_api", __name__, url_prefix="/context/v1")
LAB_HEADER = "cisco-context-labmode"
# Mock-only: the real answer is a bare array without a total; tests may read the total here.
TOTAL_HEADER = "X-Mock-Total-Hits"
JSON_ESCAPE_FACTOR = 6


@bp.before_request
def authorize_and_inject_faults() -> None:
    """Note the call's injected latency (its answer leaves once it is over: ``web.answered_after_latency``), check
    the bearer token's scope (not for ping), then raise an injected error."""
    backend = get_backend()
    hit = backend.faults.hits(request.method, _path_type())
    if hit and backend.faults.latency_ms:
        set_latency(backend.faults.latency())
    if request.endpoint != "context_api.ping":
        scope = identity.SCOPE_READ if request.method in ("GET", "HEAD") else identity.SCOPE_WRITE
        g.token = identity.check_token(backend, request.headers.get("Authorization"), scope)
    if hit:
        backend.faults.inject_error()


@bp.after_request
def lose_answer_after_write(response: Response) -> Response:
    """A stored write whose answer the injected ``loseAnswers`` fault drops: the error instead of the answer."""
    faults = get_backend().faults
    if (
        request.method in ("POST", "PUT")
        and response.status_code < 300
        and faults.hits(request.method, _path_type())
        and faults.take_lost_answer()
    ):
        fault = InjectedFault(faults.status, f"Injected fault: HTTP {faults.status} (the write was stored)")
        return make_response(jsonify(fault.to_dict()), fault.status)
    return response


def _path_type() -> str | None:
    """The object type the call's URL names (``pod`` of ``/context/v1/pod/<id>``), or None (ping)."""
    path_type: str | None = (request.view_args or {}).get("path_type")
    return path_type


def lab_mode() -> bool:
    """The partition the call addresses: ``cisco-context-labmode`` true or false (default false)."""
    value = request.headers.get(LAB_HEADER, "false").strip().lower()
    if value not in ("true", "false"):
        raise BadRequest(f"{LAB_HEADER} must be true or false, got {value!r}.", field=LAB_HEADER)
    return value == "true"


def object_body() -> dict[str, Any]:
    """The JSON object of a create/update; a body no object could fit in is refused (413) unread."""
    object_limit = get_backend().config["MAX_OBJECT_BYTES"]
    # \uXXXX escapes make a JSON body up to 6 times longer than the text it carries.
    limit = object_limit * JSON_ESCAPE_FACTOR
    if (request.content_length or 0) > limit:
        raise PayloadTooLarge(
            f"The request body is {request.content_length} bytes, more than any object of at most "
            f"{object_limit} bytes (256 KB) can need.",
            field="body",
            limit=object_limit,
        )
    return json_body()


@bp.route("/ping", methods=["GET"])
def ping() -> ResponseReturnValue:
    """Liveness check (no token needed)."""
    return jsonify({"message": "Context Service is available."})


@bp.route("/<path_type>", methods=["POST"])
def create(path_type: str) -> ResponseReturnValue:
    """Create an object: 201 ``{id, refUrl, lastUpdated}``."""
    body = object_body()
    created = objects.create_object(get_backend(), path_type, body, lab_mode())
    note_component_use(get_backend(), g.token.get("registration_id"), body.get("fieldsets") or [])
    response = jsonify(created)
    response.headers["Location"] = created["refUrl"]
    return response, 201


@bp.route("/<path_type>/<object_id>", methods=["GET"])
def get(path_type: str, object_id: str) -> ResponseReturnValue:
    """One object."""
    return jsonify(objects.get_object(get_backend(), path_type, object_id, lab_mode()))


@bp.route("/<path_type>/<object_id>", methods=["PUT"])
def update(path_type: str, object_id: str) -> ResponseReturnValue:
    """Update an object carrying its current ``lastUpdated``; answers the stored object."""
    return jsonify(objects.update_object(get_backend(), path_type, object_id, object_body(), lab_mode()))


@bp.route("/<path_type>/<object_id>", methods=["DELETE"])
def delete(path_type: str, object_id: str) -> ResponseReturnValue:
    """Delete an object (lab mode only): 204."""
    objects.delete_object(get_backend(), path_type, object_id, lab_mode())
    return "", 204


@bp.route("/<path_type>", methods=["GET"])
def search_objects(path_type: str) -> ResponseReturnValue:
    """Search objects of a type (see search.py for the parameters): a JSON array, total in X-Mock-Total-Hits."""
    pairs = list(request.args.items(multi=True))
    found, total = search.search_objects(get_backend(), path_type, pairs, lab_mode())
    response = jsonify(found)
    response.headers[TOTAL_HEADER] = str(total)
    return response


@bp.route("/<path_type>", methods=["DELETE"])
def flush(path_type: str) -> ResponseReturnValue:
    """Flush every object of a type (lab mode only): ``{completed, numberFlushed, message}``."""
    return jsonify(objects.flush(get_backend(), path_type, lab_mode()))
