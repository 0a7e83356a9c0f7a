"""The /cfadmin/ editor shows a layout stored on one line (as PUT through the control API) one element a line,
so a mistake is reported at its real line, not at "Line 1"."""

import html
import re

from .test_layouts import LAYOUT, admin_session, put_layout

ONE_LINE = re.sub(r">\s+<", "><", LAYOUT.strip())


def editor_text(page_html):
    """The layout XML in the editor's textarea (HTML-unescaped)."""
    return html.unescape(re.search(r'<textarea id="layout-xml"[^>]*>(.*?)</textarea>', page_html, re.S).group(1))


def test_a_one_line_layout_is_shown_one_element_a_line(finesse):
    """PUT on one line; the editor shows it indented, one element a line, and it is still the same layout."""
    assert put_layout(finesse, "10", ONE_LINE).status_code == 200
    session, _ = admin_session(finesse)
    shown = editor_text(session.get(f"{finesse.url}/cfadmin/layouts?team=10", timeout=5).text)
    lines = shown.splitlines()
    assert len(lines) >= 20
    assert lines[2].strip() == "<layout>" and lines[3].startswith("    <role>")
    assert re.sub(r">\s+<", "><", shown.strip()) == ONE_LINE


def test_a_mistake_in_a_one_line_layout_is_reported_at_its_real_line(finesse):
    """Removing the second tab's label in the editor's text: Validate names that tab's line, not Line 1."""
    put_layout(finesse, "10", ONE_LINE)
    session, _ = admin_session(finesse)
    page = session.get(f"{finesse.url}/cfadmin/layouts?team=10", timeout=5).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    lines = editor_text(page).splitlines()
    tab_line = next(i for i, line in enumerate(lines, 1) if "<id>manageCustomer</id>" in line) - 1
    broken = "\n".join(line for line in lines if "<label>Manage Customer</label>" not in line)
    response = session.post(
        f"{finesse.url}/cfadmin/layouts",
        timeout=5,
        data={"csrf": csrf, "team": "10", "xml": broken, "action": "validate"},
    )
    assert response.status_code == 400
    assert f"Line {tab_line}: &lt;tab&gt; needs a non-empty &lt;label&gt;" in response.text and tab_line > 1
