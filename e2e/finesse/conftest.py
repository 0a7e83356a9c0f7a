"""Fixtures of the finesse.js and sample-gadget tests."""

import pytest
from playwright.sync_api import Route


class HeldAnswer:
    """A held route whose server answer is already fetched: ``continue_()`` hands that (older) answer over."""

    def __init__(self, route: Route) -> None:
        self.route = route
        self.response = route.fetch()

    def continue_(self) -> None:
        """Give the page the answer fetched when the request was held."""
        self.route.fulfill(response=self.response)


@pytest.fixture()
def hold_first_gadget_get(page):
    """``hold(path)`` holds the first GET a gadget sends through ``/gadgets/makeRequest`` to a Finesse URL containing
    ``path`` (URL-encoded, e.g. ``%2FUser%2F1001%2FDialogs``); returns the list that gets the held route (call its
    ``continue_()`` to release it). ``hold(path, answered=True)`` lets the request reach the server first and holds
    its answer instead: what the page then gets was read before anything done while it was held. Every other
    request goes on."""

    def hold(path, answered=False):
        held = []

        def route_it(route):
            form = route.request.post_data or ""
            if not held and "httpMethod=GET" in form and path in form:
                held.append(HeldAnswer(route) if answered else route)
            else:
                route.continue_()

        page.route("**/gadgets/makeRequest", route_it)
        return held

    return hold
