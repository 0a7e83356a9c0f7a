"""Request routes: add a request, update its fields."""
from flask import g, jsonify

from .. import customer_requests
from . import api_blueprint, backend, json_body

bp = api_blueprint("api_requests")


@bp.route("/requests", methods=["POST"])
def create():
    """Add a request for a customer (``{customerId, fields}``)."""
    return jsonify(customer_requests.create(backend(), g.agent, json_body())), 201


@bp.route("/requests/<request_id>", methods=["PUT"])
def update(request_id):
    """Update title, description or other fields (``{fields, lastUpdated}``)."""
    return jsonify(customer_requests.update(backend(), g.agent, request_id, json_body()))
