"""One coordinator's process for tests/test_concurrency_domain.py: a mix of real domain
operations on a shared file, reported as JSON on the last line of stdout.

Run as its own interpreter. The plan (shared people, sessions, a pool of EMŠOs that
every worker tries to take in) comes from a JSON file the test writes. Operations:

- intake of a new person, each submitted twice with the same form token (a double
  click); every third one with an EMŠO of the shared pool, which only one worker can win
  (the others are told ``error.emso_taken``: an expected refusal, not retried);
- stage moves: a shared person between first interview and motivation (other workers
  move the same people, so a stale version is refused with a conflict and retried on the
  fresh one), or one of the worker's own people forward;
- contacts on shared people;
- attendance of a shared group session (the session's version is contended the same way).

Anything but a retried conflict or the expected EMŠO refusal is an unexpected error.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import time
import traceback

from workbench import attendance, auth, casework, participants, pipeline
from workbench.db import open_db
from workbench.errors import ConflictError, UserError
from workbench.participants import PersonInput

TODAY = dt.date(2026, 11, 22)
RETRIES = 200
COORDINATORS = ("ana.kos", "maja.zupan", "petra.kralj")


class Worker:
    def __init__(self, path: str, index: int, plan: dict) -> None:
        self.db = open_db(path)
        self.index = index
        self.plan = plan
        self.actor = auth.get_user_by_name(self.db, COORDINATORS[index % len(COORDINATORS)])
        self.rng = random.Random(index)
        self.pool = list(plan["emso_pool"])
        self.rng.shuffle(self.pool)
        self.own: list[int] = []  # people this worker took in, still to move forward
        self.report = {"worker": index, "ops": 0, "unexpected": 0, "conflicts": 0,
                       "intakes": [], "pool_won": [], "pool_refused": 0, "double_submits": 0,
                       "moves": {}, "own_moves": 0, "contacts": 0, "attendance": {}}

    # -- the operations ----------------------------------------------------------------
    def intake(self, k: int) -> None:
        code, born, sex = (None, dt.date(1980, 1, 1) + dt.timedelta(days=k + 400 * self.index),
                           "F")
        if k % 3 == 0 and self.pool:
            code, iso, sex = self.pool.pop()
            born = dt.date.fromisoformat(iso)
        form = PersonInput(
            first_name=f"W{self.index}N{k}", last_name="Sočasna", emso=code, sex=sex,
            birth_date=born, municipality_id=self.plan["municipality_id"], isced=3,
            labour_status="unemployed", migrant="no", disability="no",
            other_disadvantage="no", homeless=False, residence_ok=True, language="sl",
            target_group="dsp", dsp_payments_24m=3, referral_source="csd",
            referral_date=TODAY - dt.timedelta(days=5))
        token = f"w{self.index}-intake-{k}"
        try:
            pid, created = participants.create_person(
                self.db, self.actor, form, coordinator_id=self.actor.id, today=TODAY,
                different_person=True, token=token)
        except UserError as err:
            if code is not None and err.key == "error.emso_taken":
                self.report["pool_refused"] += 1
                return
            raise
        again, created_again = participants.create_person(   # the double click
            self.db, self.actor, form, coordinator_id=self.actor.id, today=TODAY,
            different_person=True, token=token)
        if not created or created_again or again != pid:
            raise AssertionError(f"double submit of {token}: {pid, created, again}")
        self.report["double_submits"] += 1
        self.report["intakes"].append([token, pid])
        if code is not None:
            self.report["pool_won"].append(code)
        self.own.append(pid)

    def move(self, k: int) -> None:
        if self.own and k % 2:
            pid = self.own[0]
            stage = self.db.execute("SELECT stage FROM participants WHERE id = ?",
                                    [pid]).fetchone()[0]
            target = {"referred": "first_interview", "first_interview": "motivation"}[stage]
            pipeline.move_stage(self.db, self.actor, pid, self._version(pid),
                                pipeline.Move(target, TODAY), today=TODAY)
            self.report["own_moves"] += 1
            if target == "motivation":
                self.own.pop(0)
            return
        pid = self.rng.choice(self.plan["shared_people"])
        reason = f"w{self.index}-m{k}"

        def attempt() -> None:
            stage = self.db.execute("SELECT stage FROM participants WHERE id = ?",
                                    [pid]).fetchone()[0]
            target = "motivation" if stage == "first_interview" else "first_interview"
            pipeline.move_stage(self.db, self.actor, pid, self._version(pid),
                                pipeline.Move(target, TODAY, reason=reason), today=TODAY)
        self._retrying(attempt)
        self.report["moves"][str(pid)] = self.report["moves"].get(str(pid), 0) + 1

    def contact(self, k: int) -> None:
        pid = self.rng.choice(self.plan["shared_people"])
        casework.add_contact(self.db, self.actor, pid, on=TODAY, kind="phone",
                             note=f"Klic delavca {self.index}", next_step=f"w{self.index}-c{k}",
                             today=TODAY, token=f"w{self.index}-contact-{k}")
        self.report["contacts"] += 1

    def attend(self, k: int) -> None:
        session_id, people = self.rng.choice(self.plan["sessions"])
        person = self.rng.choice(people)
        hours = self.rng.choice((0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0))

        def attempt() -> bool:
            version = self.db.execute("SELECT version FROM sessions WHERE id = ?",
                                      [session_id]).fetchone()[0]
            return attendance.record(self.db, self.actor, session_id, version,
                                     {person: ("present", hours)}, today=TODAY) != version
        if self._retrying(attempt):  # False: the sheet already said so, nothing changed
            changes = self.report["attendance"]
            changes[str(session_id)] = changes.get(str(session_id), 0) + 1

    # -- helpers -------------------------------------------------------------------------
    def _version(self, pid: int) -> int:
        return self.db.execute("SELECT version FROM participants WHERE id = ?",
                               [pid]).fetchone()[0]

    def _retrying(self, attempt):
        for _ in range(RETRIES):
            try:
                return attempt()
            except ConflictError:  # someone saved first: read again, decide again
                self.report["conflicts"] += 1
                time.sleep(self.rng.uniform(0, 0.002))
        raise AssertionError("still in conflict after retries")

    def run(self, ops: int) -> dict:
        kinds = ["intake"] * 2 + ["move"] * 3 + ["contact"] * 3 + ["attend"] * 2
        for k in range(ops):
            kind = self.rng.choice(kinds)
            try:
                getattr(self, kind)(k)
            except Exception as err:  # noqa: BLE001 - every other failure is what is counted
                self.report["unexpected"] += 1
                print(f"worker {self.index} op {k} {kind}: {err!r}", file=sys.stderr)
                traceback.print_exc(file=sys.stderr)
            self.report["ops"] += 1
        return self.report


def main(path: str, index: int, ops: int, plan_file: str, go_file: str) -> int:
    with open(plan_file, encoding="utf-8") as f:
        plan = json.load(f)
    worker = Worker(path, index, plan)
    print("ready", flush=True)
    while not os.path.exists(go_file):  # all workers start together
        time.sleep(0.005)
    started = time.monotonic()
    report = worker.run(ops)
    report["seconds"] = round(time.monotonic() - started, 2)
    worker.db.close()
    print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]))
