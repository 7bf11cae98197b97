"""Which 企业人力资源管理师 level may a person apply for (001, 附件1)? Pure: facts and a date in, result out.

Every clause of 附件1 lives in `bot/policy/parameters/ata_certification.yml`; this
module only evaluates them. Clauses are read literally: a clause that asks for a
四级 certificate is met by a 四级 certificate.
"""
from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Dict, List, Optional, Tuple

from bot.policy import ParameterSet, load_parameters

# A sanity bound on input, not a policy value: nobody has worked 60 years in one occupation.
MAX_YEARS = 60


class EligibilityInputError(ValueError):
    """Facts that cannot be evaluated; the message is a polite Chinese explanation."""


@dataclass(frozen=True)
class PersonFacts:
    work_years: float = 0
    certificate_level: Optional[int] = None
    years_since_certificate: float = 0
    certificate_held_years: Optional[float] = None
    education: Optional[str] = None
    major_related: bool = False
    is_student: bool = False


@dataclass(frozen=True)
class ClauseCheck:
    clause_id: str
    level: int
    text: str
    materials: Tuple[str, ...]
    missing: Tuple[str, ...]
    years_short: float = 0.0

    @property
    def met(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class EligibilityResult:
    level: Optional[int]
    level_name: Optional[str]
    clause: Optional[ClauseCheck]
    subjects: Tuple[str, ...]
    fees: Dict[str, int]
    months: Tuple[int, ...]
    next_step: Optional[str]
    closest: Optional[ClauseCheck]
    checks: Tuple[ClauseCheck, ...] = field(repr=False, default=())
    citation: str = ""

    @property
    def verdict(self) -> str:
        if self.level is None:
            return "暂不符合任何等级的申报条件"
        return f"可申报的最高等级：{self.level_name}"

    @property
    def fee_total(self) -> int:
        return sum(self.fees.values())


def check_years(value: Any, what: str) -> float:
    """A number of years as a float, or EligibilityInputError with a polite explanation."""
    try:
        years = float(value)
    except (TypeError, ValueError):
        raise EligibilityInputError(f"{what}“{value}”不是一个数字，请输入例如 5 或 5.5。") from None
    if years != years or years < 0:
        raise EligibilityInputError(f"{what}不能是负数，请重新输入。")
    if years > MAX_YEARS:
        raise EligibilityInputError(f"{what}{years:g}年超出了合理范围（不超过{MAX_YEARS}年），请核对后重新输入。")
    return years


def _fmt(years: float) -> str:
    return f"{Decimal(str(round(years, 1))).normalize():f}"


def validate(facts: PersonFacts, params: ParameterSet, on: dt.date) -> PersonFacts:
    """Check the facts and return them with numbers normalised; raise EligibilityInputError otherwise."""
    work_years = check_years(facts.work_years, "从事本职业或相关职业的年限")
    since = check_years(facts.years_since_certificate, "取得证书后的工作年限")
    held = check_years(facts.certificate_held_years if facts.certificate_held_years is not None else since,
                  "持证年限")
    levels = {entry["code"]: entry["name"] for entry in params.value("levels", on)}
    if facts.certificate_level is not None and facts.certificate_level not in levels:
        names = "、".join(levels.values())
        raise EligibilityInputError(f"不认识这个证书等级。请从以下等级中选择：{names}。")
    if facts.certificate_level is not None and since > work_years:
        raise EligibilityInputError("取得证书后的工作年限不能超过总的工作年限，请核对后重新输入。")
    kinds = params.value("education_kinds", on)
    if facts.education is not None and facts.education not in kinds:
        raise EligibilityInputError(f"不认识这个学历类别。请从以下类别中选择：{'、'.join(kinds)}。")
    return PersonFacts(work_years, facts.certificate_level, since, held, facts.education,
                       bool(facts.major_related), bool(facts.is_student))


def check_clause(clause: Dict[str, Any], facts: PersonFacts, level_names: Dict[int, str]) -> ClauseCheck:
    requires = clause["requires"]
    missing: List[str] = []
    years_short = 0.0
    certificate = requires.get("certificate")
    has_certificate = certificate is None or facts.certificate_level == certificate
    timed = "years_since_certificate" in requires or "certificate_held_years" in requires
    if not has_certificate and not timed:
        missing.append(f"取得本职业或相关职业{level_names[certificate]}证书")
    if "work_years" in requires and facts.work_years < requires["work_years"]:
        gap = requires["work_years"] - facts.work_years
        years_short += gap
        missing.append(f"再从事本职业或相关职业工作满{_fmt(gap)}年")
    if "years_since_certificate" in requires:
        done = facts.years_since_certificate if has_certificate else 0.0
        if done < requires["years_since_certificate"]:
            gap = requires["years_since_certificate"] - done
            years_short += gap
            missing.append(f"取得{level_names[certificate]}证书后再工作满{_fmt(gap)}年" if has_certificate
                           else f"取得{level_names[certificate]}证书后工作满{_fmt(gap)}年")
    if "certificate_held_years" in requires:
        held = (facts.certificate_held_years or 0.0) if has_certificate else 0.0
        if held < requires["certificate_held_years"]:
            gap = requires["certificate_held_years"] - held
            years_short += gap
            missing.append(f"取得{level_names[certificate]}证书满{_fmt(requires['certificate_held_years'])}年"
                           if not has_certificate else f"持有{level_names[certificate]}证书再满{_fmt(gap)}年")
    if "education" in requires:
        kinds = requires["education"]
        student_ok = requires.get("students_count", False) or requires.get("student_only", False)
        if facts.education not in kinds or (facts.is_student and not student_ok):
            missing.append(f"学历为{'、'.join(kinds)}" + ("在读学生" if requires.get("student_only") else ""))
        elif requires.get("student_only") and not facts.is_student:
            missing.append(f"为{'、'.join(kinds)}在读学生")
    if requires.get("major_related") and not facts.major_related:
        missing.append("所学为本专业或相关专业")
    return ClauseCheck(clause["id"], clause["level"], clause["text"], tuple(clause["materials"]),
                       tuple(missing), years_short)


def _closeness(check: ClauseCheck) -> Tuple[int, float]:
    """Fewer unmet requirements first, then fewer years to wait."""
    non_year = sum(1 for item in check.missing if "年" not in item)
    return non_year, check.years_short


def assess_eligibility(facts: PersonFacts, on: dt.date, params: Optional[ParameterSet] = None) -> EligibilityResult:
    params = params or load_parameters("ata_certification")
    facts = validate(facts, params, on)
    level_names = {entry["code"]: entry["name"] for entry in params.value("levels", on)}
    clauses = params.value("eligibility_clauses", on)
    checks = tuple(check_clause(clause, facts, level_names) for clause in clauses)
    met = [check for check in checks if check.met]
    citation = params["eligibility_clauses"].citation
    months = tuple(params.value("certification_months", on))

    if not met:
        lowest = max(check.level for check in checks)
        closest = min((c for c in checks if c.level == lowest), key=_closeness)
        step = f"{'，'.join(closest.missing)}，即可按{closest.clause_id}申报{level_names[lowest]}"
        return EligibilityResult(None, None, None, (), {}, months, step, closest, checks, citation)

    best = min(check.level for check in met)
    clause = next(check for check in met if check.level == best)
    subjects = tuple(params.value("subjects", on)[best])
    fees = dict(params.value("fees", on)[best])
    next_step = None
    closest = None
    higher = [c for c in checks if c.level == best - 1]
    if higher:
        closest = min(higher, key=_closeness)
        next_step = f"{'，'.join(closest.missing)}，即可按{closest.clause_id}申报{level_names[best - 1]}"
    return EligibilityResult(best, level_names[best], clause, subjects, fees, months, next_step, closest,
                             checks, citation)


# In partially known facts, a certificate level of 0 means "has no certificate" (None means not yet known).
NO_CERTIFICATE = 0
# The facts the chat can ask for, in the order it asks them.
FACT_ORDER = ("work_years", "certificate_level", "years_since_certificate", "education", "major_related",
              "is_student")


def _candidate_values(name: str, params: ParameterSet, on: dt.date) -> Tuple[Any, ...]:
    """Values spanning every threshold of the clauses, so any fact that can change the answer shows it."""
    clauses = params.value("eligibility_clauses", on)
    if name in ("work_years", "years_since_certificate"):
        marks = {c["requires"][name] for c in clauses if name in c["requires"]}
        return tuple(sorted({0.0, float(MAX_YEARS)} | {float(m) for m in marks}))
    if name == "certificate_level":
        return (NO_CERTIFICATE,) + tuple(sorted({c["requires"]["certificate"] for c in clauses
                                                 if "certificate" in c["requires"]}))
    if name == "education":
        return (None,) + tuple(params.value("education_kinds", on))
    return (False, True)


def missing_facts(known: Dict[str, Any], on: dt.date, params: Optional[ParameterSet] = None) -> List[str]:
    """The unknown facts that could still change the highest level, in asking order.

    Empty when the answer is already certain, so a message that states enough is answered at once.
    """
    params = params or load_parameters("ata_certification")
    unknown = [name for name in FACT_ORDER if known.get(name) is None and not (
        name == "years_since_certificate" and known.get("certificate_level") == NO_CERTIFICATE)]
    if not unknown:
        return []
    domains = {name: _candidate_values(name, params, on) for name in unknown}
    clauses = params.value("eligibility_clauses", on)
    level_names = {entry["code"]: entry["name"] for entry in params.value("levels", on)}

    def level_of(values: Dict[str, Any]) -> Optional[int]:
        facts = {**known, **values}
        if facts["certificate_level"] == NO_CERTIFICATE:
            facts["years_since_certificate"] = 0.0
        if facts["years_since_certificate"] > facts["work_years"]:
            return -1  # impossible combination: worked longer since the certificate than in total
        person = PersonFacts(work_years=facts["work_years"], certificate_level=facts["certificate_level"] or None,
                             years_since_certificate=facts["years_since_certificate"],
                             certificate_held_years=facts["years_since_certificate"],
                             education=facts.get("education"), major_related=bool(facts.get("major_related")),
                             is_student=bool(facts.get("is_student")))
        met = [c.level for c in (check_clause(cl, person, level_names) for cl in clauses) if c.met]
        return min(met) if met else None

    results = {}
    for combo in itertools.product(*(domains[name] for name in unknown)):
        results[combo] = level_of(dict(zip(unknown, combo)))
    possible = {level for level in results.values() if level != -1}
    if len(possible) <= 1:
        return []
    needed = []
    for index, name in enumerate(unknown):
        groups: Dict[Tuple, set] = {}
        for combo, level in results.items():
            if level != -1:
                groups.setdefault(combo[:index] + combo[index + 1:], set()).add(level)
        if any(len(levels) > 1 for levels in groups.values()):
            needed.append(name)
    return needed
