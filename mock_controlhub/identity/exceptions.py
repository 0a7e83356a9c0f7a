"""Errors of the identity side: tokens, entitlement, registration.

Subclasses of the one hierarchy in ``mock_controlhub.errors``; they render in its JSON shape.
"""

from ..errors import BadRequest, ContextServiceError


class Unauthorized(ContextServiceError):
    """No, invalid or expired bearer token."""

    status = 401
    type = "UNAUTHORIZED"


class Forbidden(ContextServiceError):
    """The token lacks the scope or role the call needs."""

    status = 403
    type = "FORBIDDEN"


class NotEntitled(ContextServiceError):
    """The org has no ``contact-center-context`` entitlement."""

    status = 403
    type = "NOT_ENTITLED"


class NotRegistered(ContextServiceError):
    """The calling component is deregistered."""

    status = 403
    type = "NOT_REGISTERED"


class UnsupportedGrantType(BadRequest):
    """A grant the token endpoint does not offer (``client_credentials`` among them)."""

    type = "UNSUPPORTED_GRANT_TYPE"
