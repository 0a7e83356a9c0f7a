"""Whether Context Service data uses a fieldset, and which registered components created it: leaf queries over
the object store's fieldset tables.

The dictionary needs the answer (a fieldset in use cannot be deleted and keeps removed fields inactive);
asking it here, not through the object store, keeps the dictionary below the objects that use it.
"""

from collections.abc import Iterable

from ..shapes import Store, Wire


def fieldset_in_use(backend: Store, fieldset_id: str) -> bool:
    """True when any object, lab or production, lists the fieldset."""
    with backend.lock:
        row = backend.db.execute(
            "SELECT 1 FROM cs_object_fieldset WHERE fieldset_id = ? LIMIT 1", (fieldset_id,)
        ).fetchone()
    return row is not None


def note_component_use(backend: Store, registration_id: str | None, fieldset_ids: Iterable[str]) -> None:
    """Remember that the registered component created an object with these fieldsets."""
    if not registration_id:
        return
    with backend.lock:
        backend.db.executemany(
            "INSERT OR IGNORE INTO cs_fieldset_component (fieldset_id, registration_id) VALUES (?, ?)",
            [(fieldset_id, registration_id) for fieldset_id in fieldset_ids],
        )


def components_using(backend: Store, fieldset_id: str) -> list[Wire]:
    """``[{name, appType}]`` of the registered components that created objects with the fieldset."""
    with backend.lock:
        rows = backend.db.execute(
            "SELECT r.name, r.app_type FROM cs_fieldset_component u JOIN registration r ON r.id = u.registration_id "
            "WHERE u.fieldset_id = ? AND r.state = 'REGISTERED' ORDER BY r.name",
            (fieldset_id,),
        ).fetchall()
    return [{"name": row["name"], "appType": row["app_type"]} for row in rows]
