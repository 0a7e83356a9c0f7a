"""The harness's own error: a helper of the kit did not get what it needs.

The helpers check with an explicit ``raise``, never a plain ``assert``: ``python -O`` (or ``PYTHONOPTIMIZE``) strips
assert statements, and a check that vanishes lets a failed sign-in or a refused control call run on into a
puzzling error far from its cause.
"""

import requests


class HarnessError(RuntimeError):
    """What a harness helper expected and what came instead (the message names both)."""


def checked(response: requests.Response, what: str, below: int = 400) -> requests.Response:
    """``response`` when its status is under ``below``; else HarnessError naming ``what``, the status expected
    and the answer that came."""
    if response.status_code >= below:
        raise HarnessError(
            f"{what}: expected an HTTP status under {below}, got HTTP {response.status_code}: {response.text}"
        )
    return response
