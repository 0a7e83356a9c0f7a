"""The screen pop in one call: the look-up of the interaction's identity and, for a single match, its journey."""

from . import customers, journey, shapes


def screen_pop(backend, phone, email, chat, max_entries):
    """``{matches: [Customer + lastContact], count, journey}``; ``journey`` (first page) only for a single match.

    A single match costs three Context Service rounds: the look-up, the journey's searches (which also give
    ``lastContact``), the comments of its activities.
    """
    found = customers.matching(backend, phone, email, chat)
    if len(found) != 1:
        return dict(customers.lookup_answer(backend, found), journey=None)
    shown, last_contact = journey.journey_and_last_contact(backend, found[0]["id"], 0, max_entries)
    return {"matches": [dict(shapes.customer(found[0]), lastContact=last_contact)], "count": 1, "journey": shown}
