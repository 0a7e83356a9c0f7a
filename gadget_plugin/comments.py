"""Comments on an activity: ``detail.comment`` objects (cisco.base.comment) under the activity."""

from collections.abc import Mapping, Sequence
from typing import Any

from . import idempotency, shapes, store, validation
from .agent_auth import Agent
from .backend import Backend
from .shapes import Shaped, Wire

IDS_PER_QUERY = 50
# GET /comments: at most 50 ids a call, in at most 3,500 characters once percent-encoded (50 Context Service ids,
# 36 characters each, take 1,947): the request line then stays under gunicorn's 4,094 bytes with room for the path.
IDS_PER_CALL = 50
ID_LIST_CHARS = 3500


def details_of(backend: Backend, activity_ids: Sequence[str]) -> list[Wire]:
    """Every detail under these activities (comments and move records), newest first: one search per 50 ids,
    side by side, each read whole however many details it finds (``store.search_whole``)."""
    chunks = [activity_ids[i : i + IDS_PER_QUERY] for i in range(0, len(activity_ids), IDS_PER_QUERY)]
    return store.search_whole(
        backend, "detail", [[("parentId", activity_id) for activity_id in chunk] for chunk in chunks]
    )


def for_activities(backend: Backend, activity_ids: Sequence[str]) -> dict[str, list[Shaped]]:
    """``{activity id: [Comment]}`` newest first, move records left out."""
    by_activity: dict[str, list[Shaped]] = {}
    if not activity_ids:
        return by_activity
    for wire in details_of(backend, activity_ids):
        if not shapes.is_move_record(wire) and shapes.fields_of(wire).get("Context_Visible", True) is not False:
            comment = shapes.comment(wire)
            by_activity.setdefault(comment["activityId"], []).append(comment)
    return by_activity


def of_activities(backend: Backend, activity_ids: Sequence[str]) -> dict[str, dict[str, list[Shaped]]]:
    """``{comments: {activity id: [Comment]}}`` of the given activities, newest first, every id listed (one that
    names no activity has none): what the gadget reads after a screen pop answered without comments."""
    found = for_activities(backend, activity_ids)
    return {"comments": {activity_id: found.get(activity_id, []) for activity_id in activity_ids}}


def list_comments(backend: Backend, activity_id: str) -> dict[str, list[Shaped]]:
    """``{comments: [Comment]}`` of one activity, newest first."""
    store.get(backend, "pod", activity_id)
    return {"comments": for_activities(backend, [activity_id]).get(activity_id, [])}


def add(
    backend: Backend, agent: Agent, activity_id: str, body: Mapping[str, Any], key: str | None = None
) -> tuple[Shaped, bool]:
    """Add a visible comment (``{text}`` ≤ 2,000 characters) signed with the agent's name, once per idempotency
    ``key``: ``(comment, created)``."""
    text = validation.text(body.get("text"), "text", required=True, multiline=True)
    fields = {"Context_Comment": text, "Context_DisplayName": agent.display_name, "Context_Visible": True}
    wire, created = idempotency.create_once(
        backend,
        agent,
        "detail",
        {
            "type": "detail.comment",
            "parentId": activity_id,
            "fieldsets": [store.COMMENT_FIELDSET],
            "contributors": [store.contributor(agent)],
            "dataElements": shapes.data_elements(fields, backend.dictionary.field_types()),
        },
        key,
        lambda: store.get(backend, "pod", activity_id),
    )
    return shapes.comment(wire), created
