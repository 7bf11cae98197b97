"""The calculators as a service: typed values in, the chat's reply text and the data behind it out.

`bot-rules` and the staff console both call these, and they read their input through the fact
registry (bot.rules.facts), so staff, the command line and the chat accept the same number forms
(五年半, 四十) and say the same thing.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from decimal import Decimal, InvalidOperation
from typing import Any, Dict, Optional

from bot.replies.results import eligibility_reply, subsidy_reply
from bot.rules.eligibility import EligibilityInputError, assess_eligibility
from bot.rules.facts import build_person
from bot.rules.fees import FeeInputError
from bot.rules.subsidy import Number, SubsidyInputError, estimate_subsidy

# The rules' input errors: the message is a polite Chinese explanation for the person typing.
INPUT_ERRORS = (EligibilityInputError, SubsidyInputError, FeeInputError)
TYPE_OPTIONS = {"free": "点播免费", "paid": "点播付费", "own": "自有课录播", "offline": "线下"}


def parse_hours(raw: Any) -> Optional[Number]:
    """课时 as typed: 40, 12.5 or 四十; anything else is passed on for the rules to refuse politely."""
    from bot.nlu.facts import to_digits

    if raw is None or raw == "":
        return None
    if isinstance(raw, (int, float, Decimal)):
        return raw
    text = to_digits(str(raw).strip()).removesuffix("课时").strip()
    try:
        return Decimal(text)
    except InvalidOperation:
        return str(raw)


def level_answer(args: Any) -> tuple[str, dict]:
    """(reply text, data) for the `level` options; `args` is the parsed command line or any object with
    the same attributes (the staff console's form). Raises EligibilityInputError or FeeInputError."""
    facts = build_person(
        {
            "work_years": args.years,
            "certificate_level": args.certificate,
            "years_since_certificate": args.years_since_certificate if args.certificate else None,
            "education": args.education,
            "major_related": args.related_major,
            "is_student": args.student,
            "certificate_related": getattr(args, "related_certificate", False),
            "graduating_this_year": not getattr(args, "not_graduating", False),
        },
        args.date,
    )
    if getattr(args, "certificate_held_years", None) is not None and facts.certificate_level:
        facts = replace(facts, certificate_held_years=float(args.certificate_held_years))
    result = assess_eligibility(facts, args.date)
    verdict, details = eligibility_reply(result)
    data = {
        "verdict": result.verdict,
        "level": result.level,
        "level_name": result.level_name,
        "clause": asdict(result.clause) if result.clause else None,
        "subjects": result.subjects,
        "fees": result.fees,
        "fee_total": result.fee_total,
        "months": result.months,
        "next_step": result.next_step,
        "source": result.citation,
    }
    return f"{verdict}\n{details}", data


def subsidy_answer(args: Any) -> tuple[str, dict]:
    """(reply text, data) for the `subsidy` options, given like `level_answer`'s. Raises SubsidyInputError."""
    hours: Dict[str, Number] = {}
    for option, name in TYPE_OPTIONS.items():
        value = parse_hours(getattr(args, option))
        if value is not None:  # the option was left empty
            hours[name] = value
    result = estimate_subsidy(hours, args.date, employees=args.employees)
    headline, details = subsidy_reply(result)
    data = {
        "eligible": result.eligible,
        "per_person": result.per_person,
        "employees": result.employees,
        "total": result.total,
        "total_hours": result.total_hours,
        "hours_cap": result.hours_cap,
        "lines": [asdict(line) | {"amount": line.amount} for line in result.lines],
        "steps": result.steps,
        "conditions": result.conditions,
        "sources": result.citations,
    }
    return f"{headline}\n{details}", data
