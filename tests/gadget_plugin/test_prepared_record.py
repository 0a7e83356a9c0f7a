"""Recording a call in one Context Service round after it is answered (issue #14): the screen pop checks while
the call rings and answers a signed ``prepared`` token; the create that carries it only writes. A token that
is invalid, expired, forged or made for another agent, dialog or customer is no error: the create takes its
full path. A dialog already recorded comes back from the screen pop; a retry (sent without the token) finds a
write whose answer was lost; the twin check runs after the answer, in the background.
"""

import logging
import threading
import time

import pytest

from .conftest import AgentClient, basic_auth

PHONE = "+15550102030"


def screen_pop(api, dialog_id, media_type="voice"):
    """The screen pop of Ann's call ``dialog_id`` (ringing)."""
    return api.ok("GET", "/screen-pop", params={"phone": PHONE, "dialogId": dialog_id, "mediaType": media_type})


def record(api, customer, dialog_id, prepared=None, status=201, media_type="voice"):
    """POST /activities for the call, as the gadget sends it at answer time; the answer's JSON."""
    body = {"customerId": customer["id"], "mediaType": media_type, "dialogId": dialog_id, "source": {"phone": PHONE}}
    if prepared is not None:
        body["prepared"] = prepared
    return api.ok("POST", "/activities", status, json=body)


@pytest.fixture()
def cs_writes(gadget):
    """The proxy's Context Service calls from now on, ``[(method, path)]``, made outside the settle threads."""
    from urllib.parse import urlsplit

    from gadget_plugin import get_backend

    session = get_backend(gadget.app).cs.session
    original = session.request
    seen = []

    def recorded(method, url, **kwargs):
        if not threading.current_thread().name.startswith("cs-settle"):
            seen.append((method, urlsplit(url).path))
        return original(method, url, **kwargs)

    session.request = recorded
    yield seen
    session.request = original


def settled(gadget):
    """Wait for the background settles of the proxy's creates so far."""
    from gadget_plugin import get_backend

    assert get_backend(gadget.app).settles.drain()


def test_screen_pop_of_a_ringing_call_prepares_its_create_into_the_open_request(
    api, customer, call_activity, cs_writes
):
    """The token is used: the create posts the activity into the open request and reads nothing."""
    pop = screen_pop(api, "prep-1")
    assert pop["recorded"] is None and isinstance(pop["prepared"], str)
    cs_writes.clear()
    activity = record(api, customer, "prep-1", pop["prepared"])
    assert cs_writes == [("POST", "/context/v1/pod")]
    assert activity["requestId"] == call_activity["requestId"]
    assert activity == api.ok("GET", f"/activities/{activity['id']}")


def test_screen_pop_without_a_dialog_or_of_several_matches_prepares_nothing(api, customer):
    """No dialogId: no token and no dialog search; two matches: no token (the agent picks)."""
    assert api.ok("GET", "/screen-pop", params={"phone": PHONE})["prepared"] is None
    api.ok("POST", "/customers", 201, json={"fields": {"Context_First_Name": "Ivo", "Context_Home_Phone": PHONE}})
    pop = screen_pop(api, "prep-2")
    assert pop["count"] == 2 and pop["prepared"] is None and pop["recorded"] is None


def _forged(token, customer):
    """The token with a payload of the gadget's own making (another request) and the signature kept."""
    import base64
    import json

    _, stamp, signature = token.rsplit(".", 2)
    payload = json.dumps(["1001", "prep-3", "voice", customer["id"], "another-request"]).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + stamp + "." + signature


@pytest.mark.parametrize(
    "case",
    ["other dialog", "other customer", "other media", "other agent", "forged", "garbage", "not text", "expired"],
)
def test_a_prepared_token_that_does_not_fit_is_no_error_and_the_create_takes_its_full_path(
    api, gadget, customer, call_activity, cs_writes, case, caplog
):
    """The create still records the call (201, into the open request), after the full path's dialog search."""
    from gadget_plugin import get_backend

    caplog.set_level(logging.INFO, logger="gadget_plugin.prepared")
    client, dialog_id, body_customer = api, "prep-3", customer
    token = screen_pop(api, dialog_id)["prepared"]
    if case == "other dialog":
        token = screen_pop(api, "prep-other")["prepared"]
    elif case == "other customer":
        body_customer = api.ok("POST", "/customers", 201, json={"fields": {"Context_First_Name": "Bo"}})
    elif case == "other media":
        token = screen_pop(api, dialog_id, "chat")["prepared"]
    elif case == "other agent":
        client = AgentClient(gadget.url, basic_auth("1002", "demo1002"))
    elif case == "forged":
        token = _forged(token, customer)
    elif case == "garbage":
        token = "not-a-token"
    elif case == "not text":
        token = {"requestId": call_activity["requestId"]}
    elif case == "expired":
        get_backend(gadget.app).prepared.max_age = 0
        time.sleep(1.1)
    cs_writes.clear()
    try:
        activity = record(client, body_customer, dialog_id, token)
    finally:
        get_backend(gadget.app).prepared.max_age = 120
    # the dialog-link search of the full path, before the write
    assert cs_writes.index(("GET", "/context/v1/pod")) < cs_writes.index(("POST", "/context/v1/pod"))
    assert cs_writes.count(("POST", "/context/v1/pod")) == 1
    if body_customer is customer:
        assert activity["requestId"] == call_activity["requestId"]
    assert "prepared token not used" in caplog.text


def test_screen_pop_of_a_dialog_already_recorded_answers_it_and_prepares_nothing(api, customer, call_activity):
    """The call was recorded (another tab, a transfer, a reload): ``recorded`` is that activity, comments too."""
    api.ok("POST", f"/activities/{call_activity['id']}/comments", 201, json={"text": "Called twice"})
    pop = screen_pop(api, "16777217")
    assert pop["prepared"] is None
    assert pop["recorded"] == api.ok("GET", f"/activities/{call_activity['id']}")
    assert pop["recorded"]["comments"][0]["text"] == "Called twice"


def test_a_retry_without_the_token_finds_the_write_whose_answer_was_lost(
    api, gadget, customer, call_activity, faults, cloud_state
):
    """The prepared create is stored but its answer lost (502, the proxy does not retry a POST); the retry, sent
    without the token as the gadget sends it, finds the activity by its dialog link: one activity stored."""
    pop = screen_pop(api, "prep-4")
    before = cloud_state()["activity"]
    faults(only="POST pod", loseAnswers=1, status=502)
    body = {"customerId": customer["id"], "mediaType": "voice", "dialogId": "prep-4", "prepared": pop["prepared"]}
    assert api.call("POST", "/activities", json=body).status_code == 503  # UPSTREAM_UNAVAILABLE
    faults()
    again = record(api, customer, "prep-4", status=200)
    assert cloud_state()["activity"] == before + 1
    assert again["requestId"] == call_activity["requestId"]
    settled(gadget)
    assert record(api, customer, "prep-4", status=200)["id"] == again["id"]


def test_a_prepared_create_into_a_request_closed_since_takes_the_full_path(
    api, customer, call_activity, close_requests
):
    """The open request closed while the call rang (its fifth quiet day ended): the create goes into a new
    request instead, once."""
    pop = screen_pop(api, "prep-5")
    close_requests()
    activity = record(api, customer, "prep-5", pop["prepared"])
    assert activity["requestId"] != call_activity["requestId"]
    journey = api.ok("GET", f"/customers/{customer['id']}/journey")
    assert [a["id"] for r in journey["requests"] for a in r["activities"] if a["id"] == activity["id"]]


def test_a_twin_stored_between_the_check_and_the_write_is_settled_after_the_answer(
    api, gadget, customer, call_activity
):
    """Another process records the dialog after the screen pop checked it: the prepared create is answered with
    its own write, and the settle after the answer marks it a twin of the first stored, which the journey shows
    and a later create answers."""
    from gadget_plugin import get_backend

    pop = screen_pop(api, "prep-6")
    first = record(AgentClient(gadget.url, basic_auth()), customer, "prep-6")  # "the other process": full path
    ours = record(api, customer, "prep-6", pop["prepared"])
    assert ours["id"] != first["id"]
    settled(gadget)
    wire = get_backend(gadget.app).cs.get("pod", ours["id"])
    assert "ccgadgettwin" in wire["tags"]
    journey = api.ok("GET", f"/customers/{customer['id']}/journey")
    shown = [a["id"] for r in journey["requests"] for a in r["activities"]]
    assert first["id"] in shown and ours["id"] not in shown
    assert record(api, customer, "prep-6", status=200)["id"] == first["id"]


def _waiting_request(api, customer, fail):
    """A request the proxy made for a record of another dialog whose activity's POST failed (kept, hidden)."""
    body = {"customerId": customer["id"], "mediaType": "voice", "dialogId": "failed-1", "requestId": "new"}
    fail()
    assert api.call("POST", "/activities", json=body).status_code == 503


@pytest.mark.parametrize("path", ["prepared", "full"])
def test_a_new_call_never_joins_the_hidden_request_waiting_for_another_activity(
    api, customer, call_activity, faults, path
):
    """The newest active request is the hidden one a failed record left: the call joins the request the agent
    sees, through the screen pop's token as through the full path."""
    _waiting_request(api, customer, lambda: faults(only="POST pod", errorRate=1))
    faults()
    pop = screen_pop(api, "prep-7")
    activity = record(api, customer, "prep-7", pop["prepared"] if path == "prepared" else None)
    assert activity["requestId"] == call_activity["requestId"]


def test_a_settle_that_finds_the_queue_full_is_skipped_and_logged(caplog):
    """Bounded: with its worker and its one waiting place taken, the next settle is not run."""
    from gadget_plugin.settle import Settler

    settler = Settler(workers=1, limit=1)
    release = threading.Event()
    ran = []
    assert settler.submit("first", release.wait)
    assert settler.submit("second", lambda: ran.append("second"))
    with caplog.at_level(logging.WARNING, logger="gadget_plugin.settle"):
        assert not settler.submit("third", lambda: ran.append("third"))
    assert "settle skipped: queue full" in caplog.text
    release.set()
    assert settler.drain() and ran == ["second"]
    assert settler.submit("fourth", lambda: ran.append("fourth")) and settler.drain() and ran[-1] == "fourth"


def test_a_screen_pop_in_flight_hands_its_token_over_before_it_answers(api, customer, call_activity, faults, cs_writes):
    """Auto-answer: the call is answered while its screen pop still reads the journey's comments (the mock 300 ms
    a call); ``GET /screen-pop/prepared`` in the same process answers the token as soon as the checks are done,
    before the screen pop itself answers, and a create with it only writes."""
    faults(latencyMs=300)
    answered = {}

    def pop():
        answered["pop"] = (screen_pop(api, "prep-8"), time.monotonic())

    thread = threading.Thread(target=pop)
    thread.start()
    time.sleep(0.1)  # ACTIVE ~100 ms after ALERTING
    handed = api.ok("GET", "/screen-pop/prepared", params={"dialogId": "prep-8"})
    handed_at = time.monotonic()
    thread.join(15)
    faults()
    assert handed_at < answered["pop"][1]
    assert handed["customerId"] == customer["id"] and handed["prepared"] and handed["running"]
    cs_writes.clear()
    activity = record(api, customer, "prep-8", handed["prepared"])
    assert cs_writes == [("POST", "/context/v1/pod")] and activity["requestId"] == call_activity["requestId"]


def test_no_screen_pop_in_flight_to_hand_over_answers_not_running(api, customer):
    """Nothing runs for the dialog here (it already answered, or runs in another process, or is another
    agent's): an ordinary answer saying so (no 404 the browser would log as an error); a missing dialogId is 400
    naming it."""
    screen_pop(api, "prep-9")
    assert api.ok("GET", "/screen-pop/prepared", params={"dialogId": "prep-9"}) == {
        "customerId": None,
        "prepared": None,
        "running": False,
    }
    assert api.error("GET", "/screen-pop/prepared", 400, "VALIDATION_FAILED")["field"] == "dialogId"


def test_a_secret_key_shorter_than_32_characters_stops_start_up_naming_it():
    """Settings fail fast: a SECRET_KEY set but short is refused with its name and the limit."""
    from gadget_plugin import create_app
    from gadget_plugin.config import ConfigError

    with pytest.raises(ConfigError, match=r"SECRET_KEY must be at least 32 characters, got 5"):
        create_app({"SECRET_KEY": "short"})


def test_another_process_on_the_same_instance_folder_accepts_the_token(api, gadget, customer, call_activity):
    """The token the screen pop of one process signed is used by a create another process answers: both read
    the instance's own key, so the create there only writes."""
    from finesse_harness.servers import ServerThread
    from gadget_plugin import create_app, get_backend

    other = create_app(dict(get_backend(gadget.app).config))
    thread = ServerThread(other).start()
    try:
        pop = screen_pop(api, "prep-10")
        session = get_backend(other).cs.session
        original, seen = session.request, []

        def recorded(method, url, **kwargs):
            if "/context/v1/" in url and not threading.current_thread().name.startswith("cs-settle"):
                seen.append((method, url.split("/context/v1/")[-1]))
            return original(method, url, **kwargs)

        session.request = recorded
        activity = record(AgentClient(thread.url, basic_auth()), customer, "prep-10", pop["prepared"])
        assert seen == [("POST", "pod")]
        assert activity["requestId"] == call_activity["requestId"]
    finally:
        get_backend(other).settles.drain()
        thread.stop()
