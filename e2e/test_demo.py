"""The README's first command: ``python -m e2e.demo`` (what ``./harness demo`` runs) starts the three servers with
demo data, prints the URLs and sign-ins, and an agent can take a call from a demo customer in the desktop."""
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import types

import pytest
import requests
from playwright.sync_api import expect

from e2e.fixtures import Desktop
from e2e.mock_control import mock_control
from mock_finesse.config import DEFAULT_AGENTS

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


def start_demo(instance, ports):
    """Run the demo as a person would; returns (process, banner) once the banner is printed."""
    process = subprocess.Popen([sys.executable, "-m", "e2e.demo", "--ports", ",".join(map(str, ports)),
                                "--instance", str(instance), "--size", "12"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines, deadline = [], time.monotonic() + 90
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        lines.append(line)
        if BANNER_END in line:
            return process, "".join(lines)
    process.kill()
    pytest.fail("the demo did not print its banner:\n" + "".join(lines))


def stop_demo(process):
    """SIGTERM, as a service manager would; the demo stops its servers and exits."""
    process.send_signal(signal.SIGTERM)
    assert process.wait(20) == 0


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo running on free ports with its data in a temporary folder: ``(banner, urls, instance, ports)``."""
    instance = tmp_path_factory.mktemp("demo")
    ports = free_ports(3)
    process, banner = start_demo(instance, ports)
    urls = dict(zip(("controlhub", "finesse", "gadget"), (f"http://127.0.0.1:{port}" for port in ports)))
    running = types.SimpleNamespace(banner=banner, urls=urls, instance=instance, ports=ports, process=process)
    yield running
    if running.process.poll() is None:
        stop_demo(running.process)


def test_demo_prints_every_url_and_sign_in_and_each_url_answers(demo):
    """The banner names the desktop, Finesse administration, Control Hub and the gadget spec, with the demo
    sign-ins; each of those pages answers."""
    for url in (demo.urls["finesse"] + "/desktop/", demo.urls["finesse"] + "/cfadmin/",
                demo.urls["controlhub"] + "/", demo.urls["gadget"] + "/gadget.xml"):
        assert url in demo.banner
        assert requests.get(url, timeout=10).status_code == 200, url
    assert "admin@example.com / ContextDemo1!" in demo.banner and "admin / demoadmin" in demo.banner
    for agent in DEFAULT_AGENTS:
        assert f"{agent['id']} / {agent['password']} / {agent['extension']}" in demo.banner
    assert requests.get(demo.urls["gadget"] + "/readyz", timeout=10).json()["ready"] is True


def test_agent_answers_a_call_from_a_demo_customer_and_sees_the_journey(demo, page):
    """Agent 1001 signs in; a call from Ana Kovačić's number shows her and her seeded journey in the gadget."""
    finesse = types.SimpleNamespace(url=demo.urls["finesse"], app=types.SimpleNamespace(
        config={"AGENTS": DEFAULT_AGENTS}))
    desktop = Desktop(page, finesse, "1001").sign_in()
    frame = desktop.gadget_frame(demo.urls["gadget"] + "/gadget.xml")
    expect(frame.locator("#cc-app")).to_be_visible()

    call = desktop.offer_call("+385911234567")
    desktop.dialog_action(call["id"], "ANSWER")

    expect(frame.locator("#cc-customer-name")).to_have_text("Ana Kovačić")
    expect(frame.locator("#cc-journey .cc-activity").nth(1)).to_be_visible()
    expect(frame.locator("#cc-details h3")).to_have_text("Activity details")


def test_a_restarted_demo_keeps_its_data_and_registration(demo):
    """Stopped and started again on the same folder: the same customers (not seeded twice), still registered."""
    def customers():
        return mock_control(demo.urls["controlhub"], "GET", "/state").json()["objects"]["production"]

    before = customers()
    stop_demo(demo.process)
    demo.process, banner = start_demo(demo.instance, demo.ports)
    assert re.search(r"Finesse agent desktop\s+http://127\.0\.0\.1:\d+/desktop/", banner)
    assert customers() == before
    status = requests.get(demo.urls["gadget"] + "/api/v1/status", timeout=10,
                          headers={"Authorization": "Basic MTAwMTpkZW1vMTAwMQ=="})
    assert status.json()["available"] is True, status.text


def test_a_first_start_killed_while_seeding_leaves_no_partial_seed(tmp_path):
    """The demo is killed (SIGKILL) a few seconds into seeding 2,000 customers: the mock cloud's database holds
    none of them, so the next start seeds in full instead of keeping a partial seed for ever."""
    ports = free_ports(3)
    process = subprocess.Popen([sys.executable, "-m", "e2e.demo", "--ports", ",".join(map(str, ports)),
                                "--instance", str(tmp_path), "--size", "2000"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
