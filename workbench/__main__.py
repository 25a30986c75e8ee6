"""Administration commands: ``python -m workbench create-user ...``."""

from __future__ import annotations

import argparse
import getpass
import sys

from workbench import auth, environment, i18n, vocab
from workbench.db import NetworkFileSystemError, open_db
from workbench.errors import UserError


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Geslo / Password: ")
    if first != getpass.getpass("Ponovite geslo / Repeat password: "):
        raise UserError("error.password_mismatch")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workbench")
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create-user", help="create an account (the first admin too)")
    create.add_argument("--db", help="database path (default: WORKBENCH_DB or data/demo.db)")
    create.add_argument("--username", required=True)
    create.add_argument("--display-name", required=True)
    create.add_argument("--role", choices=vocab.ROLES, required=True)
    create.add_argument("--unit", help="CSD unit code, e.g. kranj")
    create.add_argument("--password-stdin", action="store_true",
                        help="read the password from standard input instead of prompting")
    args = parser.parse_args(argv)
    try:
        db = open_db(args.db)
        password = _read_password(args)
        # A database that gets its first account from this command is a real one.
        if not environment.holds_records(db):
            environment.ensure_production(db)
        user = auth.create_user(db, args.username, args.display_name, args.role,
                                password, unit_code=args.unit)
    except UserError as err:
        print(i18n.translate(err.key, "sl", **err.params), file=sys.stderr)
        return 2
    except NetworkFileSystemError as err:
        print(err, file=sys.stderr)
        return 2
    print(f"Ustvarjen uporabnik / created user: {user.username} ({user.role})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
