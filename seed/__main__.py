"""``python -m seed --db PATH --scale gorenjska|national --seed N --today YYYY-MM-DD``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from seed import DEFAULT_SEED, SCALES, SeedRefused, populate
from workbench import config, i18n
from workbench.db import DatabaseUnavailable, open_db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed",
                                     description="Fill a database with fictitious training data.")
    parser.add_argument("--db", help="database path (default: WORKBENCH_DB; one is required)")
    parser.add_argument("--scale", choices=SCALES, default="gorenjska")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                        help="the day the data is built around (default: today)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        path = config.db_path(args.db)
        db = open_db(path, create=True)
        counts = populate(db, scale=args.scale, seed=args.seed, today=args.today)
    except (SeedRefused, config.DatabaseNotConfigured) as err:
        print(err, file=sys.stderr)
        return 2
    except DatabaseUnavailable as err:
        print(i18n.translate(err.key, "sl", **err.params), file=sys.stderr)
        print(i18n.translate(err.key, "en", **err.params), file=sys.stderr)
        return 2
    summary = ", ".join(f"{table} {n:,}" for table, n in counts.items())
    print(f"Seeded {path}: {args.scale} ({summary}) in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
