"""The bearer check every object-API call makes (issue #14 item 5: the mock cloud's CPU per call counts on the
benchmark machine), over real HTTP: one read, no write on most calls, and every token rule still live on the
very next call — revocation, deregistration, entitlement, expiry (reference §7.4)."""

from mock_controlhub import get_backend
from mock_controlhub.identity import models as identity

PODS_PATH = "/context/v1/pod?q=tags:%22none%22"


def advance(controlhub, seconds):
    """Move the mock clock on."""
    controlhub.control("POST", "/clock", json={"advanceSeconds": seconds}).raise_for_status()


def last_seen(controlhub, registration):
    """The component's "last seen" as Control Hub's Resources page shows it."""
    found = identity.list_registrations(get_backend(controlhub.app))
    return next(reg["last_seen"] for reg in found if reg["id"] == registration["id"])


def test_a_machine_tokens_use_writes_its_components_last_seen_at_most_once_a_minute(
    controlhub, machine_api, registration
):
    """A call more than a minute after the component was last seen (at its registration) marks it seen; calls
    within the next minute of the mock clock write nothing (each wrote the row before: a write per object-API
    call); the first call after that minute marks it seen again."""
    registered = last_seen(controlhub, registration)
    advance(controlhub, 61)
    before = controlhub.control("GET", "/clock").json()["now"]
    assert machine_api.get(PODS_PATH).status_code == 200
    seen = last_seen(controlhub, registration)
    assert seen >= before > registered
    advance(controlhub, 30)
    assert machine_api.get(PODS_PATH).status_code == 200
    assert last_seen(controlhub, registration) == seen
    advance(controlhub, 31)
    assert machine_api.get(PODS_PATH).status_code == 200
    assert last_seen(controlhub, registration) > seen


def test_a_deleted_machine_accounts_token_is_refused_on_its_next_call(
    controlhub, machine_api, machine_account, admin_headers, make_api, expect_error
):
    """Deleting the machine account revokes its tokens: the next object-API call gets 401, never data."""
    assert machine_api.get(PODS_PATH).status_code == 200
    org_id = controlhub.app.config["ORG_ID"]
    admin = make_api(controlhub.url, admin_headers)
    assert admin.delete(f"/organization/{org_id}/v1/Machines/{machine_account['id']}").status_code in (200, 204)
    expect_error(machine_api.get(PODS_PATH), 401, "UNAUTHORIZED", "Invalid bearer token")


def test_entitlement_and_registration_are_checked_on_every_call_after_many_calls(
    controlhub, machine_api, registration, expect_error
):
    """However recently the component was seen, the entitlement switched off and then the deregistration
    refuse the very next call (nothing about the token is remembered between calls)."""
    for _ in range(3):
        assert machine_api.get(PODS_PATH).status_code == 200
    backend = get_backend(controlhub.app)
    identity.set_entitlement(backend, False)
    expect_error(machine_api.get(PODS_PATH), 403, "NOT_ENTITLED", "not entitled")
    identity.set_entitlement(backend, True)
    assert machine_api.get(PODS_PATH).status_code == 200
    identity.deregister(backend, registration["id"])
    expect_error(machine_api.get(PODS_PATH), 403, "NOT_REGISTERED", "deregistered")
