"""Dictionary REST API (``/dictionary/{field|fieldset}/v1/...``) and org limits (``/management/property/v1``).

Reads need any valid Context Service token; writes need an org admin's token (scope ``…:admin``).
"""

from flask import Blueprint, Response, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from ..identity import models as identity
from ..shapes import Wire
from ..state import ControlHubBackend
from ..web import get_backend, json_body
from . import fields as field_writes, fieldsets as fieldset_writes, models as dictionary

bp = Blueprint("dictionary_api", __name__)


def authorized(scope: str) -> ControlHubBackend:
    """The backend, after checking the request's bearer token for ``scope`` (401/403 otherwise)."""
    backend = get_backend()
    identity.check_token(backend, request.headers.get("Authorization"), scope)
    return backend


def created(item: Wire, endpoint: str) -> Response:
    """201 with the new item and its Location."""
    response = jsonify(item)
    response.status_code = 201
    response.headers["Location"] = url_for(endpoint, item_id=item["id"])
    return response


@bp.route("/dictionary/field/v1", methods=["POST"])
def create_field() -> ResponseReturnValue:
    """Create a custom field."""
    backend = authorized(identity.SCOPE_ADMIN)
    return created(field_writes.create_field(backend, json_body()), "dictionary_api.get_field")


@bp.route("/dictionary/field/v1/id/<item_id>", methods=["GET"])
def get_field(item_id: str) -> ResponseReturnValue:
    """One field."""
    return jsonify(dictionary.get_field(authorized(identity.SCOPE_READ), item_id))


@bp.route("/dictionary/field/v1/id/<item_id>", methods=["PUT"])
def update_field(item_id: str) -> ResponseReturnValue:
    """Change a custom field."""
    return jsonify(field_writes.update_field(authorized(identity.SCOPE_ADMIN), item_id, json_body()))


@bp.route("/dictionary/field/v1/id/<item_id>", methods=["DELETE"])
def delete_field(item_id: str) -> ResponseReturnValue:
    """Delete a custom field that is in no fieldset."""
    field_writes.delete_field(authorized(identity.SCOPE_ADMIN), item_id)
    return "", 204


@bp.route("/dictionary/field/v1/search", methods=["GET"])
def search_fields() -> ResponseReturnValue:
    """Fields matching ``q=id:*|id:<id>``."""
    backend = authorized(identity.SCOPE_READ)
    return jsonify(dictionary.search_fields(backend, request.args.get("q"), request.args.get("maxEntries")))


@bp.route("/dictionary/field/v1/status/<item_id>", methods=["GET"])
def field_status(item_id: str) -> ResponseReturnValue:
    """Whether the field is in use (member of a fieldset)."""
    return jsonify(dictionary.field_status(authorized(identity.SCOPE_READ), item_id))


@bp.route("/dictionary/fieldset/v1", methods=["POST"])
def create_fieldset() -> ResponseReturnValue:
    """Create a custom fieldset."""
    backend = authorized(identity.SCOPE_ADMIN)
    return created(fieldset_writes.create_fieldset(backend, json_body()), "dictionary_api.get_fieldset")


@bp.route("/dictionary/fieldset/v1/id/<item_id>", methods=["GET"])
def get_fieldset(item_id: str) -> ResponseReturnValue:
    """One fieldset, with its field definitions."""
    return jsonify(dictionary.get_fieldset(authorized(identity.SCOPE_READ), item_id))


@bp.route("/dictionary/fieldset/v1/id/<item_id>", methods=["PUT"])
def update_fieldset(item_id: str) -> ResponseReturnValue:
    """Change a custom fieldset."""
    return jsonify(fieldset_writes.update_fieldset(authorized(identity.SCOPE_ADMIN), item_id, json_body()))


@bp.route("/dictionary/fieldset/v1/id/<item_id>", methods=["DELETE"])
def delete_fieldset(item_id: str) -> ResponseReturnValue:
    """Delete a custom fieldset no object uses."""
    fieldset_writes.delete_fieldset(authorized(identity.SCOPE_ADMIN), item_id)
    return "", 204


@bp.route("/dictionary/fieldset/v1/search", methods=["GET"])
def search_fieldsets() -> ResponseReturnValue:
    """Fieldsets matching ``q=id:*|id:<id>|fieldId:<field id>``."""
    backend = authorized(identity.SCOPE_READ)
    return jsonify(dictionary.search_fieldsets(backend, request.args.get("q"), request.args.get("maxEntries")))


@bp.route("/dictionary/fieldset/v1/status/<item_id>", methods=["GET"])
def fieldset_status(item_id: str) -> ResponseReturnValue:
    """Whether the fieldset is in use (referenced by a Context Service object)."""
    return jsonify(dictionary.fieldset_status(authorized(identity.SCOPE_READ), item_id))


@bp.route("/management/property/v1/propertyName/<property_key>", methods=["GET"])
def org_property(property_key: str) -> ResponseReturnValue:
    """An org limit: ``org.max.fields|org.max.fieldsets|org.max.fields.per.fieldset`` + ``.org.<orgId>``."""
    return jsonify(dictionary.org_property(authorized(identity.SCOPE_READ), property_key))
