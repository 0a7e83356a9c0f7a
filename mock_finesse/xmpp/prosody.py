"""The real XMPP server behind the mock: Prosody, configured in a folder of ours and run as our child process.

``ProsodyProcess`` writes ``prosody.cfg.lua`` and the accounts (Prosody's ``internal_plain`` store: one
``accounts/<user>.dat`` file per user under ``data/<host>/``) into its folder, starts ``prosody -F`` on free
loopback ports and waits until both listeners accept. The child is tied to us: Linux ends it when the thread
that started it ends (``PR_SET_PDEATHSIG``), and ``stop()`` / interpreter exit end it too, so no test, crash or
``kill -9`` leaves a Prosody behind.
"""

import atexit
import ctypes
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping

from .exceptions import XmppUnavailable

PROSODY_CANDIDATES = ("/usr/bin/prosody", "/usr/local/bin/prosody")
START_TIMEOUT_SECONDS = 10
PR_SET_PDEATHSIG = 1

CONFIG_TEMPLATE = """\
-- Written by mock Finesse ({folder}); rewritten at every start.
pidfile = "{folder}/prosody.pid"
data_path = "{folder}/data"
certificates = "{folder}/certs"
run_as_root = true -- CI and containers run as root; Prosody listens on loopback only
log = {{ {{ levels = {{ min = "{log_level}" }}, to = "file", filename = "{folder}/prosody.log" }} }}
admins = {{ "{publisher}" }}
modules_enabled = {{ "disco"; "saslauth"; "ping"; "bosh"; "websocket"; "http" }}
modules_disabled = {{ "s2s"; "offline"; "tls"; "register" }}
authentication = "internal_plain"
default_storage = "memory" -- nodes and subscriptions: the publisher sets them up at every (re)connect
storage = {{ accounts = "internal" }}
c2s_ports = {{ {c2s_port} }}
c2s_interfaces = {{ "127.0.0.1" }}
c2s_direct_tls_ports = {{ }}
http_ports = {{ {http_port} }}
http_interfaces = {{ "127.0.0.1" }}
https_ports = {{ }}
http_paths = {{ bosh = "/http-bind"; websocket = "/ws/" }}
consider_bosh_secure = true
consider_websocket_secure = true
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
bosh_max_inactivity = 60
-- Small stanzas leave at once: with Nagle on, the second write of an answer waits for the client's delayed ACK
network_settings = {{ nagle = false; opportunistic_writes = true }}
conflict_resolve = "increment" -- a second desktop of the same agent gets desktop#1 instead of kicking the first

VirtualHost "{domain}"

Component "{pubsub}" "pubsub"
  autocreate_on_publish = true
"""


def find_prosody(configured: str = "") -> str | None:
    """The path of the ``prosody`` executable (``configured``, else the Debian locations, else ``$PATH``), or
    None when it is not installed."""
    if configured:
        return configured if pathlib.Path(configured).is_file() else None
    found = next((c for c in PROSODY_CANDIDATES if pathlib.Path(c).is_file()), None)
    return found or shutil.which("prosody")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def lua_string(text: str) -> str:
    """``text`` as a Lua string literal (a password may hold quotes, backslashes, newlines or non-ASCII)."""
    safe = (
        chr(b) if chr(b).isascii() and (chr(b).isalnum() or chr(b) in " -_.@") else f"\\{b:03d}"
        for b in text.encode("utf-8")
    )
    return '"' + "".join(safe) + '"'


def path_encode(name: str) -> str:
    """Prosody's file-name encoding of a host or user name (``util.datamanager``: every non-alphanumeric
    character as ``%xx``)."""
    return "".join(c if c.isascii() and c.isalnum() else "".join(f"%{b:02x}" for b in c.encode()) for c in name)


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM when the thread that started us ends (Linux only)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


class ProsodyProcess:
    """One Prosody server: its folder, ports, accounts and child process."""

    def __init__(
        self, executable: str, folder: str, domain: str, c2s_port: int = 0, http_port: int = 0, log_level: str = "warn"
    ) -> None:
        self.executable = executable
        self.folder = pathlib.Path(folder)
        self.domain = domain
        self.pubsub = "pubsub." + domain
        self.c2s_port = c2s_port or free_port()
        self.http_port = http_port or free_port()
        self.log_level = log_level
        self._process: subprocess.Popen[bytes] | None = None
        self._accounts: dict[str, str] = {}
        atexit.register(self.stop)

    @property
    def running(self) -> bool:
        """True while the child process is alive."""
        return self._process is not None and self._process.poll() is None

    def set_accounts(self, accounts: Mapping[str, str]) -> None:
        """Make ``accounts`` (user → password) the server's only accounts, now and at every later start."""
        self._accounts = dict(accounts)
        store = self.folder / "data" / path_encode(self.domain) / "accounts"
        if store.exists():
            shutil.rmtree(store)
        store.mkdir(parents=True)
        for user, password in self._accounts.items():
            (store / f"{path_encode(user)}.dat").write_text(
                f'return {{\n\t["password"] = {lua_string(password)};\n}};\n', encoding="utf-8"
            )

    def write_config(self, publisher_jid: str) -> pathlib.Path:
        """Write ``prosody.cfg.lua`` (and the folders it names); returns its path."""
        (self.folder / "certs").mkdir(parents=True, exist_ok=True)
        (self.folder / "data").mkdir(parents=True, exist_ok=True)
        path = self.folder / "prosody.cfg.lua"
        path.write_text(
            CONFIG_TEMPLATE.format(
                folder=self.folder.resolve(),
                log_level=self.log_level,
                publisher=publisher_jid,
                domain=self.domain,
                pubsub=self.pubsub,
                c2s_port=self.c2s_port,
                http_port=self.http_port,
            ),
            encoding="utf-8",
        )
        return path

    def start(self, publisher_jid: str) -> None:
        """Start Prosody (when it is not running) and wait until its c2s and HTTP ports accept connections."""
        if self.running:
            return
        config = self.write_config(publisher_jid)
        log = open(self.folder / "prosody.stdout.log", "ab")  # noqa: SIM115 - the child keeps it open
        try:
            self._process = subprocess.Popen(
                [self.executable, "--config", str(config), "-F"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.folder,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        finally:
            log.close()
        self._wait_listening()

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        pending = [self.c2s_port, self.http_port]
        while pending:
            process = self._process
            if process is None or process.poll() is not None:  # exited, or stopped meanwhile
                code = "stopped" if process is None else process.returncode
                raise XmppUnavailable(
                    f"Prosody exited at start (code {code}); see {self.folder / 'prosody.log'}.",
                    data="XMPP_SERVER",
                )
            try:
                socket.create_connection(("127.0.0.1", pending[0]), timeout=0.2).close()
                pending.pop(0)
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise XmppUnavailable(
                        f"Prosody did not listen on 127.0.0.1:{pending[0]} within {START_TIMEOUT_SECONDS} s.",
                        data="XMPP_SERVER",
                    ) from None
                time.sleep(0.02)

    def stop(self) -> None:
        """End the child process (SIGTERM, then SIGKILL after 5 s); safe to call twice."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
