"""The journey by keyboard (WAI-ARIA tree pattern): one tab stop for the whole journey, arrow keys inside it,
and a skip link to the details.

Issue #13: 28 Tab presses reached only 3 requests (two tab stops per request and per activity), with no way to
skip to the details.
"""

from playwright.sync_api import expect

MAX_TABS = 10


def three_requests(api):
    """Ann with three open requests of three calls each; returns (ann, requests newest first)."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee")
    for index in range(3):
        for number in range(3):
            api.activity(
                ann["id"],
                "voice",
                request_id="new" if number == 0 and index else None,
                phone=f"+3859122{index}{number:03d}",
            )
    return ann, api.journey(ann["id"])["requests"]


def focus_in_details(desk):
    """True when the keyboard focus is inside the details pane."""
    return desk.frame.locator("html").evaluate(
        "() => document.getElementById('cc-details').contains(document.activeElement)"
    )


def focused(desk):
    """The data-focus-key of the focused element (rows are "journey:<id>")."""
    return desk.frame.locator("html").evaluate("() => document.activeElement.getAttribute('data-focus-key')")


def test_tab_reaches_the_details_from_the_journey_in_three_presses_whatever_its_length(desk, api):
    """From Add request: the journey (one stop), the current row's Move button, then the details."""
    _, requests = three_requests(api)
    desk.sign_in()
    desk.open_customer("Ann")
    first = requests[0]["activities"][0]
    desk.locator(f"[data-activity-id='{first['id']}'] .cc-activity__open").click()
    expect(desk.locator("#cc-details")).to_be_visible()
    desk.locator("[data-action='add-request']").focus()

    presses = 0
    while not focus_in_details(desk) and presses < MAX_TABS:
        desk.page.keyboard.press("Tab")
        presses += 1

    assert focus_in_details(desk)
    assert presses <= 3, presses


def test_tab_from_a_request_row_skips_its_move_buttons(desk, api):
    """The journey's tab stop on a request row (its activities' row is not the current one): Tab leaves the
    journey for the details at once; none of the request's Move buttons is a tab stop."""
    _, requests = three_requests(api)
    desk.sign_in()
    desk.open_customer("Ann")
    desk.locator(f"[data-request-id='{requests[0]['id']}'] .cc-request__title").click()
    expect(desk.locator("#cc-details")).to_be_visible()
    desk.locator(f"#cc-journey [data-request-id='{requests[0]['id']}']").focus()

    stops = desk.frame.locator("html").evaluate(
        "() => Array.from(document.querySelectorAll('#cc-journey .cc-activity__move')).filter((b) => b.tabIndex === 0).length"
    )
    desk.page.keyboard.press("Tab")

    assert stops == 0
    assert focus_in_details(desk)


def test_the_skip_link_moves_the_focus_into_the_details(desk, api):
    """Shift+Tab from Add request reaches "Skip to the details"; Enter puts the focus in the details."""
    _, requests = three_requests(api)
    desk.sign_in()
    desk.open_customer("Ann")
    desk.locator(f"[data-activity-id='{requests[1]['activities'][0]['id']}'] .cc-activity__open").click()
    desk.locator("[data-action='add-request']").focus()

    desk.page.keyboard.press("Shift+Tab")
    expect(desk.frame.get_by_role("link", name="Skip to the details")).to_be_focused()
    desk.page.keyboard.press("Enter")

    assert focus_in_details(desk)


def test_arrow_keys_move_between_rows_and_expand_collapse_requests(desk, api):
    """Down/Up between rows, Left collapses a request (its rows are skipped), Right expands it again and then
    enters it, Home/End jump to the first/last row, Enter opens the activity in the details."""
    _, requests = three_requests(api)
    desk.sign_in()
    desk.open_customer("Ann")
    newest, middle = requests[0], requests[1]
    tree = desk.frame.get_by_role("tree")
    expect(tree.get_by_role("treeitem")).to_have_count(12)
    desk.locator("[data-action='add-request']").focus()
    desk.page.keyboard.press("Tab")
    assert focused(desk) == "journey:" + newest["id"]

    desk.page.keyboard.press("ArrowDown")
    assert focused(desk) == "journey:" + newest["activities"][0]["id"]
    desk.page.keyboard.press("ArrowUp")
    desk.page.keyboard.press("ArrowLeft")
    expect(desk.locator(f"[data-request-id='{newest['id']}']")).to_have_attribute("aria-expanded", "false")
    desk.page.keyboard.press("ArrowDown")
    assert focused(desk) == "journey:" + middle["id"]
    desk.page.keyboard.press("ArrowUp")
    desk.page.keyboard.press("ArrowRight")
    expect(desk.locator(f"[data-request-id='{newest['id']}']")).to_have_attribute("aria-expanded", "true")
    desk.page.keyboard.press("ArrowRight")
    assert focused(desk) == "journey:" + newest["activities"][0]["id"]
    desk.page.keyboard.press("End")
    assert focused(desk) == "journey:" + requests[2]["activities"][-1]["id"]
    desk.page.keyboard.press("Home")
    assert focused(desk) == "journey:" + newest["id"]

    desk.page.keyboard.press("ArrowDown")
    desk.page.keyboard.press("ArrowDown")
    desk.page.keyboard.press("Enter")
    second = newest["activities"][1]
    expect(desk.locator(f"[data-activity-id='{second['id']}']")).to_have_attribute("aria-selected", "true")
    expect(desk.locator("#cc-details-title")).to_have_text("Activity details")
    assert focused(desk) == "journey:" + second["id"]


def test_the_journeys_tab_stop_is_never_a_row_hidden_in_a_collapsed_request(desk, api):
    """The agent opens a call, then collapses its request; after a reload (the selection is kept, the collapsed
    request too) Tab from Add request lands on a row the agent sees — the collapsed request — not on the hidden
    call (review finding: the tree's one tab stop was the hidden row, so Tab skipped the journey)."""
    _, requests = three_requests(api)
    newest = requests[0]
    call = newest["activities"][1]
    desk.sign_in()
    desk.open_customer("Ann")
    desk.locator(f"[data-activity-id='{call['id']}'] .cc-activity__open").click()
    expect(desk.locator(f"[data-activity-id='{call['id']}']")).to_have_attribute("aria-selected", "true")
    desk.locator(f"[data-request-id='{newest['id']}'] .cc-request__toggle").click()
    expect(desk.locator(f"[data-activity-id='{call['id']}']")).to_be_hidden()

    desk.reload()
    expect(desk.locator(f"[data-request-id='{newest['id']}']")).to_have_attribute("aria-expanded", "false")
    desk.locator("[data-action='add-request']").focus()
    desk.page.keyboard.press("Tab")

    assert focused(desk) == "journey:" + newest["id"]
    expect(desk.frame.get_by_role("treeitem").and_(desk.locator("[tabindex='0']"))).to_be_visible()


def test_collapsing_a_request_moves_the_tab_stop_out_of_it_even_when_the_click_gives_no_focus(desk, api):
    """The tab stop is on a call; its request is collapsed by a click that does not move the focus (Safari and
    Firefox on macOS do not focus a clicked button; the click is dispatched so here too): the request row is the
    tab stop now, so Tab from Add request still reaches the journey."""
    _, requests = three_requests(api)
    newest = requests[0]
    call = newest["activities"][1]
    desk.sign_in()
    desk.open_customer("Ann")
    desk.locator("[data-action='add-request']").focus()
    desk.page.keyboard.press("Tab")
    desk.page.keyboard.press("ArrowDown")
    desk.page.keyboard.press("ArrowDown")
    assert focused(desk) == "journey:" + call["id"]
    desk.locator("[data-action='add-request']").focus()

    desk.locator(f"[data-request-id='{newest['id']}'] .cc-request__toggle").dispatch_event("click")
    expect(desk.locator(f"[data-activity-id='{call['id']}']")).to_be_hidden()
    desk.page.keyboard.press("Tab")

    assert focused(desk) == "journey:" + newest["id"]
