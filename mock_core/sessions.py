"""Sign-in sessions on top of Flask's signed-cookie session: rotated at sign-in, ended server-side at sign-out.

A signed cookie alone stays valid for ever, and a session (with its CSRF token) planted before sign-in would
carry on after it. So every sign-in starts a new session: a new session id, registered in the mock's
``SignIns``, and a new CSRF token; the session counts only while its id is registered, so sign-out (or the
mock's reset) ends every copy of the cookie. One cookie can hold several realms (the desktop agent and the
``/cfadmin/`` administrator), each with its own id.
"""

import secrets
import threading
from typing import Any

from flask import abort, request, session

CSRF_KEY = "csrf"


class SignIns:
    """The ids of the sessions signed in and not yet signed out (held by the mock's backend)."""

    def __init__(self) -> None:
        self._live: set[str] = set()
        self._lock = threading.Lock()

    def begin(self, realm: str, **values: Any) -> None:
        """After a successful sign-in: end the realm's old session, start one with a new id, ``values`` and a
        new CSRF token (the token of a session planted before sign-in is worth nothing after it)."""
        self.end(realm, *values)
        session_id = secrets.token_urlsafe(32)
        with self._lock:
            self._live.add(session_id)
        session.update(values)
        session[_id_key(realm)] = session_id
        session[CSRF_KEY] = secrets.token_urlsafe(32)

    def end(self, realm: str, *keys: str) -> None:
        """Sign-out: the realm's session id stops being live (any copy of the cookie is refused) and ``keys``
        leave the session."""
        with self._lock:
            self._live.discard(session.pop(_id_key(realm), None))
        for key in keys:
            session.pop(key, None)

    def get(self, realm: str, key: str) -> Any:
        """``session[key]`` while the realm's session is live, else None."""
        with self._lock:
            live = session.get(_id_key(realm)) in self._live
        return session.get(key) if live else None

    def clear(self) -> None:
        """Everyone signed out."""
        with self._lock:
            self._live.clear()


def _id_key(realm: str) -> str:
    return f"{realm}_session_id"


def csrf_token() -> str:
    """The session's CSRF token (created on first use, new at every sign-in); forms post it back."""
    if CSRF_KEY not in session:
        session[CSRF_KEY] = secrets.token_urlsafe(32)
    return session[CSRF_KEY]


def csrf_matches(sent: str | None) -> bool:
    """True when the form's token ``sent`` is the session's."""
    expected = session.get(CSRF_KEY, "")
    return bool(expected) and secrets.compare_digest(sent or "", expected)


def require_csrf(field: str = "csrf") -> None:
    """Refuse (400) a form post whose ``field`` is not the session's CSRF token."""
    if not csrf_matches(request.form.get(field, "")):
        abort(400, "The form expired; reload the page and try again.")
