import datetime as dt
import random

import pytest

from workbench import emso


def test_generated_numbers_carry_birth_date_sex_and_a_valid_check_digit():
    rng = random.Random(1)
    born = dt.date(1979, 3, 5)
    for sex in ("F", "M"):
        code = emso.generate(born, sex, rng)
        assert code.startswith("0503979505") if sex == "F" else code.startswith("0503979")
        assert emso.is_valid(code)
        assert emso.birth_date(code) == born
        serial = int(code[9:12])
        assert (serial >= 500) == (sex == "F")


def test_a_wrong_check_digit_is_rejected():
    code = emso.generate(dt.date(1990, 12, 31), "M", random.Random(2))
    wrong = code[:12] + str((int(code[12]) + 1) % 10)
    assert not emso.is_valid(wrong)


def test_malformed_numbers_are_rejected():
    assert not emso.is_valid("")
    assert not emso.is_valid("12345")
    assert not emso.is_valid("31029905000" + "1a")
    assert not emso.is_valid("3102990500001")  # 31 February


def test_known_check_digit():
    # 0101006500006: 0*7+1*6+0*5+1*4+0*3+0*2+6*7+5*6+0*5+0*4+0*3+0*2 = 82; 82 % 11 = 5; 11-5 = 6
    assert emso.check_digit("010100650000") == 6
    assert emso.is_valid("0101006500006")


class _Edge:
    """A random source that draws the lowest serial of the range, then the highest."""

    def __init__(self) -> None:
        self.calls = 0

    def randint(self, low: int, high: int) -> int:
        self.calls += 1
        return low if self.calls == 1 else high


def test_serials_run_from_000_to_499_for_men_and_500_to_999_for_women():
    # 0101006 50 000 check digit: 0*7+1*6+0*5+1*4+0*3+0*2+6*7+5*6 = 82 -> 11 - 82 % 11 = 6
    assert emso.generate(dt.date(2006, 1, 1), "M", _Edge()) == "0101006500006"
    # women: the lowest serial is 500; the highest drawn is 999, never a fourth digit
    first = emso.generate(dt.date(2006, 1, 1), "F", _Edge())
    assert first[9:12] == "500" and len(first) == 13
    rng = _Edge()
    rng.calls = 1  # the next draw is the range's top
    top = emso.generate(dt.date(2006, 1, 1), "F", rng)
    assert top[9:12] == "999" and len(top) == 13 and emso.is_valid(top)


def test_a_check_digit_needs_exactly_twelve_digits():
    for wrong in ("01010065000", "0101006500000"):
        with pytest.raises(ValueError):
            emso.check_digit(wrong)


def test_generate_gives_up_instead_of_looping_when_no_serial_has_a_check_digit(monkeypatch):
    """A broken check digit stops the seed with a message naming the birth date; it does not
    hang (the loop is bounded)."""
    monkeypatch.setattr(emso, "check_digit", lambda first12: None)
    with pytest.raises(RuntimeError, match="1988-03-14"):
        emso.generate(dt.date(1988, 3, 14), "F", random.Random(1))


@pytest.mark.parametrize("sex", ["F", "M"])
def test_a_random_stuck_on_a_serial_without_check_digit_still_gives_a_valid_emso(sex):
    """Hypothesis' randoms may return one value for ever: the serials are then tried in order."""
    born = dt.date(2001, 1, 1)
    stuck = next(s for s in range(1000) if emso.check_digit(f"010100150{s:03d}") is None
                 and (s < 500) == (sex == "M"))

    class Stuck(random.Random):
        def randint(self, a, b):
            return stuck

    code = emso.generate(born, sex, Stuck())
    assert emso.is_valid(code) and emso.sex(code) == sex and code[:7] == "0101001"


def test_every_generated_emso_reads_back_as_the_sex_it_was_made_for():
    """Serials 000–499 are men's and 500–999 women's, to the last serial of each range
    (8,000 draws reach the ends of both ranges many times over)."""
    rng = random.Random(7)
    for sex in ("M", "F"):
        made = [emso.generate(dt.date(1990, 1, 1), sex, rng) for _ in range(8000)]
        assert {emso.sex(code) for code in made} == {sex}


def test_one_check_says_what_is_wrong_with_a_typed_emso_against_the_form():
    """The intake's verdict and the save's refusal come from this one check: a valid number
    for another birth date or the other sex is not "valid" for this person."""
    born = dt.date(1990, 12, 31)
    woman = emso.generate(born, "F", random.Random(1))
    assert emso.problem(woman, born, "F") is None
    assert emso.problem(woman) is None                      # nothing else known yet
    assert emso.problem(woman, None, "F") is None
    assert emso.problem(woman, born + dt.timedelta(days=1), "F") == "error.emso_birth_date"
    assert emso.problem(woman, born, "M") == "error.emso_sex"
    assert emso.problem(woman[:12] + str((int(woman[12]) + 1) % 10), born, "F") == \
        "error.emso_invalid"
