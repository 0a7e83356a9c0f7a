"""The three servers load settings one way: defaults < JSON file < environment < overrides; a file's unknown
setting or unreadable file stops start-up with a message naming it (mock_core.settings)."""

import json

import pytest

import gadget_plugin.config as gadget_config
import mock_controlhub.config as controlhub_config
import mock_finesse.config as finesse_config
from mock_core.settings import boolean_setting, positive_int_setting, require_text

# (the server's config module, a text setting every layer may set)
SERVERS = [
    pytest.param(gadget_config, "PUBLIC_URL", id="gadget_plugin"),
    pytest.param(controlhub_config, "ORG_NAME", id="mock_controlhub"),
    pytest.param(finesse_config, "ADMIN_USERNAME", id="mock_finesse"),
]


def url_or_text(key, text):
    """A value the server accepts for ``key`` that still shows which layer set it."""
    return f"http://{text}.example.com" if key.endswith("URL") else text


@pytest.mark.parametrize(("module", "key"), SERVERS)
def test_each_layer_overrides_the_one_before(tmp_path, module, key):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({key: url_or_text(key, "file")}))
    prefix = module.ENV_PREFIX
    from_file = module.load_config(environ={prefix + "CONFIG": str(path)})
    assert from_file[key] == url_or_text(key, "file")
    environ = {prefix + "CONFIG": str(path), prefix + key: url_or_text(key, "env")}
    assert module.load_config(environ=environ)[key] == url_or_text(key, "env")
    overrides = {key: url_or_text(key, "override")}
    assert module.load_config(overrides, environ=environ)[key] == url_or_text(key, "override")


@pytest.mark.parametrize(("module", "key"), SERVERS)
def test_an_unknown_setting_in_the_file_is_refused_naming_it(tmp_path, module, key):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"NO_SUCH_SETTING": 1}))
    with pytest.raises(module.ConfigError, match=rf"{module.ENV_PREFIX}CONFIG: unknown setting\(s\) NO_SUCH_SETTING"):
        module.load_config(environ={module.ENV_PREFIX + "CONFIG": str(path)})


@pytest.mark.parametrize(("module", "key"), SERVERS)
def test_a_file_that_is_not_a_json_object_is_refused_naming_the_variable(tmp_path, module, key):
    path = tmp_path / "settings.json"
    path.write_text("[1, 2]")
    with pytest.raises(module.ConfigError, match=rf"{module.ENV_PREFIX}CONFIG: .* must hold a JSON object"):
        module.load_config(environ={module.ENV_PREFIX + "CONFIG": str(path)})


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), (False, False), ("YES", True), (" on ", True), ("1", True), ("Off", False), ("", False), (0, False)],
)
def test_a_boolean_setting_reads_the_usual_words_in_any_case(value, expected):
    assert boolean_setting("LAB_MODE", value, ValueError) is expected


def test_a_boolean_setting_that_is_no_such_word_raises_the_servers_error_naming_it():
    with pytest.raises(finesse_config.ConfigError, match=r"^SSO_ENABLED must be true or false, got 'maybe'$"):
        boolean_setting("SSO_ENABLED", "maybe", finesse_config.ConfigError)


@pytest.mark.parametrize(
    ("value", "message"), [("ten", "must be an integer, got 'ten'"), (0, "must be positive, got 0")]
)
def test_a_whole_number_setting_that_is_no_number_above_zero_is_refused_naming_it(value, message):
    with pytest.raises(ValueError, match=f"^TOKEN_TTL_SECONDS {message}$"):
        positive_int_setting("TOKEN_TTL_SECONDS", value, ValueError)
    assert positive_int_setting("TOKEN_TTL_SECONDS", " 30 ", ValueError) == 30


def test_the_first_blank_required_text_setting_is_named():
    with pytest.raises(ValueError, match="^ORG_NAME must not be empty$"):
        require_text(
            {"ORG_ID": "o-1", "ORG_NAME": "  ", "DATABASE": None}, ("ORG_ID", "ORG_NAME", "DATABASE"), ValueError
        )
