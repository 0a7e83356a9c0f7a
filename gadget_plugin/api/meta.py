"""Status (entitlement, registration), field definitions in the agent's locale, and unknown API routes."""

from typing import NoReturn

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from ..errors import NotFound
from . import api_blueprint, backend, locale

bp = api_blueprint("api_meta")


@bp.route("/status")
def status() -> ResponseReturnValue:
    """``{available, entitled, registered, reason, labMode}``."""
    return jsonify(backend().status())


@bp.route("/fields")
def fields() -> ResponseReturnValue:
    """Every field with its label in the agent's locale, every fieldset's active fields, and ``cacheSeconds``: how
    long this copy is kept here (the gadget reads the dictionary again when its copy is older)."""
    dictionary = backend().dictionary
    return jsonify({**dictionary.definitions(locale()), "cacheSeconds": dictionary.ttl})


@bp.route("/<path:rest>", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
def unknown_route(rest: str) -> NoReturn:
    """Any other ``/api/v1/...`` path: 404 NOT_FOUND naming the route (not the gadget files' "No gadget file")."""
    raise NotFound(f"No route for {request.method} {request.path}.")
