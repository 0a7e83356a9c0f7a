"""Control Hub's fieldset panel names the registered components that created data with the fieldset, so an
admin sees which fieldsets the registered gadget uses (a mock addition: Cisco's panel shows only In use / Not in
use, reference §4.3; a page binding a fieldset to the gadget is not in public sources, §4.5)."""

import html
import re

from mock_controlhub import get_backend
from mock_controlhub.identity import models as identity


def panel_used_by(admin_client, fieldset_id):
    """The text of the fieldset panel's "Used by"."""
    page = admin_client.get(f"/services/context/fieldsets?fieldset={fieldset_id}").text
    return html.unescape(re.search(r'id="fieldset-used-by">(.*?)</dd>', page, re.S).group(1)).strip()


def test_the_panel_names_the_component_that_created_activities_with_the_fieldset(
    admin_client, context_api, registration
):
    """An activity created with the registered component's token: cisco.base.pod names it; an unused one not."""
    assert panel_used_by(admin_client, "cisco.base.pod").startswith("No registered component")
    context_api.activity()
    assert panel_used_by(admin_client, "cisco.base.pod") == f"{registration['name']} (custom)"
    assert panel_used_by(admin_client, "cisco.base.request").startswith("No registered component")


def test_a_deregistered_component_is_no_longer_named(admin_client, context_api, registration, controlhub):
    """After deregistration the component drops out of "Used by" (its data stays: the fieldset is still in use)."""
    context_api.activity()
    identity.deregister(get_backend(controlhub.app), registration["id"])
    assert panel_used_by(admin_client, "cisco.base.pod").startswith("No registered component")
