"""All state of the mock Finesse in one object (moto's backend shape): agents, dialogs, media, layouts, prefs.

``FinesseBackend`` holds the data behind one lock and publishes an ``<Update>`` for every change; the rules
of agent state live here, the call rules in ``calls.py`` and the chat/email rules in ``tasks.py``.
"""
import datetime as dt
import secrets
import threading
import time
from dataclasses import dataclass, field

from mock_core.sessions import SignIns

from . import xmlshapes
from .errors import InvalidInput, InvalidState, NotFound, Unauthorized
from .notifications import NotificationHub
from .prefs import GadgetPrefs

UTC = dt.timezone.utc
ON_CALL_STATES = ("RESERVED", "TALKING", "HOLD")
WRAP_UP_STATES = ("WORK", "WORK_READY")
FOLLOWS_CALLS = ("RESERVED", "TALKING", "HOLD", "WORK", "WORK_READY", "RESERVED_OUTBOUND",
                 "RESERVED_OUTBOUND_PREVIEW", "UNKNOWN")
SETTABLE_STATES = ("LOGIN", "READY", "NOT_READY", "LOGOUT")


def now():
    """The current time (aware, UTC)."""
    return dt.datetime.now(UTC)


@dataclass
class Media:
    """An agent's sign-in and state in one media routing domain (chat or email)."""

    mrd: dict
    state: str = "LOGOUT"
    state_change_time: dt.datetime = field(default_factory=now)
    reason_code_id: str | None = None
    max_dialog_limit: int = 1
    interrupt_action: str = "ACCEPT"
    dialog_logout_action: str = "CLOSE"
    routable: bool = True


@dataclass
class Agent:
    """A configured agent and their live voice state."""

    profile: dict
    media: dict
    state: str = "LOGOUT"
    state_change_time: dt.datetime = field(default_factory=now)
    reason_code_id: str | None = None
    pending_state: str = ""
    locale: str = "en_US"

    @property
    def id(self):
        """The agent's login id."""
        return self.profile["id"]

    @property
    def signed_in(self):
        """True between LOGIN and LOGOUT."""
        return self.state != "LOGOUT"

    def move_to(self, state, reason_code_id=None):
        """Change the voice state now (clears a pending state it fulfils)."""
        self.state = state
        self.reason_code_id = reason_code_id if state in ("NOT_READY", "LOGOUT") else None
        self.state_change_time = now()
        self.pending_state = ""

    def move_all_media_to(self, state):
        """Put every MRD of the agent in ``state`` (sign-in: NOT_READY, sign-out: LOGOUT)."""
        for media in self.media.values():
            media.state, media.state_change_time, media.reason_code_id = state, now(), None


class FinesseBackend:
    """The mock Finesse server's data and rules; ``reset()`` brings back the freshly started state."""

    def __init__(self, config):
        self.config = config
        self.lock = threading.RLock()
        self.hub = NotificationHub()
        self.teams = {t["id"]: t for t in config["TEAMS"]}
        self.reason_codes = {r["id"]: r for r in config["REASON_CODES"]}
        self.mrds = {m["id"]: m for m in config["MEDIA"]}
        # Dialog ids never repeat, not even across resets and restarts (gadgets and Context Service keep them):
        # a 9-digit counter that starts from the clock (100 a second) and only goes up.
        self._next_dialog = int(time.time() * 100) % 900_000_000 + 100_000_000
        self.gadget_prefs = GadgetPrefs(config.get("PREFS_FILE", ""))
        self.sign_ins = SignIns()  # live desktop and /cfadmin/ sessions
        self.reset(forget_prefs=False)

    def reset(self, forget_prefs=True):
        """Sign everyone out (desktop and /cfadmin/ sessions end), drop all dialogs, team layouts, gadget prefs
        and tokens; close open streams."""
        from .layouts import LayoutStore

        with self.lock:
            self.agents = {a["id"]: self._new_agent(a) for a in self.config["AGENTS"]}
            self.dialogs = {}
            if forget_prefs:
                self.gadget_prefs.clear()
            self.sso_tokens = {}
            self.layouts = LayoutStore(self.config)
            self.sign_ins.clear()
        self.hub.close_all()

    def _new_agent(self, profile):
        media = {mrd_id: Media(mrd, max_dialog_limit=mrd["maxDialogLimit"]) for mrd_id, mrd in self.mrds.items()}
        return Agent(profile=profile, media=media, locale=profile["locale"])

    # --- look-ups -------------------------------------------------------------------------------------

    def agent(self, agent_id):
        """The agent with this id, or NotFound."""
        try:
            return self.agents[str(agent_id)]
        except KeyError:
            raise NotFound(f"User {agent_id} does not exist.", data=str(agent_id)) from None

    def agent_by_extension(self, extension):
        """The signed-in agent on this extension, or None."""
        return next((a for a in self.agents.values() if a.signed_in and a.profile["extension"] == extension), None)

    def authenticate(self, agent_id, password):
        """The agent when the password matches; Unauthorized (naming nobody's password) otherwise."""
        agent = self.agents.get(str(agent_id))
        if agent is None or not secrets.compare_digest(agent.profile["password"].encode(), password.encode()):
            raise Unauthorized("Invalid user ID or password.", data=str(agent_id))
        return agent

    def issue_token(self, agent):
        """An SSO access token for the agent, valid for ``SSO_TOKEN_TTL_SECONDS``; (token, seconds)."""
        ttl = self.config["SSO_TOKEN_TTL_SECONDS"]
        token = secrets.token_urlsafe(32)
        with self.lock:
            self.sso_tokens[token] = (agent.id, now() + dt.timedelta(seconds=ttl))
        return token, ttl

    def agent_for_token(self, token):
        """The agent an unexpired SSO token was issued to; Unauthorized otherwise."""
        with self.lock:
            agent_id, expires = self.sso_tokens.get(token, (None, None))
        if agent_id is None or expires <= now():
            raise Unauthorized("The SSO access token is invalid or expired.")
        return self.agents[agent_id]

    def team(self, team_id):
        """The team with this id, or NotFound."""
        try:
            return self.teams[str(team_id)]
        except KeyError:
            raise NotFound(f"Team {team_id} does not exist.", data=str(team_id)) from None

    def reason_code(self, code_id, category):
        """The reason code of ``category`` with this id, or InvalidInput naming ``reasonCodeId``."""
        code = self.reason_codes.get(str(code_id))
        if code is None or code["category"] != category:
            raise InvalidInput(f"reasonCodeId {code_id} is not a {category} reason code.", data="reasonCodeId")
        return code

    def reason_codes_of(self, category):
        """All reason codes of a category (NOT_READY or LOGOUT)."""
        return [c for c in self.reason_codes.values() if c["category"] == category]

    def team_members(self, team_id):
        """Agents whose team is ``team_id``."""
        return [a for a in self.agents.values() if a.profile["teamId"] == str(team_id)]

    def supervisors_of(self, team_id):
        """Ids of the supervisors of a team (they receive its Team/{id}/Users notifications)."""
        return [a.id for a in self.agents.values() if str(team_id) in a.profile["supervisedTeams"]]

    # --- agent state ----------------------------------------------------------------------------------

    def change_agent_state(self, agent, state, reason_code_id=None, extension=None, request_id=""):
        """Apply a PUT User state change (LOGIN, READY, NOT_READY, LOGOUT) with Finesse's rules."""
        with self.lock:
            if state in FOLLOWS_CALLS:
                raise InvalidInput(f"Agents cannot set state {state}; it follows their calls.", data="state")
            if state not in SETTABLE_STATES:
                raise InvalidInput(f"state must be one of {', '.join(SETTABLE_STATES)}, got {state!r}.", data="state")
            media_changed = False
            if state == "LOGIN":
                media_changed = self._login(agent, extension)
            elif not agent.signed_in:
                raise InvalidState(f"User {agent.id} is signed out; sign in (state LOGIN) first.", data="state")
            elif state == "LOGOUT":
                media_changed = self._logout(agent, reason_code_id)
            else:
                self._ready_or_not(agent, state, reason_code_id)
            self.publish_user(agent, request_id)
            for media in agent.media.values() if media_changed else ():
                self.publish_media(agent, media)

    def _login(self, agent, extension):
        if extension is None or not str(extension).strip():
            raise InvalidInput("extension is required to sign in.", data="extension")
        if str(extension).strip() != agent.profile["extension"]:
            raise InvalidInput(f"extension {extension} is not the device of user {agent.id}.", data="extension")
        if agent.signed_in:
            return False
        agent.move_to("NOT_READY")
        agent.move_all_media_to("NOT_READY")
        return True

    def _logout(self, agent, reason_code_id):
        if agent.state != "NOT_READY":
            raise InvalidState(f"User {agent.id} must be NOT_READY to sign out (state is {agent.state}).",
                               data="state")
        if reason_code_id is not None:
            self.reason_code(reason_code_id, "LOGOUT")
        from . import tasks  # tasks imports this module

        tasks.close_all_media_dialogs(self, agent)
        agent.move_to("LOGOUT", reason_code_id)
        agent.move_all_media_to("LOGOUT")
        return True

    def _ready_or_not(self, agent, state, reason_code_id):
        if reason_code_id is not None and state == "NOT_READY":
            self.reason_code(reason_code_id, "NOT_READY")
        elif reason_code_id is not None:
            raise InvalidInput("reasonCodeId applies to NOT_READY and LOGOUT only.", data="reasonCodeId")
        if agent.state in ON_CALL_STATES:
            agent.pending_state = state
            agent.reason_code_id = reason_code_id if state == "NOT_READY" else agent.reason_code_id
            return
        if agent.state in WRAP_UP_STATES:
            from . import calls  # calls imports this module

            calls.end_wrap_up(self, agent)
        agent.move_to(state, reason_code_id)

    def sign_out(self, agent):
        """Desktop sign-out: NOT_READY first when needed, then LOGOUT; refused while on a call."""
        with self.lock:
            if agent.state in ON_CALL_STATES:
                raise InvalidState("End your call before signing out.", data="state")
            if agent.state != "NOT_READY" and agent.signed_in:
                self.change_agent_state(agent, "NOT_READY")
            if agent.signed_in:
                self.change_agent_state(agent, "LOGOUT")

    # --- notifications --------------------------------------------------------------------------------

    def publish_user(self, agent, request_id=""):
        """User PUT on ``/finesse/api/User/{id}``, plus the summary on the team node for supervisors."""
        source = f"/finesse/api/User/{agent.id}"
        data = xmlshapes.user_element(self, agent, tag="user")
        self.publish([agent.id], source, xmlshapes.update(data, "PUT", source, request_id))
        team_node = f"/finesse/api/Team/{agent.profile['teamId']}/Users"
        supervisors = self.supervisors_of(agent.profile["teamId"])
        if supervisors:
            summary = xmlshapes.team_user_element(self, agent, tag="user")
            self.publish(supervisors, team_node, xmlshapes.update(summary, "PUT", source, request_id))

    def publish_media(self, agent, media, request_id=""):
        """PUT of the agent's ``<Media>`` on ``/finesse/api/User/{id}/Media``."""
        source = f"/finesse/api/User/{agent.id}/Media/{media.mrd['id']}"
        data = xmlshapes.media_element(self, agent.id, media)
        self.publish([agent.id], f"/finesse/api/User/{agent.id}/Media",
                     xmlshapes.update(data, "PUT", source, request_id))

    def publish(self, agent_ids, node, update_xml):
        """Fan an ``<Update>`` out to the agents' streams."""
        self.hub.publish(agent_ids, node, update_xml)

    def next_dialog_number(self):
        """A fresh numeric dialog id (voice ids are digits only)."""
        with self.lock:
            self._next_dialog += 1
            return self._next_dialog
