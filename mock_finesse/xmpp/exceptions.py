"""Errors of the XMPP service, in the mock Finesse's one hierarchy (rendered as ``<ApiErrors>``)."""

from ..errors import FinesseError


class XmppUnavailable(FinesseError):
    """The XMPP server cannot run or does not answer (not installed, not started, stopped); the message says why."""

    status = 503
    error_type = "Service Unavailable"
