"""OpenSocial gadget specs as Shindig handles them: fetch over HTTP, parse with lxml, localise and render.

Each problem a gadget author can meet raises ``SpecError`` with a message naming it (the URL and status,
the parser message and line, the missing feature), which the container shows inside the gadget's frame.
"""

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urljoin

from lxml import etree

from . import outbound
from .errors import FinesseError, InvalidInput, ProxyForbidden

REQUIRED_FEATURE = "pubsub-2"
MAX_SPEC_BYTES = 2 * 1024 * 1024
DEFAULT_VIEW = "default"
# src/href/action attributes inside any start tag, quoted either way.
URL_ATTRIBUTE = re.compile(r"""(<[a-zA-Z][^<>]*?\s(?:src|href|action)\s*=\s*)(["'])(.*?)\2""", re.DOTALL)
UNREWRITTEN_PREFIXES = ("#", "data:", "javascript:", "mailto:", "tel:", "about:", "blob:")
LEADING_DOCTYPE = re.compile(r"^\s*<!DOCTYPE[^>]*>", re.IGNORECASE)
MSG_PLACEHOLDER = re.compile(r"__MSG_([A-Za-z0-9_.\-]+?)__")
UP_PLACEHOLDER = re.compile(r"__UP_([A-Za-z0-9_.\-]+?)__")


class SpecError(Exception):
    """A gadget spec (or a file it names) cannot be used; ``title`` says what, ``detail`` says why."""

    status = 400

    def __init__(self, title: str, detail: str) -> None:
        super().__init__(f"{title}: {detail}")
        self.title = title
        self.detail = detail


class SpecUnreachable(SpecError):
    """The spec (or its bundle or content) could not be fetched: the container answers 502."""

    status = 502


@dataclass
class Locale:
    """One ``<Locale>``: language/country (None = any), a bundle URL and/or inline messages."""

    lang: str | None
    country: str | None
    messages_url: str | None
    inline: dict[str, str] = field(default_factory=dict)


@dataclass
class Content:
    """One ``<Content type="html">``: the views it serves, inline body or ``href``."""

    views: list[str]
    body: str
    href: str | None


@dataclass
class GadgetSpec:
    """The parts of a ``<Module>`` the container uses."""

    url: str
    title: str
    required: list[str]
    optional: list[str]
    feature_params: dict[str, dict[str, str]]  # feature → param name → value
    user_prefs: dict[str, str]  # name → default value
    locales: list[Locale]
    contents: list[Content]


class SpecSourceForbidden(SpecError):
    """The spec (or a file it names) is on a host outside the gadget source allow-list: 403."""

    status = 403


class Fetch(Protocol):
    """What fetches a spec's files: ``Fetcher``, or a test's stand-in."""

    def __call__(self, url: str, what: str = ...) -> bytes:
        """The body at ``url``; ``what`` names it in errors."""


class Fetcher:
    """Fetches a spec and the files it names, within a timeout and a gadget-source check (``outbound.send``)."""

    def __init__(self, timeout: float, is_allowed: Callable[[outbound.Target], bool]) -> None:
        self.timeout = timeout
        self.is_allowed = is_allowed

    def __call__(self, url: str, what: str = "gadget spec") -> bytes:
        """GET ``url`` like Shindig does (server side): the body as bytes, or ``SpecError`` naming URL and cause.

        A refused URL (or redirect hop) is never fetched, and its error page shows nothing but the URL."""
        try:
            response = outbound.send(
                "GET",
                url,
                self.is_allowed,
                "the gadget source allowed list",
                self.timeout,
                headers={"Accept": "application/xml, text/xml, */*"},
            )
        except ProxyForbidden:
            raise SpecSourceForbidden(
                f"The {what} host is not on the gadget source allowed list",
                f"{url}: add its host:port to GADGET_SOURCE_ALLOWLIST",
            ) from None
        except InvalidInput as exc:
            raise SpecError(f"The {what} URL is not an absolute http(s) address", f"{url}: {exc.message}") from None
        except FinesseError as exc:
            raise SpecUnreachable(f"The {what} could not be fetched", f"{url}: {exc.message}") from exc
        if response.status_code != 200:
            raise SpecUnreachable(
                f"The {what} could not be fetched", f"{url}: HTTP {response.status_code} {response.reason}"
            )
        if len(response.content) > MAX_SPEC_BYTES:
            raise SpecError(f"The {what} is too large", f"{url}: {len(response.content)} bytes, limit {MAX_SPEC_BYTES}")
        return response.content


def parse_spec(url: str, data: bytes) -> GadgetSpec:
    """Parse spec bytes into ``GadgetSpec``; not XML, not a ``<Module>`` or no ``pubsub-2`` → ``SpecError``."""
    root = _parse_xml(url, data, "gadget spec")
    if root.tag != "Module":
        raise SpecError(
            "The gadget spec is not an OpenSocial gadget", f"{url}: root element is <{root.tag}>, expected <Module>"
        )
    prefs = root.find("ModulePrefs")
    if prefs is None:
        raise SpecError("The gadget spec has no <ModulePrefs>", url)
    required = [el.get("feature", "") for el in prefs.findall("Require")]
    params = {
        el.get("feature", ""): {p.get("name"): p.text or "" for p in el.findall("Param") if p.get("name")}
        for el in prefs.findall("Require") + prefs.findall("Optional")
    }
    if REQUIRED_FEATURE not in required:
        raise SpecError(
            f'The gadget spec does not require the "{REQUIRED_FEATURE}" feature',
            f'{url}: Finesse loads only gadgets with <Require feature="{REQUIRED_FEATURE}"/> in <ModulePrefs>',
        )
    contents = [_content(el) for el in root.findall("Content") if el.get("type", "html") == "html"]
    if not contents:
        raise SpecError('The gadget spec has no <Content type="html">', url)
    return GadgetSpec(
        url=url,
        title=prefs.get("title", ""),
        required=required,
        optional=[el.get("feature", "") for el in prefs.findall("Optional")],
        feature_params=params,
        user_prefs={el.get("name"): el.get("default_value", "") for el in root.findall("UserPref") if el.get("name")},
        locales=[_locale(el) for el in prefs.findall("Locale")],
        contents=contents,
    )


def _parse_xml(url: str, data: bytes, what: str) -> etree._Element:
    try:
        return etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else "?"
        raise SpecError(f"The {what} is not well-formed XML", f"{url}: line {line}: {exc.msg}") from exc


def _content(element: etree._Element) -> Content:
    views = [v.strip() for v in (element.get("view") or DEFAULT_VIEW).split(",") if v.strip()]
    return Content(views=views, body=element.text or "", href=element.get("href"))


def _locale(element: etree._Element) -> Locale:
    inline = {msg.get("name"): msg.text or "" for msg in element.iter("msg") if msg.get("name")}
    return Locale(
        lang=_any_to_none(element.get("lang")),
        country=_any_to_none(element.get("country")),
        messages_url=element.get("messages"),
        inline=inline,
    )


def _any_to_none(value: str | None) -> str | None:
    return None if not value or value.lower() == "all" else value.lower()


def select_content(spec: GadgetSpec, view: str) -> Content:
    """The ``<Content>`` for ``view``, else the default view's, else the first one."""
    for wanted in (view or DEFAULT_VIEW, DEFAULT_VIEW):
        for content in spec.contents:
            if wanted in content.views:
                return content
    return spec.contents[0]


def matching_locales(spec: GadgetSpec, lang: str | None, country: str | None) -> list[Locale]:
    """Locales to merge, least specific first: any-language, then ``lang`` (else ``en``), then lang+country."""
    lang, country = (lang or "en").lower(), (country or "").lower()
    if not any(loc.lang == lang for loc in spec.locales):
        lang = "en"
    generic = [loc for loc in spec.locales if loc.lang is None]
    language = [loc for loc in spec.locales if loc.lang == lang and loc.country is None]
    exact = [loc for loc in spec.locales if loc.lang == lang and loc.country is not None and loc.country == country]
    if not exact and not language:
        exact = [loc for loc in spec.locales if loc.lang == lang][:1]
    return generic + language + exact


def load_messages(spec: GadgetSpec, lang: str, country: str, fetch: Fetch) -> dict[str, str]:
    """The merged message bundle for the agent's locale (bundles fetched relative to the spec URL)."""
    messages = {}
    for locale in matching_locales(spec, lang, country):
        if locale.messages_url:
            bundle_url = urljoin(spec.url, locale.messages_url)
            bundle = _parse_xml(bundle_url, fetch(bundle_url, "message bundle"), "message bundle")
            messages.update({msg.get("name"): msg.text or "" for msg in bundle.iter("msg") if msg.get("name")})
        messages.update(locale.inline)
    return messages


def content_body(spec: GadgetSpec, content: Content, fetch: Fetch) -> tuple[str, str]:
    """The HTML of ``content`` and the URL its relative links resolve against (``href`` content is fetched)."""
    if content.href:
        href = urljoin(spec.url, content.href)
        return fetch(href, "gadget content").decode("utf-8", "replace"), href
    return content.body, spec.url


def substitute(body: str, messages: Mapping[str, str], prefs: Mapping[str, object], module_id: str) -> str:
    """Shindig's hangman substitution: ``__MSG_x__`` (bundle), ``__UP_x__`` (HTML-escaped), ``__MODULE_ID__``."""
    body = MSG_PLACEHOLDER.sub(lambda m: messages.get(m.group(1), m.group(0)), body)
    body = UP_PLACEHOLDER.sub(lambda m: html.escape(str(prefs.get(m.group(1), ""))), body)
    return body.replace("__MODULE_ID__", html.escape(str(module_id)))


def resolve_urls(body: str, base_url: str) -> str:
    """Make every relative ``src``/``href``/``action`` absolute against ``base_url`` (Shindig content rewrite)."""

    def rewrite(match: re.Match[str]) -> str:
        value = match.group(3).strip()
        if not value or value.lower().startswith(UNREWRITTEN_PREFIXES):
            return match.group(0)
        absolute = html.escape(urljoin(base_url, html.unescape(value)), quote=True)
        return f"{match.group(1)}{match.group(2)}{absolute}{match.group(2)}"

    return URL_ATTRIBUTE.sub(rewrite, body)


def strip_doctype(body: str) -> str:
    """Drop a leading ``<!DOCTYPE>`` of the content: the container writes the document's own."""
    return LEADING_DOCTYPE.sub("", body, count=1)
