"""Fictitious people with ID numbers whose check characters are right."""
from __future__ import annotations

import itertools

from bot.privacy import id_check_character


def id_number(birth: str = "19880315", area: str = "110105", sequence: int = 1) -> str:
    first_17 = f"{area}{birth}{sequence:03d}"
    return first_17 + id_check_character(first_17)


def id_number_ending_in_x() -> str:
    for sequence in itertools.count(1):
        number = id_number("19900101", "110108", sequence)
        if number.endswith("X"):
            return number
    raise AssertionError("unreachable")


def with_wrong_check_character(number: str) -> str:
    wrong = "0" if number[-1] != "0" else "1"
    return number[:-1] + wrong
