"""Whether Context Service data uses a fieldset: a leaf query over the object store's fieldset table.

The dictionary needs the answer (a fieldset in use cannot be deleted and keeps removed fields inactive);
asking it here, not through the object store, keeps the dictionary below the objects that use it.
"""


def fieldset_in_use(backend, fieldset_id):
    """True when any object, lab or production, lists the fieldset."""
    with backend.lock:
        row = backend.db.execute("SELECT 1 FROM cs_object_fieldset WHERE fieldset_id = ? LIMIT 1",
                                 (fieldset_id,)).fetchone()
    return row is not None
