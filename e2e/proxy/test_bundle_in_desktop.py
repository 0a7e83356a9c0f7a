"""The uploaded deployment: ``customer-context bundle`` output placed in Finesse's /3rdpartygadget/files/ runs in
the desktop unmodified and reaches the proxy."""

import shutil

from playwright.sync_api import expect

from finesse_harness.desktop import set_team_layout
from gadget_plugin import cli

CALLER = "+385915550124"


def test_bundled_gadget_uploaded_to_finesse_shows_the_caller(
    gadget, finesse, desktop, tmp_path, capsys, store_caller, answer_call_in_gadget
):
    """bundle → copy the folder under 3rdpartygadget/files → paste the printed <gadget> line → a known caller pops."""
    assert cli.main(["bundle", "--proxy-url", gadget.url, "-o", str(tmp_path), "--folder", "CCBundle"]) == 0
    layout_line = next(line.strip() for line in capsys.readouterr().out.splitlines() if "<gadget>" in line)
    spec_path = layout_line.removeprefix("<gadget>").removesuffix("</gadget>")
    assert spec_path == "/3rdpartygadget/files/CCBundle/gadget.xml"
    shutil.copytree(tmp_path / "CCBundle", finesse.gadget_dir / "CCBundle", dirs_exist_ok=True)
    store_caller("Iva", "Kos", CALLER)
    set_team_layout(finesse, "10", {"manageCustomer": [spec_path]})

    frame = answer_call_in_gadget(desktop("1001"), spec_path, CALLER)

    expect(frame.locator("#cc-customer-name")).to_have_text("Iva Kos")
    expect(frame.locator("#cc-journey .cc-activity")).to_have_count(1)
