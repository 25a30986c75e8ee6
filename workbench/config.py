"""Settings in one declarative place.

Each setting has a default, an environment variable that overrides it, a
check and a help text, so the README, the CLI and the app read the same
source (``tests/test_config.py`` checks the README's list against it).
Rules that change by decree (rates, age limits, follow-up intervals) are not
here: they are dated rows in the ``rules`` table (see ``workbench.rules``).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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


def _time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingError("a time zone name such as Europe/Ljubljana") from None


def _header_name_or_empty(value: str) -> None:
    if value and not re.fullmatch(r"[A-Za-z0-9-]{1,64}", value):
        raise SettingError("an HTTP header name (letters, digits, dashes), or empty")


def _origins_or_empty(value: str) -> None:
    for part in filter(None, (p.strip() for p in value.split(","))):
        if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?|https?://\[[0-9a-fA-F:.]+\]"
                            r"(:[0-9]{1,5})?", part):
            raise SettingError("origins like https://sa.intranet.si separated by commas, "
                               "or empty")


def _addresses_or_empty(value: str) -> None:
    for part in filter(None, (p.strip() for p in value.split(","))):
        try:
            ipaddress.ip_address(part)
        except ValueError:
            raise SettingError("IP addresses separated by commas, or empty") from None


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
    Setting("busy_timeout_ms", "WORKBENCH_BUSY_TIMEOUT_MS", "15000",
            "How long a writer waits for another writer's lock before failing (at least 5000;"
            " at 5 s, 31 steps of `python -m bench.load`, 47 coordinators on one process,"
            " failed as locked: README, 2e64477, 2 December 2026).",
            _integer_at_least(5000)),
    Setting("mounts_file", "WORKBENCH_MOUNTS_FILE", "/proc/mounts",
            "Mount table read to refuse databases on network file systems."),
    Setting("today", "WORKBENCH_TODAY", "",
            "Fixed 'today' (YYYY-MM-DD) for demos and tests; empty means the real date. "
            "Refused on a real database (it would date audit entries by a made-up day).",
            _iso_date_or_empty),
    Setting("language", "WORKBENCH_LANGUAGE", "sl", "Default UI language: sl or en.",
            _one_of("sl", "en")),
    Setting("timezone", "WORKBENCH_TIMEZONE", "Europe/Ljubljana",
            "The time zone of the times the app writes and shows (a server may run on UTC).",
            _time_zone),
    Setting("session_idle_minutes", "WORKBENCH_SESSION_IDLE_MINUTES", "30",
            "A signed-in session ends after this many minutes without use.",
            _integer_at_least(1)),
    Setting("session_hours", "WORKBENCH_SESSION_HOURS", "10",
            "A signed-in session ends this many hours after sign-in, used or not.",
            _integer_at_least(1)),
    Setting("sign_in_slow_after", "WORKBENCH_SIGN_IN_SLOW_AFTER", "3",
            "From this many failed sign-ins in a row, the username's next password is checked "
            "only at least 1, 2, 4 ... 8 s after the last failure (sooner: refused "
            "unchecked, not counted).",
            _integer_at_least(1)),
    Setting("sign_in_lock_after", "WORKBENCH_SIGN_IN_LOCK_AFTER", "5",
            "This many failed sign-ins for one username lock it for a while.",
            _integer_at_least(2)),
    Setting("password_checks_at_once", "WORKBENCH_PASSWORD_CHECKS_AT_ONCE", "2",
            "At most this many password checks (argon2, 64 MiB each) run at once in a server "
            "process; the others wait their turn: the memory sign-ins take stays bounded.",
            _integer_at_least(1)),
    Setting("sign_in_lock_minutes", "WORKBENCH_SIGN_IN_LOCK_MINUTES", "15",
            "How long a locked username stays locked (an administrator can lift it).",
            _integer_at_least(1)),
    Setting("trusted_user_header", "WORKBENCH_TRUSTED_USER_HEADER", "",
            "Single sign-on: the header in which an authenticating reverse proxy names the "
            "user (e.g. X-Remote-User); empty turns it off.", _header_name_or_empty),
    Setting("trusted_proxy", "WORKBENCH_TRUSTED_PROXY", "",
            "Single sign-on: the proxy's IP addresses (comma-separated); the header is "
            "believed only on requests from them.", _addresses_or_empty),
    Setting("allowed_origins", "WORKBENCH_ALLOWED_ORIGINS", "",
            "Pages at these origins (comma-separated, e.g. https://sa.intranet.si) may open "
            "the app's websocket besides its own address: a proxy that changes the Host.",
            _origins_or_empty),
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


def integer(name: str) -> int:
    """A whole-number setting (checked by ``problems()`` at start; the default if unusable)."""
    value = get(name)
    return int(value) if value.isascii() and value.isdigit() else int(_BY_NAME[name].default)


def trusted_proxies() -> frozenset[str]:
    return frozenset(filter(None, (p.strip() for p in get("trusted_proxy").split(","))))


def allowed_origins() -> frozenset[str]:
    return frozenset(p.strip().lower() for p in get("allowed_origins").split(",") if p.strip())


def busy_timeout_ms() -> int:
    return max(5000, int(get("busy_timeout_ms")))


def now() -> dt.datetime:
    """The wall-clock time in the workbench's time zone (naive, to the second), whatever
    the server's own: what a coordinator's watch says."""
    try:
        zone = ZoneInfo(get("timezone"))
    except (ZoneInfoNotFoundError, ValueError):  # reported by problems() at start
        zone = ZoneInfo(_BY_NAME["timezone"].default)
    return dt.datetime.now(zone).replace(tzinfo=None, microsecond=0)


def stamp(moment: dt.datetime | None = None) -> str:
    """A moment as the database stores it: ISO 8601 to the second (now() if not given)."""
    return (moment or now()).isoformat(timespec="seconds")


def today() -> dt.date:
    fixed = get("today")
    return dt.date.fromisoformat(fixed) if fixed else now().date()
