"""Desktop layouts over HTTP: the control API and the /cfadmin/ pages validate with line numbers, save per team,
and the desktop renders the team's tabs and gadget frames."""

import re

import pytest
import requests

from finesse_harness.mock_control import mock_control
from finesse_harness.servers import ServerThread
from mock_finesse import create_app, get_backend

LAYOUT = """<finesseLayout xmlns="http://www.cisco.com/vtg/finesse">
  <version>1250.03</version>
  <layout>
    <role>Agent</role>
    <page><gadget>/desktop/scripts/js/callcontrol.js</gadget></page>
    <tabs>
      <tab>
        <id>home</id><icon>home</icon><label>finesse.container.tabs.agent.homeLabel</label>
        <columns>
          <column><gadgets><gadget id="hello">/3rdpartygadget/files/hello/Hello.xml?mode=a&amp;x=1</gadget></gadgets></column>
          <column><gadgets><gadget>https://gadgets.example.com/cc/gadget.xml</gadget></gadgets></column>
        </columns>
      </tab>
      <tab>
        <id>manageCustomer</id><label>Manage Customer</label>
        <gadgets><gadget hidden="true">/3rdpartygadget/files/headless.xml</gadget></gadgets>
      </tab>
    </tabs>
  </layout>
</finesseLayout>
"""


def put_layout(finesse, team, xml):
    """PUT /_mock/layouts/<team> with an XML body."""
    return mock_control(
        finesse.url, "PUT", f"/layouts/{team}", data=xml.encode(), headers={"Content-Type": "application/xml"}
    )


def signed_in_desktop(finesse, agent_id="1001", password="demo1001", extension="3001"):
    """A requests session signed in to the desktop through the sign-in form; returns (session, desktop HTML)."""
    session = requests.Session()
    form = session.get(f"{finesse.url}/desktop/signin", timeout=5).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    page = session.post(
        f"{finesse.url}/desktop/signin",
        timeout=5,
        data={"csrf": csrf, "username": agent_id, "password": password, "extension": extension, "locale": "en_US"},
    )
    return session, page


def test_team_layout_set_through_the_control_api_drives_the_desktop(finesse):
    """A team-10 layout → agent 1001's desktop has its tabs, panels and one frame per gadget with its mid."""
    response = put_layout(finesse, "10", LAYOUT)
    assert response.status_code == 200
    assert response.json() == {"teamId": "10", "version": "1250.03", "agentTabs": ["home", "manageCustomer"]}
    _, page = signed_in_desktop(finesse)
    html = page.text
    assert 'id="panel_home"' in html and 'id="panel_manageCustomer"' in html
    assert re.search(r'role="tab" id="tab_home"[^>]*>Home<', html)
    assert 'id="finesse_gadget_1"' in html and 'id="finesse_gadget_1_title"' in html
    assert 'id="finesse_gadget_2"' in html and 'id="finesse_gadget_3"' in html
    frame = re.search(r'id="finesse_gadget_1" class="gadget-frame" src="([^"]+)"', html).group(1)
    assert frame.startswith("/gadgets/ifr?")
    assert "Hello.xml%3Fmode%3Da%26x%3D1" in frame  # the layout's &amp; reaches the gadget as one query string
    assert "callcontrol.js" not in html  # Finesse's own call control is the desktop's call-control area


def test_supervisor_gets_the_supervisor_layout_of_their_team(finesse):
    """Supervisor 2001 (team 10) sees the layout's Supervisor role; agents of the team see the Agent role."""
    supervisor = LAYOUT.replace(
        "</finesseLayout>",
        "<layout><role>Supervisor</role><tabs><tab><id>manageTeam</id>"
        "<label>finesse.container.tabs.supervisor.manageTeamLabel</label></tab></tabs>"
        "</layout></finesseLayout>",
    )
    assert put_layout(finesse, "10", supervisor).status_code == 200
    _, page = signed_in_desktop(finesse, "2001", "demo2001", "4001")
    assert re.search(r'id="tab_manageTeam"[^>]*>Manage Team<', page.text)
    assert 'id="panel_home"' not in page.text
    _, page = signed_in_desktop(finesse, "1002", "demo1002", "3002")
    assert 'id="panel_home"' in page.text and 'id="panel_manageTeam"' not in page.text


def test_team_without_its_own_layout_uses_the_default(finesse):
    """Team 20 (agent 1003) still sees the default Home tab after team 10 gets its own layout."""
    put_layout(finesse, "10", LAYOUT)
    _, page = signed_in_desktop(finesse, "1003", "demo1003", "3003")
    assert 'id="panel_home"' in page.text and 'id="panel_manageCustomer"' not in page.text
    assert mock_control(finesse.url, "GET", "/state").json()["teamLayouts"] == ["10"]


@pytest.mark.parametrize(
    "xml, line, message",
    [
        (
            "<finesseLayout xmlns='http://www.cisco.com/vtg/finesse'>\n<layout>\n</finesseLayout>",
            3,
            "not well-formed XML",
        ),
        ("<layout/>", 1, "the root element must be <finesseLayout"),
        ("<finesseLayout>\n</finesseLayout>", 1, "in namespace (none)"),
        (
            LAYOUT.replace("<icon>home</icon>", "<icon>home</icon><colour>red</colour>"),
            8,
            "unexpected element <colour> in <tab>",
        ),
        (LAYOUT.replace('<gadget id="hello">', '<gadget colour="red">'), 10, "unknown <gadget> attribute 'colour'"),
        (
            LAYOUT.replace("https://gadgets.example.com/cc/gadget.xml", "gadget.xml"),
            11,
            "gadget URL 'gadget.xml' must be absolute",
        ),
        (LAYOUT.replace("<id>manageCustomer</id>", "<id>home</id>"), 15, "tab id 'home' is used twice"),
        (LAYOUT.replace("<role>Agent</role>", "<role>Boss</role>"), 4, "<role> must be one of Agent, Supervisor"),
        (
            LAYOUT.replace(
                "<column><gadgets><gadget>https", "<column/><column/><column/><column><gadgets><gadget>https"
            ),
            11,
            "a tab has at most 4 <column>s, found 5",
        ),
    ],
)
def test_invalid_layout_is_refused_with_the_line_and_the_problem(finesse, api_error, xml, line, message):
    """Each kind of layout mistake → 400 Invalid Input whose message starts with its line number."""
    response = put_layout(finesse, "10", xml)
    assert response.status_code == 400
    error_type, text, data = api_error(response)
    assert error_type == "Invalid Input"
    assert text.startswith(f"Line {line}: ")
    assert message in text
    assert data == f"line {line}"


def test_layout_for_an_unknown_team_is_404(finesse, api_error):
    """PUT /_mock/layouts/99 → 404 naming team 99."""
    response = put_layout(finesse, "99", LAYOUT)
    assert response.status_code == 404
    assert api_error(response) == ("Not Found", "Team 99 does not exist.", "99")


def admin_session(finesse, password="demoadmin"):
    """A requests session after posting the /cfadmin/ sign-in form; returns (session, response)."""
    session = requests.Session()
    form = session.get(f"{finesse.url}/cfadmin/", timeout=5).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    response = session.post(
        f"{finesse.url}/cfadmin/signin", data={"csrf": csrf, "username": "admin", "password": password}, timeout=5
    )
    return session, response


def test_admin_sign_in_with_a_wrong_password_is_refused(finesse):
    """Wrong admin password → 401 and the form says so."""
    _, response = admin_session(finesse, "nope")
    assert response.status_code == 401
    assert "Invalid user name or password." in response.text


def test_admin_validates_and_saves_a_team_layout(finesse):
    """Validate shows the error line for bad XML; Save stores the team's layout; Use default removes it."""
    session, page = admin_session(finesse)
    assert page.status_code == 200 and "Desktop Layout" in page.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    bad = LAYOUT.replace("<label>Manage Customer</label>", "")
    response = session.post(
        f"{finesse.url}/cfadmin/layouts", timeout=5, data={"csrf": csrf, "team": "10", "xml": bad, "action": "validate"}
    )
    assert response.status_code == 400
    assert "Line 14: &lt;tab&gt; needs a non-empty &lt;label&gt;" in response.text
    response = session.post(
        f"{finesse.url}/cfadmin/layouts", timeout=5, data={"csrf": csrf, "team": "10", "xml": LAYOUT, "action": "save"}
    )
    assert response.status_code == 200 and "Layout saved." in response.text
    assert mock_control(finesse.url, "GET", "/state").json()["teamLayouts"] == ["10"]
    response = session.post(
        f"{finesse.url}/cfadmin/layouts",
        timeout=5,
        data={"csrf": csrf, "team": "10", "xml": LAYOUT, "action": "revert"},
    )
    assert "The team now uses the default layout." in response.text
    assert mock_control(finesse.url, "GET", "/state").json()["teamLayouts"] == []


def test_admin_layout_page_lists_the_dropped_gadget_files(finesse):
    """Gadget specs in GADGET_FILES_DIR are listed with the URL to put in a layout."""
    folder = finesse.gadget_dir / "acme"
    folder.mkdir(exist_ok=True)
    (folder / "Acme.xml").write_text("<Module/>", encoding="utf-8")
    (folder / "acme.js").write_text("", encoding="utf-8")
    _, page = admin_session(finesse)
    assert "<code>/3rdpartygadget/files/acme/Acme.xml</code>" in page.text
    assert "acme.js" not in page.text


def test_admin_pages_need_the_admin_sign_in(finesse):
    """Without the admin session the layout page redirects to the sign-in."""
    response = requests.get(f"{finesse.url}/cfadmin/layouts?team=10", allow_redirects=False, timeout=5)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/cfadmin/")


def test_saved_layouts_persist_in_the_layouts_folder(tmp_path):
    """With LAYOUTS_DIR set, a saved team layout is written as team_10.xml and loaded by a new server."""
    with ServerThread(create_app({"LAYOUTS_DIR": str(tmp_path)})) as server:
        assert put_layout(server, "10", LAYOUT).status_code == 200
    assert (tmp_path / "team_10.xml").read_text(encoding="utf-8") == LAYOUT
    again = create_app({"LAYOUTS_DIR": str(tmp_path)})
    assert get_backend(again).layouts.has_team_layout("10")


def test_gadget_files_are_served_from_the_3rdpartygadget_folder(finesse):
    """A file dropped in GADGET_FILES_DIR is served at /3rdpartygadget/files/<path>; unknown files are 404."""
    folder = finesse.gadget_dir / "hello"
    folder.mkdir(exist_ok=True)
    (folder / "Hello.xml").write_text("<Module/>", encoding="utf-8")
    response = requests.get(f"{finesse.url}/3rdpartygadget/files/hello/Hello.xml", timeout=5)
    assert response.status_code == 200 and response.text == "<Module/>"
    assert requests.get(f"{finesse.url}/3rdpartygadget/files/hello/missing.xml", timeout=5).status_code == 404
    assert requests.get(f"{finesse.url}/3rdpartygadget/files/../x", timeout=5).status_code == 404
