"""Commands: ``python -m workbench create-user ...``, ``calendar ...``, ``allowances ...``,
``report ...``, ``backup ...``, ``restore ...``, ``check ...``."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from pathlib import Path

from workbench import (
    allowances,
    attendance,
    audit,
    auth,
    config,
    environment,
    esf,
    i18n,
    ics,
    programmes,
    sheets,
    vocab,
)
from workbench.db import DatabaseUnavailable, open_db, opened, write
from workbench.errors import UserError
from workbench.protection import backup as backups


def _say(key: str, **params: object) -> str:
    """A message in both languages: an administrator's terminal may be either."""
    return f"{i18n.translate(key, 'sl', **params)}\n{i18n.translate(key, 'en', **params)}"


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Geslo / Password: ")
    if first != getpass.getpass("Ponovite geslo / Repeat password: "):
        raise UserError("error.password_mismatch")
    return first


def create_user(args: argparse.Namespace) -> int:
    db = open_db(args.db, create=True)
    if environment.is_training(db):
        if not args.convert_to_real:
            print(_say("cli.training_db", path=config.db_path(args.db)), file=sys.stderr)
            return 2
        environment.convert_to_real(db)
    password = _read_password(args)
    # A database that gets its first account from this command is a real one.
    if not environment.holds_records(db):
        environment.ensure_production(db)
    user = auth.create_user(db, args.username, args.display_name, args.role,
                            password, unit_code=args.unit)
    print(f"Ustvarjen uporabnik / created user: {user.username} ({user.role})")
    return 0


def _write_export(db, path: Path, data: bytes, user_id: int | None,
                  export: audit.Export) -> None:
    """A file of people's data the command line made: readable by its owner alone (0600,
    an existing file too), and in the audit log like a download on a page; a path it
    cannot write is a message, not a traceback."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(handle, "wb") as out:
            os.fchmod(out.fileno(), 0o600)
            out.write(data)
    except OSError as err:  # a path it cannot write is a message, not a traceback
        raise UserError("cli.out_unwritable", path=str(path),
                        error=err.strerror or str(err)) from err
    audit.log_export(db, user_id, export, "command_line")


def _user(db, username: str) -> auth.User:
    user = auth.get_user_by_name(db, username)
    if user is None or not user.active:
        raise UserError("error.cli_unknown_user", name=username)
    return user


def calendar_file(args: argparse.Namespace) -> int:
    """Her bookings in the period, as an iCalendar file."""
    db = open_db(args.db)
    user = _user(db, args.user)
    if args.end < args.start or (args.end - args.start).days > 366:
        raise UserError("ics.period_invalid")
    data = ics.schedule_ics(db, user, user.id, args.start, args.end)
    if b"BEGIN:VEVENT" not in data:  # no data: no booking in the period
        return _no_data("cli.no_data_calendar", args.out, user=user.username,
                        start=args.start.isoformat(), end=args.end.isoformat())
    _write_export(db, args.out, data, user.id, audit.Export(
        "ics", {"coordinator": user.id, "start": args.start.isoformat(),
                "end": args.end.isoformat()}, None))
    print(f"{args.out}")
    return 0


# Exit code of a command that had nothing to write (no file written); 2 is an error, 0 a
# file written.
NO_DATA = 1


def _no_data(key: str, out: Path, **params: object) -> int:
    """Say in both languages that there was nothing to write, and write nothing."""
    print(_say(key, path=out, **params), file=sys.stderr)
    return NO_DATA


def payment_file(args: argparse.Namespace) -> int:
    """The month's payment sheet of a programme, as an Excel workbook."""
    db = open_db(args.db)
    attendance.parse_month(args.month)
    row = db.execute("SELECT u.username FROM programmes g JOIN users u "
                     "ON u.id = g.coordinator_id WHERE g.id = ?", [args.programme]).fetchone()
    if row is None and not args.user:
        raise UserError("error.programme_missing")
    user = _user(db, args.user or row[0])
    programmes.require_programme(db, user, args.programme)
    sheet = allowances.payment_sheet(db, user, args.programme, args.month)
    if not any(r.hours > 0 for r in sheet.rows):  # no data: nobody attended that month
        return _no_data("cli.no_data_allowances", args.out, programme=sheet.programme,
                        month=args.month)
    _write_export(db, args.out, sheets.payment_xlsx(sheet, args.lang), user.id,
                  audit.Export("payment_sheet", {"programme": args.programme,
                                                 "month": args.month}, len(sheet.rows)))
    print(f"{args.out}")
    return 0


def _shell_actor(area: str | None) -> auth.User:
    """Who a report made on the server's own command line acts as: whoever can run it can
    read the database file itself, so she gets the area's casework rights (all areas'
    aggregates when no area is named)."""
    return auth.User(0, "ukazna-vrstica", "ukazna vrstica", "coordinator" if area else "admin",
                     area, None, True)


def report_file(args: argparse.Namespace) -> int:
    """The year's ESF indicators (CSV) or e-MA participant export (XLSX)."""
    db = open_db(args.db)
    today = config.today()
    if args.area is not None and args.area not in dict(
            db.execute("SELECT code, name FROM csd_areas").fetchall()):
        raise UserError("error.cli_unknown_area", area=args.area)
    actor = _shell_actor(args.area)
    if args.kind == "esf":
        found = esf.report(db, actor, args.year, args.area, today)
        if not (found.participants or found.leavers):  # no data: nobody entered or left
            return _no_data("cli.no_data_esf", args.out, year=args.year)
        _write_export(db, args.out, esf.report_csv(
            found, lambda code: i18n.translate(f"esf.{code}", args.lang),
            lambda column: esf.column_label(column, args.lang)), None,
            audit.Export("esf_csv", {"area": args.area, "year": args.year}, None))
    else:
        if args.area is None:
            raise UserError("error.cli_area_required")
        rows = esf.ema_rows(db, actor, args.year, args.area, today)
        if not rows:  # no data: no participant entered or left in the year
            return _no_data("cli.no_data_ema", args.out, year=args.year, area=args.area)
        _write_export(db, args.out, sheets.ema_xlsx(rows), None,
                      audit.Export("ema", {"area": args.area, "year": args.year}, len(rows)))
    print(f"{args.out}")
    return 0


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


def _audit(db_path: str | None, action: str, file: object, note: str) -> None:
    """A backup or a restore in the database's own audit log (by the system: no account)."""
    with opened(db_path) as db, write(db):
        audit.log_event(db, None, action, "database", None, field="file", value=str(file),
                        reason=note)


def backup_file(args: argparse.Namespace) -> int:
    """A verified copy of the live database into a folder, then the folder's rotation."""
    made = backups.backup(config.db_path(args.db), args.to, keep_daily=args.keep_daily,
                          keep_weekly=args.keep_weekly, create=args.create)
    _audit(args.db, "backup", made.path, "verified")
    print(_say("backup.done", path=made.path, size=_size(made.size), tables=len(made.rows),
               rows=sum(made.rows.values()), copy=f"{made.copy_seconds:.1f}",
               verify=f"{made.verify_seconds:.1f}", kept=len(made.kept),
               deleted=len(made.deleted)))
    return 0


def restore_file(args: argparse.Namespace) -> int:
    """A checked backup in place of the database file; the app must be stopped."""
    done = backups.restore(args.source, config.db_path(args.db))
    rows = sum(done.rows.values())
    _audit(args.db, "restore", done.source, "restored")
    if done.replaced is None:
        print(_say("restore.done_new", path=done.path, source=done.source, rows=rows))
    else:
        print(_say("restore.done", path=done.path, source=done.source, rows=rows,
                   replaced=done.replaced))
    return 0


def check_file(args: argparse.Namespace) -> int:
    """Full integrity check, schema version and audit chain of a database or backup file."""
    found = backups.check(config.db_path(args.db), chain=True)
    if found.integrity != "ok":
        print(_say("check.damaged", path=found.path, detail=found.integrity), file=sys.stderr)
    elif not found.workbench:
        print(_say("check.not_workbench", path=found.path), file=sys.stderr)
    elif found.unknown:
        print(_say("check.newer", path=found.path, migrations=", ".join(found.unknown)),
              file=sys.stderr)
    elif found.chain is not None:
        _say_break(found.path, found.chain)
    else:
        print(_say("check.ok", path=found.path, n=len(found.migrations),
                   latest=found.migrations[-1]))
        if found.pending:
            print(_say("check.pending", pending=found.pending))
        return 0
    return 1


def _say_break(path: object, found: audit.Break) -> None:
    print(_say("auditlog.check_broken", path=path), file=sys.stderr)
    print(_say(f"auditlog.break_{found.kind}", id=found.id, first=(found.after or 0) + 1,
               last=found.id - 1), file=sys.stderr)


def _anchor(value: str) -> tuple[int, str]:
    """``ID:HASH``, a head an earlier ``audit-check`` printed."""
    number, _, digest = value.partition(":")
    if not number.isdigit() or len(digest) != 64:
        raise argparse.ArgumentTypeError("ID:HASH, e.g. 1234:9f86d08...")
    return int(number), digest


def audit_check(args: argparse.Namespace) -> int:
    """Walk the audit log's hash chain: 0 when intact, 1 at the first break (for cron)."""
    path = config.db_path(args.db)
    db = open_db(path)
    found = audit.verify_chain(db, anchor=args.head)
    if found is not None:
        _say_break(path, found)
        return 1
    last = audit.head(db)
    if last is None:
        print(_say("auditlog.check_empty", path=path))
    else:
        print(_say("auditlog.check_ok", path=path, id=last[0]))
        print(f"{last[0]}:{last[1]}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workbench")
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create-user", help="create an account (the first admin too)")
    create.add_argument("--db", help="database path (default: WORKBENCH_DB; one of them is "
                                     "required)")
    create.add_argument("--username", required=True)
    create.add_argument("--display-name", required=True)
    create.add_argument("--role", choices=vocab.ROLES, required=True)
    create.add_argument("--unit", help="CSD unit code, e.g. kranj")
    create.add_argument("--password-stdin", action="store_true",
                        help="read the password from standard input instead of prompting")
    create.add_argument("--convert-to-real", action="store_true",
                        help="on a training database: delete every demo account and record "
                             "first, then make it a real database")
    calendar = sub.add_parser("calendar", help="a coordinator's schedule as an .ics file")
    calendar.add_argument("--db")
    calendar.add_argument("--user", required=True, help="the coordinator's username")
    calendar.add_argument("--from", dest="start", required=True, type=dt.date.fromisoformat,
                          help="first day, YYYY-MM-DD")
    calendar.add_argument("--to", dest="end", required=True, type=dt.date.fromisoformat,
                          help="last day, YYYY-MM-DD")
    calendar.add_argument("--out", required=True, type=Path)
    pay = sub.add_parser("allowances", help="a programme's payment sheet of a month (.xlsx)")
    pay.add_argument("--db")
    pay.add_argument("--programme", required=True, type=int)
    pay.add_argument("--month", required=True, help="YYYY-MM")
    pay.add_argument("--out", required=True, type=Path)
    pay.add_argument("--user", help="the coordinator it is made for (default: the "
                                    "programme's coordinator)")
    pay.add_argument("--lang", choices=i18n.LANGUAGES, default="sl")
    report = sub.add_parser("report", help="ESF indicators (.csv) or the e-MA export (.xlsx)")
    report.add_argument("kind", choices=("esf", "ema"))
    report.add_argument("--db")
    report.add_argument("--year", required=True, type=int)
    report.add_argument("--area", help="CSD area code, e.g. gorenjska (esf: all areas when "
                                       "left out; ema: required)")
    report.add_argument("--out", required=True, type=Path)
    report.add_argument("--lang", choices=i18n.LANGUAGES, default="sl")
    save = sub.add_parser("backup", help="a verified copy of the live database (the app may "
                                         "keep running), and rotation of the folder")
    save.add_argument("--db", help="database path (default: WORKBENCH_DB)")
    save.add_argument("--to", required=True, type=Path,
                      help="backup folder; it must exist (best on another disk)")
    save.add_argument("--create", action="store_true",
                      help="make the folder (owner only) if it does not exist; without it "
                           "a missing folder, e.g. a disk that is not mounted, is refused")
    save.add_argument("--keep-daily", type=int, default=7,
                      help="newest copy of each of the last N days (default 7)")
    save.add_argument("--keep-weekly", type=int, default=4,
                      help="newest copy of each of the last N ISO weeks (default 4)")
    back = sub.add_parser("restore", help="put a checked backup in place of the database; "
                                          "STOP THE APP FIRST")
    back.add_argument("--from", dest="source", required=True, type=Path,
                      help="the backup file (workbench-YYYY-MM-DD-HHMMSS.db)")
    back.add_argument("--db", help="database path (default: WORKBENCH_DB)")
    inspect = sub.add_parser("check", help="integrity check, schema version and audit "
                                           "chain of a database or backup file (changes "
                                           "nothing)")
    inspect.add_argument("--db", help="database or backup path (default: WORKBENCH_DB)")
    chain = sub.add_parser("audit-check", help="check the audit log's hash chain (exit 0 "
                                               "intact, 1 broken; prints the head ID:HASH)")
    chain.add_argument("--db", help="database path (default: WORKBENCH_DB)")
    chain.add_argument("--head", type=_anchor, metavar="ID:HASH",
                       help="a head printed by an earlier run: entries removed from the end "
                            "or a recomputed chain show too")
    args = parser.parse_args(argv)
    commands = {"create-user": create_user, "calendar": calendar_file,
                "allowances": payment_file, "report": report_file, "backup": backup_file,
                "restore": restore_file, "check": check_file,
                "audit-check": audit_check}
    try:
        return commands[args.command](args)
    except UserError as err:
        print(_say(err.key, **err.params), file=sys.stderr)
    except DatabaseUnavailable as err:
        print(_say(err.key, **err.params), file=sys.stderr)
    except config.DatabaseNotConfigured as err:
        print(err, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
