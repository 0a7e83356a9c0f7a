"""Request routes: add a request, update its fields."""

from flask import g, jsonify
from flask.typing import ResponseReturnValue

from .. import customer_requests
from . import api_blueprint, backend, created_answer, idempotency_key, json_body

bp = api_blueprint("api_requests")


@bp.route("/requests", methods=["POST"])
def create() -> ResponseReturnValue:
    """Add a request for a customer (``{customerId, fields}``): 201, or 200 with the one a create with the same
    ``Idempotency-Key`` stored."""
    return created_answer(*customer_requests.create(backend(), g.agent, json_body(), idempotency_key()))


@bp.route("/requests/<request_id>", methods=["PUT"])
def update(request_id: str) -> ResponseReturnValue:
    """Update title, description or other fields (``{fields, lastUpdated}``)."""
    return jsonify(customer_requests.update(backend(), g.agent, request_id, json_body()))
