"""Errors of the dictionary (fields, fieldsets, org limits).

Subclasses of the one hierarchy in ``mock_controlhub.errors``; they render in its JSON shape.
"""

from ..errors import ContextServiceError


class LimitExceeded(ContextServiceError):
    """An org limit (fields, fieldsets, fields per fieldset, object size) would be exceeded."""

    type = "LIMIT_EXCEEDED"


class ReadOnly(ContextServiceError):
    """Cisco base fields and fieldsets cannot be changed or deleted."""

    status = 403
    type = "READ_ONLY"


class InUse(ContextServiceError):
    """A field or fieldset in use cannot be deleted or have locked properties changed."""

    status = 409
    type = "IN_USE"
