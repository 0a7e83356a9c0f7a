"""Request helpers every blueprint shares: the app's backend and the JSON body of a request; the WSGI wrapper
that holds an answer until its injected latency is over."""

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, current_app, request

from .errors import BadRequest
from .state import ControlHubBackend

EXTENSION = "mock_controlhub"
LATENCY_KEY = "mock_controlhub.latency"  # the WSGI environ's entry of a call's state.Latency
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def get_backend(app: Flask | None = None) -> ControlHubBackend:
    """The app's ControlHubBackend (``current_app`` when no app is given)."""
    backend: ControlHubBackend = (app or current_app).extensions[EXTENSION]
    return backend


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a BadRequest naming the problem."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("Request body must be a JSON object.")
    return body


def set_latency(latency: Any) -> None:
    """Hold this request's answer until ``latency`` (a ``state.Latency``) is over (``answered_after_latency``)."""
    request.environ[LATENCY_KEY] = latency


def answered_after_latency(app: WsgiApp) -> WsgiApp:
    """``app`` whose answers to requests with a latency (``set_latency``) leave, whole, once it is over: the
    answer is made first, so all that is left after the wait is sending it."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started: list[tuple[Any, ...]] = []
        body = app(environ, lambda *args: started.append(args))
        latency = environ.get(LATENCY_KEY)
        if latency is not None:
            try:
                whole = b"".join(body)
            finally:
                getattr(body, "close", lambda: None)()
            latency.wait_out()
            body = [whole]
        start_response(*started[0])
        return body

    return wrapped
