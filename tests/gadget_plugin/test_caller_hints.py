"""The screen pop's caller hints (caller_hints.py): bounded, short-lived, per identity, and holding no identity."""

import pickle

from gadget_plugin import caller_hints
from gadget_plugin.caller_hints import CallerHints

ANN = {"phone": "+15550102030", "email": None, "chat": None}


def test_a_single_match_is_remembered_and_none_or_several_forget_it():
    hints = CallerHints(60)
    hints.found(ANN, ["ann"])
    assert hints.get(ANN) == ("ann", False)
    hints.found(ANN, ["ann", "bob"])
    assert hints.get(ANN) is None
    hints.found(ANN, ["ann"])
    hints.found(ANN, [])
    assert hints.get(ANN) is None


def test_a_hint_is_kept_only_for_its_seconds(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(caller_hints.time, "monotonic", lambda: now[0])
    hints = CallerHints(60)
    hints.found(ANN, ["ann"])
    now[0] += 59
    assert hints.get(ANN).customer_id == "ann"
    now[0] += 2
    assert hints.get(ANN) is None and len(hints) == 0


def test_a_caller_whose_activities_filled_the_shared_search_is_marked_so():
    hints = CallerHints(60)
    hints.found(ANN, ["ann"], full_page=True)
    assert hints.get(ANN) == ("ann", True)


def test_zero_seconds_keeps_no_hint():
    hints = CallerHints(0)
    hints.found(ANN, ["ann"])
    assert hints.get(ANN) is None and len(hints) == 0


def test_the_least_recently_used_hint_goes_first_past_the_limit():
    hints = CallerHints(60, max_hints=2)
    callers = [{"phone": f"+1555010000{n}"} for n in range(3)]
    hints.found(callers[0], ["c0"])
    hints.found(callers[1], ["c1"])
    assert hints.get(callers[0]).customer_id == "c0"  # used: callers[1] is now the oldest
    hints.found(callers[2], ["c2"])
    assert [(hints.get(caller) or [None])[0] for caller in callers] == ["c0", None, "c2"]


def test_an_identity_is_told_apart_by_every_part_and_never_kept_readable():
    hints = CallerHints(60)
    hints.found(ANN, ["ann"])
    assert hints.get(dict(ANN, email="ann@example.com")) is None
    assert hints.get({"phone": None, "email": None, "chat": None}) is None
    assert b"5550102030" not in pickle.dumps(list(hints._hints.items()))


def test_a_look_up_without_a_dialog_keeps_the_full_page_mark_of_the_same_customer():
    hints = CallerHints(60)
    hints.found(ANN, ["ann"], full_page=True)
    hints.found(ANN, ["ann"], full_page=None)
    assert hints.get(ANN) == ("ann", True)
    hints.found(ANN, ["bob"], full_page=None)
    assert hints.get(ANN) == ("bob", False)
