"""Which 企业人力资源管理师 level may a person apply for (001, 附件1)? Pure: facts and a date in, result out.

Every clause of 附件1 lives in `bot/policy/parameters/ata_certification.yml`; this
module only evaluates them. Clauses are read literally: a clause that asks for a
四级 certificate is met by a 四级 certificate.

A person who already holds a certificate is pointed upwards: a level below the one they hold is never
offered, and the next step is for the level just above it. Their own level is the answer only when they
ask for the highest level they meet ("不能的话最高报几级") and still meet it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Optional, Tuple, Union

from bot.policy import ParameterSet, load_parameters

# A sanity bound on input, not a policy value: nobody has worked 60 years in one occupation.
MAX_YEARS = 60
# What an unmet requirement costs when choosing the next step, in years of waiting. A certificate
# the person may apply for now costs one certification session; schooling cannot be changed.
NEXT_SESSION_COST = 0.5
UNREACHABLE_COST = 100.0
GRADUATION_COST = 1.0

Education = Union[None, str, Iterable[str]]


class EligibilityInputError(ValueError):
    """Facts that cannot be evaluated; the message is a polite Chinese explanation."""


def education_kinds(params: ParameterSet, on: dt.date) -> List[str]:
    """The kinds of schooling the clauses name (`education_kinds`, without the labels people see)."""
    return [entry["kind"] for entry in params.value("education_kinds", on)]


def education_set(education: Education) -> FrozenSet[str]:
    """One kind, several kinds (a 技师学院 graduate of its 预备技师班 is both), or none."""
    if not education:
        return frozenset()
    if isinstance(education, str):
        return frozenset(part for part in education.split("+") if part)
    return frozenset(education)


@dataclass(frozen=True)
class PersonFacts:
    work_years: float = 0
    certificate_level: Optional[int] = None
    years_since_certificate: float = 0
    certificate_held_years: Optional[float] = None
    education: Education = None
    major_related: bool = False
    is_student: bool = False
    # "含在读应届毕业生": a student counts for the schooling clauses only in the year they graduate.
    graduating_this_year: bool = True
    # The certificate is of a related occupation (劳动关系协调员, note ③): it meets the clauses that ask for
    # "本职业或相关职业" certificates, but this occupation's level of the same rank is still open.
    certificate_related: bool = False
    # The question asks for the highest level the person meets ("最高能报几级"), not only for one above the
    # certificate held ("能报三级吗"): then the held level, when its clauses are met, is the answer.
    asks_highest: bool = False


@dataclass(frozen=True)
class ClauseCheck:
    clause_id: str
    level: int
    text: str
    materials: Tuple[str, ...]
    missing: Tuple[str, ...]
    years_short: float = 0.0
    cost: float = 0.0

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
    held_level_name: Optional[str] = None
    top_level_held: bool = False
    months_year: int = 0  # the year of the notice that set the months (they are that year's, not every year's)

    @property
    def verdict(self) -> str:
        if self.level is not None and self.held_level_name == self.level_name:
            return f"可申报的最高等级：{self.level_name}（与您已持有的证书同级，暂不符合更高一级的条件）"
        if self.level is not None:
            return f"可申报的最高等级：{self.level_name}"
        if self.top_level_held:
            return f"您已持有最高等级{self.held_level_name}证书，没有更高的等级可以申报"
        if self.held_level_name:
            return f"暂不符合比您现有的{self.held_level_name}证书更高一级的申报条件"
        return "暂不符合任何等级的申报条件"

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


def level_names(params: ParameterSet, on: dt.date) -> Dict[int, str]:
    return {entry["code"]: entry["name"] for entry in params.value("levels", on)}


def validate(facts: PersonFacts, params: ParameterSet, on: dt.date) -> PersonFacts:
    """Check the facts and return them with numbers normalised; raise EligibilityInputError otherwise."""
    work_years = check_years(facts.work_years, "从事本职业或相关职业的年限")
    since = check_years(facts.years_since_certificate, "取得证书后的工作年限")
    held = check_years(facts.certificate_held_years if facts.certificate_held_years is not None else since, "持证年限")
    levels = level_names(params, on)
    if facts.certificate_level is not None and facts.certificate_level not in levels:
        names = "、".join(levels.values())
        raise EligibilityInputError(f"不认识这个证书等级。请从以下等级中选择：{names}。")
    if facts.certificate_level is not None and since > work_years:
        raise EligibilityInputError("取得证书后的工作年限不能超过总的工作年限，请核对后重新输入。")
    kinds = education_kinds(params, on)
    education = education_set(facts.education)
    unknown = sorted(education - set(kinds))
    if unknown:
        raise EligibilityInputError(f"不认识这个学历类别。请从以下类别中选择：{'、'.join(kinds)}。")
    return PersonFacts(
        work_years,
        facts.certificate_level,
        since,
        held,
        education,
        bool(facts.major_related),
        bool(facts.is_student),
        bool(facts.graduating_this_year),
        bool(facts.certificate_related) and facts.certificate_level is not None,
        bool(facts.asks_highest),
    )


def still_open(level: int, held: Optional[int], related: bool = False, asks_highest: bool = False) -> bool:
    """Whether `level` may be offered to someone holding `held`: above it; at its rank for another
    occupation's certificate (劳动关系协调员三级 → 企业人力资源管理师三级) or when the highest level met is asked."""
    return held is None or level < held or (related or asks_highest) and level == held


def check_clause(
    clause: Dict[str, Any], facts: PersonFacts, names: Dict[int, str], apply_now: Optional[int] = None
) -> ClauseCheck:
    """Which requirements of `clause` are unmet, and what meeting them costs (see `NEXT_SESSION_COST`).

    `apply_now` is the level the person may apply for today: its certificate is within reach."""
    requires = clause["requires"]
    missing: List[str] = []
    years_short = 0.0
    cost = 0.0
    certificate = requires.get("certificate")
    has_certificate = certificate is None or facts.certificate_level == certificate
    if not has_certificate:
        cost += NEXT_SESSION_COST if apply_now == certificate else UNREACHABLE_COST
    timed = "years_since_certificate" in requires or "certificate_held_years" in requires
    if not has_certificate and not timed:
        missing.append(f"取得本职业或相关职业{names[certificate]}证书")
    if "work_years" in requires and facts.work_years < requires["work_years"]:
        gap = requires["work_years"] - facts.work_years
        years_short += gap
        missing.append(f"再从事本职业或相关职业工作满{_fmt(gap)}年")
    if "years_since_certificate" in requires:
        done = facts.years_since_certificate if has_certificate else 0.0
        if done < requires["years_since_certificate"]:
            gap = requires["years_since_certificate"] - done
            years_short += gap
            missing.append(
                f"取得{names[certificate]}证书后再工作满{_fmt(gap)}年"
                if has_certificate
                else f"取得{names[certificate]}证书后工作满{_fmt(gap)}年"
            )
    if "certificate_held_years" in requires:
        held = (facts.certificate_held_years or 0.0) if has_certificate else 0.0
        if held < requires["certificate_held_years"]:
            gap = requires["certificate_held_years"] - held
            years_short += gap
            missing.append(
                f"取得{names[certificate]}证书满{_fmt(requires['certificate_held_years'])}年"
                if not has_certificate
                else f"持有{names[certificate]}证书再满{_fmt(gap)}年"
            )
    if "education" in requires:
        kinds = requires["education"]
        schooled = bool(education_set(facts.education) & set(kinds))
        if requires.get("student_only"):
            if not schooled or not facts.is_student:
                missing.append(f"为{'、'.join(kinds)}在读学生")
                cost += UNREACHABLE_COST
        elif not schooled:
            missing.append(f"学历为{'、'.join(kinds)}")
            cost += UNREACHABLE_COST
        elif facts.is_student and not (requires.get("students_count") and facts.graduating_this_year):
            missing.append("到毕业当年（应届毕业生）" if requires.get("students_count") else "毕业")
            cost += GRADUATION_COST
    if requires.get("major_related") and not facts.major_related:
        missing.append("所学为本专业或相关专业")
        cost += UNREACHABLE_COST
    return ClauseCheck(
        clause["id"],
        clause["level"],
        clause["text"],
        tuple(clause["materials"]),
        tuple(missing),
        years_short,
        cost + years_short,
    )


def _next_step(
    checks: Tuple[ClauseCheck, ...], target: int, names: Dict[int, str]
) -> Tuple[Optional[str], Optional[ClauseCheck]]:
    """The cheapest clause of the `target` level, and what is still to do for it."""
    candidates = [check for check in checks if check.level == target]
    if not candidates:
        return None, None
    closest = min(candidates, key=lambda check: check.cost)
    return f"{'，'.join(closest.missing)}，即可按{closest.clause_id}申报{names[target]}", closest


def assess_eligibility(facts: PersonFacts, on: dt.date, params: Optional[ParameterSet] = None) -> EligibilityResult:
    params = params or load_parameters("ata_certification")
    facts = validate(facts, params, on)
    names = level_names(params, on)
    clauses = params.value("eligibility_clauses", on)
    held = facts.certificate_level
    # A level below a certificate one already holds is of no use; the held one only when asked for the highest.
    open_levels = [
        level
        for level in {c["level"] for c in clauses}
        if still_open(level, held, facts.certificate_related, facts.asks_highest)
    ]
    first = tuple(check_clause(clause, facts, names) for clause in clauses)
    met = [check for check in first if check.met and check.level in open_levels]
    best = min((check.level for check in met), default=None)
    checks = tuple(check_clause(clause, facts, names, apply_now=best) for clause in clauses)
    citation = params["eligibility_clauses"].citation
    months = tuple(params.value("certification_months", on))
    months_year = params["certification_months"].in_force_since(on).year
    held_name = names.get(held) if held and not facts.certificate_related else None
    # With nothing to apply for, the next step is for the level above one's own certificate.
    # A held name implies a held level.
    target = held - 1 if held and held_name else max(open_levels, default=None)

    if best is None:
        step, closest = _next_step(checks, target, names) if target else (None, None)
        return EligibilityResult(
            None,
            None,
            None,
            (),
            {},
            months,
            step,
            closest,
            checks,
            citation,
            held_level_name=held_name,
            top_level_held=not target,
            months_year=months_year,
        )

    clause = next(check for check in checks if check.met and check.level == best)
    subjects = tuple(params.value("subjects", on)[best])
    fees = dict(params.value("fees", on)[best])
    next_step, closest = _next_step(checks, best - 1, names)
    return EligibilityResult(
        best,
        names[best],
        clause,
        subjects,
        fees,
        months,
        next_step,
        closest,
        checks,
        citation,
        held_level_name=held_name,
        months_year=months_year,
    )


# In partially known facts, a certificate level of 0 means "has no certificate" (None means not yet known).
NO_CERTIFICATE = 0
# The facts the chat can ask for, in the order it asks them.
FACT_ORDER = (
    "work_years",
    "certificate_level",
    "years_since_certificate",
    "education",
    "major_related",
    "is_student",
    "graduating_this_year",
)
# What is assumed of a fact nobody stated: no years, no certificate, no schooling that counts, graduated.
# The chat reads the years since a certificate as the years it has been held as well.
DEFAULTS: Dict[str, Any] = {
    "work_years": 0.0,
    "certificate_level": NO_CERTIFICATE,
    "years_since_certificate": 0.0,
    "education": None,
    "major_related": False,
    "is_student": False,
    "graduating_this_year": True,
}


@dataclass(frozen=True)
class OneOf:
    """A fact known only as one of several values: "六年多" is one of 6 … 6.99, "在读" graduates or not."""

    values: Tuple[Any, ...]


def candidate_values(name: str, on: dt.date, params: Optional[ParameterSet] = None) -> Tuple[Any, ...]:
    """Values spanning every threshold of the clauses, so any fact that can change the answer shows it."""
    params = params or load_parameters("ata_certification")
    clauses = params.value("eligibility_clauses", on)
    if name in ("work_years", "years_since_certificate"):
        keys = (name, "certificate_held_years") if name == "years_since_certificate" else (name,)
        marks = {c["requires"][key] for c in clauses for key in keys if key in c["requires"]}
        return tuple(sorted({0.0, float(MAX_YEARS)} | {float(m) for m in marks}))
    if name == "certificate_level":
        return (NO_CERTIFICATE,) + tuple(
            sorted({c["requires"]["certificate"] for c in clauses if "certificate" in c["requires"]})
        )
    if name == "education":
        return (None,) + tuple(education_kinds(params, on))
    return (False, True)


def years_between(low: float, high: float, on: dt.date, name: str = "work_years") -> OneOf:
    """A rough figure ("六年多": 6 up to but not including 7) as the thresholds it can fall on."""
    inside = [value for value in candidate_values(name, on) if low < value < high]
    return OneOf(tuple([float(low), *inside]))


def person_from(facts: Mapping[str, Any]) -> PersonFacts:
    """PersonFacts from complete chat facts (no None, no OneOf); 0 as certificate means none."""
    certificate = facts["certificate_level"] or None
    since = facts["years_since_certificate"] if certificate else 0.0
    held = facts.get("certificate_held_years")
    held = (since if held is None else max(held, since)) if certificate else None
    if facts.get("is_student") and since > facts["work_years"]:
        since = facts["work_years"]  # a student's years since the certificate are years held, not worked
    return PersonFacts(
        work_years=facts["work_years"],
        certificate_level=certificate,
        years_since_certificate=since,
        certificate_held_years=held,
        education=facts.get("education"),
        major_related=bool(facts.get("major_related")),
        is_student=bool(facts.get("is_student")),
        graduating_this_year=bool(facts.get("graduating_this_year", True)),
        certificate_related=bool(facts.get("certificate_related")) and certificate is not None,
        asks_highest=bool(facts.get("asks_highest")),
    )


def _domain(name: str, value: Any, on: dt.date, params: ParameterSet) -> Tuple[Any, ...]:
    if isinstance(value, OneOf):
        return value.values
    if value is None:
        return candidate_values(name, on, params)
    return (value,)


def _highest(facts: Mapping[str, Any], on: dt.date, params: ParameterSet) -> Optional[int]:
    try:
        return assess_eligibility(person_from(facts), on, params).level
    except EligibilityInputError:
        return -1  # an impossible combination, such as more years since the certificate than in total


def _levels(
    known: Mapping[str, Any], names: Iterable[str], on: dt.date, params: ParameterSet
) -> Dict[Tuple, Optional[int]]:
    names = list(names)
    fixed = {
        name: (DEFAULTS[name] if known.get(name) is None or isinstance(known.get(name), OneOf) else known[name])
        for name in FACT_ORDER
    }
    fixed.update(_stated_only(known))
    domains = [_domain(name, known.get(name), on, params) for name in names]
    return {
        combo: _highest(_at_least_since({**fixed, **dict(zip(names, combo))}, known), on, params)
        for combo in itertools.product(*domains)
    }


def facts_that_matter(
    known: Mapping[str, Any], among: Iterable[str], on: dt.date, params: Optional[ParameterSet] = None
) -> List[str]:
    """Those of the open facts `among` (unknown or OneOf) whose value can still change the highest level.

    Every other unknown fact is taken at its default (see DEFAULTS). Empty when the answer is certain."""
    params = params or load_parameters("ata_certification")
    open_names = [
        name for name in FACT_ORDER if name in among and (known.get(name) is None or isinstance(known.get(name), OneOf))
    ]
    if not open_names:
        return []
    results = _levels(known, open_names, on, params)
    if len({level for level in results.values() if level != -1}) <= 1:
        return []
    needed = []
    for index, name in enumerate(open_names):
        groups: Dict[Tuple, set] = {}
        for combo, level in results.items():
            if level != -1:
                groups.setdefault(combo[:index] + combo[index + 1 :], set()).add(level)
        if any(len(levels) > 1 for levels in groups.values()):
            needed.append(name)
    return needed


def missing_facts(known: Mapping[str, Any], on: dt.date, params: Optional[ParameterSet] = None) -> List[str]:
    """Every unknown fact that could still change the highest level, in asking order."""
    return facts_that_matter(known, FACT_ORDER, on, params)


def settled(known: Mapping[str, Any]) -> Dict[str, Any]:
    """The facts to assess with: stated ones as they are, a rough one at its lowest value, the rest default."""
    facts = {}
    for name in FACT_ORDER:
        value = known.get(name)
        facts[name] = DEFAULTS[name] if value is None else value.values[0] if isinstance(value, OneOf) else value
    facts.update(_stated_only(known))
    return _at_least_since(facts, known)


# Facts that are only ever stated, never asked for: whether the certificate is of a related occupation.
STATED_ONLY = ("certificate_related", "asks_highest")


def _stated_only(known: Mapping[str, Any]) -> Dict[str, Any]:
    return {name: bool(known.get(name)) for name in STATED_ONLY}


def _at_least_since(facts: Dict[str, Any], known: Mapping[str, Any]) -> Dict[str, Any]:
    """Unstated work years are at least the years worked since the certificate."""
    if known.get("work_years") is None and facts.get("certificate_level"):
        facts["work_years"] = max(facts["work_years"], facts["years_since_certificate"])
    return facts


# Facts that open a clause only together: a certificate with its years, schooling with its major.
FACT_GROUPS = (
    ("work_years",),
    ("certificate_level", "years_since_certificate"),
    ("education", "major_related", "is_student", "graduating_this_year"),
)


@dataclass(frozen=True)
class Raise:
    """Unstated facts that would open a higher level: the first fact to ask, and the clause it opens."""

    fact: str
    level: int
    level_name: str
    clause_id: str
    clause_text: str


def raising_facts(known: Mapping[str, Any], on: dt.date, params: Optional[ParameterSet] = None) -> List[Raise]:
    """For each group of unstated facts, whether it could open the next level above today's answer.

    Only the next level: "累计工作满10年" is no news to someone who can apply for nothing yet."""
    params = params or load_parameters("ata_certification")
    base = settled(known)
    current = _highest(base, on, params)
    current_rank = 99 if current in (None, -1) else current
    names = level_names(params, on)
    held = base.get("certificate_level") or None
    open_levels = [
        level
        for level in {c["level"] for c in params.value("eligibility_clauses", on)}
        if still_open(level, held, bool(known.get("certificate_related")), bool(known.get("asks_highest")))
    ]
    target = current - 1 if current not in (None, -1) else max(open_levels, default=None)
    if target is None or target < 1:
        return []  # the highest level is held, or may already be applied for
    raises = []
    for group in FACT_GROUPS:
        open_names = [name for name in group if known.get(name) is None]
        if not open_names:
            continue
        best: Optional[Tuple[int, Dict[str, Any]]] = None
        for combo, level in _levels({**base, **{n: None for n in open_names}}, open_names, on, params).items():
            if level is not None and level == target and level < current_rank and best is None:
                best = (level, dict(zip(open_names, combo)))
        if best is None:
            continue
        clause = assess_eligibility(person_from({**base, **best[1]}), on, params).clause
        if clause is None:  # `_levels` found a level for these facts, so a clause grants it
            raise RuntimeError(f"no clause grants level {best[0]} for {open_names}")
        raises.append(Raise(open_names[0], best[0], names[best[0]], clause.clause_id, clause.text))
    return raises
