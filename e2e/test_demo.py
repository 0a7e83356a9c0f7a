"""The README's first command: ``python -m e2e.demo`` (what ``./harness demo`` runs) starts the three servers with
demo data, prints the URLs and sign-ins, and an agent can take a call from a demo customer in the desktop."""

import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import types

import pytest
import requests
from playwright.sync_api import expect

from e2e.controlhub.test_controlhub_pages import new_field, sign_in
from e2e.demo import DEMO_FIELDSET, DICTIONARY_CACHE_SECONDS
from finesse_harness.desktop import Desktop
from e2e.gadget.conftest import basic
from finesse_harness.waiting import eventually
from e2e.gadget.test_admin_field import add_field_to_fieldset
from finesse_harness.mock_control import mock_control
from mock_finesse.defaults import DEFAULT_AGENTS

BANNER_END = "Ctrl+C stops."


def free_ports(count):
    """``count`` distinct free TCP ports on 127.0.0.1."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def demo_command(instance, ports, size):
    """The command line that runs the demo on ``ports`` with its data in ``instance``, seeding ``size`` customers."""
    ports_arg = ",".join(map(str, ports))
    return [sys.executable, "-m", "e2e.demo", "--ports", ports_arg, "--instance", str(instance), "--size", str(size)]


def start_demo(instance, ports):
    """Run the demo as a person would; returns (process, console) once the banner is printed. ``console`` keeps
    filling with every line the demo writes to stdout or stderr."""
    process = subprocess.Popen(
        demo_command(instance, ports, size=12),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    console, banner_printed = [], threading.Event()

    def read():
        with process.stdout:  # closed at the demo's end, else a ResourceWarning
            for line in process.stdout:
                console.append(line)
                if BANNER_END in line:
                    banner_printed.set()

    threading.Thread(target=read, daemon=True).start()
    if not banner_printed.wait(90):
        process.kill()
        pytest.fail("the demo did not print its banner:\n" + "".join(console))
    return process, console


def stop_demo(process):
    """SIGTERM, as a service manager would; the demo stops its servers and exits."""
    process.send_signal(signal.SIGTERM)
    assert process.wait(20) == 0


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo running on free ports with its data in a temporary folder: ``(banner, urls, instance, ports)``."""
    instance = tmp_path_factory.mktemp("demo")
    ports = free_ports(3)
    process, console = start_demo(instance, ports)
    urls = dict(zip(("controlhub", "finesse", "gadget"), (f"http://127.0.0.1:{port}" for port in ports)))
    running = types.SimpleNamespace(
        banner="".join(console), console=console, urls=urls, instance=instance, ports=ports, process=process
    )
    yield running
    if running.process.poll() is None:
        stop_demo(running.process)


def test_demo_prints_every_url_and_sign_in_and_each_url_answers(demo):
    """The banner names the desktop, Finesse administration, Control Hub and the gadget spec, with the demo
    sign-ins; each of those pages answers."""
    for url in (
        demo.urls["finesse"] + "/desktop/",
        demo.urls["finesse"] + "/cfadmin/",
        demo.urls["controlhub"] + "/",
        demo.urls["gadget"] + "/gadget.xml",
    ):
        assert url in demo.banner
        assert requests.get(url, timeout=10).status_code == 200, url
    assert "admin@example.com / ContextDemo1!" in demo.banner and "admin / demoadmin" in demo.banner
    for agent in DEFAULT_AGENTS:
        assert f"{agent['id']} / {agent['password']} / {agent['extension']}" in demo.banner
    assert requests.get(demo.urls["gadget"] + "/readyz", timeout=10).json()["ready"] is True


def answer_call_from_ana(demo, page, agent_id="1001"):
    """The agent signs in to the demo desktop and answers a call from Ana Kovačić; the gadget's frame."""
    finesse = types.SimpleNamespace(
        url=demo.urls["finesse"], app=types.SimpleNamespace(config={"AGENTS": DEFAULT_AGENTS})
    )
    desktop = Desktop(page, finesse, agent_id).sign_in()
    frame = desktop.gadget_frame(demo.urls["gadget"] + "/gadget.xml")
    expect(frame.locator("#cc-app")).to_be_visible()
    call = desktop.offer_call("+385911234567")
    desktop.dialog_action(call["id"], "ANSWER")
    return frame


def test_the_console_shows_one_line_per_server_then_the_banner_and_requests_go_to_the_access_log(demo):
    """Before the banner: one line per server; after it, nothing, however many requests; the access log in the
    instance folder names the server of each request, and the gadget server's JSON log has its own file."""
    requests.get(demo.urls["gadget"] + "/gadget.xml", timeout=10).raise_for_status()
    requests.get(demo.urls["finesse"] + "/desktop/", timeout=10).raise_for_status()
    lines = [line for line in demo.console if line.strip()]
    banner_start = next(i for i, line in enumerate(lines) if "harness is running" in line)
    assert len(lines[:banner_start]) == 3
    for line, url in zip(lines[:banner_start], demo.urls.values()):
        assert line.rstrip().endswith(url)
    assert BANNER_END in lines[-1]
    assert not any(line.lstrip().startswith("{") for line in lines)
    access = (demo.instance / "logs" / "access.log").read_text(encoding="utf-8")
    assert re.search(r" gadget GET /gadget\.xml 200 ", access) and re.search(r" finesse GET /desktop/ ", access)
    assert '"path": "/gadget.xml"' in (demo.instance / "logs" / "gadget.log").read_text(encoding="utf-8")


def test_agent_answers_a_call_from_a_demo_customer_and_sees_the_journey(demo, page):
    """Agent 1001 signs in; a call from Ana Kovačić's number shows her and her seeded journey in the gadget."""
    frame = answer_call_from_ana(demo, page)

    expect(frame.locator("#cc-customer-name")).to_have_text("Ana Kovačić")
    expect(frame.locator("#cc-journey .cc-activity").nth(1)).to_be_visible()
    expect(frame.locator("#cc-details h3")).to_have_text("Activity details")


def test_a_restarted_demo_keeps_its_data_and_registration(demo):
    """Stopped and started again on the same folder: the same customers (not seeded twice), still registered."""

    def customers():
        return mock_control(demo.urls["controlhub"], "GET", "/state").json()["objects"]["production"]

    before = customers()
    stop_demo(demo.process)
    demo.process, demo.console = start_demo(demo.instance, demo.ports)
    banner = "".join(demo.console)
    assert re.search(r"Finesse agent desktop\s+http://127\.0\.0\.1:\d+/desktop/", banner)
    assert customers() == before
    status = requests.get(
        demo.urls["gadget"] + "/api/v1/status", timeout=10, headers={"Authorization": "Basic MTAwMTpkZW1vMTAwMQ=="}
    )
    assert status.json()["available"] is True, status.text


def gadget_fields(demo):
    """The field ids of the gadget server's dictionary, as the gadget reads them."""
    return requests.get(
        demo.urls["gadget"] + "/api/v1/fields", headers={"Authorization": basic("1002")}, timeout=10
    ).json()["fields"]


def test_a_field_the_admin_adds_to_the_demo_activity_fieldset_shows_on_the_next_activity(demo, page, new_context):
    """The demo ships demo.support in ACTIVITY_FIELDSETS: the admin creates "Serial number" in Control Hub's pages
    and adds it to demo.support; the next call's activity shows it beside "Product", and Control Hub shows the
    fieldset in use by the registered gadget server."""
    hub = types.SimpleNamespace(
        url=demo.urls["controlhub"],
        app=types.SimpleNamespace(config={"ADMIN_EMAIL": "admin@example.com", "ADMIN_PASSWORD": "ContextDemo1!"}),
    )
    admin = new_context().new_page()
    sign_in(admin, hub)
    new_field(admin, hub, "Demo_Serial", "Serial number")
    add_field_to_fieldset(admin, hub, DEMO_FIELDSET, "Demo_Serial")
    time.sleep(DICTIONARY_CACHE_SECONDS)  # the gadget server's dictionary cache, as short as the demo sets it
    # Past its age the dictionary is served stale once while it is read again (stale-while-revalidate).
    eventually(lambda: gadget_fields(demo), lambda fields: "Demo_Serial" in fields, timeout=10)

    frame = answer_call_from_ana(demo, page, "1002")
    expect(frame.locator("#cc-details").get_by_label("Serial number")).to_be_visible()
    expect(frame.locator("#cc-details").get_by_label("Product")).to_be_visible()
    admin.goto(f"{hub.url}/services/context/fieldsets?fieldset={DEMO_FIELDSET}")
    expect(admin.locator("#fieldset-status")).to_have_text("In use")
    expect(admin.locator("#fieldset-used-by")).to_have_text("127.0.0.1 (custom)")  # the demo's gadget server


def test_a_first_start_killed_while_seeding_leaves_no_partial_seed(tmp_path):
    """The demo is killed (SIGKILL) a few seconds into seeding 2,000 customers: the mock cloud's database holds
    none of them, so the next start seeds in full instead of keeping a partial seed for ever."""
    ports = free_ports(3)
    process = subprocess.Popen(
        demo_command(tmp_path, ports, size=2000),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", ports[0])) == 0:
                    break
            time.sleep(0.1)
        time.sleep(4)  # seeding has begun (2,000 customers take far longer)
        assert process.poll() is None, "the demo ended before it was killed"
    finally:
        process.kill()
        process.wait(10)
    with sqlite3.connect(tmp_path / "controlhub.sqlite") as db:
        customers = db.execute("SELECT count(*) FROM cs_object WHERE type = 'customer'").fetchone()[0]
    assert customers in (0, 2000)
