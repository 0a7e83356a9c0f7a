"""All state of the mock Finesse in one object (moto's backend shape): agents, dialogs, media, layouts, prefs.

``FinesseBackend`` is data behind one lock, look-ups and ``reset()``; the rules live elsewhere: agent state
in ``agentstate.py``, calls in ``calls.py``, chat/email tasks in ``tasks.py``, credentials in ``auth.py``.
"""

import datetime as dt
import threading
import time
from dataclasses import dataclass, field

from flask import current_app

from mock_core.sessions import SignIns

from .clock import now
from .errors import InvalidInput, NotFound
from .hub import NotificationHub
from .layouts import LayoutStore
from .prefs import GadgetPrefs

EXTENSION = "mock_finesse"


def get_backend(app=None):
    """The app's FinesseBackend (``current_app`` when no app is given)."""
    return (app or current_app).extensions[EXTENSION]


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
    """The mock Finesse server's data and look-ups; ``reset()`` brings back the freshly started state."""

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
        with self.lock:
            self.agents = {a["id"]: self._new_agent(a) for a in self.config["AGENTS"]}
            self.dialogs = {}
            if forget_prefs:
                self.gadget_prefs.clear()
            self.sso_tokens = {}
            self.layouts = LayoutStore(self.config)
            self.sign_ins.clear()
            self.phonebooks = {b["id"]: b for b in self.config["PHONEBOOKS"]}
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

    def next_dialog_number(self):
        """A fresh numeric dialog id (voice ids are digits only)."""
        with self.lock:
            self._next_dialog += 1
            return self._next_dialog
