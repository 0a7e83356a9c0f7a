"""gadget.xml: validate it with lxml and render it for the proxy (public URLs, content-hashed asset names).

Relative URLs in the spec resolve against the spec's own URL, so the spec and ``static/gadget/`` are served
side by side: ``/gadget.xml`` with ``/css/…``, ``/js/…``, ``/messages/…`` (and the same layout in a bundle).
"""

import hashlib
import pathlib
import re
from typing import Any, TypeAlias
from urllib.parse import unquote, urlsplit

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
        elif not _is_message_bundle(asset_path(locales[lang], asset_dir)):
            found.append(f"Locale {lang}: {locales[lang]} is not an OpenSocial messagebundle next to the spec")
    pref_names = {pref.get("name") for pref in root.findall("UserPref")}
    found += [f'missing <UserPref name="{name}"/>' for name in REQUIRED_PREFS if name not in pref_names]
    content = root.find("Content")
    if content is None or content.get("type") != "html" or not (content.text or "").strip():
        return found + ['<Content type="html"> with the gadget\'s HTML is required']
    urls = [match["url"] for match in URL_ATTRIBUTE.finditer(content.text)]
    found += [f"Content must load {script} from Finesse" for script in FINESSE_SCRIPTS if script not in urls]
    for url in filter(_is_relative, urls):
        path = asset_path(url, asset_dir)
        if path is None:
            found.append(f"Content refers to {url}, which is outside {asset_dir}: only files inside it are served")
        elif not path.is_file():
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
    bundled = bundled_scripts(content.text or "", asset_dir) if hashed_names and content is not None else []
    if bundled:
        content.text = OWN_SCRIPTS_RUN.sub(lambda _: _bundle_tag(bundled, asset_dir), content.text, count=1)
    for pref in root.findall("UserPref"):
        if defaults.get(pref.get("name")):
            pref.set("default_value", defaults[pref.get("name")])
    if content is not None and content.text:
        content.text = etree.CDATA(
            URL_ATTRIBUTE.sub(lambda match: _rewritten(match, finesse_url, hashed_names, asset_dir), content.text)
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def bundled_scripts(content: str, asset_dir: pathlib.Path = ASSET_DIR) -> list[str]:
    """The files (relative to ``asset_dir``) of the first run of the gadget's own script tags in the spec's
    ``<Content>``, in their order: what the served spec loads as one file. Empty when there is no run or when
    one of its URLs names no file inside the folder (``../``, a missing file): its tags then stay one a script.
    A URL's query and fragment name no other file (``js/app.js?v=2`` is js/app.js)."""
    run = OWN_SCRIPTS_RUN.search(content)
    paths = [asset_path(match["url"], asset_dir) for match in OWN_SCRIPT.finditer(run[0])] if run else []
    if not all(path is not None and path.is_file() for path in paths):
        return []
    return [path.relative_to(asset_dir.resolve()).as_posix() for path in paths if path is not None]


def scripts_bundle(names: list[str], asset_dir: pathlib.Path = ASSET_DIR) -> bytes:
    """The scripts ``names`` (``bundled_scripts``) as one file: each as it is, in order, after a comment naming
    it (each keeps its code to itself, as ours do)."""
    parts = [b"/* ---- " + name.encode() + b" ---- */\n" + (asset_dir / name).read_bytes() for name in names]
    return b"\n;\n".join(parts)


def asset_files(content: str, asset_dir: pathlib.Path = ASSET_DIR) -> list[pathlib.Path]:
    """The paths inside ``asset_dir`` that the ``src``/``href`` URLs of ``content`` name, existing or not: the
    files a rendered spec depends on."""
    paths = (asset_path(match["url"], asset_dir) for match in URL_ATTRIBUTE.finditer(content))
    return list(dict.fromkeys(path for path in paths if path is not None))


def asset_path(url: str, asset_dir: pathlib.Path = ASSET_DIR) -> pathlib.Path | None:
    """The path inside ``asset_dir`` that a relative URL names (without its query and fragment); None for an
    absolute URL and for one that leads out of the folder."""
    return file_inside(unquote(urlsplit(url).path), asset_dir) if _is_relative(url) else None


def file_inside(name: str, asset_dir: pathlib.Path = ASSET_DIR) -> pathlib.Path | None:
    """``asset_dir / name`` resolved, or None when that leads out of the folder (``..``, a symbolic link)."""
    folder = asset_dir.resolve()
    path = (folder / name).resolve()
    return path if folder in path.parents else None


def _bundle_tag(names: list[str], asset_dir: pathlib.Path) -> str:
    """One script tag for the whole run: the bundle by its content-hashed name (fewer requests per load)."""
    bundle = hashed_name(SCRIPTS_BUNDLE, scripts_bundle(names, asset_dir))
    return f'<script type="text/javascript" src="{bundle}"></script>\n'


def _rewritten(match: re.Match[str], finesse_url: str | None, hashed_names: bool, asset_dir: pathlib.Path) -> str:
    url = match["url"]
    path = asset_path(url, asset_dir) if hashed_names else None
    if finesse_url and url.startswith("/desktop/"):
        url = finesse_url + url
    elif path is not None and path.is_file():
        plain = urlsplit(url).path
        url = hashed_name(plain, path.read_bytes()) + url[len(plain) :]
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


def _is_message_bundle(path: pathlib.Path | None) -> bool:
    if path is None:
        return False
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    except (OSError, etree.XMLSyntaxError):
        return False
    return root.tag == "messagebundle" and root.find("msg") is not None
