"""With the gadget pref transport=makeRequest the gadget reaches the proxy through Finesse's Shindig proxy."""

import requests
from playwright.sync_api import expect


def test_screen_pop_works_through_make_request_transport(desk, api, finesse, gadget, page):
    """The agent's saved pref switches the transport; a known caller still pops with the call recorded."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone="+385911112222")
    saved = requests.post(
        finesse.url + "/gadgets/prefs",
        timeout=10,
        auth=("1001", "demo1001"),
        data={"url": gadget.url + "/gadget.xml", "name": "transport", "value": "makeRequest"},
    )
    assert saved.status_code == 204, saved.text
    proxied, direct = [], []

    def watch(request):
        if "/gadgets/makeRequest" in request.url and "api%2Fv1" in (request.post_data or ""):
            proxied.append(request.post_data)
        elif request.url.startswith(gadget.url + "/api/v1"):
            direct.append(request.url)

    page.on("request", watch)  # the first desktop opens in this page
    desk.sign_in()

    desk.call("+385911112222")

    expect(desk.customer_header()).to_have_text("Ann Lee")
    expect(desk.activities()).to_have_count(1)
    assert len(api.journey(ann["id"])["requests"][0]["activities"]) == 1
    assert proxied and direct == []
