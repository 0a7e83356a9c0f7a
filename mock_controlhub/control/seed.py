"""Deterministic demo data: customers with requests, activities of every media type, tags and comments.

The same seed and size always give the same content (ids are fresh UUIDs). The first customers are the
fixed demo customers of docs/context-service-mock.md, which tests and demos rely on; the rest are
generated. Objects are back-dated over the last weeks, so older requests are already closed.
"""

import datetime as dt
import random
import unicodedata

from ..shapes import Store, Wire

from ..contextservice import models as objects
from ..contextservice.wire import MEDIA_TYPES

MAX_SEED_SIZE = 2_000
# A demo person: first, last, phone, email, city, country, language and (some) state.
Person = dict[str, str]
DEMO_CUSTOMERS: tuple[Person, ...] = (
    {
        "first": "Ana",
        "last": "Kovačić",
        "phone": "+385911234567",
        "email": "ana.kovacic@example.com",
        "city": "Zagreb",
        "country": "Croatia",
        "language": "hr-HR",
    },
    {
        "first": "Marko",
        "last": "Horvat",
        "phone": "+385981112233",
        "email": "marko.horvat@example.com",
        "city": "Split",
        "country": "Croatia",
        "language": "hr-HR",
    },
    {
        "first": "Ivana",
        "last": "Horvat",
        "phone": "+385981112233",
        "email": "ivana.horvat@example.com",
        "city": "Split",
        "country": "Croatia",
        "language": "hr-HR",
    },
    {
        "first": "Peter",
        "last": "Paul",
        "phone": "+12025550143",
        "email": "peter.paul@example.com",
        "city": "Denver",
        "country": "United States",
        "language": "en-US",
    },
    {
        "first": "Bill",
        "last": "Peters",
        "phone": "+12025550178",
        "email": "bill@example.com",
        "city": "Chicago",
        "country": "United States",
        "language": "en-US",
    },
    {
        "first": "Randy",
        "last": "Bill",
        "phone": "+13075550112",
        "email": "randy.bill@example.com",
        "city": "Bill",
        "state": "WY",
        "country": "United States",
        "language": "en-US",
    },
)
FIRST_NAMES = (
    "Ivan",
    "Petra",
    "Luka",
    "Maja",
    "Nikola",
    "Jelena",
    "Tomislav",
    "Sara",
    "John",
    "Emma",
    "Olivia",
    "Liam",
    "Noah",
    "Mia",
    "Milan",
    "Dragana",
    "Stefan",
    "Katarina",
    "David",
    "Lucija",
)
LAST_NAMES = (
    "Novak",
    "Babić",
    "Marić",
    "Jurić",
    "Knežević",
    "Petrović",
    "Jovanović",
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Wilson",
    "Perić",
    "Vuković",
    "Pavlović",
    "Nikolić",
    "Tomić",
    "Martin",
    "Clark",
    "Lewis",
)
CITIES = (
    ("Zagreb", "Croatia"),
    ("Rijeka", "Croatia"),
    ("Osijek", "Croatia"),
    ("Beograd", "Serbia"),
    ("Novi Sad", "Serbia"),
    ("London", "United Kingdom"),
    ("Boston", "United States"),
)
REQUEST_TITLES = (
    "Router keeps disconnecting",
    "Invoice charged twice",
    "Move service to a new address",
    "Upgrade to fibre",
    "Cancel the TV package",
    "Refund for the outage",
    "Password reset fails",
    "Roaming does not work abroad",
)
NOTES = (
    "Customer called about the issue.",
    "Sent troubleshooting steps by email.",
    "Escalated to second level.",
    "Customer confirmed the fix works.",
    "Waiting for the customer's reply.",
)
COMMENTS = (
    "Please call back after 5 pm.",
    "Prefers email over phone.",
    "Technician visit booked.",
    "Credit note issued.",
)
TAGS = ("billing", "router", "outage", "vip", "refund", "fibre", "complaint", "roaming")
AGENTS = ("Agent 1001", "Agent 1002", "Agent 1003")
HOUR = dt.timedelta(hours=1)


def seed_demo_data(backend: Store, seed: int, size: int, lab: bool = False) -> Wire:
    """Create ``size`` customers (the fixed demo customers first) with their journeys, all in one transaction:
    a seed interrupted half-way (an error, Ctrl+C, a killed process) leaves nothing behind; returns the counts."""
    rng = random.Random(seed)
    now = backend.clock.now()
    created = {"customer": 0, "request": 0, "activity": 0, "detail.comment": 0}
    media_cycle = list(MEDIA_TYPES)
    with backend.transaction():
        for index in range(size):
            person = DEMO_CUSTOMERS[index] if index < len(DEMO_CUSTOMERS) else _generated_person(rng, index)
            start = now - dt.timedelta(days=rng.randint(20, 40), hours=rng.randint(0, 23))
            customer_id = _create(backend, created, "customer", _customer_body(person), lab, start)
            _seed_journey(backend, rng, created, customer_id, person, start, now, media_cycle, lab)
    return {
        "seed": seed,
        "size": size,
        "labMode": lab,
        "created": created,
        "demoCustomers": [f"{p['first']} {p['last']}" for p in DEMO_CUSTOMERS[:size]],
    }


def _seed_journey(
    backend: Store,
    rng: random.Random,
    created: dict[str, int],
    customer_id: str,
    person: Person,
    start: dt.datetime,
    now: dt.datetime,
    media_cycle: list[str],
    lab: bool,
) -> None:
    """Older requests (closed by now) and one recent, open request, each with activities and comments."""
    moments = [start + dt.timedelta(days=rng.randint(1, 3))]
    for _ in range(rng.randint(0, 2)):
        later = moments[-1] + dt.timedelta(days=rng.randint(6, 9))
        if later < now - dt.timedelta(days=6):
            moments.append(later)
    moments.append(now - dt.timedelta(hours=rng.randint(12, 36)))
    for moment in moments:
        body = {
            "customerId": customer_id,
            "fieldsets": ["cisco.base.request"],
            "dataElements": [
                {"Context_Title": rng.choice(REQUEST_TITLES), "type": "string"},
                {"Context_Description": rng.choice(NOTES), "type": "string"},
            ],
        }
        request_id = _create(backend, created, "request", body, lab, moment)
        for step in range(rng.randint(1, 3)):
            media_type = media_cycle[created["activity"] % len(media_cycle)]
            activity_id = _create(
                backend,
                created,
                "activity",
                _activity_body(rng, customer_id, request_id, person, media_type),
                lab,
                moment + (step * 5 + 1) * HOUR,
            )
            if rng.random() < 0.5:
                _create(
                    backend, created, "detail", _comment_body(rng, activity_id), lab, moment + (step * 5 + 2) * HOUR
                )


def _create(backend: Store, created: dict[str, int], path_type: str, body: Wire, lab: bool, moment: dt.datetime) -> str:
    """Create one back-dated object, count it in ``created``; returns its id."""
    answer = objects.create_object(backend, path_type, body, lab, at=moment)
    created[body.get("type", path_type)] += 1
    return answer["id"]


def _customer_body(person: Person) -> Wire:
    """A customer's body from a demo person."""
    values = {
        "Context_First_Name": person["first"],
        "Context_Last_Name": person["last"],
        "Context_Home_Email": person["email"],
        "Context_Mobile_Phone": person["phone"],
        "Context_City": person["city"],
        "Context_Country": person["country"],
        "Context_Preferred_Language": person["language"],
    }
    if person.get("state"):
        values["Context_State"] = person["state"]
    return {
        "fieldsets": ["cisco.base.customer"],
        "dataElements": [{field: value, "type": "string"} for field, value in values.items()],
    }


def _activity_body(rng: random.Random, customer_id: str, request_id: str, person: Person, media_type: str) -> Wire:
    """An activity of the person's request, with source name, email and phone, random notes and tags."""
    return {
        "customerId": customer_id,
        "parentId": request_id,
        "mediaType": media_type,
        "fieldsets": ["cisco.base.pod"],
        "tags": rng.sample(TAGS, rng.randint(0, 2)),
        "contributors": [{"type": "USER", "username": rng.choice(AGENTS)}],
        "dataElements": [
            {"Context_Notes": rng.choice(NOTES), "type": "string"},
            {"Context_POD_Source_Cust_Name": f"{person['first']} {person['last']}", "type": "string"},
            {"Context_POD_Source_Email": person["email"], "type": "string"},
            {"Context_POD_Source_Phone": person["phone"], "type": "string"},
        ],
    }


def _comment_body(rng: random.Random, activity_id: str) -> Wire:
    """A visible comment on an activity."""
    return {
        "type": "detail.comment",
        "parentId": activity_id,
        "fieldsets": ["cisco.base.comment"],
        "dataElements": [
            {"Context_Comment": rng.choice(COMMENTS), "type": "string"},
            {"Context_DisplayName": rng.choice(AGENTS), "type": "string"},
            {"Context_Visible": True, "type": "boolean"},
        ],
    }


def _generated_person(rng: random.Random, index: int) -> Person:
    """A generated demo person (the email made unique by ``index``)."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    city, country = rng.choice(CITIES)
    email = f"{_ascii(first)}.{_ascii(last)}{index}@example.com".lower()
    return {
        "first": first,
        "last": last,
        "phone": f"+3859{rng.randint(10_000_000, 99_999_999)}",
        "email": email,
        "city": city,
        "country": country,
        "language": rng.choice(("en-US", "hr-HR", "sr-Latn-RS")),
    }


def _ascii(text: str) -> str:
    """``text`` without its accents (for email addresses)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
