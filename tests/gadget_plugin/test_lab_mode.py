"""Lab mode: the lab credentials and the cisco-context-labmode header put data in the lab partition."""

import pytest

from finesse_harness.servers import ServerThread
from gadget_plugin import create_app


@pytest.fixture()
def lab_gadget(gadget, controlhub, finesse):
    """A second gadget server sharing the registration, with LAB_MODE on."""
    app = create_app(
        {
            **{
                key: gadget.app.config[key]
                for key in ("FINESSE_URLS", "CONTEXT_SERVICE_URL", "INSTANCE_PATH", "LOG_LEVEL")
            },
            "LAB_MODE": True,
        }
    )
    with ServerThread(app) as thread:
        yield thread


def test_lab_mode_writes_to_the_lab_partition_only(lab_gadget, controlhub, client_for, basic):
    """A customer created through a lab-mode proxy exists in lab, not in production; status says labMode."""
    lab = client_for(basic())
    lab.base = lab_gadget.url + "/api/v1"
    assert lab.ok("GET", "/status")["labMode"] is True
    lab.ok("POST", "/customers", 201, json={"fields": {"Context_First_Name": "Lab"}})
    counts = controlhub.control("GET", "/state").json()["objects"]
    assert counts["lab"].get("customer") == 1
    assert counts["production"].get("customer", 0) == 0


def _moved_to_bob_and_undone(client, title=None):
    """Ann's call moved to Bob (a new request there; titled by the agent when ``title`` is given) and the move
    undone; returns Bob's customer."""
    ann = client.ok("POST", "/customers", 201, json={"fields": {"Context_First_Name": "Ann"}})
    bob = client.ok("POST", "/customers", 201, json={"fields": {"Context_First_Name": "Bob"}})
    call = client.ok(
        "POST",
        "/activities",
        201,
        json={
            "customerId": ann["id"],
            "mediaType": "voice",
            "dialogId": "16777219",
            "source": {"phone": "+15550102031"},
        },
    )
    moved = client.ok(
        "POST",
        f"/activities/{call['id']}/move",
        json={"requestId": "new", "customerId": bob["id"], "lastUpdated": call["lastUpdated"]},
    )
    if title:
        request = client.ok("GET", f"/customers/{bob['id']}/journey")["requests"][0]
        client.ok(
            "PUT",
            f"/requests/{request['id']}",
            json={"fields": {"Context_Title": title}, "lastUpdated": request["lastUpdated"]},
        )
    client.ok("POST", f"/moves/{moved['move']['id']}/undo")
    return bob


def test_in_lab_mode_undo_deletes_the_request_the_move_made_and_left_empty(lab_gadget, controlhub, client_for, basic):
    """Lab mode: after the undo, Bob's request made by the move is deleted; only Ann's request is stored."""
    lab = client_for(basic())
    lab.base = lab_gadget.url + "/api/v1"
    bob = _moved_to_bob_and_undone(lab)
    assert lab.ok("GET", f"/customers/{bob['id']}/journey")["requests"] == []
    assert controlhub.control("GET", "/state").json()["objects"]["lab"].get("request") == 1


def test_in_lab_mode_undo_keeps_the_request_the_agent_titled_after_the_move(lab_gadget, client_for, basic):
    """Lab mode: a request the move made but the agent has since given a title is the agent's work: the undo takes
    the activity out and leaves the request, still shown (review finding: it was deleted)."""
    lab = client_for(basic())
    lab.base = lab_gadget.url + "/api/v1"
    bob = _moved_to_bob_and_undone(lab, title="Billing question")
    titles = [r["fields"].get("Context_Title") for r in lab.ok("GET", f"/customers/{bob['id']}/journey")["requests"]]
    assert titles == ["Billing question"]


def test_in_production_undo_keeps_the_empty_request_unshown(api, cloud_state):
    """Production deletes nothing: the request stays stored (for the next move to reuse) but is not shown."""
    bob = _moved_to_bob_and_undone(api)
    assert api.ok("GET", f"/customers/{bob['id']}/journey")["requests"] == []
    assert cloud_state().get("request") == 2
