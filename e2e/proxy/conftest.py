"""Steps shared by the proxy's in-desktop tests, as fixtures: store a caller, answer their call in the gadget."""

import base64

import pytest
import requests
from playwright.sync_api import expect


@pytest.fixture()
def store_caller(gadget):
    """``store_caller(first, last, phone)``: store a customer with this mobile phone through the proxy (agent
    1001)."""
    auth = "Basic " + base64.b64encode(b"1001:demo1001").decode()

    def store(first_name, last_name, phone):
        requests.post(
            gadget.url + "/api/v1/customers",
            headers={"Authorization": auth},
            timeout=10,
            json={
                "fields": {
                    "Context_First_Name": first_name,
                    "Context_Last_Name": last_name,
                    "Context_Mobile_Phone": phone,
                }
            },
        ).raise_for_status()

    return store


@pytest.fixture()
def answer_call_in_gadget():
    """``answer_call_in_gadget(agent, spec, caller)``: wait for the gadget on the agent's desktop, answer a call
    from ``caller``; returns the gadget's frame."""

    def answer(agent, spec, caller):
        frame = agent.gadget_frame(spec)
        expect(frame.locator("#cc-app")).to_be_visible()
        dialog = agent.offer_call(caller)
        agent.dialog_action(dialog["id"], "ANSWER")
        return frame

    return answer
