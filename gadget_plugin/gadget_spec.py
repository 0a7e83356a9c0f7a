"""gadget.xml: validate it with lxml and render it for the proxy (public URLs, content-hashed asset names).

Relative URLs in the spec resolve against the spec's own URL, so the spec and ``static/gadget/`` are served
side by side: ``/gadget.xml`` with ``/css/…``, ``/js/…``, ``/messages/…`` (and the same layout in a bundle).
"""

import hashlib
import pathlib
import re
from typing import Any, TypeAlias

from lxml import etree

# An lxml element: lxml ships no type information, so to mypy it is ``Any``; the name says what is meant.
Element: TypeAlias = Any

ASSET_DIR = pathlib.Path(__file__).resolve().parent / "static" / "gadget"
REQUIRED_FEATURES = ("pubsub-2", "setprefs", "settitle", "dynamic-height", "loadingindicator")
REQUIRED_LOCALES = ("en", "hr", "sr")
REQUIRED_PREFS = ("proxyUrl", "transport", "recentCustomers")
TRANSPORTS = ("direct", "makeRequest")
FINESSE_SCRIPTS = ("/desktop/assets/js/jquery.min.js", "/desktop/assets/js/finesse.js")
URL_ATTRIBUTE = re.compile(r"""(?P<attr>\b(?:src|href))=(?P<quote>["'])(?P<url>[^"']+)(?P=quote)""")
HASH_LENGTH = 10
# A run of the gadget's own script tags, one a line; the served spec loads them as one file, SCRIPTS_BUNDLE.
OWN_SCRIPT = re.compile(
    r"""[ \t]*<script\b[^>]*\bsrc=(["'])(?![a-z][a-z0-9+.-]*:|/|#)(?P<url>[^"']+)\1[^>]*></script>[ \t]*\n"""
)
OWN_SCRIPTS_RUN = re.compile(rf"(?:{OWN_SCRIPT.pattern})+")
SCRIPTS_BUNDLE = "js/scripts.js"


class SpecError(ValueError):
    """gadget.xml is not a valid spec; the message lists every problem."""


def parse(text: str | bytes) -> Element:
    """The spec as an lxml tree (CDATA kept); SpecError when it is not well-formed XML."""
    parser = etree.XMLParser(strip_cdata=False, resolve_entities=False, no_network=True, remove_blank_text=False)
    try:
        return etree.fromstring(text.encode() if isinstance(text, str) else text, parser)
    except etree.XMLSyntaxError as exc:
        raise SpecError(f"gadget.xml is not well-formed XML: {exc}") from None


def problems(root: Element, asset_dir: pathlib.Path = ASSET_DIR) -> list[str]:
    """Every way the spec falls short of what Finesse and this project need (empty list: valid)."""
    found: list[str] = []
    prefs = root.find("ModulePrefs")
    if root.tag != "Module" or prefs is None:
        return ["the root must be <Module> with a <ModulePrefs> child"]
    if not prefs.get("title"):
        found.append("<ModulePrefs> needs a title")
    features = {req.get("feature") for req in prefs.findall("Require")}
    found += [f'missing <Require feature="{name}"/>' for name in REQUIRED_FEATURES if name not in features]
    locales = {loc.get("lang"): loc.get("messages") for loc in prefs.findall("Locale") if loc.get("lang")}
    for lang in REQUIRED_LOCALES:
        if lang not in locales:
            found.append(f'missing <Locale lang="{lang}" messages=…/>')
        elif not _is_message_bundle(asset_dir / locales[lang]):
            found.append(f"Locale {lang}: {locales[lang]} is not an OpenSocial messagebundle next to the spec")
    pref_names = {pref.get("name") for pref in root.findall("UserPref")}
    found += [f'missing <UserPref name="{name}"/>' for name in REQUIRED_PREFS if name not in pref_names]
    content = root.find("Content")
    if content is None or content.get("type") != "html" or not (content.text or "").strip():
        return found + ['<Content type="html"> with the gadget\'s HTML is required']
    urls = [match["url"] for match in URL_ATTRIBUTE.finditer(content.text)]
    found += [f"Content must load {script} from Finesse" for script in FINESSE_SCRIPTS if script not in urls]
    for url in urls:
        if _is_relative(url) and not (asset_dir / url).is_file():
            found.append(f"Content refers to {url}, which is not in {asset_dir}")
    return found


def validate(text: str | bytes, asset_dir: pathlib.Path = ASSET_DIR) -> Element:
    """Parse and check the spec; SpecError listing every problem."""
    root = parse(text)
    found = problems(root, asset_dir)
    if found:
        raise SpecError("gadget.xml: " + "; ".join(found))
    return root


def render(
    text: str | bytes,
    proxy_url: str,
    finesse_url: str | None = None,
    hashed_names: bool = True,
    asset_dir: pathlib.Path = ASSET_DIR,
    transport: str | None = None,
) -> bytes:
    """The spec with ``proxyUrl`` filled in, relative assets renamed to content-hashed names and, when the
    spec is served from outside Finesse, Finesse's ``/desktop/…`` scripts made absolute to ``finesse_url``;
    ``transport`` (``direct`` or ``makeRequest``) replaces the default transport when given."""
    root = parse(text)
    defaults = {"proxyUrl": proxy_url, "transport": transport}
    content = root.find("Content")
    if hashed_names and content is not None and content.text and own_scripts(content.text):
        content.text = OWN_SCRIPTS_RUN.sub(lambda run: _bundle_tag(run, asset_dir), content.text, count=1)
    for pref in root.findall("UserPref"):
        if defaults.get(pref.get("name")):
            pref.set("default_value", defaults[pref.get("name")])
    if content is not None and content.text:
        content.text = etree.CDATA(
            URL_ATTRIBUTE.sub(lambda match: _rewritten(match, finesse_url, hashed_names, asset_dir), content.text)
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def own_scripts(content: str) -> list[str]:
    """The gadget's own scripts of the first run of them in the spec's ``<Content>``, in their order."""
    run = OWN_SCRIPTS_RUN.search(content)
    return [match["url"] for match in OWN_SCRIPT.finditer(run[0])] if run else []


def scripts_bundle(names: list[str], asset_dir: pathlib.Path = ASSET_DIR) -> bytes:
    """The scripts ``names`` as one file: each as it is, in order, after a comment naming it (each keeps its code
    to itself, as ours do)."""
    parts = [b"/* ---- " + name.encode() + b" ---- */\n" + (asset_dir / name).read_bytes() for name in names]
    return b"\n;\n".join(parts)


def _bundle_tag(run: re.Match[str], asset_dir: pathlib.Path) -> str:
    """One script tag for the whole run: the bundle by its content-hashed name (fewer requests per load)."""
    names = [match["url"] for match in OWN_SCRIPT.finditer(run[0])]
    bundle = hashed_name(SCRIPTS_BUNDLE, scripts_bundle(names, asset_dir))
    return f'<script type="text/javascript" src="{bundle}"></script>\n'


def _rewritten(match: re.Match[str], finesse_url: str | None, hashed_names: bool, asset_dir: pathlib.Path) -> str:
    url = match["url"]
    if finesse_url and url.startswith("/desktop/"):
        url = finesse_url + url
    elif hashed_names and _is_relative(url) and (asset_dir / url).is_file():
        url = hashed_name(url, (asset_dir / url).read_bytes())
    return f"{match['attr']}={match['quote']}{url}{match['quote']}"


def _is_relative(url: str) -> bool:
    return not re.match(r"^([a-z][a-z0-9+.-]*:|/|#)", url, re.IGNORECASE)


def content_hash(data: bytes) -> str:
    """The short content hash put into asset names."""
    return hashlib.sha256(data).hexdigest()[:HASH_LENGTH]


def hashed_name(path: str, data: bytes) -> str:
    """``js/app.js`` → ``js/app.<hash>.js``."""
    stem, dot, ext = path.rpartition(".")
    return f"{stem}.{content_hash(data)}.{ext}" if dot else f"{path}.{content_hash(data)}"


def unhashed_name(path: str) -> tuple[str, str | None]:
    """``(js/app.js, hash)`` for ``js/app.<hash>.js``; ``(path, None)`` for a plain name."""
    match = re.match(rf"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{HASH_LENGTH}}})(?P<ext>\.[A-Za-z0-9]+)?$", path)
    if not match:
        return path, None
    return match["stem"] + (match["ext"] or ""), match["hash"]


def _is_message_bundle(path: pathlib.Path) -> bool:
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    except (OSError, etree.XMLSyntaxError):
        return False
    return root.tag == "messagebundle" and root.find("msg") is not None
