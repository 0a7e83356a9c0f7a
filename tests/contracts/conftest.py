"""The contract corpus (corpus.json): request/answer pairs transcribed from public evidence, and the helpers
that replay them against the mock cloud and feed the recorded answers to the proxy's client."""

import json
import pathlib
import re
import types

import pytest

CORPUS = json.loads(pathlib.Path(__file__).with_name("corpus.json").read_text())
PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


def scenario(name):
    """The corpus scenario called ``name``."""
    return next(s for s in CORPUS["scenarios"] if s["name"] == name)


def substituted(value, variables):
    """``value`` with every ``${name}`` replaced; a string that is one placeholder becomes the value itself."""
    if isinstance(value, str):
        whole = PLACEHOLDER.fullmatch(value)
        if whole:
            return variables[whole.group(1)]
        return PLACEHOLDER.sub(lambda m: str(variables[m.group(1)]), value)
    if isinstance(value, list):
        return [substituted(item, variables) for item in value]
    if isinstance(value, dict):
        return {key: substituted(item, variables) for key, item in value.items()}
    return value


def conforms(recorded, actual, where="answer"):
    """Assert ``actual`` has the shape of the ``recorded`` answer: same JSON kinds, every recorded key present
    (values of other kinds only where the evidence shows both, e.g. ``searchable`` "false" or false)."""
    if isinstance(recorded, dict):
        assert isinstance(actual, dict), f"{where}: expected an object, got {actual!r}"
        for key, value in recorded.items():
            assert key in actual, f"{where}: no {key!r} in {sorted(actual)}"
            conforms(value, actual[key], f"{where}.{key}")
    elif isinstance(recorded, list):
        assert isinstance(actual, list), f"{where}: expected an array, got {type(actual).__name__}: {actual!r}"[:300]
        if recorded:
            assert actual, f"{where}: expected a non-empty array"
            conforms(recorded[0], actual[0], f"{where}[0]")
    elif isinstance(recorded, bool) or recorded in ("true", "false"):
        assert isinstance(actual, bool) or actual in ("true", "false"), f"{where}: expected a boolean, got {actual!r}"
    elif isinstance(recorded, (int, float)):
        assert isinstance(actual, (int, float)) and not isinstance(actual, bool), f"{where}: expected a number"
    elif isinstance(recorded, str):
        assert isinstance(actual, str), f"{where}: expected text, got {actual!r}"


def captured(body, path):
    """The value a step captures: the whole body (``.``) or one key of it."""
    return body if path == "." else body[path]


@pytest.fixture()
def contract():
    """The corpus helpers: ``scenario(name)``, ``substituted``, ``conforms``, ``captured``."""
    return types.SimpleNamespace(scenario=scenario, substituted=substituted, conforms=conforms, captured=captured)
