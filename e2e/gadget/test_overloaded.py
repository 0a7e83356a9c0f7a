"""The proxy is overloaded (its pool of writes and the queue are full: 503 OVERLOADED with Retry-After): the
gadget says so in the agent's language, keeps what they typed, and sends it again after Retry-After."""

import threading

import pytest
from playwright.sync_api import expect

from gadget_plugin import bulkheads, get_backend

BUDGET_SECONDS = 20  # Retry-After is a quarter of the budget: 5 s, longer than the outage mode's 3 s retries
HOLD_MS = 4000  # the other agent's save: long enough for the agent's save to meet it even on a loaded machine


@pytest.fixture()
def one_write_at_a_time(gadget):
    """The gadget server with a writes pool of one and no queue (``WRITE_POOL_SIZE=1``, ``POOL_QUEUE_SIZE=0``),
    a 20 s budget and ``CS_TIMEOUT_SECONDS`` 10 (the held save must not time out), for this test only."""
    backend, config = get_backend(gadget.app), gadget.app.config
    original, budget, timeout = backend.pools[bulkheads.WRITES], config["REQUEST_BUDGET_SECONDS"], backend.cs.timeout
    tiny = backend.pools[bulkheads.WRITES] = bulkheads.Bulkhead("writes", 1, 0)
    config["REQUEST_BUDGET_SECONDS"], backend.cs.timeout = BUDGET_SECONDS, 10
    yield tiny
    backend.pools[bulkheads.WRITES], config["REQUEST_BUDGET_SECONDS"], backend.cs.timeout = original, budget, timeout
    tiny.fanout.shutdown(wait=True)


def _hold_the_write_slot(desk, api, pool, customer):
    """Another agent's customer save whose Context Service PUT takes HOLD_MS holds the one write slot."""
    desk.cloud("POST", "/faults", {"latencyMs": HOLD_MS, "only": "PUT customer"})
    other = threading.Thread(
        target=api.call,
        args=(
            "PUT",
            f"/customers/{customer['id']}",
            {"fields": {"Context_City": "Split"}, "lastUpdated": customer["lastUpdated"]},
        ),
    )
    other.start()
    desk.eventually(pool.admitted, lambda admitted: admitted == 1)
    return other


@pytest.mark.allow_console_errors(r"status of 503")
@pytest.mark.parametrize("locale, busy", [("en_US", "busy"), ("hr_HR", "zauzet")])
def test_overloaded_proxy_keeps_the_text_says_so_and_saves_it_after_retry_after(
    desk, api, one_write_at_a_time, locale, busy
):
    """The description's save is refused 503 OVERLOADED (Retry-After 5): a localized "busy" notice (not the
    outage one), the text stays in the field, and the save is sent again no sooner than Retry-After and lands."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone="+385911112222")
    desk.sign_in(locale)
    desk.call("+385911112222")
    expect(desk.activities()).to_have_count(1)
    desk.locator(".cc-request__title").first.click()
    saves = []
    desk.page.on(
        "response",
        lambda response: (
            saves.append(response) if response.request.method == "PUT" and "/api/v1/requests/" in response.url else None
        ),
    )
    other = _hold_the_write_slot(desk, api, one_write_at_a_time, ann)

    desk.field("Context_Description").fill("Typed while the proxy was busy")
    desk.field("Context_Title").click()

    expect(desk.locator("#cc-notice")).to_contain_text(busy)
    expect(desk.locator("#cc-notice")).to_contain_text("5")
    expect(desk.field("Context_Description")).to_have_value("Typed while the proxy was busy")
    other.join()
    desk.eventually(
        lambda: api.journey(ann["id"])["requests"][0]["fields"].get("Context_Description"),
        lambda text: text == "Typed while the proxy was busy",
        timeout=15,
    )
    # The store holds the text before the browser has the answer: wait for the answer's event, not the store.
    desk.eventually(lambda: [save.status for save in saves], lambda statuses: len(statuses) >= 2)
    expect(desk.locator("#cc-details .cc-unsaved")).to_have_count(0)
    assert [save.status for save in saves] == [503, 200]
    refused, landed = (save.request.timing for save in saves)
    assert saves[0].headers["retry-after"] == "5"
    # The browser's own clock (ms): the save went out again no sooner than Retry-After after the refusal.
    assert landed["startTime"] - (refused["startTime"] + refused["responseEnd"]) >= 4900, (refused, landed)
