"""Demo seeding is all-or-nothing (issue #10: an interrupted first start left 260 of 2,000 customers for ever,
and the demo, seeing customers, never seeded again)."""

from mock_controlhub.contextservice import models as objects


def test_seed_that_fails_half_way_leaves_nothing_behind(controlhub, monkeypatch):
    """The 261st object write fails: POST /_mock/seed answers an error and the mock cloud holds no object."""
    real_create = objects.create_object
    calls = []

    def failing_create(*args, **kwargs):
        calls.append(1)
        if len(calls) > 260:
            raise RuntimeError("the process was interrupted")
        return real_create(*args, **kwargs)

    monkeypatch.setattr(objects, "create_object", failing_create)
    answer = controlhub.control("POST", "/seed", json={"seed": 1, "size": 200})
    assert answer.status_code == 500
    assert len(calls) == 261
    assert controlhub.control("GET", "/state").json()["objects"]["production"] == {}


def test_a_failed_seed_can_simply_be_run_again(controlhub, monkeypatch):
    """After a failed seed the same seed succeeds in full (the demo's next start seeds, as it sees no customer)."""
    real_create = objects.create_object
    monkeypatch.setattr(objects, "create_object", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("down")))
    assert controlhub.control("POST", "/seed", json={"seed": 1, "size": 5}).status_code == 500
    monkeypatch.setattr(objects, "create_object", real_create)
    answer = controlhub.control("POST", "/seed", json={"seed": 1, "size": 5}).json()
    counts = controlhub.control("GET", "/state").json()["objects"]["production"]
    assert counts["customer"] == answer["created"]["customer"] == 5
    assert counts["activity"] == answer["created"]["activity"]
