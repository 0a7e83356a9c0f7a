"""Fixtures of the finesse.js and sample-gadget tests."""

import pytest


@pytest.fixture()
def hold_first_gadget_get(page):
    """``hold(path)`` holds the first GET a gadget sends through ``/gadgets/makeRequest`` to a Finesse URL containing
    ``path`` (URL-encoded, e.g. ``%2FUser%2F1001%2FDialogs``); returns the list that gets the held route (call its
    ``continue_()`` to release it). Every other request goes on."""

    def hold(path):
        held = []

        def route_it(route):
            form = route.request.post_data or ""
            if not held and "httpMethod=GET" in form and path in form:
                held.append(route)
            else:
                route.continue_()

        page.route("**/gadgets/makeRequest", route_it)
        return held

    return hold
