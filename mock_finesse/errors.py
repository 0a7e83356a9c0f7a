"""Wire errors of the mock Finesse: one class per error, one XML shape (Finesse's ``<ApiErrors>``).

Every error renders as ``<ApiErrors><ApiError><ErrorType>…</ErrorType><ErrorMessage>…</ErrorMessage>
<ErrorData>…</ErrorData></ApiError></ApiErrors>`` with its HTTP status; ``ErrorData`` names the field or the
object the error is about.
"""


class FinesseError(Exception):
    """Base of every wire error; subclasses fix ``status`` and ``error_type``."""

    status = 400
    error_type = "Invalid Input"

    def __init__(self, message: str, data: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.data = data


class InvalidInput(FinesseError):
    """A malformed body or a value outside its limits; ``data`` names the field."""


class ParameterMissing(FinesseError):
    """A required element is missing from the body; ``data`` names it."""

    error_type = "Parameter Missing"


class InvalidState(FinesseError):
    """The action is not allowed in the object's current state (CF_INVALID_OBJECT_STATE)."""

    error_type = "Invalid State"


class Unauthorized(FinesseError):
    """Missing or wrong credentials."""

    status = 401
    error_type = "Authorization Failure"


class InvalidAuthorizationUser(FinesseError):
    """Valid credentials used for another user's resource (an agent reading another agent's User)."""

    status = 401
    error_type = "Invalid Authorization User Specified"


class NotFound(FinesseError):
    """Unknown user, dialog, media, team or route."""

    status = 404
    error_type = "Not Found"


class MethodNotAllowed(FinesseError):
    """The route exists but not for this method."""

    status = 405
    error_type = "Method Not Allowed"


class UnsupportedMediaType(FinesseError):
    """A write whose body is not XML (or, on the control API, not JSON)."""

    status = 415
    error_type = "Unsupported Media Type"


class ProxyForbidden(FinesseError):
    """The gadget container's makeRequest proxy refuses a host that is not on its allow-list."""

    status = 403
    error_type = "Forbidden"


class ControlRefused(FinesseError):
    """A control-API call without the ``X-Mock-Control: 1`` header (what a page of another site would send)."""

    status = 403
    error_type = "Forbidden"


class UpstreamUnavailable(FinesseError):
    """The makeRequest proxy could not reach the target (connection refused, DNS, too many redirects)."""

    status = 502
    error_type = "Bad Gateway"


class GatewayTimeout(FinesseError):
    """The makeRequest target did not answer in time."""

    status = 504
    error_type = "Gateway Timeout"
