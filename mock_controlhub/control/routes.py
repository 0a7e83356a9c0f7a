"""The mock's control API under ``/_mock/`` (moto's ``/moto-api/`` shape): reset, seed, clock, faults, state.

Every call must carry ``X-Mock-Control: 1`` (``mock_core.web.guard_control_api``), so no page the developer
visits can wipe the mock cloud.
"""

import datetime as dt
from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from mock_core.web import guard_control_api

from ..clock import UTC, format_rfc3339, parse_rfc3339
from ..contextservice import models as objects
from ..contextservice.wire import PATH_TYPES
from ..errors import BadRequest, ControlRefused
from ..identity import models as identity
from ..state import Faults
from ..web import get_backend, json_body
from .seed import MAX_SEED_SIZE, seed_demo_data

bp = Blueprint("control", __name__, url_prefix="/_mock")
MAX_LATENCY_MS = 60_000
MAX_LOST_ANSWERS = 1000
FAULT_SETTINGS = ("latencyMs", "errorRate", "status", "loseAnswers", "only")
FAULT_METHODS = ("GET", "POST", "PUT", "DELETE")
# The mock clock stays within 100 years of real time (beyond, datetime arithmetic overflows on every call).
MAX_CLOCK_OFFSET = dt.timedelta(days=36_525)
guard_control_api(bp, lambda message, header: ControlRefused(message, field=header))


@bp.route("/reset", methods=["POST"])
def reset() -> ResponseReturnValue:
    """Wipe all data; the org and the Cisco base dictionary come back."""
    get_backend().reset()
    return jsonify({"reset": True})


@bp.route("/clock", methods=["GET"])
def get_clock() -> ResponseReturnValue:
    """Read the mock clock."""
    return jsonify({"now": format_rfc3339(get_backend().clock.now())})


@bp.route("/clock", methods=["POST"])
def set_clock() -> ResponseReturnValue:
    """Set the clock (``{"now": RFC 3339}``) or advance it (``{"advanceSeconds": n}``)."""
    body = json_body()
    clock = get_backend().clock
    if "now" in body:
        try:
            moment = parse_rfc3339(body["now"])
        except ValueError as exc:
            raise BadRequest(f"now: {exc}", field="now") from None
        _check_clock_offset(moment - dt.datetime.now(UTC), "now")
        clock.set(moment)
    elif "advanceSeconds" in body:
        seconds = body["advanceSeconds"]
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
            raise BadRequest("advanceSeconds must be a number.", field="advanceSeconds")
        try:
            offset: dt.timedelta | None = clock.offset + dt.timedelta(seconds=seconds)
        except (OverflowError, ValueError):  # beyond timedelta's range, infinite or NaN
            offset = None
        _check_clock_offset(offset, "advanceSeconds")
        clock.advance(seconds)
    else:
        raise BadRequest('Send {"now": "<RFC 3339>"} or {"advanceSeconds": <number>}.')
    return jsonify({"now": format_rfc3339(clock.now())})


@bp.route("/seed", methods=["POST"])
def seed() -> ResponseReturnValue:
    """Deterministic demo data: ``{"seed": n, "size": customers, "labMode": false}`` (see seed.py); answers
    the counts."""
    body = json_body()
    unknown = sorted(set(body) - {"seed", "size", "labMode"})
    if unknown:
        raise BadRequest(f"Unknown seed setting {unknown[0]}; use seed, size, labMode.", field=unknown[0])
    seed_number = _integer_setting(body, "seed", 0, 0, None)
    size = _integer_setting(body, "size", 50, 1, MAX_SEED_SIZE)
    lab = body.get("labMode", False)
    if not isinstance(lab, bool):
        raise BadRequest(f"labMode must be true or false, got {lab!r}.", field="labMode")
    return jsonify(seed_demo_data(get_backend(), seed_number, size, lab))


@bp.route("/faults", methods=["POST"])
def set_faults() -> ResponseReturnValue:
    """Inject faults into ``/context/v1``: ``{latencyMs, errorRate, status, loseAnswers, only}``; ``{}`` clears
    them.

    ``loseAnswers: n`` stores the next n writes (POST, PUT) and then answers each with ``status`` instead, as a
    gateway that lost the answer would. ``only: "PUT pod"`` limits the faults to calls of that method and object
    type (one step of a multi-object operation).
    """
    body = json_body()
    unknown = sorted(set(body) - set(FAULT_SETTINGS))
    if unknown:
        raise BadRequest(f"Unknown fault setting {unknown[0]}; use {', '.join(FAULT_SETTINGS)}.", field=unknown[0])
    faults = Faults(
        latency_ms=_integer_setting(body, "latencyMs", 0, 0, MAX_LATENCY_MS),
        error_rate=_rate(body.get("errorRate", 0.0)),
        status=_integer_setting(body, "status", 503, 400, 599),
        lose_answers=_integer_setting(body, "loseAnswers", 0, 0, MAX_LOST_ANSWERS),
        only=_only(body.get("only")),
    )
    get_backend().faults = faults
    return jsonify(faults.to_dict())


@bp.route("/faults", methods=["GET"])
def get_faults() -> ResponseReturnValue:
    """The injected faults in force."""
    return jsonify(get_backend().faults.to_dict())


@bp.route("/state", methods=["GET"])
def get_state() -> ResponseReturnValue:
    """Object counts per partition and type, the clock, the faults and the org."""
    backend = get_backend()
    return jsonify(
        {
            "objects": objects.counts(backend),
            "clock": format_rfc3339(backend.clock.now()),
            "faults": backend.faults.to_dict(),
            "org": identity.get_org(backend),
        }
    )


def _check_clock_offset(offset: dt.timedelta | None, field: str) -> None:
    """Refuse a clock change that would leave the mock's time more than MAX_CLOCK_OFFSET from real time."""
    if offset is None or abs(offset) > MAX_CLOCK_OFFSET:
        limit = int(MAX_CLOCK_OFFSET.total_seconds())
        raise BadRequest(
            f"{field}: the mock clock stays within {MAX_CLOCK_OFFSET.days} days ({limit} seconds) of real time.",
            field=field,
            limit=limit,
        )


def _integer_setting(body: dict[str, Any], name: str, default: int, low: int, high: int | None) -> int:
    """``body[name]`` (``default`` when absent), an integer from ``low`` to ``high`` (None: no upper bound)."""
    value = body.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool):
        raise BadRequest(f"{name} must be an integer, got {value!r}.", field=name)
    if value < low or (high is not None and value > high):
        bound = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise BadRequest(
            f"{name} must be {bound}, got {value}.", field=name, **({"limit": high} if high is not None else {})
        )
    return value


def _only(value: object) -> str | None:
    """``"METHOD type"`` (e.g. ``"POST request"``) or None: the calls the faults are limited to."""
    if value is None:
        return None
    method, _, path_type = str(value).partition(" ")
    if not isinstance(value, str) or method not in FAULT_METHODS or path_type not in PATH_TYPES:
        raise BadRequest(
            f'only must be "METHOD type" (METHOD one of {", ".join(FAULT_METHODS)}, type one of '
            f"{', '.join(PATH_TYPES)}), got {value!r}.",
            field="only",
        )
    return value


def _rate(value: object) -> float:
    """``errorRate``: a number from 0 to 1."""
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
        raise BadRequest(f"errorRate must be a number from 0 to 1, got {value!r}.", field="errorRate", limit=1)
    return float(value)
