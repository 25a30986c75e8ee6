"""Administration commands: ``python -m workbench create-user ...``."""

from __future__ import annotations

import argparse
import getpass
import sys

from workbench import auth, config, environment, i18n, vocab
from workbench.db import DatabaseUnavailable, open_db
from workbench.errors import UserError


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
    args = parser.parse_args(argv)
    try:
        return create_user(args)
    except UserError as err:
        print(_say(err.key, **err.params), file=sys.stderr)
    except DatabaseUnavailable as err:
        print(_say(err.key, **err.params), file=sys.stderr)
    except config.DatabaseNotConfigured as err:
        print(err, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
