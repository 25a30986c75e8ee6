import datetime as dt
import random

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
