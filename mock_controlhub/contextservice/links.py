"""How a Context Service object names its customer and parent (``customerId`` / ``customerRefUrl``,
``parentId`` / ``parentRefUrl``) and the association rules of each type (context-service.md §1.2): a customer
has no links, a request has a customer, a detail has a request or activity, an activity takes its request's customer.
"""

import sqlite3
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

from ..errors import ValidationFailed
from ..shapes import Row
from .exceptions import ObjectClosed
from .wire import DETAIL_TYPES, placeholders


def ref_of(body: Mapping[str, Any], id_key: str, url_key: str, url_types: tuple[str, ...]) -> str | None:
    """The id named by ``id_key`` or by the path of ``url_key`` (``/context/v1/{type}/{id}``), or None."""
    object_id = body.get(id_key)
    url = body.get(url_key)
    if url is not None:
        parts = urlparse(url).path.strip("/").split("/") if isinstance(url, str) else []
        if len(parts) != 4 or parts[:2] != ["context", "v1"] or parts[2] not in url_types:
            kinds = "|".join(url_types)
            raise ValidationFailed(
                f"{url_key} must look like /context/v1/{{{kinds}}}/<id>, got {url!r}.", field=url_key
            )
        if object_id is not None and object_id != parts[3]:
            raise ValidationFailed(f"{id_key} and {url_key} name different objects.", field=id_key)
        object_id = parts[3]
    if object_id is not None and (not isinstance(object_id, str) or not object_id):
        raise ValidationFailed(f"{id_key} must be an object id.", field=id_key)
    return object_id


def resolve_links(
    db: sqlite3.Connection, obj_type: str, body: Mapping[str, Any], lab: bool, moving_from: str | None = None
) -> tuple[str | None, Row | None]:
    """``(customer id, parent row)`` after the association rules of the object's type."""
    customer_id = ref_of(body, "customerId", "customerRefUrl", ("customer",))
    parent_id = ref_of(body, "parentId", "parentRefUrl", ("request", "activity", "pod"))
    if obj_type == "customer":
        if customer_id or parent_id:
            raise ValidationFailed(
                "A customer cannot be associated with another object.",
                field="customerId" if customer_id else "parentId",
            )
        return None, None
    if obj_type == "request":
        if parent_id:
            raise ValidationFailed("A request has no parent; associate it with a customer.", field="parentId")
        if not customer_id:
            raise ValidationFailed("A request must be associated with a customer: send customerId.", field="customerId")
    if obj_type in DETAIL_TYPES and not parent_id:
        raise ValidationFailed(
            "A detail must be associated with a request or an activity: send parentId.", field="parentId"
        )
    if customer_id:
        linked_row(db, customer_id, ("customer",), lab, "customerId")
    parent = (
        linked_row(
            db, parent_id, ("request", "activity") if obj_type in DETAIL_TYPES else ("request",), lab, "parentId"
        )
        if parent_id
        else None
    )
    if obj_type == "activity":
        customer_id = activity_customer(db, customer_id, parent, moving_from)
    return customer_id, parent


def activity_customer(
    db: sqlite3.Connection, customer_id: str | None, parent: Row | None, moving_from: str | None
) -> str | None:
    """An activity's customer: its request's customer when it has a request (checked to agree)."""
    new_parent_id = parent["id"] if parent else None
    if moving_from and moving_from != new_parent_id:
        old = db.execute("SELECT state FROM cs_object WHERE id = ?", (moving_from,)).fetchone()
        if old is not None and old["state"] == "closed":
            raise ObjectClosed(
                f"The activity belongs to closed request {moving_from} and cannot be moved.", field="parentId"
            )
    if parent is None:
        return customer_id
    if parent["state"] == "closed" and new_parent_id != moving_from:
        raise ObjectClosed(f"Request {parent['id']} is closed; activities go to open requests only.", field="parentId")
    if customer_id and customer_id != parent["customer_id"]:
        raise ValidationFailed(
            f"Request {parent['id']} belongs to another customer than {customer_id}; send a "
            "request of that customer as parentId, or parentId null.",
            field="parentId",
        )
    return parent["customer_id"]


def linked_row(db: sqlite3.Connection, object_id: str, types: tuple[str, ...], lab: bool, prop: str) -> Row:
    """The row (pk, id, type, state, customer_id) of the object a link names; ValidationFailed naming ``prop``."""
    row = db.execute(
        f"SELECT pk, id, type, state, customer_id FROM cs_object WHERE id = ? AND lab = ? "
        f"AND type IN ({placeholders(types)})",
        (object_id, int(lab), *types),
    ).fetchone()
    if row is None:
        mode = "lab" if lab else "production"
        raise ValidationFailed(f"{prop}: no {' or '.join(types)} with id {object_id} in {mode} mode.", field=prop)
    return row
