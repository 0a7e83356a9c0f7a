"""Phone books and contacts: the REST resources (shapes from developer.cisco.com/docs/finesse/phonebook and
…/contact), who sees which book, Finesse's limits, the PHONEBOOKS setting and the /_mock/phonebooks control."""

import pytest
import requests
from lxml import etree

from mock_finesse.config import ConfigError, load_config


TEAM_BOOK = {
    "name": "Customer Care Escalations",
    "type": "TEAM",
    "teamIds": ["10"],
    "contacts": [{"firstName": "Escalation", "lastName": "Desk", "phoneNumber": "3999"}],
}


@pytest.fixture(autouse=True)
def team_book(finesse):
    """Team 10's own phone book (id 2) beside the configured GLOBAL one."""
    response = finesse.control("PUT", "/phonebooks/2", json=TEAM_BOOK)
    assert response.status_code == 200, response.text


def get_xml(finesse, path, headers):
    response = requests.get(finesse.url + "/finesse/api" + path, headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    return etree.fromstring(response.content)


def test_user_phonebooks_list_the_global_and_the_teams_books_in_finesses_shape(finesse, agent_1001):
    """<PhoneBooks><PhoneBook><uri/><name/><type/><contacts/></PhoneBook>…: GLOBAL plus the team's TEAM book."""
    root = get_xml(finesse, "/User/1001/PhoneBooks", agent_1001)
    books = [[child.tag for child in book] for book in root.findall("PhoneBook")]
    assert books == [["uri", "name", "type", "contacts"]] * 2
    assert [(b.findtext("uri"), b.findtext("type"), b.findtext("contacts")) for b in root] == [
        ("/finesse/api/PhoneBook/1", "GLOBAL", "/finesse/api/PhoneBook/1/Contacts"),
        ("/finesse/api/PhoneBook/2", "TEAM", "/finesse/api/PhoneBook/2/Contacts"),
    ]


def test_an_agent_of_another_team_sees_only_the_global_book(finesse, basic, api_error):
    """Agent 1003 (team 20) gets the GLOBAL book; the TEAM book of team 10 is 404 to them."""
    headers = {"Authorization": basic("1003", "demo1003")}
    root = get_xml(finesse, "/User/1003/PhoneBooks", headers)
    assert [b.findtext("name") for b in root] == ["Company Directory"]
    response = requests.get(finesse.url + "/finesse/api/PhoneBook/2/Contacts", headers=headers, timeout=10)
    assert response.status_code == 404 and api_error(response)[2] == "2"


def test_contacts_come_in_finesses_contact_shape(finesse, agent_1001):
    """<Contact> has firstName, lastName, phoneNumber, description and its uri …/PhoneBook/{id}/Contact/{id}."""
    contact = get_xml(finesse, "/PhoneBook/1/Contacts", agent_1001).find("Contact")
    assert [c.tag for c in contact] == ["firstName", "lastName", "phoneNumber", "description", "uri"]
    assert (contact.findtext("phoneNumber"), contact.findtext("uri")) == ("3900", "/finesse/api/PhoneBook/1/Contact/1")


def put_book(finesse, book_id, body):
    return finesse.control("PUT", f"/phonebooks/{book_id}", json=body)


def test_control_api_replaces_a_book_and_reset_brings_back_the_configured_ones(finesse, agent_1001):
    """PUT /_mock/phonebooks/1 replaces its contacts; POST /_mock/reset restores the PHONEBOOKS setting (and
    drops the books added since)."""
    answer = put_book(finesse, "1", {"name": "Directory", "contacts": [{"firstName": "Ana", "phoneNumber": "555"}]})
    assert answer.status_code == 200 and answer.json()["contacts"] == 1
    assert [c.findtext("phoneNumber") for c in get_xml(finesse, "/PhoneBook/1/Contacts", agent_1001)] == ["555"]
    finesse.reset()
    assert [c.findtext("phoneNumber") for c in get_xml(finesse, "/PhoneBook/1/Contacts", agent_1001)] == [
        "3900",
        "+385911230000",
    ]
    assert [b.findtext("name") for b in get_xml(finesse, "/User/1001/PhoneBooks", agent_1001)] == ["Company Directory"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "x", "contacts": [{"phoneNumber": "1" * 33}]}, "contacts[0].phoneNumber is longer than 32"),
        (
            {"name": "x", "contacts": [{"firstName": "a" * 129, "phoneNumber": "1"}]},
            "contacts[0].firstName is longer than 128",
        ),
        ({"name": "x", "contacts": [{"lastName": "Kos"}]}, "contacts[0].phoneNumber is required"),
        ({"name": "x", "type": "TEAM", "teamIds": ["99"]}, "teamIds: '99' is not a configured team"),
        ({"name": "x", "type": "PRIVATE"}, "type must be GLOBAL or TEAM"),
        ({"name": "x", "contacts": [{"phoneNumber": "1"}] * 6001}, "at most 6000 contacts"),
    ],
)
def test_a_book_breaking_finesses_limits_is_refused_naming_the_field_and_nothing_changes(
    finesse, agent_1001, api_error, body, field
):
    """Each limit of Finesse's Contact/PhoneBook parameters is a 400 naming the field; the book stays as it was."""
    response = put_book(finesse, "1", body)
    assert response.status_code == 400 and field in api_error(response)[1]
    assert len(get_xml(finesse, "/PhoneBook/1/Contacts", agent_1001)) == 2


def test_more_than_ten_global_books_are_refused(finesse, api_error):
    """Finesse allows 10 GLOBAL phone books."""
    for book_id in range(3, 12):
        assert put_book(finesse, str(book_id), {"name": f"Book {book_id}"}).status_code == 200
    response = put_book(finesse, "12", {"name": "One too many"})
    assert response.status_code == 400 and "at most 10 GLOBAL phone books" in api_error(response)[1]


def test_a_bad_phonebooks_setting_stops_start_up_naming_the_entry():
    """PHONEBOOKS[1] with a 33-digit number: ConfigError naming PHONEBOOKS[1] and the field."""
    books = [{"id": "1", "name": "A"}, {"id": "2", "name": "B", "contacts": [{"phoneNumber": "9" * 33}]}]
    with pytest.raises(ConfigError, match=r"PHONEBOOKS\[1\]: contacts\[0\]\.phoneNumber is longer than 32"):
        load_config({"PHONEBOOKS": books}, environ={})
