"""Registering this Finesse gadget server with Context Service through Control Hub, and deregistering it.

The flow is Control Hub's: ``/v1/authorize?callbackUrl=…&appType=…`` → admin sign-in → consent → redirect to
``callbackUrl?connectionData=…``. Either an admin completes it in a browser while a one-shot listener on
127.0.0.1 waits for the callback, or the CLI signs in with admin credentials and submits the same forms.

The proxy authenticates as a Webex machine account (reference §2.9): with an org admin's bearer token,
``setup_machine_account`` creates one and authorizes it for Context Service, as [CSU] does.
"""

import html
import http.server
import secrets
import socket
from collections.abc import Callable
from typing import Any, TypeAlias
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import lxml.html
import requests

from .connection import MachineAccount

APP_TYPE = "custom"
TIMEOUT = 15
# Both data partitions: the connection data serves lab and production mode alike (reference §2.10).
WORKGROUPS = ("lab", "production")
Form: TypeAlias = Any  # an lxml.html form element (lxml ships no type information)


class RegistrationError(RuntimeError):
    """Registration or deregistration did not complete; the message says why."""


def authorize_url(registration_url: str, callback_url: str, app_type: str = APP_TYPE) -> str:
    """The Control Hub URL an admin opens to register the component."""
    return f"{registration_url}/v1/authorize?" + urlencode({"callbackUrl": callback_url, "appType": app_type})


def register_with_admin(
    registration_url: str,
    callback_url: str,
    email: str,
    password: str,
    app_type: str = APP_TYPE,
    session: requests.Session | None = None,
) -> str:
    """Drive sign-in and consent with the admin's credentials; returns the ``connectionData`` string."""
    session = session or requests.Session()
    page = _checked(session.get(authorize_url(registration_url, callback_url, app_type), timeout=TIMEOUT))
    sign_in = _form(page, ".//input[@name='password']")
    if sign_in is not None:
        values = dict(_form_values(sign_in), email=email, password=password)
        page = session.post(urljoin(page.url, sign_in.action), data=values, timeout=TIMEOUT)
        if page.status_code == 401:
            raise RegistrationError("Control Hub refused the admin email or password.")
        _checked(page)
    form = _form(page, ".//button[@name='decision' and @value='accept']")
    if form is None:
        raise RegistrationError(f"Control Hub did not show the consent page ({page.url}).")
    answer = session.post(
        urljoin(page.url, form.action),
        data=dict(_form_values(form), decision="accept"),
        timeout=TIMEOUT,
        allow_redirects=False,
    )
    _checked(answer)
    return connection_data_from_callback(answer.headers.get("Location", ""))


def connection_data_from_callback(url: str) -> str:
    """The ``connectionData`` of a callback URL; RegistrationError for a declined or failed registration."""
    query = parse_qs(urlsplit(url).query)
    if "connectionData" in query:
        return query["connectionData"][0]
    if "error" in query:
        raise RegistrationError(f"Registration was not completed: {query['error'][0]}.")
    raise RegistrationError("Control Hub did not return connection data.")


def wait_for_callback(port: int = 0, on_listening: Callable[[str], object] | None = None, timeout: float = 600) -> str:
    """Serve one ``GET /callback`` on 127.0.0.1 and return its ``connectionData``.

    ``on_listening(callback_url)`` is called once the listener is up (print the authorize URL there).
    """
    result: dict[str, Any] = {}  # "data": the connection data, or "error": a RegistrationError

    class CallbackHandler(http.server.BaseHTTPRequestHandler):
        """Answers the one callback request."""

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            """Take connectionData from /callback and thank the admin."""
            if urlsplit(self.path).path != "/callback":
                self.send_error(404)
                return
            try:
                result["data"] = connection_data_from_callback(self.path)
                message = "Registered with Context Service. You can close this tab."
            except RegistrationError as exc:
                result["error"] = exc
                message = str(exc)
            body = f"<!DOCTYPE html><title>customer-context</title><p>{html.escape(message)}</p>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            """Log nothing: the callback URL carries the secret."""

    class CallbackServer(http.server.HTTPServer):
        """Gives up after ``timeout`` seconds without a request."""

        def handle_timeout(self) -> None:
            """No callback in time: the registration failed."""
            result.setdefault("error", RegistrationError(f"No callback within {timeout} s."))

    server = CallbackServer(("127.0.0.1", port), CallbackHandler)
    server.timeout = timeout
    try:
        if on_listening:
            on_listening(f"http://127.0.0.1:{server.server_port}/callback")
        while not result:
            server.handle_request()
    finally:
        server.server_close()
    if "error" in result:
        raise result["error"]
    return result["data"]


def setup_machine_account(
    identity_api_url: str,
    registration_url: str,
    admin_token: str,
    org_id: str,
    session: requests.Session | None = None,
) -> MachineAccount:
    """Create a machine account (``POST /organization/{orgId}/v1/Machines``) and authorize it for Context
    Service (``POST /v1/user/authorize`` per workgroup) with an org admin's token; returns the MachineAccount."""
    session = session or requests.Session()
    headers = {"Authorization": f"Bearer {admin_token}"}
    name = f"customer-context-{socket.gethostname().split('.')[0][:24]}-{secrets.token_hex(3)}"
    password = "Cc1!" + secrets.token_urlsafe(24)
    answer = _checked_json(
        session.post(
            f"{identity_api_url}/organization/{org_id}/v1/Machines",
            headers=headers,
            json={"name": name, "password": password, "machineType": "bot"},
            timeout=TIMEOUT,
        ),
        "create the machine account",
    )
    account = MachineAccount(name=name, password=password, id=str(answer.get("id") or ""))
    if not account.id:
        raise RegistrationError("Webex created the machine account but answered no id.")
    for workgroup in WORKGROUPS:
        _checked_json(
            session.post(
                f"{registration_url}/v1/user/authorize",
                headers=headers,
                timeout=TIMEOUT,
                json={"orgId": org_id, "userId": account.id, "type": "machine", "workgroup": workgroup},
            ),
            "authorize the machine account",
        )
    return account


def _checked_json(response: requests.Response, doing: str) -> dict[str, Any]:
    """The JSON answer of an admin API call; RegistrationError naming what failed (never the password)."""
    if response.status_code in (401, 403):
        raise RegistrationError(
            f"Webex refused the admin token when trying to {doing} (HTTP "
            f"{response.status_code}): use a current token of a full org admin."
        )
    if response.status_code >= 400:
        raise RegistrationError(f"Webex could not {doing}: HTTP {response.status_code}.")
    try:
        body = response.json()
    except ValueError:
        body = None
    return body if isinstance(body, dict) else {}


def deregister(
    registration_url: str, callback_url: str, connection_data: str, session: requests.Session | None = None
) -> None:
    """``/v1/unauthorize`` with the stored connection data; RegistrationError when Control Hub refuses."""
    session = session or requests.Session()
    answer = session.get(
        f"{registration_url}/v1/unauthorize",
        params={"callbackUrl": callback_url, "connectionData": connection_data},
        timeout=TIMEOUT,
        allow_redirects=False,
    )
    _checked(answer)
    if "deregistered=true" not in answer.headers.get("Location", ""):
        raise RegistrationError("Control Hub did not confirm the deregistration.")


def _checked(response: requests.Response) -> requests.Response:
    if response.status_code >= 400:
        try:
            message = " ".join(lxml.html.fromstring(response.text).xpath("//main//text()|//p//text()")).strip()
        except Exception:  # noqa: BLE001 (any unreadable page: report the status only)
            message = ""
        raise RegistrationError(f"Control Hub answered HTTP {response.status_code}: {message[:300]}".strip())
    return response


def _form(response: requests.Response, holding: str) -> Form | None:
    """The page's first POST form containing an element matching the XPath ``holding``, or None."""
    forms = [
        form
        for form in lxml.html.fromstring(response.text).forms
        if form.method.upper() == "POST" and form.xpath(holding)
    ]
    return forms[0] if forms else None


def _form_values(form: Form) -> dict[str, str]:
    return {
        field.name: field.value or ""
        for field in form.inputs
        if field.name and getattr(field, "type", "") not in ("submit", "button") and field.tag == "input"
    }
