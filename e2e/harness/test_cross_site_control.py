"""A web page of another site cannot drive the mocks' control API (issue #10: a cross-site ``POST /_mock/reset``
from any page wiped Context Service and signed agents out)."""

import pytest

ATTACK = """<!doctype html><title>Cheap flights</title><script>
window.attack = async (targets) => {
  for (const url of targets) {
    await fetch(url, {method: "POST", mode: "no-cors"}).catch(() => {});
    await fetch(url, {method: "POST", headers: {"X-Mock-Control": "1"}}).catch(() => {});
  }
  const form = Object.assign(document.createElement("form"), {method: "post", action: targets[0], target: "sink"});
  document.body.append(Object.assign(document.createElement("iframe"), {name: "sink"}), form);
  form.submit();
  return "sent";
};
</script>"""


@pytest.mark.allow_console_errors("CORS|Failed to load resource|net::ERR_FAILED|403")
def test_page_of_another_site_cannot_reset_the_mock_cloud_or_sign_the_agent_out(
    page, other_site, controlhub, desktop, gadget
):
    """No-cors fetch, a fetch with the header (preflight refused) and a form post to /_mock/reset: nothing
    is wiped and the agent's desktop stays signed in."""
    agent = desktop("1001")
    controlhub.control("POST", "/seed", json={"seed": 1, "size": 3}).raise_for_status()
    before = controlhub.control("GET", "/state").json()["objects"]["production"]
    attacker = agent.page.context.new_page()
    attacker.goto(other_site.serve("flights", ATTACK))
    attacker.evaluate(
        "(targets) => window.attack(targets)", [controlhub.url + "/_mock/reset", agent.server.url + "/_mock/reset"]
    )
    attacker.wait_for_timeout(300)
    assert controlhub.control("GET", "/state").json()["objects"]["production"] == before
    state = agent.server.control("GET", "/state").json()
    assert next(a for a in state["agents"] if a["id"] == "1001")["state"] != "LOGOUT"
