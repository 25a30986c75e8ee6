"""``python -m seed --db PATH --scale gorenjska|national --seed N --today YYYY-MM-DD``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from seed import DEFAULT_SEED, SCALES, SeedRefused, populate
from workbench.db import NetworkFileSystemError, open_db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed",
                                     description="Fill a database with fictitious training data.")
    parser.add_argument("--db", help="database path (default: WORKBENCH_DB or data/demo.db)")
    parser.add_argument("--scale", choices=SCALES, default="gorenjska")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                        help="the day the data is built around (default: today)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        db = open_db(args.db)
        counts = populate(db, scale=args.scale, seed=args.seed, today=args.today)
    except (SeedRefused, NetworkFileSystemError) as err:
        print(err, file=sys.stderr)
        return 2
    summary = ", ".join(f"{table} {n:,}" for table, n in counts.items())
    print(f"Seeded {args.scale} ({summary}) in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
