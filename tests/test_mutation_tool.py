"""`make mutation` leaves out only mutants no test can kill: SQL letter case."""

from __future__ import annotations

import pytest

from tests.mutation import sql_case_only

ORIGINAL = '''def f(db, pid):
    return db.execute("SELECT 1 FROM enrolments WHERE participant_id = ? AND status = 'active'",
                      [pid]).fetchone()
'''


@pytest.mark.parametrize(("before", "after", "same"), [
    # keywords, tables and columns in another case: SQLite reads them the same
    ("SELECT 1 FROM enrolments", "select 1 from enrolments", True),
    ("SELECT 1 FROM enrolments", "SELECT 1 FROM ENROLMENTS", True),
    ("AND status = 'active'", "and status = 'active'", True),
    # a quoted value in another case is another value
    ("AND status = 'active'", "AND STATUS = 'ACTIVE'", False),
    # the text is not SQL (a table name handed to Python, an error key): not equivalent
    ("participants", "PARTICIPANTS", False),
    ("error.start_before_contract", "ERROR.START_BEFORE_CONTRACT", False),
    # any other change
    ("SELECT 1 FROM enrolments", "XXSELECT 1 FROM enrolmentsXX", False),
])
def test_only_a_change_of_letter_case_in_sql_is_equivalent(before, after, same):
    original = ORIGINAL.replace("SELECT 1 FROM enrolments WHERE participant_id = ? "
                                "AND status = 'active'", before)
    mutant = original.replace(before, after)
    assert sql_case_only(original, mutant) is same


def test_a_change_outside_the_strings_is_never_equivalent():
    mutant = ORIGINAL.replace("SELECT", "select").replace("fetchone", "fetchall")
    assert sql_case_only(ORIGINAL, mutant) is False


def test_make_mutation_does_not_generate_the_sql_case_mutants():
    """`python -m tests.mutation run` wraps mutmut's string operator: a SQL string keeps its
    one killable mutant (XX…XX); a quoted value's case change and a string that is not
    SQL keep theirs."""
    import libcst as cst
    from mutmut.mutation import mutators

    from tests.mutation import _without_sql_case

    def mutants(literal):
        node = cst.SimpleString(literal)
        return ([m.value for m in mutators.operator_string(node)],
                [m.value for m in _without_sql_case(mutators.operator_string)(node)])

    every, kept = mutants('"SELECT 1 FROM enrolments"')
    assert len(every) == 3 and kept == ['"XXSELECT 1 FROM enrolmentsXX"']
    every, kept = mutants('"AND status = \'active\'"')
    assert kept == every[:1] + ['"AND STATUS = \'ACTIVE\'"']
    every, kept = mutants('"Kranj"')  # not SQL: XXKranjXX, kranj, KRANJ
    assert kept == every and len(every) == 3
