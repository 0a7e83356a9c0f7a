"""``customer-context check``: configuration, gadget.xml, Finesse and Context Service, one result each."""

import pathlib
from collections.abc import Mapping
from typing import Any

from . import connection, gadget_spec
from .backend import GadgetBackend
from .config import ConfigError, Settings, load_config
from .errors import GadgetError
from .health import context_service_reachable, finesse_reachable

# One check's outcome: ``(ok, name, detail)``.
Result = tuple[bool, str, str]


def run_checks(overrides: Mapping[str, Any] | None = None) -> list[Result]:
    """``[(ok, name, detail)]``; later checks are skipped when the configuration itself is broken."""
    try:
        config = load_config(overrides)
    except ConfigError as exc:
        return [(False, "configuration", str(exc))]
    results = [
        (
            True,
            "configuration",
            f"{config['ENV']}; Finesse {', '.join(config['FINESSE_URLS'])}; "
            f"Context Service {config['CONTEXT_SERVICE_URL']}",
        )
    ]
    results.append(check_spec(config))
    results.append(check_connection_data(config))
    backend = GadgetBackend(config)
    for url in config["FINESSE_URLS"]:
        reach = finesse_reachable(backend.agents.session, url, config["FINESSE_TIMEOUT_SECONDS"], config["VERIFY_TLS"])
        results.append((reach["ok"], f"Finesse {url}", reach["detail"]))
    reach = context_service_reachable(backend.cs)
    results.append((reach["ok"], "Context Service reachable", reach["detail"]))
    results.append(check_token_chain(backend))
    status = backend.status()
    results.append(
        (
            status["available"],
            "Context Service access",
            "entitled and registered" if status["available"] else f"not available: {status['reason']}",
        )
    )
    if status["available"]:
        results.append(check_activity_fieldsets(config, backend))
    return results


def check_token_chain(backend: GadgetBackend) -> Result:
    """The machine account's bearer token, the SAML2-bearer grant and an access token all work."""
    try:
        backend.cs.tokens.invalidate()
        backend.cs.tokens.header()
        account = backend.cs.tokens.machine_account()  # the one the token was made with (NotRegistered: none)
    except GadgetError as exc:
        return False, "machine account token", exc.message
    return True, "machine account token", f"GetBearerToken and the SAML2-bearer grant work for {account.name}"


def check_activity_fieldsets(config: Settings, backend: GadgetBackend) -> Result:
    """Every fieldset new activities are created with exists in the org's dictionary."""
    wanted = config["ACTIVITY_FIELDSETS"]
    try:
        missing = backend.dictionary.missing_fieldsets(wanted)
    except GadgetError as exc:
        return False, "activity fieldsets", f"cannot read the dictionary: {exc.message}"
    if missing:
        return (
            False,
            "activity fieldsets",
            (
                f"ACTIVITY_FIELDSETS names {', '.join(missing)}, not in the dictionary: "
                "create it in Control Hub or remove it from the setting"
            ),
        )
    return True, "activity fieldsets", ", ".join(wanted)


def check_spec(config: Settings) -> Result:
    """gadget.xml is a valid spec whose files exist."""
    path = pathlib.Path(config["GADGET_SPEC"])
    try:
        gadget_spec.validate(path.read_text())
    except OSError as exc:
        return False, "gadget.xml", f"cannot read {path}: {exc.strerror}"
    except gadget_spec.SpecError as exc:
        return False, "gadget.xml", str(exc)
    return True, "gadget.xml", f"{path} is a valid gadget spec"


def check_connection_data(config: Settings) -> Result:
    """Connection data is configured or stored, and decodes (the secret is never printed)."""
    data = config["CONNECTION_DATA"] or connection.load(config["INSTANCE_PATH"])
    if not data:
        return False, "registration", "no connection data: run 'customer-context register'"
    try:
        creds = connection.decode(data)["lab" if config["LAB_MODE"] else "prod"]
    except connection.ConnectionDataError as exc:
        return False, "registration", str(exc)
    return (
        True,
        "registration",
        f"connection data for org {creds.org_id} ({'lab' if config['LAB_MODE'] else 'production'} mode)",
    )
