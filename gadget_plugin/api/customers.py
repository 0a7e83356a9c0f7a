"""Customer routes: look-up, the combined screen pop, search, get, create, update, journey."""

from collections.abc import Mapping
from typing import Any

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue

from .. import customer_search, customers, journey, screen_pop, validation
from . import api_blueprint, backend, created_answer, idempotency_key, json_body

bp = api_blueprint("api_customers")


@bp.route("/customers/lookup")
def lookup() -> ResponseReturnValue:
    """Customers matching the interaction's phone, email or chat identity (0, 1 or many)."""
    args = request.args
    return jsonify(customers.lookup(backend(), args.get("phone"), args.get("email"), args.get("chat")))


def _pop_arguments() -> Mapping[str, Any]:
    """A screen pop's arguments: the query string of a GET, the JSON object of a POST (same names). The gadget
    POSTs: one URL for every call, so the browser's CORS preflight for it is cached (``Access-Control-Max-Age``)
    instead of sent before each call, as it is for every new query string."""
    return json_body() if request.method == "POST" else request.args


@bp.route("/screen-pop", methods=["GET", "POST"])
def pop() -> ResponseReturnValue:
    """The look-up and, for a single match, the first page of its journey, in one answer (``maxEntries``
    requests, default 10); with the interaction's ``dialogId`` (and ``mediaType``), whether it is recorded
    already and the ``prepared`` token of its create; ``partial=true``: answered after the journey's first round,
    without comments (read after the first paint)."""
    args = _pop_arguments()
    _, max_entries = validation.paging(args, default_max=10)
    dialog_id = validation.text(args.get("dialogId"), "dialogId", limit=128)
    media_type = validation.media_type(args["mediaType"]) if args.get("mediaType") else None
    # Text or nothing (a posted body may hold anything); each identity's own rules are the look-up's.
    identity = {name: validation.text(args.get(name), name, limit=254) for name in ("phone", "email", "chat")}
    partial = validation.flag(args, "partial")
    return jsonify(screen_pop.screen_pop(backend(), g.agent, identity, max_entries, dialog_id, media_type, partial))


@bp.route("/screen-pop/prepared", methods=["GET", "POST"])
def pop_prepared() -> ResponseReturnValue:
    """``{customerId, prepared, running}`` of the agent's screen pop of ``dialogId`` that still runs in a worker
    of this host, as soon as its checks are done (``running`` false when none runs here)."""
    dialog_id = validation.text(_pop_arguments().get("dialogId"), "dialogId", required=True, limit=128)
    return jsonify(screen_pop.prepared_in_flight(backend(), g.agent, dialog_id))


@bp.route("/screen-pop/record", methods=["POST"])
def pop_record() -> ResponseReturnValue:
    """``{activity, running}``: the dialog (``{dialogId, mediaType, source}``) recorded with the token the agent's
    screen pop of it hands over on this host, once it does; ``activity`` null when none was handed over."""
    return jsonify(screen_pop.record_handed_over(backend(), g.agent, json_body(), idempotency_key()))


@bp.route("/customers/search")
def search() -> ResponseReturnValue:
    """Whole-word search across searchable fields, in any capitals."""
    start, max_entries = validation.paging(request.args)
    return jsonify(customer_search.search(backend(), request.args.get("q"), start, max_entries))


@bp.route("/customers", methods=["POST"])
def create() -> ResponseReturnValue:
    """Create a customer (201), or answer the one a create with the same ``Idempotency-Key`` stored (200)."""
    return created_answer(*customers.create(backend(), g.agent, json_body(), idempotency_key()))


@bp.route("/customers/<customer_id>")
def get(customer_id: str) -> ResponseReturnValue:
    """One customer."""
    return jsonify(customers.get(backend(), customer_id))


@bp.route("/customers/<customer_id>", methods=["PUT"])
def update(customer_id: str) -> ResponseReturnValue:
    """Update a customer (``{fields, lastUpdated}``)."""
    return jsonify(customers.update(backend(), g.agent, customer_id, json_body()))


@bp.route("/customers/<customer_id>/journey")
def customer_journey(customer_id: str) -> ResponseReturnValue:
    """Requests with activities and comments, newest first, paged over requests."""
    start, max_entries = validation.paging(request.args, default_max=10)
    return jsonify(journey.journey(backend(), customer_id, start, max_entries))
