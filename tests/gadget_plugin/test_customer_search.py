"""Search that finds what the agent types: case variants of every word in one Context Service query.

Names, phones, emails and the address are PII/encrypted fields, which Context Service matches only as exact,
case-sensitive words ([BLOG-SEARCH] in reference/context-service.md §2.5), while Cisco's agent help promises
case-insensitive search ([CCG-SEARCH], §5.5).
"""

import pytest

from gadget_plugin import customer_search, get_backend

PEOPLE = [
    {"Context_First_Name": "Ivan", "Context_Last_Name": "Novak", "Context_City": "Zagreb"},
    {
        "Context_First_Name": "Petra",
        "Context_Last_Name": "Novak",
        "Context_City": "Split",
        "Context_Home_Email": "petra.novak@example.com",
    },
    {"Context_First_Name": "Marko", "Context_Last_Name": "Horvat", "Context_City": "Zagreb"},
    {"Context_First_Name": "Ana", "Context_Last_Name": "Kovačić", "Context_City": "Novi Sad"},
]


@pytest.fixture()
def people(api):
    """The four customers of PEOPLE, stored through the proxy; ``{first name: id}``."""
    return {p["Context_First_Name"]: api.ok("POST", "/customers", 201, json={"fields": p})["id"] for p in PEOPLE}


def found(api, query, **params):
    """The first names of the customers ``query`` finds, best first, and totalHits."""
    answer = api.ok("GET", "/customers/search", params={"q": query, **params})
    return [c["fields"]["Context_First_Name"] for c in answer["customers"]], answer["totalHits"]


@pytest.fixture()
def cs_searches(gadget, monkeypatch):
    """The query parameters of every search the proxy sends to Context Service during the test."""
    backend = get_backend(gadget.app)
    sent, original = [], backend.cs.search
    monkeypatch.setattr(
        backend.cs, "search", lambda object_type, params: sent.append(params) or original(object_type, params)
    )
    return sent


@pytest.mark.parametrize("query", ["Novak", "novak", "NOVAK", "nOvAk"])
def test_a_surname_in_any_capitals_finds_the_same_customers(api, people, query):
    """ "Novak", "novak", "NOVAK" (and odd mixes, through Capitalized) all find both Novaks."""
    names, total = found(api, query)
    assert sorted(names) == ["Ivan", "Petra"] and total == 2


def test_a_lower_case_city_finds_the_customers_of_that_city(api, people):
    """ "zagreb" finds the Zagreb customers, as "Zagreb" does."""
    assert sorted(found(api, "zagreb")[0]) == sorted(found(api, "Zagreb")[0]) == ["Ivan", "Marko"]


def test_several_words_in_any_capitals_must_all_match(api, people):
    """ "ivan zagreb" finds Ivan Novak only: several words narrow the search, as Cisco's AND does."""
    assert found(api, "ivan zagreb") == (["Ivan"], 1)
    assert found(api, "marko NOVAK") == ([], 0)


def test_a_quoted_phrase_matches_in_any_capitals(api, people):
    """ "novi sad" in quotes finds the customer living in Novi Sad."""
    assert found(api, '"novi sad"')[0] == ["Ana"]
    assert found(api, '"sad novi"')[0] == []


def test_diacritics_still_need_the_exact_spelling(api, people):
    """ "kovačić" finds Kovačić; "Kovacic" does not (diacritics are not guessed, the hint says so)."""
    assert found(api, "kovačić")[0] == ["Ana"]
    assert found(api, "Kovacic")[0] == []


def test_the_whole_search_is_one_context_service_query(api, people, cs_searches):
    """One OR query carries the variants of the longest word; the proxy checks the other words itself."""
    assert found(api, "ivan ZAGREB") == (["Ivan"], 1)
    assert len(cs_searches) == 1
    params = cs_searches[0]
    assert params["operation"] == "or" and params["maxEntries"] == customer_search.CANDIDATES
    assert sorted(params["query_string"].split()) == ["ZAGREB", "Zagreb", "zagreb"]


def test_capitals_as_typed_and_a_name_match_rank_first(api):
    """A customer named Zagreb outranks newer customers who only live in Zagreb; capitals as typed come first."""
    api.ok("POST", "/customers", 201, json={"fields": {"Context_First_Name": "Lea", "Context_Last_Name": "Zagreb"}})
    api.ok("POST", "/customers", 201, json={"fields": {"Context_First_Name": "Ema", "Context_City": "Zagreb"}})
    api.ok("POST", "/customers", 201, json={"fields": {"Context_First_Name": "Iva", "Context_City": "ZAGREB"}})
    assert found(api, "Zagreb")[0] == ["Lea", "Ema", "Iva"]
    assert found(api, "ZAGREB")[0] == ["Iva", "Lea", "Ema"]


def test_a_full_candidate_window_searches_the_words_together_in_each_capitalization(
    api, people, cs_searches, monkeypatch
):
    """When the common word's candidates fill the window (newest first: Marko), Ivan beyond it is still found
    by searching all the words together, once per capitalization style ("Ivan Zagreb" among them)."""
    monkeypatch.setattr(customer_search, "CANDIDATES", 1)
    assert found(api, "ivan zagreb")[0] == ["Ivan"]
    together = sorted(params["query_string"] for params in cs_searches[1:])
    assert together == ["IVAN ZAGREB", "Ivan Zagreb", "ivan zagreb"]
    assert all(params["operation"] == "and" for params in cs_searches[1:])


def test_paging_applies_to_the_ranked_customers(api, people):
    """startIndex / maxEntries page through the ranked list; totalHits counts them all."""
    first, total = found(api, "zagreb", maxEntries=1)
    second, _ = found(api, "zagreb", maxEntries=1, startIndex=1)
    assert total == 2 and sorted(first + second) == ["Ivan", "Marko"]


@pytest.mark.parametrize(
    "query, message",
    [
        ('"novak', "unbalanced double quote"),
        ("-- ..", "no letters or digits"),
    ],
)
def test_a_query_without_words_is_refused_naming_q(api, query, message):
    """400 VALIDATION_FAILED naming q and the problem."""
    error = api.error("GET", "/customers/search", 400, "VALIDATION_FAILED", params={"q": query})
    assert error["field"] == "q" and message in error["message"]


def test_more_than_ten_words_are_refused_with_the_limit(api):
    """Eleven words: 400 naming q and the limit of 10."""
    error = api.error(
        "GET", "/customers/search", 400, "VALIDATION_FAILED", params={"q": " ".join(f"w{i}" for i in range(11))}
    )
    assert error["field"] == "q" and error["limit"] == customer_search.MAX_ITEMS


def test_more_stays_a_boolean_when_the_words_are_also_searched_together(api, people, monkeypatch):
    """A full candidate window (``more``: true) that sends the words-together searches still answers ``more``
    as true, never the raw objects the last of those searches found (mypy found the name reused for both)."""
    monkeypatch.setattr(customer_search, "CANDIDATES", 1)
    answer = api.ok("GET", "/customers/search", params={"q": "ivan zagreb"})
    assert [c["fields"]["Context_First_Name"] for c in answer["customers"]] == ["Ivan"]
    assert answer["more"] is True
