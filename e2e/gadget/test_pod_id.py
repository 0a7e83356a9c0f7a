"""A contact whose activity another product (CVP, SocialMiner, ECE) already created carries its id as the media
property POD.ID: the gadget shows that activity instead of recording a second one."""

from playwright.sync_api import expect


def answer(desk, phone, pod_id):
    """A call from `phone` carrying POD.ID rings and the agent answers it."""
    dialog = desk.desktop.offer_call(phone, podId=pod_id)
    desk.desktop.dialog_action(dialog["id"], "ANSWER")


def test_call_with_the_pod_id_of_a_customers_activity_shows_that_activity(desk, api):
    """The IVR stored the activity for Ann; the call shows Ann with that activity selected, and nothing is added."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee")
    ivr = api.activity(ann["id"], "voice", phone="+385917770003")
    desk.sign_in()

    answer(desk, "+385917770003", ivr["id"])

    expect(desk.customer_header()).to_have_text("Ann Lee")
    expect(desk.activities()).to_have_count(1)
    expect(desk.locator(f"[data-activity-id='{ivr['id']}']")).to_have_attribute("aria-selected", "true")
    assert api.activity_ids(ann["id"]) == [ivr["id"]]


def test_unassigned_pod_prefills_the_new_customer_and_create_assigns_it(desk, api):
    """The IVR stored an activity without a customer (caller's name in its source fields); the unknown caller's
    form takes the name from it, and Create gives that same activity to the new customer."""
    ivr = api.call(
        "POST", "/activities", {"mediaType": "voice", "source": {"name": "Mia Babić", "phone": "+385917770004"}}
    )
    desk.sign_in()

    answer(desk, "+385917770004", ivr["id"])

    form = desk.locator("#cc-customer-form")
    expect(form.locator("[data-field=Context_First_Name]")).to_have_value("Mia")
    expect(form.locator("[data-field=Context_Last_Name]")).to_have_value("Babić")
    desk.button("Create").click()

    expect(desk.activities()).to_have_count(1)
    mia = desk.eventually(lambda: api.search("Babić"), lambda found: len(found) == 1)[0]
    assert api.activity_ids(mia["id"]) == [ivr["id"]]
