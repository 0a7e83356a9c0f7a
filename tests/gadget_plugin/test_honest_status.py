"""/api/v1/status reflects the object API (a cheap object call plus the live error rate of real calls), not only
the dictionary, so the gadget enters its outage mode when customers, requests and activities cannot be used."""

import time
from concurrent.futures import ThreadPoolExecutor

from gadget_plugin import get_backend


def eventually(read, accept, seconds=5):
    """Poll ``read()`` until ``accept`` holds (or time is up); the last value."""
    deadline = time.monotonic() + seconds
    while not accept(value := read()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return value


def test_status_with_every_object_call_failing_says_unreachable(api, gadget, faults):
    """The measured defect: every /context/v1 call answering 500 while the dictionary answers; status said
    available. Now: available false, reason UNREACHABLE (the gadget's outage mode)."""
    faults(errorRate=1.0, status=500)
    gadget.reset()
    status = api.ok("GET", "/status")
    assert status["available"] is False and status["reason"] == "UNREACHABLE"
    assert status["entitled"] is True and status["registered"] is True


def test_status_turns_unavailable_as_soon_as_real_calls_fail_although_its_probe_is_cached(api, customer, faults):
    """A good probe is cached for STATUS_CACHE_SECONDS (10 s); when the agent's real calls then fail, status
    says UNREACHABLE at once and shows the error rate."""
    assert api.ok("GET", "/status")["available"] is True
    faults(errorRate=1.0, status=503)
    for _ in range(3):
        api.error("GET", f"/customers/{customer['id']}", 503, "UPSTREAM_UNAVAILABLE")
    status = api.ok("GET", "/status")
    assert status["available"] is False and status["reason"] == "UNREACHABLE"
    assert status["errorRate"]["share"] >= 0.5 and status["errorRate"]["calls"] >= 5


def test_status_is_available_again_within_seconds_of_context_service_recovering(api, customer, faults):
    """After the outage the probe is repeated within a couple of seconds, so the gadget saves its drafts soon."""
    faults(errorRate=1.0, status=503)
    for _ in range(3):
        api.error("GET", f"/customers/{customer['id']}", 503, "UPSTREAM_UNAVAILABLE")
    assert api.ok("GET", "/status")["available"] is False
    faults()
    started = time.monotonic()
    status = eventually(lambda: api.ok("GET", "/status"), lambda s: s["available"])
    assert status["available"] is True and time.monotonic() - started < 4


def test_status_probes_context_service_once_for_many_concurrent_callers(api, gadget):
    """Concurrent status calls share one probe (single-flight, then cached)."""
    client = get_backend(gadget.app).cs
    probes = []
    original = client.session.request

    def counting(method, url, **kwargs):
        if "/access_token" not in url:  # every Context Service call but the token is the probe's
            probes.append(url)
            time.sleep(0.3)
        return original(method, url, **kwargs)

    gadget.reset()
    api.ok("GET", "/fields")  # token and agent verified before the burst
    client.session.request = counting
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            answers = list(pool.map(lambda _: api.call("GET", "/status"), range(2)))
    finally:
        client.session.request = original
    assert [answer.status_code for answer in answers] == [200, 200]
    assert len(probes) == 1
