"""Activity routes: create for an interaction, get, update, comments, move."""

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue

from .. import activities, comments, moves, validation
from . import api_blueprint, backend, created_answer, idempotency_key, json_body

bp = api_blueprint("api_activities")


@bp.route("/activities", methods=["POST"])
def create() -> ResponseReturnValue:
    """Record an interaction as an activity (201; 200 with the existing one when the dialog is recorded or the
    ``Idempotency-Key`` was used); with the screen pop's ``prepared`` token only the write(s) are left. With
    ``activityId`` (the dialog's ``POD.ID``) the activity another product created is used instead (200)."""
    body = json_body()
    if body.get("activityId") is not None:
        return jsonify(moves.assign(backend(), g.agent, body))
    return created_answer(*activities.create(backend(), g.agent, body, idempotency_key()))


@bp.route("/activities/<activity_id>")
def get(activity_id: str) -> ResponseReturnValue:
    """One activity with its comments."""
    return jsonify(activities.get(backend(), activity_id))


@bp.route("/activities/<activity_id>", methods=["PUT"])
def update(activity_id: str) -> ResponseReturnValue:
    """Update tags and fields (``{fields?, tags?, lastUpdated}``)."""
    return jsonify(activities.update(backend(), g.agent, activity_id, json_body()))


@bp.route("/activities/<activity_id>/comments")
def list_comments(activity_id: str) -> ResponseReturnValue:
    """The activity's comments, newest first."""
    return jsonify(comments.list_comments(backend(), activity_id))


@bp.route("/comments")
def comments_of_activities() -> ResponseReturnValue:
    """The comments of up to 50 activities (``activityIds``, comma-separated), by activity: one Context Service
    round."""
    ids = validation.id_list(
        request.args.get("activityIds"), "activityIds", limit=comments.IDS_PER_CALL, max_chars=comments.ID_LIST_CHARS
    )
    return jsonify(comments.of_activities(backend(), ids))


@bp.route("/activities/<activity_id>/comments", methods=["POST"])
def add_comment(activity_id: str) -> ResponseReturnValue:
    """Add a comment (``{text}``): 201, or 200 with the one a create with the same ``Idempotency-Key`` stored."""
    return created_answer(*comments.add(backend(), g.agent, activity_id, json_body(), idempotency_key()))


@bp.route("/activities/<activity_id>/move", methods=["POST"])
def move(activity_id: str) -> ResponseReturnValue:
    """Move to another request (open or new) and/or customer; returns ``{activity, move}``."""
    return jsonify(moves.move(backend(), g.agent, activity_id, json_body()))
