"""Settings in one declarative place.

Each setting has a default, an environment variable that overrides it, a
check and a help text, so the README, the CLI and the app read the same
source (``tests/test_config.py`` checks the README's list against it).
Rules that change by decree (rates, age limits, follow-up intervals) are not
here: they are dated rows in the ``rules`` table (see ``workbench.rules``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO_DB = PROJECT_ROOT / "data" / "demo.db"


class SettingError(ValueError):
    """A setting has a value the workbench cannot run with; the message says which."""


def _any(value: str) -> None:
    return None


def _one_of(*allowed: str) -> Callable[[str], None]:
    def check(value: str) -> None:
        if value not in allowed:
            raise SettingError(f"allowed values: {', '.join(allowed)}")
    return check


def _integer_at_least(low: int) -> Callable[[str], None]:
    def check(value: str) -> None:
        if not value.isascii() or not value.isdigit() or int(value) < low:
            raise SettingError(f"a whole number, at least {low}")
    return check


def _iso_date_or_empty(value: str) -> None:
    if value:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise SettingError("a date as YYYY-MM-DD, or empty") from None


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str
    check: Callable[[str], None] = _any


SETTINGS: tuple[Setting, ...] = (
    Setting("db_path", "WORKBENCH_DB", "",
            "Path of the shared SQLite file. Required: the app never guesses it "
            "(`make run` sets it to data/demo.db)."),
    Setting("busy_timeout_ms", "WORKBENCH_BUSY_TIMEOUT_MS", "5000",
            "How long a writer waits for another writer's lock before failing (at least 5000).",
            _integer_at_least(5000)),
    Setting("mounts_file", "WORKBENCH_MOUNTS_FILE", "/proc/mounts",
            "Mount table read to refuse databases on network file systems."),
    Setting("today", "WORKBENCH_TODAY", "",
            "Fixed 'today' (YYYY-MM-DD) for demos and tests; empty means the real date.",
            _iso_date_or_empty),
    Setting("language", "WORKBENCH_LANGUAGE", "sl", "Default UI language: sl or en.",
            _one_of("sl", "en")),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str, environ: dict[str, str] | None = None) -> str:
    """The value of a setting: its environment variable if set, else its default."""
    setting = _BY_NAME[name]
    env = os.environ if environ is None else environ
    return env.get(setting.env) or setting.default


def problems(environ: dict[str, str] | None = None) -> list[str]:
    """Every setting whose value cannot be used, as 'VARIABLE=value: what is allowed'."""
    found = []
    for setting in SETTINGS:
        value = get(setting.name, environ)
        try:
            setting.check(value)
        except SettingError as err:
            found.append(f"{setting.env}={value!r}: {err}")
    return found


class DatabaseNotConfigured(RuntimeError):
    """WORKBENCH_DB is not set and no path was given: the app never falls back silently."""


def db_path(path: str | os.PathLike | None = None) -> str:
    """Database path: the argument, else WORKBENCH_DB; neither is an error, not a guess."""
    if path is not None:
        return str(path)
    configured = get("db_path")
    if not configured:
        raise DatabaseNotConfigured(
            "Pot do podatkovne zbirke ni nastavljena: nastavite WORKBENCH_DB (za učne podatke "
            "zaženite `make run`). / WORKBENCH_DB is not set: set it to the database path, or "
            "use `make run` for the demo.")
    return configured


def busy_timeout_ms() -> int:
    return max(5000, int(get("busy_timeout_ms")))


def today() -> dt.date:
    fixed = get("today")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()
