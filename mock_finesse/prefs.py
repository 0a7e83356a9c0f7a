"""Gadget user prefs saved with ``setprefs``, per agent and gadget spec URL; optionally kept in a JSON file.

Real Finesse keeps them in its database, so an agent's prefs survive a restart; with ``PREFS_FILE`` set the
mock does too (the file is rewritten whole, atomically, on every change).
"""

import json
import os
import pathlib
import tempfile
from typing import Any

from .config import ConfigError

SavedPrefs = dict[str, dict[str, dict[str, Any]]]  # agent id → spec URL → name → value


class GadgetPrefs:
    """``{agent id: {spec URL: {name: value}}}``, read from ``path`` at start when it is given."""

    def __init__(self, path: str = "") -> None:
        self.path = pathlib.Path(path) if path else None
        self._prefs = self._read()

    def _read(self) -> SavedPrefs:
        if self.path is None or not self.path.is_file():
            return {}  # a missing file is created on the first setprefs
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"PREFS_FILE {self.path} is not a readable JSON file: {exc}") from exc
        if not isinstance(data, dict):
            raise ConfigError(f"PREFS_FILE {self.path} must hold a JSON object")
        return data

    def _write(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".prefs-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(self._prefs, out, ensure_ascii=False, indent=1)
        os.replace(temporary, self.path)

    def of(self, agent_id: str, spec_url: str) -> dict[str, Any]:
        """A copy of what the agent saved for the gadget (empty when nothing)."""
        return dict(self._prefs.get(agent_id, {}).get(spec_url, {}))

    def set(self, agent_id: str, spec_url: str, name: str, value: str) -> None:
        """Save one pref (and the file, when there is one)."""
        self._prefs.setdefault(agent_id, {}).setdefault(spec_url, {})[name] = value
        self._write()

    def clear(self) -> None:
        """Forget every saved pref (and empty the file)."""
        self._prefs = {}
        self._write()
