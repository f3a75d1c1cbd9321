"""Finished work kept on disk, keyed by what it depends on, so an interrupted run resumes where it stopped.

Each unit's result is one JSON file named by a hash of the experiment's name, its settings, the unit and the
lab's format: change any setting and the key changes, so a result is never reused for other settings.
Files are written whole or not at all (written aside, then renamed), so an interrupted write leaves nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .experiment import Settings, Unit

# Raise when what a unit returns changes shape, so results of the older shape are computed anew.
LAB_FORMAT = 2


def unit_key(experiment: str, settings: Settings, unit: Unit) -> str:
    described = json.dumps(
        {"format": LAB_FORMAT, "experiment": experiment, "settings": settings, "unit": unit},
        sort_keys=True,
        ensure_ascii=True,
    )
    return hashlib.sha256(described.encode()).hexdigest()[:24]


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as JSON, whole or not at all. ``allow_nan=False``: a non-finite number is an error here,
    not a file another program cannot read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".{path.name}.{os.getpid()}.part")
    aside.write_text(json.dumps(data, indent=1, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8")
    os.replace(aside, path)


class ResultStore:
    """Unit results under ``folder``, one file per key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, experiment: str, key: str) -> Path:
        return self.folder / experiment / f"{key}.json"

    def get(self, experiment: str, key: str) -> dict[str, Any] | None:
        """The kept entry, or ``None`` when there is none (or only an unreadable one, which is redone)."""
        try:
            entry: dict[str, Any] = json.loads(self._path(experiment, key).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        return entry

    def put(self, experiment: str, key: str, entry: dict[str, Any]) -> None:
        write_json(self._path(experiment, key), entry)
