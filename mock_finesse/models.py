"""All state of the mock Finesse in one object (moto's backend shape): agents, dialogs, media, layouts, prefs.

``FinesseBackend`` is data behind one lock, look-ups and ``reset()``; its records are ``Agent`` (with a
``Media`` per MRD) and ``Dialog`` (with its ``Participant`` legs and the actions their state allows). The rules
live elsewhere: agent state in ``agentstate.py``, calls in ``calls.py``, chat/email tasks in ``tasks.py``, the
dialog look-ups and notifications in ``dialogs.py``, credentials in ``auth.py``.
"""

import datetime as dt
import threading
import time
from dataclasses import dataclass, field

from flask import Flask, current_app

from mock_core.sessions import SignIns

from .clock import now
from .errors import InvalidInput, NotFound
from .hub import NotificationHub
from .layouts import LayoutStore
from .prefs import GadgetPrefs
from .records import AgentProfile, Mrd, PhoneBook, ReasonCode, Settings, Team

EXTENSION = "mock_finesse"


def get_backend(app: Flask | None = None) -> "FinesseBackend":
    """The app's FinesseBackend (``current_app`` when no app is given)."""
    return (app or current_app).extensions[EXTENSION]


@dataclass
class Media:
    """An agent's sign-in and state in one media routing domain (chat or email)."""

    mrd: Mrd
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

    profile: AgentProfile
    media: dict[str, Media]  # by MRD id
    state: str = "LOGOUT"
    state_change_time: dt.datetime = field(default_factory=now)
    reason_code_id: str | None = None
    pending_state: str = ""
    locale: str = "en_US"

    @property
    def id(self) -> str:
        """The agent's login id."""
        return self.profile["id"]

    @property
    def signed_in(self) -> bool:
        """True between LOGIN and LOGOUT."""
        return self.state != "LOGOUT"

    def move_to(self, state: str, reason_code_id: str | None = None) -> None:
        """Change the voice state now (clears a pending state it fulfils)."""
        self.state = state
        self.reason_code_id = reason_code_id if state in ("NOT_READY", "LOGOUT") else None
        self.state_change_time = now()
        self.pending_state = ""

    def move_all_media_to(self, state: str) -> None:
        """Put every MRD of the agent in ``state`` (sign-in: NOT_READY, sign-out: LOGOUT)."""
        for media in self.media.values():
            media.state, media.state_change_time, media.reason_code_id = state, now(), None


VOICE_ACTIONS: dict[str, list[str]] = {
    "INITIATING": ["DROP", "UPDATE_CALL_DATA"],
    "INITIATED": ["DROP", "UPDATE_CALL_DATA"],
    "ALERTING": ["ANSWER"],
    "ACTIVE": ["TRANSFER_SST", "CONSULT_CALL", "HOLD", "UPDATE_CALL_DATA", "SEND_DTMF", "DROP"],
    "HELD": ["RETRIEVE", "DROP", "UPDATE_CALL_DATA"],
    "FAILED": ["DROP"],
    "WRAP_UP": ["UPDATE_CALL_DATA"],
    "DROPPED": [],
}
MEDIA_ACTIONS: dict[str, list[str]] = {
    "OFFERED": ["ACCEPT"],
    "ACCEPTED": ["START", "TRANSFER", "CLOSE"],
    "ACTIVE": ["PAUSE", "WRAP_UP", "TRANSFER", "CLOSE"],
    "PAUSED": ["RESUME", "WRAP_UP", "TRANSFER", "CLOSE"],
    "WRAPPING_UP": ["CLOSE"],
    "CLOSED": [],
}


@dataclass
class Participant:
    """One leg of a dialog: the agent's device, or the caller / customer."""

    media_address: str
    state: str
    is_agent: bool
    media: bool = False
    media_address_type: str | None = None
    state_cause: str = ""
    start_time: dt.datetime = field(default_factory=now)
    state_change_time: dt.datetime = field(default_factory=now)

    def actions(self) -> list[str]:
        """What this participant may do in its state (none for the customer's side of a chat or email)."""
        if self.media:
            return MEDIA_ACTIONS.get(self.state, []) if self.is_agent else []
        return VOICE_ACTIONS.get(self.state, [])

    def move_to(self, state: str, cause: str = "") -> None:
        """Change the participant's state now."""
        self.state, self.state_cause, self.state_change_time = state, cause, now()


@dataclass
class Dialog:
    """A call (mediaType Voice) or a chat/email task (mediaType = MRD name) of one agent."""

    id: str
    agent_id: str
    media_type: str
    from_address: str
    to_address: str
    state: str
    media_properties: dict[str, str]
    call_variables: dict[str, str]
    participants: list[Participant]
    mrd_id: str | None = None
    prior_state: str = "READY"
    prior_reason: str | None = None
    answered: bool = False
    outgoing: bool = False
    peer_id: str | None = None  # the other agent's leg of an agent-to-agent call
    associated_id: str | None = None  # a consult call: the held call it consults for
    consult_id: str | None = None  # a held call: its consult call
    consult_connected: bool = False
    recordable: bool = False  # START_RECORDING is offered on an ACTIVE call (UCCX deployments)
    recording: bool = False

    @property
    def is_voice(self) -> bool:
        """True for calls."""
        return self.mrd_id is None

    def agent_participant(self) -> Participant:
        """The agent's own participant."""
        return next(p for p in self.participants if p.is_agent)

    def remote_participants(self) -> list[Participant]:
        """The caller's / customer's participants."""
        return [p for p in self.participants if not p.is_agent]

    def actions_of(self, participant: Participant) -> list[str]:
        """The participant's actions in this dialog: the state table, plus TRANSFER and CONFERENCE on a held call
        whose consult call is connected; no consult from a consult call or an agent-to-agent call."""
        actions = participant.actions()
        if not self.is_voice or not participant.is_agent:
            return actions
        if self.peer_id or self.associated_id or self.consult_id:
            actions = [a for a in actions if a not in ("CONSULT_CALL", "TRANSFER_SST")]
        if participant.state == "HELD" and self.consult_connected:
            actions = actions + ["TRANSFER", "CONFERENCE"]
        if participant.state == "ACTIVE" and self.recordable and not self.recording:
            actions = actions + ["START_RECORDING"]
        return actions


class FinesseBackend:
    """The mock Finesse server's data and look-ups; ``reset()`` brings back the freshly started state."""

    def __init__(self, config: Settings) -> None:
        self.config = config
        self.lock = threading.RLock()
        self.hub = NotificationHub()
        self.teams: dict[str, Team] = {t["id"]: t for t in config["TEAMS"]}
        self.reason_codes: dict[str, ReasonCode] = {r["id"]: r for r in config["REASON_CODES"]}
        self.mrds: dict[str, Mrd] = {m["id"]: m for m in config["MEDIA"]}
        # Dialog ids never repeat, not even across resets and restarts (gadgets and Context Service keep them):
        # a 9-digit counter that starts from the clock (100 a second) and only goes up.
        self._next_dialog = int(time.time() * 100) % 900_000_000 + 100_000_000
        self.gadget_prefs = GadgetPrefs(config.get("PREFS_FILE", ""))
        self.sign_ins = SignIns()  # live desktop and /cfadmin/ sessions
        self.reset(forget_prefs=False)

    def reset(self, forget_prefs: bool = True) -> None:
        """Sign everyone out (desktop and /cfadmin/ sessions end), drop all dialogs, team layouts, gadget prefs
        and tokens; close open streams."""
        with self.lock:
            self.agents: dict[str, Agent] = {a["id"]: self._new_agent(a) for a in self.config["AGENTS"]}
            self.dialogs: dict[str, Dialog] = {}
            if forget_prefs:
                self.gadget_prefs.clear()
            self.sso_tokens: dict[str, tuple[str, dt.datetime]] = {}  # token → (agent id, expiry)
            self.layouts = LayoutStore(self.config)
            self.sign_ins.clear()
            self.phonebooks: dict[str, PhoneBook] = {b["id"]: b for b in self.config["PHONEBOOKS"]}
        self.hub.close_all()

    def _new_agent(self, profile: AgentProfile) -> Agent:
        media = {mrd_id: Media(mrd, max_dialog_limit=mrd["maxDialogLimit"]) for mrd_id, mrd in self.mrds.items()}
        return Agent(profile=profile, media=media, locale=profile["locale"])

    # --- look-ups -------------------------------------------------------------------------------------

    def agent(self, agent_id: str) -> Agent:
        """The agent with this id, or NotFound."""
        try:
            return self.agents[str(agent_id)]
        except KeyError:
            raise NotFound(f"User {agent_id} does not exist.", data=str(agent_id)) from None

    def agent_by_extension(self, extension: str) -> Agent | None:
        """The signed-in agent on this extension, or None."""
        return next((a for a in self.agents.values() if a.signed_in and a.profile["extension"] == extension), None)

    def team(self, team_id: str) -> Team:
        """The team with this id, or NotFound."""
        try:
            return self.teams[str(team_id)]
        except KeyError:
            raise NotFound(f"Team {team_id} does not exist.", data=str(team_id)) from None

    def reason_code(self, code_id: str, category: str) -> ReasonCode:
        """The reason code of ``category`` with this id, or InvalidInput naming ``reasonCodeId``."""
        code = self.reason_codes.get(str(code_id))
        if code is None or code["category"] != category:
            raise InvalidInput(f"reasonCodeId {code_id} is not a {category} reason code.", data="reasonCodeId")
        return code

    def reason_codes_of(self, category: str) -> list[ReasonCode]:
        """All reason codes of a category (NOT_READY or LOGOUT)."""
        return [c for c in self.reason_codes.values() if c["category"] == category]

    def team_members(self, team_id: str) -> list[Agent]:
        """Agents whose team is ``team_id``."""
        return [a for a in self.agents.values() if a.profile["teamId"] == str(team_id)]

    def supervisors_of(self, team_id: str) -> list[str]:
        """Ids of the supervisors of a team (they receive its Team/{id}/Users notifications)."""
        return [a.id for a in self.agents.values() if str(team_id) in a.profile["supervisedTeams"]]

    def next_dialog_number(self) -> int:
        """A fresh numeric dialog id (voice ids are digits only)."""
        with self.lock:
            self._next_dialog += 1
            return self._next_dialog
