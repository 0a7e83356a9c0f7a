"""The screen pop's ``prepared`` token: what the proxy checked while the contact rang, signed, so the create at
answer time can skip those reads and only write.

A token binds the agent, the Finesse dialog, its media type, the customer (the screen pop's single match) and
the request the activity joins (the newest open one, or ``"new"`` for a new request), whether that request was
checked or only guessed (``verified``: a guess from the look-up's round, proved beside the write; ``guess.py``),
and says when that was checked. It is signed with HMAC-SHA1 by itsdangerous (which ships with Flask) under the proxy's secret key
(``SECRET_KEY``, else the instance's own random key in ``INSTANCE_PATH``): every process that shares the key
accepts the tokens of the others. A token that does not verify, has expired or does not match the create's body
is not an error: the create takes its full path (logged at INFO).
"""

import logging
import secrets
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadData, URLSafeTimedSerializer

from mock_core.secret_key import SecretKeyError, instance_secret_key

log = logging.getLogger(__name__)

KEY_FILE = "gadget_plugin.secret_key"
SALT = "customer-context.prepared-record"
# How long a check stays good enough to write on without reading again (inferred, no public source): longer
# than a call rings before it is answered or goes to the next agent (Finesse's ring-no-answer timers are
# seconds to tens of seconds) and than a chat or email stays offered, short enough that the dialog-link check
# and the open request read while it rang still describe Context Service when the agent answers.
MAX_AGE_SECONDS = 120
TOKEN_LIMIT = 1024


@dataclass(frozen=True)
class Prepared:
    """A verified token: the create for this dialog writes into ``request_id`` (``"new"``: a new request).
    ``verified`` False: ``request_id`` is the look-up round's guess, which the create proves beside its write (a
    token of five fields, signed before guesses existed, was checked)."""

    agent_id: str
    dialog_id: str
    media_type: str | None
    customer_id: str
    request_id: str
    verified: bool = True


class Signer:
    """Signs and verifies prepared tokens with the process's secret key (resolved on first use)."""

    def __init__(self, config: dict[str, Any]):
        self._config = config
        self._serializer: URLSafeTimedSerializer | None = None
        self.max_age = MAX_AGE_SECONDS

    def _signer(self) -> URLSafeTimedSerializer:
        if self._serializer is None:
            self._serializer = URLSafeTimedSerializer(_secret_key(self._config), salt=SALT)
        return self._serializer

    def sign(self, prepared: Prepared) -> str:
        """The token of ``prepared``, stamped with the time now (the time of the check)."""
        return str(
            self._signer().dumps(
                [
                    prepared.agent_id,
                    prepared.dialog_id,
                    prepared.media_type,
                    prepared.customer_id,
                    prepared.request_id,
                    prepared.verified,
                ]
            )
        )

    def verify(
        self, token: Any, agent_id: str, dialog_id: str | None, media_type: str, customer_id: str | None
    ) -> Prepared | None:
        """The Prepared of ``token`` when it verifies, is at most ``max_age`` seconds old and names this agent, dialog,
        media type and customer; None otherwise (logged: the create takes its full path)."""
        if token is None:
            return None
        reason = None
        try:
            if not isinstance(token, str) or len(token) > TOKEN_LIMIT:
                raise BadData("not a token")
            fields = self._signer().loads(token, max_age=self.max_age)
            prepared = Prepared(*fields)
            if not isinstance(prepared.verified, bool):
                raise TypeError("verified")
        except BadData as exc:
            reason = type(exc).__name__
        except TypeError:
            reason = "malformed"
        else:
            if (prepared.agent_id, prepared.dialog_id, prepared.media_type, prepared.customer_id) == (
                agent_id,
                dialog_id,
                media_type,
                customer_id,
            ):
                return prepared
            reason = "mismatch"
        log.info("prepared token not used", extra={"reason": reason, "dialog": dialog_id})
        return None


def _secret_key(config: dict[str, Any]) -> str:
    """The configured SECRET_KEY, else the instance's own key file, else (no folder usable) one per process."""
    if config.get("SECRET_KEY"):
        return str(config["SECRET_KEY"])
    try:
        return instance_secret_key(config.get("INSTANCE_PATH") or "", KEY_FILE)
    except SecretKeyError as exc:
        log.warning("prepared tokens signed with a key of this process only", extra={"reason": str(exc)})
        return secrets.token_hex(32)
