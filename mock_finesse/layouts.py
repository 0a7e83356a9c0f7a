"""Desktop layouts: parse and validate ``<finesseLayout>`` XML (lxml), keep the default and per-team layouts.

The administration pages that edit them are ``cfadmin.py``.

A layout is validated the way Finesse's administration does before saving it; every problem is a
``LayoutError`` carrying the line number. With ``LAYOUTS_DIR`` set, layouts are read from and saved to
``default.xml`` / ``team_<id>.xml`` there.
"""

import os
import pathlib
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lxml import etree

from .records import Settings

NAMESPACE = "http://www.cisco.com/vtg/finesse"
DEFAULT_LAYOUT_PATH = pathlib.Path(__file__).with_name("layouts") / "default.xml"
ROLES = ("Agent", "Supervisor")
GADGET_ATTRIBUTES = ("id", "managedBy", "hidden", "maxRows", "alternateHosts", "staticMessage")
MAX_COLUMNS = 4
MAX_LAYOUT_BYTES = 256 * 1024
TAB_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
BUILT_IN_PREFIX = "/desktop/scripts/js/"


class LayoutError(ValueError):
    """The layout XML is invalid; ``line`` is where (1-based), ``message`` says what."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(f"Line {line}: {message}" if line else message)
        self.message = message
        self.line = line


@dataclass
class GadgetRef:
    """One ``<gadget>`` of a layout: its URL, attributes and module id on the desktop."""

    url: str
    attributes: dict[str, str]
    line: int = 0
    mid: int = 0

    @property
    def built_in(self) -> bool:
        """True for Finesse's own desktop components (``/desktop/scripts/js/*.js``), not OpenSocial gadgets."""
        return self.url.startswith(BUILT_IN_PREFIX)

    @property
    def hidden(self) -> bool:
        """True for headless gadgets (``hidden="true"``)."""
        return self.attributes.get("hidden") == "true"


@dataclass
class Tab:
    """A desktop tab with up to four columns of gadgets."""

    id: str
    label: str
    icon: str = ""
    columns: list[list[GadgetRef]] = field(default_factory=list)


@dataclass
class RoleLayout:
    """The ``<layout>`` of one role: page-level gadgets and tabs."""

    role: str
    page: list[GadgetRef]
    tabs: list[Tab]


@dataclass
class Layout:
    """A parsed ``<finesseLayout>`` and its source text."""

    xml: str
    version: str
    configs: dict[str, str]
    roles: dict[str, RoleLayout]

    def for_roles(self, roles: Iterable[str]) -> RoleLayout:
        """The layout of the most senior of ``roles`` present (Supervisor over Agent)."""
        for role in reversed(ROLES):
            if role in roles and role in self.roles:
                return self.roles[role]
        return self.roles["Agent"]


def parse_layout(xml_text: str) -> Layout:
    """Parse and validate layout XML; raises LayoutError with the line of the first problem."""
    if len(xml_text.encode("utf-8")) > MAX_LAYOUT_BYTES:
        raise LayoutError(f"the layout is larger than {MAX_LAYOUT_BYTES // 1024} KB")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.fromstring(xml_text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise LayoutError(f"not well-formed XML: {exc.msg}", exc.lineno) from None
    if root.tag != _q("finesseLayout"):
        raise LayoutError(
            f'the root element must be <finesseLayout xmlns="{NAMESPACE}">, found '
            f"<{_local(root.tag)}>{_namespace_hint(root)}",
            root.sourceline,
        )
    roles = {}
    for element in root.findall(_q("layout")):
        role_layout = _role_layout(element)
        if role_layout.role in roles:
            raise LayoutError(f"a <layout> for role {role_layout.role} is already defined", element.sourceline)
        roles[role_layout.role] = role_layout
    if "Agent" not in roles:
        raise LayoutError("the layout needs a <layout> with <role>Agent</role>", root.sourceline)
    _number_gadgets(roles)
    version = (root.findtext(_q("version")) or "").strip()
    configs = {c.get("key"): c.get("value") for c in root.iterfind(f"{_q('configs')}/{_q('config')}")}
    return Layout(xml=xml_text, version=version, configs=configs, roles=roles)


def readable(xml_text: str) -> str:
    """``xml_text`` laid out one element a line with indentation when it is all on one line (as layouts PUT
    through the control API often are), so that the editor's errors name useful line numbers; text that already
    spans lines, or does not parse, is returned unchanged."""
    if "\n" in xml_text.strip():
        return xml_text
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True)
    try:
        root = etree.fromstring(xml_text.strip().encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        return xml_text
    return etree.tostring(root, pretty_print=True, encoding="unicode")


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else str(tag)


def _namespace_hint(root: etree._Element) -> str:
    if _local(root.tag) == "finesseLayout":
        return f" in namespace {etree.QName(root).namespace or '(none)'}"
    return ""


def _children(element: etree._Element, allowed: Sequence[str]) -> list[etree._Element]:
    """Element children, refusing any tag not in ``allowed`` (names the tag, the parent and the line)."""
    children = [c for c in element if isinstance(c.tag, str)]
    for child in children:
        if child.tag not in [_q(a) for a in allowed]:
            raise LayoutError(
                f"unexpected element <{_local(child.tag)}> in <{_local(element.tag)}>; "
                f"allowed: {', '.join(f'<{a}>' for a in allowed)}",
                child.sourceline,
            )
    return children


def _required_text(element: etree._Element, tag: str) -> str:
    child = element.find(_q(tag))
    if child is None or not (child.text or "").strip():
        raise LayoutError(f"<{_local(element.tag)}> needs a non-empty <{tag}>", element.sourceline)
    return child.text.strip()


def _role_layout(element: etree._Element) -> RoleLayout:
    _children(element, ("role", "page", "tabs"))
    role = _required_text(element, "role")
    if role not in ROLES:
        raise LayoutError(
            f"<role> must be one of {', '.join(ROLES)}, got {role!r}", element.find(_q("role")).sourceline
        )
    page_element = element.find(_q("page"))
    page = [_gadget(g) for g in _children(page_element, ("gadget",))] if page_element is not None else []
    tabs_element = element.find(_q("tabs"))
    tabs = [_tab(t) for t in _children(tabs_element, ("tab",))] if tabs_element is not None else []
    seen = {}
    for tab, tab_element in zip(tabs, tabs_element if tabs_element is not None else []):
        if tab.id in seen:
            raise LayoutError(
                f"tab id {tab.id!r} is used twice in the {role} layout", tab_element.find(_q("id")).sourceline
            )
        seen[tab.id] = True
    return RoleLayout(role=role, page=page, tabs=tabs)


def _tab(element: etree._Element) -> Tab:
    _children(element, ("id", "icon", "label", "columns", "gadgets"))
    tab_id = _required_text(element, "id")
    if not TAB_ID.match(tab_id):
        raise LayoutError(
            f"tab id {tab_id!r} may hold only letters, digits, '_' and '-' (1-64 characters)",
            element.find(_q("id")).sourceline,
        )
    tab = Tab(id=tab_id, label=_required_text(element, "label"), icon=(element.findtext(_q("icon")) or "").strip())
    columns = element.find(_q("columns"))
    legacy = element.find(_q("gadgets"))
    if columns is not None and legacy is not None:
        raise LayoutError("a <tab> has either <columns> or (before Finesse 12) <gadgets>, not both", legacy.sourceline)
    if columns is not None:
        column_elements = _children(columns, ("column",))
        if len(column_elements) > MAX_COLUMNS:
            raise LayoutError(
                f"a tab has at most {MAX_COLUMNS} <column>s, found {len(column_elements)}",
                column_elements[MAX_COLUMNS].sourceline,
            )
        tab.columns = [_column(c) for c in column_elements]
    elif legacy is not None:
        tab.columns = [[_gadget(g) for g in _children(legacy, ("gadget",))]]
    return tab


def _column(element: etree._Element) -> list[GadgetRef]:
    gadgets = [g for c in _children(element, ("gadgets",)) for g in _children(c, ("gadget",))]
    return [_gadget(g) for g in gadgets]


def _gadget(element: etree._Element) -> GadgetRef:
    _children(element, ())
    url = (element.text or "").strip()
    if not url:
        raise LayoutError("<gadget> needs the gadget's URL as its text", element.sourceline)
    if not (url.startswith("/") or re.match(r"^https?://[^/\s]+", url)) or any(c.isspace() for c in url):
        raise LayoutError(
            f"gadget URL {url!r} must be absolute (http:// or https://) or start with /", element.sourceline
        )
    for name in element.attrib:
        if name not in GADGET_ATTRIBUTES:
            raise LayoutError(
                f"unknown <gadget> attribute {name!r}; allowed: {', '.join(GADGET_ATTRIBUTES)}", element.sourceline
            )
    if element.get("hidden", "false") not in ("true", "false"):
        raise LayoutError(
            f'<gadget hidden="..."> must be true or false, got {element.get("hidden")!r}', element.sourceline
        )
    if element.get("maxRows") is not None and not element.get("maxRows").isdigit():
        raise LayoutError(
            f'<gadget maxRows="..."> must be a whole number, got {element.get("maxRows")!r}', element.sourceline
        )
    return GadgetRef(url=url, attributes=dict(element.attrib), line=element.sourceline)


def _number_gadgets(roles: dict[str, RoleLayout]) -> None:
    """Give every gadget a module id (``mid``) unique in its role layout; ``id`` attributes must be unique."""
    for role_layout in roles.values():
        gadgets = role_layout.page + [g for tab in role_layout.tabs for column in tab.columns for g in column]
        ids = set()
        for mid, gadget in enumerate(gadgets):
            gadget.mid = mid
            gadget_id = gadget.attributes.get("id")
            if gadget_id and gadget_id in ids:
                raise LayoutError(
                    f"gadget id {gadget_id!r} is used twice in the {role_layout.role} layout", gadget.line
                )
            ids.add(gadget_id)


class LayoutStore:
    """The default layout and the per-team layouts (team id → Layout), optionally persisted to a folder."""

    def __init__(self, config: Settings) -> None:
        self.folder = pathlib.Path(config["LAYOUTS_DIR"]) if config.get("LAYOUTS_DIR") else None
        self.default = parse_layout(self._read("default.xml") or DEFAULT_LAYOUT_PATH.read_text(encoding="utf-8"))
        self.teams: dict[str, Layout] = {}
        for team in config["TEAMS"]:
            text = self._read(f"team_{team['id']}.xml")
            if text is not None:
                self.teams[team["id"]] = parse_layout(text)

    def _read(self, name: str) -> str | None:
        if self.folder is None or not (self.folder / name).is_file():
            return None
        return (self.folder / name).read_text(encoding="utf-8")

    def for_team(self, team_id: str) -> Layout:
        """The team's own layout, else the default one."""
        return self.teams.get(str(team_id), self.default)

    def has_team_layout(self, team_id: str) -> bool:
        """True when the team has its own layout (not the default)."""
        return str(team_id) in self.teams

    def team_ids(self) -> list[str]:
        """Ids of the teams that have their own layout."""
        return list(self.teams)

    def gadget_urls(self) -> set[str]:
        """The URL of every gadget in the default and the team layouts, any role."""
        return {
            g.url
            for layout in (self.default, *self.teams.values())
            for role in layout.roles.values()
            for g in role.page + [g for tab in role.tabs for column in tab.columns for g in column]
        }

    def save(self, team_id: str | None, xml_text: str) -> Layout:
        """Validate and store a team's layout (``team_id`` None: the default layout); returns the Layout."""
        layout = parse_layout(xml_text)
        if team_id is None:
            self.default = layout
        else:
            self.teams[str(team_id)] = layout
        self._write(f"team_{team_id}.xml" if team_id is not None else "default.xml", xml_text)
        return layout

    def remove(self, team_id: str) -> None:
        """Drop a team's own layout: the team falls back to the default."""
        self.teams.pop(str(team_id), None)
        if self.folder is not None:
            (self.folder / f"team_{team_id}.xml").unlink(missing_ok=True)

    def _write(self, name: str, text: str) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, self.folder / name)
