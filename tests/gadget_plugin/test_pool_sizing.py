"""The proxy's default pools hold the bursts of the agents one process serves (issue #14, bench/bench_load.py):
100 busy agents per process keep about 14 writes in flight at bursts with the cloud 60 ms away (README, the
sizing rule), so the defaults (16 writes + 8 waiting) must take a burst of 24 writes at once without a 503.
Before they were 4 + 4, and the 200 agents of bench_load got 503 OVERLOADED on their first screen pops."""

import uuid
from concurrent.futures import ThreadPoolExecutor

BURST = 24  # 3 x 100 agents x 0.3 writes/s x 0.15 s ≈ 14 in flight, with room to spare
SLOW_MS = 200  # each write then holds its place ≥ 2 rounds = 400 ms: the whole burst is in the pool at once


def test_default_pools_take_a_burst_of_two_dozen_writes_without_refusing_any(api, faults):
    """24 customer creates at once against a slow cloud: every one is stored (201), none refused (503)."""
    api.ok("GET", "/status")  # token and agent verification in hand before the burst
    faults(latencyMs=SLOW_MS)

    def create(number):
        return api.call(
            "POST",
            "/customers",
            headers={"Idempotency-Key": str(uuid.uuid4())},
            json={"fields": {"Context_Last_Name": f"Burst{number}"}},
        )

    with ThreadPoolExecutor(max_workers=BURST) as pool:
        statuses = [response.status_code for response in pool.map(create, range(BURST))]

    assert statuses == [201] * BURST
