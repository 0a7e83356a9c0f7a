"""``start_harness`` is the one way to start the three servers: registered, allowed, with working API clients."""

import pytest
import requests

from finesse_harness.harness import start_harness

CUSTOMER = {
    "fields": {"Context_First_Name": "Ana", "Context_Last_Name": "Horvat", "Context_Mobile_Phone": "+385912345678"}
}


def test_started_harness_is_registered_allowed_and_answers_through_both_clients(tmp_path):
    with start_harness(tmp_path) as harness:
        created = harness.agent_api("1001").post("/customers", json=CUSTOMER).json()
        # The same customer straight from Context Service, as the gadget server's registered machine account.
        stored = harness.context_service_api().get(f"/context/v1/customer/{created['id']}").json()
        assert stored["id"] == created["id"]
        gadget_origin = harness.gadget.url.removeprefix("http://")
        assert gadget_origin in harness.finesse.app.config["MAKEREQUEST_ALLOWLIST"]
        assert harness.finesse.gadget_dir.is_dir()
        urls = [harness.controlhub.url, harness.finesse.url, harness.gadget.url]
    for url in urls:
        with pytest.raises(requests.ConnectionError):
            requests.get(url + "/", timeout=2)


def test_reset_leaves_an_empty_cloud_and_a_registered_gadget_server(tmp_path):
    with start_harness(tmp_path) as harness:
        api = harness.agent_api("1001")
        before = api.post("/customers", json=CUSTOMER).json()
        harness.reset()
        with pytest.raises(requests.HTTPError) as gone:
            api.get(f"/customers/{before['id']}")
        assert gone.value.response.status_code == 404
        assert api.post("/customers", json=CUSTOMER).json()["id"] != before["id"]


def test_gadget_server_in_a_process_of_its_own_serves_the_same_api(tmp_path):
    with start_harness(tmp_path, gadget_process="cli") as harness:
        assert requests.get(harness.gadget.url + "/healthz", timeout=10).ok
        assert harness.agent_api("1001").post("/customers", json=CUSTOMER).json()["id"]
