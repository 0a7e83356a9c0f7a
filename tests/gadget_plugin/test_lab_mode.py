"""Lab mode: the lab credentials and the cisco-context-labmode header put data in the lab partition."""
import pytest

from finesse_harness.servers import ServerThread


@pytest.fixture()
def lab_gadget(gadget, controlhub, finesse):
    """A second gadget server sharing the registration, with LAB_MODE on."""
    from gadget_plugin import create_app

    app = create_app({**{key: gadget.app.config[key] for key in (
        "FINESSE_URLS", "CONTEXT_SERVICE_URL", "INSTANCE_PATH", "LOG_LEVEL")}, "LAB_MODE": True})
    with ServerThread(app) as thread:
        yield thread


def test_lab_mode_writes_to_the_lab_partition_only(lab_gadget, controlhub, client_for, basic):
    """A customer created through a lab-mode proxy exists in lab, not in production; status says labMode."""
    lab = client_for(basic())
    lab.base = lab_gadget.url + "/api/v1"
    assert lab.ok("GET", "/status")["labMode"] is True
    lab.ok("POST", "/customers", 201, json={"fields": {"Context_First_Name": "Lab"}})
    counts = controlhub.control("GET", "/state").json()["objects"]
    assert counts["lab"].get("customer") == 1
    assert counts["production"].get("customer", 0) == 0
