"""The eligibility and subsidy calculators of the console: form fields in, the chat's reply out.

The form is handed to the calculator service (`bot.replies.answers`), which reads each value through the
fact registry (bot.rules.facts: 五年半, 四十 …), calls the rule functions and words the result with
`bot.replies.results`, so staff, the command line and the chat say the same thing. The rules check the
numbers themselves (negative or impossible years, impossible 课时) and explain what is wrong in Chinese.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Callable, Dict, List, Mapping, Optional, Tuple

from bot.policy import load_parameters
from bot.replies.answers import INPUT_ERRORS, TYPE_OPTIONS, level_answer, subsidy_answer
from bot.rules.facts import education_labels, level_choices, level_names_by_code

MAX_FIELD_LENGTH = 20
CHECKED = ("on", "1", "true", "yes")


@dataclass
class Calculation:
    """The form as typed (to show it again), and either the reply or the problem with the input."""

    values: Dict[str, str]
    headline: Optional[str] = None
    details: List[str] = field(default_factory=list)
    error: Optional[str] = None

    @property
    def done(self) -> bool:
        return self.headline is not None


class FormError(ValueError):
    pass


def _text(form: Mapping[str, str], name: str) -> str:
    value = unicodedata.normalize("NFKC", str(form.get(name) or "")).strip()
    if len(value) > MAX_FIELD_LENGTH:
        raise FormError("输入太长了，请只填数字或选项。")
    return value


def _checked(form: Mapping[str, str], name: str) -> bool:
    return _text(form, name).lower() in CHECKED


def _date(form: Mapping[str, str], today: dt.date) -> dt.date:
    raw = _text(form, "date")
    if not raw:
        return today
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise FormError(f"日期“{raw}”的格式不对，请按 2026-06-01 的格式填写。") from None


def _split(text: str) -> Tuple[str, List[str]]:
    headline, _, rest = text.partition("\n")
    return headline, [line for line in rest.splitlines() if line.strip()]


def certificate_choices(on: dt.date) -> List[str]:
    """Level names as the rules know them, lowest first: 五级/初级工 … 一级/高级技师."""
    return level_choices(on)


def education_choices(on: dt.date) -> List[Tuple[str, str]]:
    """(kind, label) with the chat's labels; "以上都不是" is the form's empty choice."""
    return [(kind, label) for label, kind in education_labels(on) if kind != "无"]


def class_hour_minutes(on: dt.date) -> int:
    return load_parameters("training_subsidy").value("class_hour_minutes", on)


def training_types() -> List[Tuple[str, str]]:
    """(form field, training type) for each kind of 课时, in the order of `bot-rules subsidy`."""
    return list(TYPE_OPTIONS.items())


ELIGIBILITY_FIELDS = (
    "years",
    "certificate",
    "related_certificate",
    "years_since_certificate",
    "certificate_held_years",
    "education",
    "related_major",
    "student",
    "not_graduating",
    "date",
)
SUBSIDY_FIELDS = tuple(TYPE_OPTIONS) + ("employees", "date")


def _values(form: Mapping[str, str], names: Tuple[str, ...]) -> Dict[str, str]:
    return {name: str(form.get(name) or "")[:MAX_FIELD_LENGTH] for name in names}


def _calculate(fields: Tuple[str, ...], form: Mapping[str, str], answer: Callable[[], str]) -> Calculation:
    """Run `answer` and keep its reply, or the reason the input was refused, beside the typed form."""
    calculation = Calculation(_values(form, fields))
    try:
        text = answer()
    except FormError as error:
        calculation.error = str(error)
        return calculation
    except INPUT_ERRORS as error:
        calculation.error = f"输入有误：{error}"
        return calculation
    calculation.headline, calculation.details = _split(text)
    return calculation


def eligibility(form: Mapping[str, str], today: dt.date) -> Calculation:
    """可申报的最高等级 from the form: 从业年限, 证书, 取得证书后的年限, 学历 …"""
    return _calculate(ELIGIBILITY_FIELDS, form, lambda: _eligibility_answer(form, today))


def _eligibility_answer(form: Mapping[str, str], today: dt.date) -> str:
    on = _date(form, today)
    certificate = _text(form, "certificate")
    if certificate and certificate not in certificate_choices(on):
        raise FormError("请从列表中选择证书等级。")
    education = _text(form, "education")
    if education and education not in dict(education_choices(on)):
        raise FormError("请从列表中选择学历类别。")
    held = _text(form, "certificate_held_years")
    options = SimpleNamespace(
        years=_text(form, "years") or 0,
        certificate=certificate or None,
        related_certificate=_checked(form, "related_certificate"),
        years_since_certificate=(_text(form, "years_since_certificate") or 0) if certificate else 0,
        certificate_held_years=held if (held and certificate) else None,
        education=education or None,
        related_major=_checked(form, "related_major"),
        student=_checked(form, "student") or _checked(form, "not_graduating"),
        not_graduating=_checked(form, "not_graduating"),
        date=on,
    )
    return level_answer(options)[0]


def _employees(raw: str):
    if not raw:
        return 1
    try:
        return int(raw)
    except ValueError:
        return raw  # the rules refuse it with their own explanation of the allowed range


def subsidy(form: Mapping[str, str], today: dt.date) -> Calculation:
    """以训兴业 subsidy from the 课时 of each training type and the number of employees."""
    return _calculate(SUBSIDY_FIELDS, form, lambda: _subsidy_answer(form, today))


def _subsidy_answer(form: Mapping[str, str], today: dt.date) -> str:
    on = _date(form, today)
    hours = {option: _text(form, option) or None for option in TYPE_OPTIONS}
    if not any(hours.values()):
        raise FormError("请至少填写一种课程的有效课时。")
    options = SimpleNamespace(employees=_employees(_text(form, "employees")), date=on, **hours)
    return subsidy_answer(options)[0]


def _years(mention) -> str:
    return "" if mention is None else f"{mention.years:g}"


def eligibility_prefill(question: str, today: dt.date) -> Dict[str, str]:
    """The eligibility form's fields as the chat reads them from the caller's question."""
    from bot.nlu.facts import read_facts

    facts = read_facts(question)
    names = level_names_by_code(today)
    kinds = [kind for _, kind in education_labels(today) if kind in facts.education]
    values = {
        "years": _years(facts.work_years),
        "certificate": names.get(facts.certificate_level or 0, "") if not facts.no_certificate else "",
        "related_certificate": "on" if facts.certificate_related else "",
        "years_since_certificate": _years(facts.years_since_certificate),
        "education": kinds[-1] if kinds else "",  # the highest schooling named
        "related_major": "on" if facts.major_related else "",
        "student": "on" if facts.is_student and facts.graduating_this_year is not False else "",
        "not_graduating": "on" if facts.is_student and facts.graduating_this_year is False else "",
        "date": today.isoformat(),
    }
    return {name: value for name, value in values.items() if value}


def subsidy_prefill(question: str, today: dt.date) -> Dict[str, str]:
    """The subsidy form's fields (课时 by type, headcount) as the chat reads them from the question."""
    from bot.nlu.facts import read_facts

    facts = read_facts(question)
    field_of = {kind: name for name, kind in TYPE_OPTIONS.items()}
    values = {
        field_of[kind]: format(hours.normalize(), "f") for kind, hours in facts.class_hours.items() if kind in field_of
    }
    return {**values, "employees": str(facts.employees or 1), "date": today.isoformat()}
