"""Finesse notifications over real XMPP: Prosody behind the mock, Finesse's pubsub nodes and payloads.

``attach(app, backend)`` starts the service when ``XMPP_SERVER`` asks for it and Prosody is installed, relays every
``<Update>`` of the hub to it, and says in ``app.config["NOTIFICATION_TRANSPORT"]`` which transport runs
(``xmpp`` or ``sse``) and why. ``stop(app)`` ends it with the mock.
"""

from flask import Flask

from ..config import ConfigError
from ..models import FinesseBackend
from .exceptions import XmppUnavailable
from .prosody import find_prosody
from .routes import EXTENSION, bp, control_bp
from .service import XmppService

__all__ = ["attach", "banner_lines", "bp", "control_bp", "desktop_config", "find_prosody", "service_of", "stop"]


def attach(app: Flask, backend: FinesseBackend) -> XmppService | None:
    """Start XMPP for the app when configured and possible; returns the XmppService or None (SSE). The ports it
    took go into the settings (``XMPP_C2S_PORT`` is SystemInfo's ``xmppPort``)."""
    mode = app.config["XMPP_SERVER"]
    app.config["NOTIFICATION_TRANSPORT"], app.config["NOTIFICATION_TRANSPORT_REASON"] = "sse", f"XMPP_SERVER={mode}"
    if mode == "off":
        return None
    executable = find_prosody(app.config["PROSODY_PATH"])
    if executable is None:
        if mode == "prosody":
            raise ConfigError(
                "XMPP_SERVER is prosody but no prosody executable was found (install the prosody "
                "package, or set PROSODY_PATH)"
            )
        app.config["NOTIFICATION_TRANSPORT_REASON"] = "Prosody is not installed"
        return None
    service = XmppService(app.config, executable)
    try:
        service.start()
    except XmppUnavailable as exc:
        service.stop()
        if mode == "prosody":
            raise ConfigError(f"XMPP_SERVER is prosody but it did not start: {exc.message}") from exc
        app.config["NOTIFICATION_TRANSPORT_REASON"] = exc.message
        return None
    backend.hub.add_relay(service)
    ports = {"XMPP_C2S_PORT": service.prosody.c2s_port, "XMPP_HTTP_PORT": service.prosody.http_port}
    app.config.update(ports)
    backend.config.update(ports)
    app.extensions[EXTENSION] = service
    app.config["NOTIFICATION_TRANSPORT"], app.config["NOTIFICATION_TRANSPORT_REASON"] = "xmpp", "Prosody runs"
    return service


def service_of(app: Flask) -> XmppService | None:
    """The app's running XmppService, or None."""
    return app.extensions.get(EXTENSION)


def desktop_config(app: Flask) -> dict[str, str | int] | None:
    """What the desktop page's XMPP client needs (``window.finesseDesktop.xmpp``), or None when SSE runs."""
    service = service_of(app)
    if service is None:
        return None
    return {
        "boshUrl": "/http-bind",
        "domain": service.domain,
        "pubsub": service.prosody.pubsub,
        "connectTimeoutSeconds": app.config["XMPP_CONNECT_TIMEOUT"],
    }


def banner_lines(app: Flask, base_url: str) -> list[str]:
    """Start-up banner lines saying which notification transport runs and where XMPP clients connect."""
    service = service_of(app)
    if service is None:
        return [f"Notifications: Server-Sent Events only ({app.config['NOTIFICATION_TRANSPORT_REASON']})"]
    info = service.describe(base_url)
    return [
        f"Notifications: XMPP (Prosody) for domain {info['domain']}, pubsub {info['pubsub']}; accounts: "
        "the agents' IDs and passwords",
        f"  c2s {info['host']}:{info['c2sPort']}  BOSH {info['boshUrl']} (also {info['directBoshUrl']})  "
        f"WebSocket {info['websocketUrl']}",
    ]


def stop(app: Flask) -> None:
    """Stop the app's XMPP service, if any (the mock stops)."""
    service = app.extensions.pop(EXTENSION, None)
    if service is not None:
        service.stop()
