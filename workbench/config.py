"""Settings in one declarative place.

Each setting has a default, an environment variable that overrides it and a
help text, so the README, the CLI and the app read the same source.
Rules that change by decree (rates, age limits, follow-up intervals) are not
here: they are dated rows in the ``rules`` table (see ``workbench.rules``).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db_path", "WORKBENCH_DB", str(PROJECT_ROOT / "data" / "demo.db"),
            "Path of the shared SQLite file."),
    Setting("busy_timeout_ms", "WORKBENCH_BUSY_TIMEOUT_MS", "5000",
            "How long a writer waits for another writer's lock before failing."),
    Setting("mounts_file", "WORKBENCH_MOUNTS_FILE", "/proc/mounts",
            "Mount table read to refuse databases on network file systems."),
    Setting("today", "WORKBENCH_TODAY", "",
            "Fixed 'today' (YYYY-MM-DD) for demos and tests; empty means the real date."),
    Setting("language", "WORKBENCH_LANGUAGE", "sl", "Default UI language (sl or en)."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str, environ: dict[str, str] | None = None) -> str:
    """The value of a setting: its environment variable if set, else its default."""
    setting = _BY_NAME[name]
    env = os.environ if environ is None else environ
    return env.get(setting.env) or setting.default


def db_path(path: str | os.PathLike | None = None) -> str:
    """Database path: the argument, else WORKBENCH_DB, else data/demo.db."""
    return str(path) if path is not None else get("db_path")


def busy_timeout_ms() -> int:
    return max(5000, int(get("busy_timeout_ms")))


def today() -> dt.date:
    fixed = get("today")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()
