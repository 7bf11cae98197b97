"""Runs the policy cases of tests/policy/*.yml: each gives a period, the input and the expected output."""
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict

import pytest
import yaml

from bot.calendar import load_calendar
from bot.rules.consultation import beijing_timezone, consultation_status
from bot.rules.eligibility import PersonFacts, assess_eligibility
from bot.rules.fees import level_fees
from bot.rules.subsidy import estimate_subsidy

CASES = [case for path in sorted(Path(__file__).parent.glob("*.yml"))
         for case in yaml.safe_load(path.read_text(encoding="utf-8"))]


def _day(period: Any) -> dt.date:
    return period if isinstance(period, dt.date) else dt.date.fromisoformat(str(period)[:10])


def _subsidy(period: Any, given: Dict[str, Any]) -> Any:
    hours = {kind: Decimal(str(value)) for kind, value in given["hours"].items()}
    return estimate_subsidy(hours, _day(period), employees=given.get("employees", 1))


def _eligibility(period: Any, given: Dict[str, Any]) -> Any:
    return assess_eligibility(PersonFacts(**given), _day(period))


def _fees(period: Any, given: Dict[str, Any]) -> Any:
    return level_fees(given["level"], _day(period))


def _consultation(period: Any, given: Dict[str, Any]) -> Any:
    moment = dt.datetime.fromisoformat(str(period)).replace(tzinfo=beijing_timezone())
    return consultation_status(moment, load_calendar())


FORMULAS = {"subsidy": _subsidy, "eligibility": _eligibility, "fees": _fees, "consultation": _consultation}


def _comparable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_policy_case(case):
    result = FORMULAS[case["formula"]](case["period"], case.get("input") or {})
    for name, expected in case["output"].items():
        assert _comparable(getattr(result, name)) == expected, name
