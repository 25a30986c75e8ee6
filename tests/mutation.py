"""`make mutation`'s two helpers (README "Mutation testing").

``python -m tests.mutation template PATH`` seeds the tests' database once, with the
unmutated code, for every mutant to copy; ``python -m tests.mutation run [NAMES]`` runs
``mutmut run`` without generating the mutants that only change SQL's letter case;
``python -m tests.mutation scores [MODULE]`` prints each rule module's share of killed
mutants from mutmut's results and fails when one is under the goal.
"""

from __future__ import annotations

import argparse
import ast
import configparser
import json
import re
import sys
import textwrap
from collections import Counter
from pathlib import Path

GOAL = 90.0  # per cent of a module's mutants that the fast library tests must kill
KILLED = {1, 3}  # mutmut's exit codes for a failing test run
TIMEOUT = {24, -24, 36, 152, 255}  # the mutant hung: counted as killed, as mutmut does
SURVIVED = {0}


# A string mutmut changed is SQL when it holds a keyword; SQLite reads keywords, table and
# column names in any letter case, so a mutant that only changes their case (outside quoted
# values, which must stay exact) is equivalent: no test can tell it from the original.
SQL_WORDS = re.compile(r"\b(select|insert|update|delete|from|where|join|values|group by|"
                       r"order by|and|or|not|null|in|exists|set|case|when|on)\b", re.I)


def _sql_case(sql: str) -> str:
    parts = re.split(r"('(?:[^']|'')*')", sql)
    return "".join(part if part.startswith("'") else part.lower() for part in parts)


def sql_case_string(original: str, mutated: str) -> bool:
    """True when a mutated string literal differs from the SQL it was only in letter case."""
    return (original != mutated and bool(SQL_WORDS.search(original))
            and _sql_case(original) == _sql_case(mutated))


def _strings(source: str) -> list[object]:
    """The function's AST with every string constant replaced by a marker, and the strings."""
    tree = ast.parse(textwrap.dedent(source))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append(node.value)
            node.value = "\0"
    return [ast.dump(tree), found]


def sql_case_only(original: str, mutant: str) -> bool:
    """True when the mutant differs from the original only in the letter case of SQL."""
    (shape, before), (mutated_shape, after) = _strings(original), _strings(mutant)
    if shape != mutated_shape or len(before) != len(after):
        return False
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    return bool(changed) and all(sql_case_string(a, b) for a, b in changed)


def _functions(module: str) -> dict[str, str]:
    source = (Path("mutants") / "workbench" / f"{module}.py").read_text()
    lines = source.splitlines()
    return {node.name: "\n".join(lines[node.lineno - 1:node.end_lineno])
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def equivalent(module: str, names: list[str]) -> set[str]:
    """The survivors among ``names`` that only change SQL's letter case."""
    functions = _functions(module) if names else {}
    found = set()
    for name in names:
        mutated = name.rsplit(".", 1)[-1]
        original = functions.get(mutated.rsplit("__mutmut_", 1)[0] + "__mutmut_orig")
        if original and mutated in functions:
            body = functions[mutated].replace(mutated, "f", 1)
            if sql_case_only(original.replace(mutated.rsplit("__mutmut_", 1)[0]
                                              + "__mutmut_orig", "f", 1), body):
                found.add(name)
    return found


def modules() -> list[str]:
    config = configparser.ConfigParser()
    config.read("setup.cfg")
    paths = config.get("mutmut", "only_mutate").split()
    return [Path(path).stem for path in paths]


def tally(module: str) -> Counter:
    meta = Path("mutants") / "workbench" / f"{module}.py.meta"
    codes = json.loads(meta.read_text())["exit_code_by_key"] if meta.exists() else {}
    counts = Counter()
    same = equivalent(module, [name for name, code in codes.items() if code in SURVIVED])
    for name, code in codes.items():
        counts["all"] += 1
        if code in KILLED or code in TIMEOUT:
            counts["killed"] += 1
            counts["timeout"] += code in TIMEOUT
        elif name in same:
            counts["equivalent"] += 1
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
    """The score is the killed share of the mutants that are not equivalent (SQL case).
    A mutant stopped by mutmut's time limit counts as killed, as mutmut counts it, and is
    also shown on its own: a survivor whose tests outrun the limit lands there too, so
    each one needs a look (an endless loop, or a survivor to name)."""
    print(f"{'module':<12} {'mutants':>7} {'killed':>6} {'timeout':>7} {'SQL case':>8} "
          f"{'survived':>8} {'no tests':>8} {'not run':>7} {'score':>6}")
    short = []
    for module in chosen:
        counts = tally(module)
        real = counts["all"] - counts["equivalent"]
        score = 100.0 * counts["killed"] / real if real else 0.0
        print(f"{module:<12} {counts['all']:>7} {counts['killed']:>6} {counts['timeout']:>7} "
              f"{counts['equivalent']:>8} "
              f"{counts['survived']:>8} {counts['no tests']:>8} {counts['not run']:>7} "
              f"{score:>5.1f}%")
        if score < GOAL or counts["not run"]:
            short.append(module)
    if short:
        print(f"under {GOAL:.0f} % or not run: {', '.join(short)} "
              "(`.venv/bin/mutmut results` lists the survivors, `mutmut show NAME` one)")
        return 1
    return 0


def _without_sql_case(operator):
    """mutmut's string operator, minus the mutants that only change SQL's letter case:
    they are equivalent, and each would run every test that calls its function."""
    def mutations(node):
        for mutated in operator(node):
            try:
                same = sql_case_string(node.evaluated_value, mutated.evaluated_value)
            except Exception:  # noqa: BLE001 - a string libcst cannot evaluate: keep it
                same = False
            if not same:
                yield mutated
    return mutations


def run_mutmut(arguments: list[str]) -> int:
    """``mutmut run ARGUMENTS`` with the SQL-case mutants left out. mutmut forks its
    workers (also those that generate the mutants), so they inherit the change."""
    from mutmut.__main__ import cli
    from mutmut.mutation import mutators

    # pytest, run by mutmut inside mutants/, must import that copy of the tests (whose
    # conftest finds the mutated app), not this package that `python -m` loaded.
    for name in [name for name in sys.modules if name == "tests" or name.startswith("tests.")]:
        del sys.modules[name]
    mutators.mutation_operators[:] = [
        (kind, _without_sql_case(operator) if operator is mutators.operator_string else operator)
        for kind, operator in mutators.mutation_operators]
    return cli(["run", *arguments], standalone_mode=False) or 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutation")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("template").add_argument("path", type=Path)
    sub.add_parser("scores").add_argument("module", nargs="?")
    sub.add_parser("run").add_argument("names", nargs="*")
    args = parser.parse_args(argv)
    if args.command == "run":
        return run_mutmut(args.names)
    if args.command == "template":
        from tests.conftest import seed_template

        args.path.unlink(missing_ok=True)
        seed_template(args.path)
        return 0
    return scores([args.module] if args.module else modules())


if __name__ == "__main__":
    sys.exit(main())
