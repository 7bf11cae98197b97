"""The facts the eligibility calculator works with: one registry for the chat, `bot-rules` and the console.

Each fact has its name in the rules, its chat slot, a label, the response that asks for it, and the
fact it refines (asked for only once that one is stated). `parse_value` reads a typed value the way
people write it (五年半, 四十, 三级/高级工, 大专), `check_value` refuses impossible ones politely, and
`plan` decides, from what is known, whether to ask one more question or to answer now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple

from bot.policy import load_parameters
from bot.rules.eligibility import (
    FACT_ORDER,
    NO_CERTIFICATE,
    STATED_ONLY,
    EligibilityInputError,
    EligibilityResult,
    OneOf,
    PersonFacts,
    Raise,
    assess_eligibility,
    check_years,
    facts_that_matter,
    level_names,
    person_from,
    raising_facts,
    settled,
    years_between,
)

NONE_OF_THE_ABOVE = "无"
NONE_OF_THE_ABOVE_LABEL = "以上都不是"


@dataclass(frozen=True)
class Fact:
    name: str
    slot: str
    label: str
    question: str
    refines: Optional[str] = None


FACTS: Tuple[Fact, ...] = (
    Fact("work_years", "elig_work_years", "从事本职业或相关职业的年限", "action_ask_elig_work_years"),
    Fact("certificate_level", "elig_certificate", "持有的最高证书等级", "action_ask_elig_certificate"),
    Fact(
        "years_since_certificate",
        "elig_years_since_certificate",
        "取得证书后的年限",
        "action_ask_elig_years_since_certificate",
        refines="certificate_level",
    ),
    Fact("education", "elig_education", "学历类别", "action_ask_elig_education"),
    Fact(
        "major_related",
        "elig_major_related",
        "所学为本专业或相关专业",
        "action_ask_elig_major_related",
        refines="education",
    ),
    Fact("is_student", "elig_student", "在读学生", "utter_ask_elig_student"),
    Fact(
        "graduating_this_year", "elig_graduating", "今年毕业（应届）", "utter_ask_elig_graduating", refines="is_student"
    ),
)
BY_NAME: Dict[str, Fact] = {fact.name: fact for fact in FACTS}
BY_SLOT: Dict[str, Fact] = {fact.slot: fact for fact in FACTS}
assert tuple(BY_NAME) == FACT_ORDER, "the registry and the rules must list the same facts in the same order"
YEARS_FACTS = ("work_years", "years_since_certificate")


def level_names_by_code(on: dt.date) -> Dict[int, str]:
    """{5: "五级/初级工", …, 1: "一级/高级技师"}, from the levels parameter."""
    return level_names(load_parameters("ata_certification"), on)


def level_choices(on: dt.date) -> List[str]:
    """Level names as the rules know them, lowest first: 五级/初级工 … 一级/高级技师."""
    return [entry["name"] for entry in load_parameters("ata_certification").value("levels", on)]


def question_values(name: str, on: dt.date) -> Dict[str, Any]:
    """What the question for fact `name` is filled with: the related occupations, majors or certificates it
    names, and the buttons of a choice, all from the parameters in force on `on`."""
    params = load_parameters("ata_certification")
    if name == "work_years":
        return {"occupations": "、".join(params.value("related_occupations", on))}
    if name == "major_related":
        return {"majors": "、".join(params.value("related_majors", on))}
    if name == "certificate_level":
        levels = params.value("levels", on)
        # The top level is left out: who holds it has nothing higher to apply for.
        names = [entry["name"] for entry in levels if entry["code"] != min(e["code"] for e in levels)]
        buttons = [{"title": "没有证书", "payload": "没有证书"}] + [{"title": n, "payload": n} for n in names]
        others = [c for c in params.value("related_certificates", on) if "人力资源管理师" not in c]
        return {"related": "、".join(others), "buttons": buttons}
    if name == "education":
        return {"buttons": [{"title": label, "payload": label} for label, _ in education_labels(on)]}
    return {}


def education_choices(on: dt.date) -> List[str]:
    """The kinds of schooling the rules know (`education_kinds`)."""
    return [entry["kind"] for entry in load_parameters("ata_certification").value("education_kinds", on)]


def education_labels(on: dt.date) -> List[Tuple[str, str]]:
    """(label, kind) for the schooling question, as the chat's buttons and the console's list show them;
    the last is "以上都不是"."""
    kinds = load_parameters("ata_certification").value("education_kinds", on)
    return [(entry["label"], entry["kind"]) for entry in kinds] + [(NONE_OF_THE_ABOVE_LABEL, NONE_OF_THE_ABOVE)]


def parse_value(name: str, raw: Any, on: dt.date) -> Any:
    """A value typed in a form or on the command line, as the rules take it; None when empty.

    Raises EligibilityInputError, in Chinese, for a value that cannot be read."""
    from bot.nlu.facts import read_certificate, read_education, read_years, to_digits

    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or name in ("major_related", "is_student", "graduating_this_year"):
        return raw if isinstance(raw, bool) else str(raw).strip().lower() in ("1", "on", "true", "yes", "是", "对")
    if name in YEARS_FACTS:
        if isinstance(raw, (int, float)):
            return check_years(raw, BY_NAME[name].label)
        try:
            number = float(str(raw).strip())
        except ValueError:
            number = None
        if number is not None:
            return check_years(number, BY_NAME[name].label)
        text = to_digits(str(raw).strip())
        if not any(mark in text for mark in ("年", "月")):
            text += "年"
        work, since, _ = read_years(text)
        mention = work or since
        if mention is None:
            raise EligibilityInputError(f"{BY_NAME[name].label}“{raw}”不是一个数字，请输入例如 5 或 五年半。")
        return check_value(name, _years_value(name, mention, on), on)
    if name == "certificate_level":
        if isinstance(raw, int):
            return raw
        text = str(raw).strip()
        if text in ("无", "没有", "没有证书"):
            return NO_CERTIFICATE
        names = level_choices(on)
        if text in names:
            return 5 - names.index(text)
        held, none, asked, _, _ = read_certificate(to_digits(text))
        level = held or asked
        if level is None:
            raise EligibilityInputError(f"不认识这个证书等级。请从以下等级中选择：{'、'.join(names)}。")
        return NO_CERTIFICATE if none else level
    if name == "education":
        if isinstance(raw, (list, tuple, set, frozenset)):
            return "+".join(sorted(raw)) or None
        text = str(raw).strip()
        if text in education_choices(on) or text == NONE_OF_THE_ABOVE:
            return text
        kinds = read_education(text)
        if not kinds:
            raise EligibilityInputError(f"不认识这个学历类别。请从以下类别中选择：{'、'.join(education_choices(on))}。")
        return "+".join(sorted(kinds))
    raise KeyError(name)


def _years_value(name: str, mention: Any, on: dt.date) -> Any:
    """Exact years, or the thresholds a rough figure spans; check_value refuses impossible ones."""
    if mention.high is None:
        return mention.years
    return years_between(mention.years, mention.high, on, name)


def check_value(name: str, value: Any, on: dt.date) -> Any:
    """The value if the rules can take it; EligibilityInputError, in Chinese, otherwise."""
    if name in YEARS_FACTS and value is not None:
        for number in value.values if isinstance(value, OneOf) else (value,):
            check_years(number, BY_NAME[name].label)
    if name == "certificate_level" and value not in (None, NO_CERTIFICATE):
        if not 1 <= int(value) <= 5:
            raise EligibilityInputError(
                f"没有“{value}级”这个等级。职业技能等级从低到高是{'、'.join(level_choices(on))}，请重新选择。"
            )
    return value


def stated_values(stated: Any, on: dt.date, expecting: Optional[str] = None) -> Dict[str, Any]:
    """The facts a message states (see bot.nlu.facts.read_facts), as rule values by fact name."""
    values: Dict[str, Any] = {}
    for name in YEARS_FACTS:
        mention = getattr(stated, name)
        if mention is not None:
            values[name] = _years_value(name, mention, on)
    if stated.certificate_level is not None:
        values["certificate_level"] = stated.certificate_level
    elif stated.no_certificate or (expecting == "certificate_level" and stated.other_certificate):
        values["certificate_level"] = NO_CERTIFICATE
    if stated.education:
        values["education"] = "+".join(sorted(stated.education))
    for name in ("major_related", "is_student", "graduating_this_year"):
        if getattr(stated, name) is not None:
            values[name] = getattr(stated, name)
    if values.get("is_student") is True and "graduating_this_year" not in values:
        values["graduating_this_year"] = OneOf((True, False))
    if values.get("is_student") is False:
        values["graduating_this_year"] = True
    if values.get("certificate_level") == NO_CERTIFICATE:
        values["years_since_certificate"] = 0.0
    return values


def to_slot(value: Any) -> Any:
    """Slots hold plain JSON: a range of candidates becomes {"one_of": [...]}."""
    return {"one_of": list(value.values)} if isinstance(value, OneOf) else value


def from_slot(value: Any) -> Any:
    return OneOf(tuple(value["one_of"])) if isinstance(value, dict) and "one_of" in value else value


# Rough figures wait here, by fact name, so that their own slot stays empty until the person confirms one.
ROUGH_SLOT = "elig_rough"
# Whether the certificate held is another occupation's (劳动关系协调员): only ever stated, never asked.
RELATED_SLOT = "elig_certificate_related"


def known_from_slots(slots: Mapping[str, Any]) -> Dict[str, Any]:
    rough = slots.get(ROUGH_SLOT) or {}
    known = {fact.name: from_slot(slots.get(fact.slot)) for fact in FACTS}
    for name, values in rough.items():
        if known.get(name) is None:
            known[name] = OneOf(tuple(values))
    if isinstance(known["certificate_level"], float):
        known["certificate_level"] = int(known["certificate_level"])
    known["certificate_related"] = True if slots.get(RELATED_SLOT) else None
    return known


def stated_related(stated: Any) -> Optional[bool]:
    """Whether the certificate a message states is another occupation's; None when it states none."""
    return bool(stated.certificate_related) if stated.certificate_level is not None else None


def rule_facts(known: Mapping[str, Any]) -> Dict[str, Any]:
    """Known facts as the rules read them: "无" schooling is no schooling."""
    return {
        **known,
        "education": None if known.get("education") in (None, NONE_OF_THE_ABOVE, "") else known["education"],
    }


def person_facts(known: Mapping[str, Any]) -> PersonFacts:
    """The facts to assess with: stated ones, a rough one at its lowest value, the rest at their defaults."""
    return person_from(settled(rule_facts(known)))


@dataclass(frozen=True)
class Plan:
    """Either the one fact to ask for next, or the result now with the facts that could raise it."""

    ask: Optional[str] = None
    result: Optional[EligibilityResult] = None
    raises: Tuple[Raise, ...] = field(default=())


def _askable(known: Mapping[str, Any]) -> List[str]:
    """Facts the person has half stated: a rough figure, or the details of something they mentioned."""
    stated = {name for name, value in known.items() if value is not None and name not in STATED_ONLY}
    askable = [name for name, value in known.items() if isinstance(value, OneOf)]
    for fact in FACTS:
        if known.get(fact.name) is None and fact.refines in stated:
            parent = known[fact.refines]
            if parent not in (False, NO_CERTIFICATE, NONE_OF_THE_ABOVE, "") and not isinstance(parent, OneOf):
                askable.append(fact.name)
    if not stated:
        askable.append(FACTS[0].name)
    return askable


def plan(known: Mapping[str, Any], on: dt.date) -> Plan:
    """Answer first: ask only about what the person half stated and what decides between answers."""
    facts = rule_facts(known)
    askable = _askable(known)
    needed = facts_that_matter(facts, askable, on) if askable else []
    if not any(value is not None for name, value in known.items() if name not in STATED_ONLY):
        return Plan(ask=FACTS[0].name)
    rough = [name for name in needed if isinstance(known.get(name), OneOf)]
    if rough:
        return Plan(ask=rough[0])
    result = assess_eligibility(person_facts(known), on)
    # A detail left unstated ("我有五级证" without its years) is asked for only when no verdict is possible
    # without it; otherwise the verdict comes first, with what could raise it.
    if needed and result.level is None:
        return Plan(ask=needed[0])
    return Plan(result=result, raises=tuple(raising_facts(facts, on)))


def build_person(values: Mapping[str, Any], on: dt.date) -> PersonFacts:
    """The one way from typed values (the console's form, `bot-rules` options) to the rules' facts.

    `certificate_related` (the certificate is another occupation's, 备注③) is only ever stated, never asked,
    so it is passed on beside the registry's facts; `person_from` counts it only beside a certificate."""
    known = {name: check_value(name, parse_value(name, values.get(name), on), on) for name in FACT_ORDER}
    known["certificate_related"] = values.get("certificate_related")
    work, since = known.get("work_years"), known.get("years_since_certificate")
    if known.get("certificate_level") and isinstance(work, float) and isinstance(since, float) and since > work:
        raise EligibilityInputError("取得证书后的工作年限不能超过总的工作年限，请核对后重新输入。")
    if known.get("is_student") and known.get("graduating_this_year") is None:
        known["graduating_this_year"] = True
    return person_facts(known)
