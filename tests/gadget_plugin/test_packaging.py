"""The built wheel is a working gadget server on its own: the spec (root gadget.xml) ships inside gadget_plugin."""

import pathlib
import subprocess
import sys
import zipfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
# One worker builds the wheel for this module and tests/test_distribution.py (conftest.built_wheel).
pytestmark = pytest.mark.xdist_group("built_wheel")

SERVE_SPEC = """
import pathlib, sys
import gadget_plugin
site = pathlib.Path(sys.argv[1]).resolve()
assert site in pathlib.Path(gadget_plugin.__file__).resolve().parents, gadget_plugin.__file__
app = gadget_plugin.create_app({"PUBLIC_URL": "http://127.0.0.1:9", "FINESSE_URLS": ["http://127.0.0.1:8"],
                                "CONTEXT_SERVICE_URL": "http://127.0.0.1:7", "INSTANCE_PATH": sys.argv[2],
                                "LOG_LEVEL": "ERROR"})
response = app.test_client().get("/gadget.xml")
assert response.status_code == 200, (response.status_code, response.get_data(as_text=True)[:500])
print(response.get_data(as_text=True))
"""


def test_the_installed_wheel_serves_the_spec_from_its_own_package_data(tmp_path, built_wheel):
    """Built from a copy of the sources and pip-installed into a folder of its own, gadget_plugin finds
    gadget.xml inside the package (it used to look next to the package, outside the wheel) and serves it."""
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    wheel = built_wheel
    with zipfile.ZipFile(wheel) as archive:
        shipped = archive.read("gadget_plugin/gadget.xml")
    assert shipped == (ROOT / "gadget.xml").read_bytes()
    site = tmp_path / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True, capture_output=True)
    served = subprocess.run(
        [sys.executable, "-c", SERVE_SPEC, str(site), str(tmp_path / "instance")],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert served.returncode == 0, served.stderr
    assert "<ModulePrefs" in served.stdout and 'name="proxyUrl"' in served.stdout
