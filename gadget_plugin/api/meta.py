"""Status (entitlement, registration) and field definitions in the agent's locale."""
from flask import jsonify

from . import api_blueprint, backend, locale

bp = api_blueprint("api_meta")


@bp.route("/status")
def status():
    """``{available, entitled, registered, reason, labMode}``."""
    return jsonify(backend().status())


@bp.route("/fields")
def fields():
    """Every field with its label in the agent's locale, every fieldset's active fields, and ``cacheSeconds``: how
    long this copy is kept here (the gadget reads the dictionary again when its copy is older)."""
    dictionary = backend().dictionary
    return jsonify({**dictionary.definitions(locale()), "cacheSeconds": dictionary.ttl})
