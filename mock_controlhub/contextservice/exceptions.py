"""Errors of the Context Service object API (objects, data elements, search).

Subclasses of the one hierarchy in ``mock_controlhub.errors``; they render in its JSON shape.
"""

from ..errors import ContextServiceError


class ElementDataTypeError(ContextServiceError):
    """A data element's value does not match its field's data type."""

    type = "ELEMENT_DATA_TYPE_ERROR"


class ObjectClosed(ContextServiceError):
    """Closed requests and details cannot be updated."""

    type = "OBJECT_CLOSED"


class LabModeOnly(ContextServiceError):
    """Delete and flush work in lab mode only."""

    status = 403
    type = "LAB_MODE_ONLY"
