"""Browser-facing security: CORS for configured Finesse origins only, CSP with frame-ancestors, no cookies."""

from flask import Flask, Response, current_app, request

from .config import origin_of
from .errors import OriginNotAllowed

ALLOWED_HEADERS = (
    "Authorization, Content-Type, Accept, Accept-Language, X-Finesse-Agent-Id, X-Request-Id, Idempotency-Key"
)
ALLOWED_METHODS = "GET, POST, PUT, OPTIONS"
# How long a browser keeps a CORS preflight's answer: Chromium caps it at 2 hours (Firefox at 24). One preflight
# per URL then, where 600 s made the gadget send one every ten minutes per call it makes.
PREFLIGHT_MAX_AGE = "7200"
EXPOSED_HEADERS = "X-Request-Id, ETag, Retry-After"  # Retry-After: readable by an OVERLOADED gadget


def allowed_origins() -> list[str]:
    """The Finesse origins browsers may call the API from."""
    return current_app.config["FINESSE_ORIGINS"]


def check_origin() -> None:
    """Refuse an API call a browser makes from any origin but a configured Finesse or this server's configured
    public URL (no Origin: not a browser). The Host header is not trusted: a rebound DNS name could set it."""
    origin = request.headers.get("Origin")
    if origin and origin not in allowed_origins() and origin != origin_of(current_app.config["PUBLIC_URL"]):
        raise OriginNotAllowed(f"Origin {origin} is not a configured Finesse server (CUSTOMER_CONTEXT_FINESSE_URLS).")


def register_security_headers(app: Flask) -> None:
    """CORS answers, CSP, and the other headers every response carries; strip any cookie."""

    @app.after_request
    def add_headers(response: Response) -> Response:
        """CORS for Finesse origins, CSP, nosniff, no referrer, no cookie."""
        origin = request.headers.get("Origin")
        if origin and origin in allowed_origins():
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
            response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
            response.vary.add("Origin")
        ancestors = " ".join(["'self'", *allowed_origins()])
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; frame-ancestors {ancestors}; object-src 'none'; base-uri 'self'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers.pop("Set-Cookie", None)
        return response
