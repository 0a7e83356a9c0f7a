"""A field an administrator adds to an activity fieldset in Control Hub appears in the activity's details."""
import requests
from playwright.sync_api import expect

TIMEOUT = 10


def token(controlhub, **form):
    """An access token from the mock cloud's token endpoint, as an Authorization header."""
    answer = requests.post(controlhub.url + "/idb/oauth2/v1/access_token", data=form, timeout=TIMEOUT)
    answer.raise_for_status()
    return {"Authorization": "Bearer " + answer.json()["access_token"]}


def admin_call(controlhub, headers, method, path, body=None):
    """A Control Hub dictionary call as the admin; asserts success."""
    answer = requests.request(method, controlhub.url + path, json=body, headers=headers, timeout=TIMEOUT)
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def test_field_added_to_activity_fieldset_appears_with_its_label(desk, api, controlhub, gadget):
    """acme.activity gets a Warranty field in Control Hub; after the desktop reloads the activity shows it."""
    from mock_controlhub import get_backend, identity

    config = controlhub.app.config
    admin = token(controlhub, grant_type="password", username=config["ADMIN_EMAIL"], password=config["ADMIN_PASSWORD"])
    for field_id, label in (("Acme_Order_Number", "Order number"), ("Acme_Warranty", "Warranty")):
        admin_call(controlhub, admin, "POST", "/dictionary/field/v1", {
            "id": field_id, "dataType": "string", "classification": "UNENCRYPTED", "searchable": True,
            "translations": {"en_US": label}})
    admin_call(controlhub, admin, "POST", "/dictionary/fieldset/v1", {"id": "acme.activity",
                                                                       "fields": ["Acme_Order_Number"]})
    component = identity.register_component(get_backend(controlhub.app), "ivr.example.com", "custom",
                                            "https://ivr.example.com/callback")
    machine = token(controlhub, grant_type="client_credentials", client_id=component["client_id"],
                    client_secret=component["client_secret"])
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee")
    answer = requests.post(controlhub.url + "/context/v1/activity", headers=machine, timeout=TIMEOUT, json={
        "customerId": ann["id"], "mediaType": "voice", "fieldsets": ["cisco.base.pod", "acme.activity"],
        "dataElements": [{"Acme_Order_Number": "A-1001", "type": "string"}]})
    assert answer.status_code == 201, answer.text
    desk.sign_in()
    desk.open_customer("Ann")
    desk.locator(".cc-activity__open").first.click()
    expect(desk.field("Acme_Order_Number")).to_have_value("A-1001")
    expect(desk.field("Acme_Warranty")).to_have_count(0)

    fieldset = admin_call(controlhub, admin, "GET", "/dictionary/fieldset/v1/id/acme.activity")
    admin_call(controlhub, admin, "PUT", "/dictionary/fieldset/v1/id/acme.activity", {
        "fields": ["Acme_Order_Number", "Acme_Warranty"], "lastUpdated": fieldset["lastUpdated"]})
    gadget.reset()  # the proxy's dictionary cache; real deployments pick the change up when it expires
    desk.reload()
    desk.open_customer("Ann")
    desk.locator(".cc-activity__open").first.click()

    expect(desk.frame.get_by_label("Warranty")).to_be_visible()
    expect(desk.frame.get_by_label("Order number")).to_have_value("A-1001")
