"""Creates that happen once: the gadget's ``Idempotency-Key`` kept on the object Context Service stores.

The proxy keeps nothing between requests (any number of processes and hosts serve the same agents), so the
key lives with the object: a hidden tag ``cckey`` + 32 hex digits of SHA-256(object type, agent, key), which a
create looks for with a ``tags:`` search before it writes. Tags are the one property every Context Service
object has that is not a dictionary field and is searchable by key (reference/context-service.md §1.3, §2.4);
using them to carry the key is (inferred). The tag is one alphanumeric word, so no search an agent types
matches it, and the gadget's shapes leave it out.
"""

import hashlib
import re
from collections.abc import Callable, Sequence

from . import shapes, store
from .agent_auth import Agent
from .backend import Backend
from .errors import ValidationFailed
from .shapes import Wire

HEADER = "Idempotency-Key"
KEY_LIMIT = 200
VISIBLE_ASCII = re.compile(r"^[\x21-\x7e]+$")


def checked_key(value: str | None) -> str | None:
    """The header's key (1–200 visible ASCII characters, e.g. a UUID), or None when the header is absent."""
    if value is None:
        return None
    if not 0 < len(value) <= KEY_LIMIT or not VISIBLE_ASCII.match(value):
        raise ValidationFailed(
            f"The {HEADER} header must be 1–{KEY_LIMIT} visible ASCII characters "
            "(one UUID per create, the same on every retry of it).",
            field=HEADER,
            limit=KEY_LIMIT,
        )
    return value


def key_tag(object_type: str, agent: Agent, key: str) -> str:
    """The hidden tag that marks the object made by the agent's create with ``key``."""
    digest = hashlib.sha256(f"{object_type}\n{agent.id}\n{key}".encode()).hexdigest()
    return shapes.KEY_TAG_PREFIX + digest[:32]


def for_tag(identity: str) -> str:
    """The hidden tag of the request made to receive the activity of ``identity`` (a dialog link, a key tag, a
    move of one activity to one customer): a retry finds that request instead of making a second one."""
    return shapes.FOR_TAG_PREFIX + hashlib.sha256(f"request for\n{identity}".encode()).hexdigest()[:32]


def find(backend: Backend, object_type: str, tag: str) -> Wire | None:
    """The object a create with this key tag already stored, or None."""
    return next(iter(find_all(backend, object_type, [tag])), None)


def find_all(backend: Backend, object_type: str, tags: Sequence[str]) -> list[Wire]:
    """The objects (at most 5, newest first) that carry any of these hidden tags, in one search."""
    found, _ = store.search(backend, object_type, [("tags", tag) for tag in tags], operation="or", max_entries=5)
    return [wire for wire in found if set(tags) & set(wire.get("tags") or [])]


def create_once(
    backend: Backend, agent: Agent, object_type: str, body: Wire, key: str | None, *checks: Callable[[], Wire]
) -> tuple[Wire, bool]:
    """``(stored wire object, created)``: POST ``body``, unless a create with ``key`` already stored it.

    ``checks`` (reads that validate the create, e.g. that its parent exists) run in parallel with the search
    for the key, before anything is written. Concurrent creates with one key in this process share one flight.
    """
    if key is None:
        backend.parallel(*checks)
        return store.create(backend, object_type, body), True
    tag = key_tag(object_type, agent, key)

    def once() -> tuple[Wire, bool]:
        found = backend.parallel(lambda: find(backend, object_type, tag), *checks)[0]
        if found is not None:
            return found, False
        return store.create(backend, object_type, dict(body, tags=[*body.get("tags", []), tag])), True

    (wire, created), leader = backend.creates.run(("key", tag), once)
    return wire, created and leader
