"""`make mutation`'s two helpers (README "Mutation testing").

``python -m tests.mutation template PATH`` seeds the tests' database once, with the
unmutated code, for every mutant to copy; ``python -m tests.mutation scores [MODULE]``
prints each rule module's share of killed mutants from mutmut's results and fails when
one is under the goal.
"""

from __future__ import annotations

import argparse
import configparser
import json
import sys
from collections import Counter
from pathlib import Path

GOAL = 90.0  # per cent of a module's mutants that the fast library tests must kill
KILLED = {1, 3}  # mutmut's exit codes for a failing test run
TIMEOUT = {24, -24, 36, 152, 255}  # the mutant hung: counted as killed, as mutmut does
SURVIVED = {0}


def modules() -> list[str]:
    config = configparser.ConfigParser()
    config.read("setup.cfg")
    paths = config.get("mutmut", "only_mutate").split()
    return [Path(path).stem for path in paths]


def tally(module: str) -> Counter:
    meta = Path("mutants") / "workbench" / f"{module}.py.meta"
    codes = json.loads(meta.read_text())["exit_code_by_key"] if meta.exists() else {}
    counts = Counter()
    for code in codes.values():
        counts["all"] += 1
        if code in KILLED or code in TIMEOUT:
            counts["killed"] += 1
        elif code in SURVIVED:
            counts["survived"] += 1
        elif code in (5, 33):
            counts["no tests"] += 1
        elif code is None:
            counts["not run"] += 1
        else:
            counts["other"] += 1
    return counts


def scores(chosen: list[str]) -> int:
    print(f"{'module':<12} {'mutants':>7} {'killed':>6} {'survived':>8} {'no tests':>8} "
          f"{'not run':>7} {'score':>6}")
    short = []
    for module in chosen:
        counts = tally(module)
        score = 100.0 * counts["killed"] / counts["all"] if counts["all"] else 0.0
        print(f"{module:<12} {counts['all']:>7} {counts['killed']:>6} {counts['survived']:>8} "
              f"{counts['no tests']:>8} {counts['not run']:>7} {score:>5.1f}%")
        if score < GOAL or counts["not run"]:
            short.append(module)
    if short:
        print(f"under {GOAL:.0f} % or not run: {', '.join(short)} "
              "(`.venv/bin/mutmut results` lists the survivors, `mutmut show NAME` one)")
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutation")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("template").add_argument("path", type=Path)
    sub.add_parser("scores").add_argument("module", nargs="?")
    args = parser.parse_args(argv)
    if args.command == "template":
        from tests.conftest import seed_template

        args.path.unlink(missing_ok=True)
        seed_template(args.path)
        return 0
    return scores([args.module] if args.module else modules())


if __name__ == "__main__":
    sys.exit(main())
