"""Edits of an activity merged into the version the proxy stored last (issue #14 item 4, ``versions.py``), over
real HTTP against the mock cloud: one Context Service round (the write beside the comments read) instead of a
read first, and never a concurrent edit lost — Context Service refuses a ``lastUpdated`` that is not the stored
one (reference §2.3 [SAMPLE-WEB]), and the proxy then answers the conflict from a fresh read."""

import uuid

import pytest

from gadget_plugin import get_backend
from gadget_plugin.shapes import HIDDEN_TAG

from .conftest import PUT_ANSWERS

LATENCY_MS = 200  # well above how late a loaded machine starts a thread, so parallel calls overlap


@pytest.fixture()
def measured(gadget, faults, cs_recorder):
    """``measured(call)``: ``(answer, calls)`` of one gadget call while each Context Service call takes 200 ms,
    after the settles of earlier creates have run (their twin checks are not this call's)."""

    def measure(call):
        assert get_backend(gadget.app).settles.drain()
        faults(latencyMs=LATENCY_MS)
        log = cs_recorder()
        try:
            return call(), log
        finally:
            faults()

    return measure


@pytest.fixture()
def cloud(gadget):
    """The gadget server's own Context Service client: a writer the proxy's versions know nothing of (another
    proxy process, another product)."""
    return get_backend(gadget.app).cs


def edit(api, activity, **change):
    """``PUT /activities/{id}`` with the activity's ``lastUpdated`` and ``change``; the call, to be made."""
    return lambda: api.ok(
        "PUT", f"/activities/{activity['id']}", json={"lastUpdated": activity["lastUpdated"], **change}
    )


def test_an_edit_of_the_activity_the_proxy_stored_writes_beside_the_comments_in_one_round(api, call_activity, measured):
    """The activity just recorded, then the activity just edited: the PUT and the comments search side by side,
    no GET of the activity first (it was read, then written: two rounds)."""
    tagged, log = measured(edit(api, call_activity, tags=["billing"]))
    assert tagged["tags"] == ["billing"]
    assert sorted(log.made()) == [("GET", "/context/v1/detail"), ("PUT", f"/context/v1/pod/{call_activity['id']}")]
    assert log.rounds() == 1
    noted, log = measured(edit(api, tagged, fields={"Context_Notes": "Asked about the invoice"}))
    assert noted["tags"] == ["billing"] and noted["fields"]["Context_Notes"] == "Asked about the invoice"
    assert noted["fields"]["Context_POD_Source_Cust_Name"] == "Ann Smith"
    assert log.rounds() == 1 and ("GET", f"/context/v1/pod/{call_activity['id']}") not in log.made()


def test_an_edit_merged_into_the_held_version_keeps_the_hidden_tags_and_the_fields_it_does_not_name(
    api, customer, cloud
):
    """A keyed create carries the key's hidden tag; tagging and noting it without a read keep that tag and the
    source fields on the stored activity, as the read-modify-write did."""
    created = api.ok(
        "POST",
        "/activities",
        201,
        headers={"Idempotency-Key": str(uuid.uuid4())},
        json={"customerId": customer["id"], "mediaType": "chat", "source": {"name": "Ann Smith"}},
    )
    tagged = edit(api, created, tags=["refund"])()
    edit(api, tagged, fields={"Context_Notes": "Wants a refund"})()
    stored = cloud.get("pod", created["id"])
    tags = stored["tags"]
    assert "refund" in tags and any(HIDDEN_TAG.match(tag) for tag in tags)
    fields = {key: value for element in stored["dataElements"] for key, value in element.items() if key != "type"}
    assert fields["Context_Notes"] == "Wants a refund" and fields["Context_POD_Source_Cust_Name"] == "Ann Smith"


def test_an_edit_of_a_version_changed_elsewhere_is_refused_with_the_current_activity_and_the_change_kept(
    api, call_activity, cloud
):
    """Another writer tags the activity after the proxy stored it: the agent's edit of the version the proxy
    holds (the one the agent saw) is refused 409 CONFLICT with the other writer's activity, which is kept."""
    other = cloud.update(
        "pod", call_activity["id"], {"lastUpdated": call_activity["lastUpdated"], "tags": ["escalated"]}
    )
    error = api.error(
        "PUT",
        f"/activities/{call_activity['id']}",
        409,
        "CONFLICT",
        json={"lastUpdated": call_activity["lastUpdated"], "tags": ["billing"]},
    )
    assert error["current"]["tags"] == ["escalated"]
    assert error["current"]["lastUpdated"] == other["lastUpdated"]
    assert api.ok("GET", f"/activities/{call_activity['id']}")["tags"] == ["escalated"]


def test_an_edit_of_the_version_loaded_after_a_change_elsewhere_merges_into_that_version(api, call_activity, cloud):
    """After the caution notice the agent loads the other writer's change and edits again: the edit is merged
    into what Context Service holds now (read, as the proxy's own version is older), keeping the other change."""
    cloud.update(
        "pod",
        call_activity["id"],
        {
            "lastUpdated": call_activity["lastUpdated"],
            "dataElements": [{"Context_Notes": "Noted by a supervisor", "type": "string"}],
        },
    )
    loaded = api.ok("GET", f"/activities/{call_activity['id']}")
    tagged = edit(api, loaded, tags=["billing"])()
    assert tagged["tags"] == ["billing"] and tagged["fields"]["Context_Notes"] == "Noted by a supervisor"
    assert tagged["lastUpdated"] > loaded["lastUpdated"]


@pytest.mark.parametrize("status", [400, 412])
def test_a_stale_edit_the_cloud_refuses_with_400_or_412_is_answered_409_conflict_with_the_current_activity(
    api, call_activity, cloud, faults, status
):
    """The status Context Service gives a stale update is not public (reference §2.3: the mock's 409 is
    inferred). Another writer moves the activity on; the edit of the version the proxy holds, refused with 400 or
    412, forgets that version and reads: 409 CONFLICT with the other writer's activity, and so on every retry."""
    other = cloud.update(
        "pod", call_activity["id"], {"lastUpdated": call_activity["lastUpdated"], "tags": ["escalated"]}
    )
    faults(status=status, errorRate=1, only="PUT pod")
    for _ in range(2):
        error = api.error(
            "PUT",
            f"/activities/{call_activity['id']}",
            409,
            "CONFLICT",
            json={"lastUpdated": call_activity["lastUpdated"], "tags": ["billing"]},
        )
        assert error["current"]["lastUpdated"] == other["lastUpdated"]
        assert error["current"]["tags"] == ["escalated"]


def test_an_edit_the_cloud_refuses_with_412_after_the_read_is_answered_409_conflict(api, call_activity, cloud, faults):
    """412 Precondition Failed is HTTP's own answer to a stale version: an edit of a version the proxy does not
    hold (read first, then written) that the cloud refuses with 412 is a 409 CONFLICT, not a plain 400."""
    cloud.update("pod", call_activity["id"], {"lastUpdated": call_activity["lastUpdated"], "tags": ["escalated"]})
    loaded = api.ok("GET", f"/activities/{call_activity['id']}")
    faults(status=412, errorRate=1, only="PUT pod")
    api.error(
        "PUT",
        f"/activities/{call_activity['id']}",
        409,
        "CONFLICT",
        json={"lastUpdated": loaded["lastUpdated"], "tags": ["billing"]},
    )


def test_an_edit_of_the_current_version_the_cloud_refuses_with_400_is_answered_400_as_before(
    api, call_activity, faults
):
    """A 400 that is no conflict (the held version is the stored one) repeats after the read: the agent gets
    Context Service's 400 VALIDATION_FAILED, not a conflict."""
    faults(status=400, errorRate=1, only="PUT pod")
    api.error(
        "PUT",
        f"/activities/{call_activity['id']}",
        400,
        "VALIDATION_FAILED",
        json={"lastUpdated": call_activity["lastUpdated"], "tags": ["billing"]},
    )


@pytest.mark.parametrize("answer", PUT_ANSWERS)
def test_edits_keep_the_hidden_tag_fields_and_contributors_whatever_the_put_answer_holds(
    api, client_for, basic, customer, cloud, put_answered, answer
):
    """The PUT answer's body is inferred: the mock answers the whole object; if the cloud answers only ``{id,
    lastUpdated}`` or nothing, a keyed create by one agent, then another agent's tags, notes and tags edits keep
    the key's hidden tag, the source fields and both contributors, and each answer shows the whole activity."""
    created = client_for(basic("1002", "demo1002")).ok(
        "POST",
        "/activities",
        201,
        headers={"Idempotency-Key": str(uuid.uuid4())},
        json={"customerId": customer["id"], "mediaType": "chat", "source": {"name": "Ann Smith"}},
    )
    put_answered(answer)
    tagged = edit(api, created, tags=["refund"])()
    noted = edit(api, tagged, fields={"Context_Notes": "Wants a refund"})()
    retagged = edit(api, noted, tags=["refund", "vip"])()
    for shown in (tagged, noted, retagged):
        assert shown["fields"]["Context_POD_Source_Cust_Name"] == "Ann Smith" and shown["mediaType"] == "chat"
    assert retagged["tags"] == ["refund", "vip"] and retagged["fields"]["Context_Notes"] == "Wants a refund"
    stored = cloud.get("pod", created["id"])
    assert stored["lastUpdated"] == retagged["lastUpdated"]
    assert "vip" in stored["tags"] and any(HIDDEN_TAG.match(tag) for tag in stored["tags"])
    assert [c["username"] for c in stored["contributors"]] == ["1002", "1001"]
    fields = {key: value for element in stored["dataElements"] for key, value in element.items() if key != "type"}
    assert fields["Context_Notes"] == "Wants a refund" and fields["Context_POD_Source_Cust_Name"] == "Ann Smith"
