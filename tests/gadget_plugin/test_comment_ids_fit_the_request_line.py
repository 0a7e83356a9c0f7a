"""Every ``GET /comments`` the proxy accepts fits gunicorn's request line (4,094 bytes), and a longer list gets the
proxy's own JSON error naming ``activityIds`` and its limit, never gunicorn's plain-text 400 (issue: long ids in
GET /comments). Run through the proxy under gunicorn, as in production."""

from urllib.parse import quote

import pytest
import requests

from finesse_harness.harness import start_harness

ID_LIST_CHARS = 3500  # the documented limit of activityIds (docs/gadget-plugin.md)


@pytest.fixture(scope="module")
def gunicorn_api(tmp_path_factory):
    """Agent 1001's client of the proxy run under gunicorn (one worker)."""
    with start_harness(tmp_path_factory.mktemp("gunicorn"), gadget_process=["--workers", "1", "--threads", "4"]) as h:
        yield h.agent_api("1001")


def comments_of(api, activity_ids):
    """``GET /comments`` of these comma-separated ids: the response, whatever its status."""
    try:
        return api.get("/comments", params={"activityIds": activity_ids})
    except requests.HTTPError as failed:
        return failed.response


def ids_of_length(count, length, char="a"):
    """``count`` distinct ids of ``length`` characters, comma-separated."""
    return ",".join(f"{n:03d}".rjust(length, char) for n in range(count))


def sent(listed):
    """How many characters the list takes in the URL, percent-encoded."""
    return len(quote(listed, safe=""))


def test_the_longest_comment_ids_accepted_pass_through_gunicorn(gunicorn_api):
    """50 ids of 64 characters, and 50 ids in exactly 3,500 characters once percent-encoded: answered, every id
    listed (none names an activity: no comments)."""
    first = ids_of_length(49, 67) + ","
    longest = first + "z" * (ID_LIST_CHARS - sent(first))
    assert sent(longest) == ID_LIST_CHARS and len(longest.split(",")) == 50
    for listed in (ids_of_length(50, 64), longest):
        response = comments_of(gunicorn_api, listed)
        assert response.status_code == 200, response.text
        assert set(response.json()["comments"]) == set(listed.split(","))


# Lists of ids padded with characters the URL carries as 1, 3, 6 and 12 characters, from short to long (each
# within the 64 KB request line of the server in a thread).
CANDIDATES = [
    listed
    for char in ("a", "/", "š", "😀")
    for count, length in ((10, 40), (15, 128), (50, 36), (50, 64), (50, 128))
    if sent(listed := ids_of_length(count, length, char)) < 60_000
]


def test_every_comment_id_list_the_proxy_accepts_fits_gunicorns_request_line(api, gunicorn_api):
    """Whatever list the proxy takes (asked of it in a thread, where no request-line limit applies) passes through
    gunicorn too; any other gets the proxy's error naming ``activityIds`` and a limit, never gunicorn's 400/414."""
    for listed in CANDIDATES:
        answer = api.call("GET", "/comments", params={"activityIds": listed})
        if answer.status_code == 200:
            through = comments_of(gunicorn_api, listed)
            assert through.status_code == 200, (sent(listed), through.status_code, through.text[:80])
        else:
            error = answer.json()["error"]
            assert error["field"] == "activityIds" and error["limit"], error


@pytest.mark.parametrize(
    "listed",
    [
        pytest.param(ids_of_length(50, 71), id="50-ids-of-71-characters"),
        pytest.param(ids_of_length(12, 100, "/"), id="ids-of-characters-the-url-escapes"),
        pytest.param(ids_of_length(21, 30, "š"), id="ids-of-letters-beyond-ascii"),
    ],
)
def test_comment_ids_over_the_limit_get_our_error_naming_the_field_and_limit(gunicorn_api, listed):
    """A list over 3,500 characters once percent-encoded (what it takes in the URL) but within gunicorn's request
    line: 400 VALIDATION_FAILED naming ``activityIds`` and the limit, as JSON from the proxy."""
    assert ID_LIST_CHARS < sent(listed) < 4000
    response = comments_of(gunicorn_api, listed)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_FAILED" and error["field"] == "activityIds"
    assert error["limit"] == ID_LIST_CHARS and str(ID_LIST_CHARS) in error["message"]
