"""Control API over HTTP: /_mock/seed demo data, /_mock/faults injection, /_mock/state."""

import concurrent.futures
import time

import pytest

from finesse_harness.mock_control import CONTROL_HEADERS
from mock_controlhub import get_backend

MEDIA_TYPES = {"chat", "email", "event", "mobile", "social", "video", "voice", "web"}


@pytest.fixture()
def control(controlhub, make_api):
    """A session on the control API: no token, just the control header."""
    return make_api(controlhub.url, CONTROL_HEADERS)


def _seed(control, **body):
    response = control.post("/_mock/seed", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def _contents(context_api, path_type, lab=False):
    """Everything but ids and times of every object of a type, for comparing two seeds."""
    answer = context_api.search(path_type, lab=lab, maxEntries=200, sortedBy="created", sortOrder="asc")
    return [(o["type"], o["state"], o["mediaType"], o["dataElements"], o["tags"]) for o in answer]


def test_seed_creates_journeys_with_every_media_type_open_and_closed_requests_and_comments(control, context_api):
    """Seeded data has customers, open and closed requests, activities of all media types, tags and comments."""
    answer = _seed(control, seed=1, size=12)
    assert answer["created"]["customer"] == 12
    assert answer["demoCustomers"][:3] == ["Ana Kovačić", "Marko Horvat", "Ivana Horvat"]
    activities = context_api.search("activity", maxEntries=200)
    assert {a["mediaType"] for a in activities} == MEDIA_TYPES
    assert any(a["tags"] for a in activities)
    assert context_api.total("request", state="closed") > 0
    assert context_api.total("request", state="active") >= 12
    assert context_api.total("detail", q="type:detail.comment") == answer["created"]["detail.comment"]


def test_seed_is_deterministic_for_a_seed_number(control, context_api):
    """The same seed and size give the same content (here once in production, once in lab)."""
    _seed(control, seed=42, size=8)
    _seed(control, seed=42, size=8, labMode=True)
    for path_type in ("customer", "request", "activity", "detail"):
        production = _contents(context_api, path_type)
        assert production and production == _contents(context_api, path_type, lab=True)


def test_demo_customers_are_found_by_phone_and_email(control, context_api):
    """Ana Kovačić is found by phone and email; two customers share +385981112233."""
    _seed(control, seed=3, size=6)
    ana = context_api.search("customer", q="Context_Mobile_Phone:+385911234567")
    assert [e for e in ana[0]["dataElements"] if "Context_Last_Name" in e] == [
        {"Context_Last_Name": "Kovačić", "type": "string"}
    ]
    assert context_api.total("customer", q="Context_Home_Email:ana.kovacic@example.com") == 1
    assert context_api.total("customer", q="Context_Mobile_Phone:+385981112233") == 2


def test_seed_into_the_lab_partition(control, context_api):
    """labMode true seeds the lab partition only."""
    _seed(control, seed=1, size=2, labMode=True)
    state = control.get("/_mock/state").json()["objects"]
    assert state["lab"]["customer"] == 2 and state["production"] == {}


def test_a_call_is_handled_when_it_arrives_and_answered_once_its_latency_is_over(controlhub, control, context_api):
    """The cloud handles calls side by side, so a call does not wait for another's work on top of its latency:
    here another call's long transaction holds the mock's lock from 250 to 550 ms after a search with 300 ms
    latency left. The search was handled on arrival and answers at about 300 ms (handled after its latency,
    it waited for the lock until 550 ms)."""
    control.post("/_mock/faults", json={"latencyMs": 300}).raise_for_status()
    backend = get_backend(controlhub.app)
    search = concurrent.futures.ThreadPoolExecutor(1)
    answer = search.submit(context_api.session.get, "/context/v1/activity", params={"q": "type:activity"})
    time.sleep(0.25)
    with backend.lock:
        time.sleep(0.3)
    elapsed = answer.result().elapsed.total_seconds()
    search.shutdown()
    assert 0.3 <= elapsed < 0.45


@pytest.mark.parametrize(
    "body, field, fragment",
    [
        ({"size": 0}, "size", "size must be from 1 to 2000"),
        ({"size": 2001}, "size", "size must be from 1 to 2000"),
        ({"seed": "x"}, "seed", "seed must be an integer"),
        ({"labMode": "yes"}, "labMode", "labMode must be true or false"),
        ({"sise": 5}, "sise", "Unknown seed setting sise"),
    ],
)
def test_invalid_seed_settings_are_refused(control, expect_error, body, field, fragment):
    """Seed settings are validated and named."""
    expect_error(control.post("/_mock/seed", json=body), 400, "BAD_REQUEST", fragment, field=field)


def test_injected_error_rate_fails_object_calls_with_the_status(control, context_api, expect_error):
    """errorRate 1 makes every /context/v1 call fail with the configured status; {} clears it."""
    answer = control.post("/_mock/faults", json={"errorRate": 1, "status": 502}).json()
    assert answer == {"latencyMs": 0, "errorRate": 1.0, "status": 502, "loseAnswers": 0, "only": None}
    expect_error(context_api.session.get("/context/v1/customer"), 502, "SERVICE_UNAVAILABLE", "Injected fault")
    expect_error(context_api.session.get("/context/v1/ping"), 502, "SERVICE_UNAVAILABLE", "Injected fault")
    assert control.post("/_mock/faults", json={}).json() == {
        "latencyMs": 0,
        "errorRate": 0.0,
        "status": 503,
        "loseAnswers": 0,
        "only": None,
    }
    assert context_api.session.get("/context/v1/customer").status_code == 200


def test_lost_answer_fault_stores_the_write_then_answers_the_status(control, context_api, expect_error):
    """loseAnswers 1: the next create is stored but answered 504, reads are untouched, the one after answers."""
    assert control.post("/_mock/faults", json={"loseAnswers": 1, "status": 504}).json()["loseAnswers"] == 1
    body = {
        "type": "customer",
        "fieldsets": ["cisco.base.customer"],
        "dataElements": [{"Context_First_Name": "Lost", "type": "string"}],
    }
    expect_error(
        context_api.session.post("/context/v1/customer", json=body), 504, "SERVICE_UNAVAILABLE", "the write was stored"
    )
    assert control.get("/_mock/state").json()["objects"]["production"] == {"customer": 1}
    assert control.get("/_mock/faults").json()["loseAnswers"] == 0
    assert context_api.session.post("/context/v1/customer", json=body).status_code == 201
    assert context_api.session.get("/context/v1/customer").status_code == 200


def test_faults_limited_to_one_method_and_type_spare_every_other_call(control, context_api, expect_error):
    """only "POST request": errors hit request creates, not customer creates or request reads; a lost answer
    limited to "PUT customer" spares the POST before it."""
    control.post("/_mock/faults", json={"errorRate": 1, "only": "POST request"}).raise_for_status()
    customer_id = context_api.customer(Context_First_Name="Ana")
    expect_error(
        context_api.session.post(
            "/context/v1/request",
            json={
                "type": "request",
                "customerId": customer_id,
                "fieldsets": ["cisco.base.request"],
                "dataElements": [],
            },
        ),
        503,
        "SERVICE_UNAVAILABLE",
        "Injected fault",
    )
    assert context_api.session.get("/context/v1/request").status_code == 200
    control.post("/_mock/faults", json={"loseAnswers": 1, "only": "PUT customer"}).raise_for_status()
    context_api.customer(Context_First_Name="Bo")
    assert control.get("/_mock/faults").json()["loseAnswers"] == 1


def test_injected_latency_delays_object_calls(control, context_api):
    """latencyMs delays each object call by at least that long."""
    control.post("/_mock/faults", json={"latencyMs": 300}).raise_for_status()
    response = context_api.session.get("/context/v1/ping")
    assert response.status_code == 200
    assert response.elapsed.total_seconds() >= 0.3


@pytest.mark.parametrize(
    "body, field, fragment",
    [
        ({"errorRate": 1.5}, "errorRate", "errorRate must be a number from 0 to 1"),
        ({"latencyMs": -1}, "latencyMs", "latencyMs must be from 0 to 60000"),
        ({"status": 200}, "status", "status must be from 400 to 599"),
        ({"delay": 5}, "delay", "Unknown fault setting delay"),
        ({"loseAnswers": -1}, "loseAnswers", "loseAnswers must be from 0 to 1000"),
        ({"only": "PATCH pod"}, "only", 'only must be "METHOD type"'),
        ({"only": "PUT widget"}, "only", 'only must be "METHOD type"'),
        ({"only": 5}, "only", 'only must be "METHOD type"'),
    ],
)
def test_invalid_fault_settings_are_refused(control, expect_error, body, field, fragment):
    """Fault settings are validated and named."""
    expect_error(control.post("/_mock/faults", json=body), 400, "BAD_REQUEST", fragment, field=field)


def test_state_reports_counts_per_partition_clock_faults_and_org(control, context_api):
    """GET /_mock/state shows object counts per partition and type, the clock, faults and the org."""
    customer_id = context_api.customer(Context_First_Name="Ana")
    context_api.request(customer_id)
    context_api.customer(lab=True, Context_First_Name="Lab")
    state = control.get("/_mock/state").json()
    assert state["objects"] == {"production": {"customer": 1, "request": 1}, "lab": {"customer": 1}}
    assert state["faults"] == {"latencyMs": 0, "errorRate": 0.0, "status": 503, "loseAnswers": 0, "only": None}
    assert state["org"]["entitled"] is True
    assert state["clock"].endswith("Z")


@pytest.mark.parametrize(
    "body",
    [
        {"advanceSeconds": 1e20},
        {"advanceSeconds": 200 * 366 * 24 * 3600},
        {"advanceSeconds": -200 * 366 * 24 * 3600},
        {"now": "9999-12-31T23:59:59.000Z"},
        {"now": "0001-01-01T00:00:00.000Z"},
    ],
)
def test_a_clock_change_beyond_100_years_is_refused_and_the_clock_keeps_working(control, body, expect_error):
    """Moving the mock clock more than 100 years from real time is a 400 naming the field and the limit, and
    nothing changes (before: advanceSeconds 1e20 was a 500, and a time near year 1 or 9999 was taken and made
    later calls overflow: a seed answered 500)."""
    before = control.get("/_mock/clock").json()["now"][:4]
    field = next(iter(body))
    response = control.post("/_mock/clock", json=body)
    expect_error(response, 400, "BAD_REQUEST", "within 36525 days", field=field, limit=36_525 * 24 * 3600)
    after = control.get("/_mock/clock")
    assert after.status_code == 200 and after.json()["now"][:4] == before
    assert control.get("/_mock/state").status_code == 200


def test_a_clock_advance_within_100_years_is_allowed(control):
    """Ninety years ahead is still a time the mock can keep."""
    response = control.post("/_mock/clock", json={"advanceSeconds": 90 * 365 * 24 * 3600})
    assert response.status_code == 200, response.text
    assert control.get("/_mock/state").status_code == 200
