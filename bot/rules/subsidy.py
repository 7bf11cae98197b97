"""以训兴业 training-subsidy estimate (003 Q5, Q6, Q38, Q52, Q56). Pure: facts and a date in, result out.

The arithmetic, in the document's own order:
1. 课时 are kept to one decimal (Q38); the total must reach the minimum (Q5, Q41, Q56);
2. the total falls in a tier that caps the hours paid for (Q5, Q52);
3. each training type is rounded down to whole 课时 separately (Q38, Q56);
4. 就高: the capped hours go to the higher rates first (Q52).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Dict, List, Mapping, Optional, Tuple, Union

from bot.policy import ParameterSet, load_parameters
from bot.policy.documents import document
from bot.policy.placeholders import fill

Number = Union[int, float, str, Decimal]
DAYS_IN_A_YEAR = 366


class SubsidyInputError(ValueError):
    """Input that cannot be estimated; the message is a polite Chinese explanation."""


@dataclass(frozen=True)
class SubsidyLine:
    training_type: str
    hours: Decimal
    whole_hours: int
    priced_hours: int
    rate: int

    @property
    def amount(self) -> int:
        return self.priced_hours * self.rate


@dataclass(frozen=True)
class SubsidyEstimate:
    eligible: bool
    per_person: int
    employees: int
    total_hours: Decimal
    hours_cap: Optional[int]
    lines: Tuple[SubsidyLine, ...]
    steps: Tuple[str, ...]
    conditions: Tuple[str, ...]
    citations: Tuple[str, ...]
    period_end: Optional[dt.date] = None
    period_ended: bool = False
    disqualified: Tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return self.per_person * self.employees


def minutes_to_class_hours(
    minutes: Number, params: Optional[ParameterSet] = None, on: Optional[dt.date] = None
) -> Decimal:
    """Minutes of study to 课时 (45 minutes each), kept to the document's decimals (Q38)."""
    params = params or load_parameters("training_subsidy")
    on = on or dt.date.today()
    return _to_decimals(Decimal(str(minutes)) / Decimal(params.value("class_hour_minutes", on)), params, on)


def hours_to_class_hours(hours: Number, params: Optional[ParameterSet] = None, on: Optional[dt.date] = None) -> Decimal:
    """Clock hours to 课时 (45 minutes each), kept to the document's decimals."""
    return minutes_to_class_hours(Decimal(str(hours)) * 60, params, on)


def _to_decimals(value: Decimal, params: Optional[ParameterSet] = None, on: Optional[dt.date] = None) -> Decimal:
    params = params or load_parameters("training_subsidy")
    digits = params.value("class_hour_decimals", on or dt.date.today())
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_DOWN)


def _parse_hours(training_type: str, raw: Number) -> Decimal:
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise SubsidyInputError(f"“{training_type}”的课时“{raw}”不是数字，请输入例如 40 或 12.5。") from None
    if not value.is_finite() or value < 0:
        raise SubsidyInputError(f"“{training_type}”的课时不能是负数，请重新输入。")
    return _to_decimals(value)


def _hours_cap(total: Decimal, tiers: List[int]) -> Optional[int]:
    reached = [tier for tier in sorted(tiers) if total >= tier]
    return reached[-1] if reached else None


def _citation(params: ParameterSet, names: Tuple[str, ...]) -> str:
    """One line naming the document once and every question the arithmetic used."""
    questions = sorted({int(n) for name in names for n in re.findall(r"\d+", params[name].section)})
    return document(params[names[0]].document).cite(f"第{'、'.join(map(str, questions))}问")


def _tier_rule(tiers: List[int]) -> str:
    ordered = sorted(tiers)
    parts = [f"{low}至{high}课时不含{high}按{low}" for low, high in zip(ordered, ordered[1:])]
    return "，".join(parts + [f"{ordered[-1]}及以上按{ordered[-1]}"])


def _conditions(params: ParameterSet, on: dt.date) -> Tuple[str, ...]:
    """The conditions as the parameters word them, figures filled in, and the end of the period."""
    end = params["applications_accepted"].ends_on()
    ended = (
        (
            f"文件所述培训和补贴受理截至{end.year}年{end.month}月{end.day}日（{document('003').validity.ended_section}），"
            "现行政策请以主管部门最新通知为准"
        )
        if end
        else ""
    )
    return tuple(fill(text, on) for text in params.value("conditions", on)) + ((ended,) if ended else ())


def reasons(name: str, on: dt.date) -> Dict[str, str]:
    """`disqualifications` or `invalid_hours`: each reason, by key, as the parameters word it."""
    return {key: fill(text, on) for key, text in load_parameters("training_subsidy").value(name, on).items()}


CONVERSION_NOTE_START = "已按每课时"


def conversion_note(converted: Tuple[str, ...], on: dt.date, params: Optional[ParameterSet] = None) -> str:
    """The line that says which figures were given in 小时 or 分钟 and converted."""
    params = params or load_parameters("training_subsidy")
    return f"{CONVERSION_NOTE_START}{params.value('class_hour_minutes', on)}分钟换算：{'、'.join(converted)}"


def estimate_subsidy(
    hours_by_type: Mapping[str, Number],
    on: dt.date,
    employees: int = 1,
    params: Optional[ParameterSet] = None,
    disqualified: Tuple[str, ...] = (),
) -> SubsidyEstimate:
    """The subsidy per employee (and for `employees` with the same 课时) under the rules in force on `on`.

    `disqualified` are reasons, each with its question, why the person cannot be subsidised at all."""
    params = params or load_parameters("training_subsidy")
    period_end = params["applications_accepted"].ends_on()
    estimate = _estimate(hours_by_type, on, employees, params)
    if disqualified:
        estimate = replace(estimate, eligible=False, per_person=0, disqualified=tuple(disqualified))
    return replace(estimate, period_end=period_end, period_ended=not params.value("applications_accepted", on))


def _estimate(
    hours_by_type: Mapping[str, Number], on: dt.date, employees: int, params: ParameterSet
) -> SubsidyEstimate:
    rates: Dict[str, int] = params.value("rates", on)
    unknown = [t for t in hours_by_type if t not in rates]
    if unknown:
        raise SubsidyInputError(f"不认识的培训类型：{'、'.join(unknown)}。可选：{'、'.join(rates)}。")
    class_limit = params.value("class_size_limit", on)
    if not isinstance(employees, int) or isinstance(employees, bool) or not 1 <= employees <= class_limit:
        raise SubsidyInputError(f"人数须为1到{class_limit}之间的整数（每个培训班最多{class_limit}人，第32问）。")

    hours = {t: _parse_hours(t, hours_by_type.get(t, 0)) for t in rates if t in hours_by_type}
    max_hours = Decimal(params.value("daily_study_cap_hours", on) * 60 * DAYS_IN_A_YEAR) / params.value(
        "class_hour_minutes", on
    )
    for training_type, value in hours.items():
        if value > max_hours:
            raise SubsidyInputError(
                f"“{training_type}”{value}课时超出了一年内可能学完的课时（每天最多学习"
                f"{params.value('daily_study_cap_hours', on)}小时，第69问），请核对后重新输入。"
            )

    total = sum(hours.values(), Decimal("0.0"))
    minimum = params.value("minimum_hours", on)
    parts = "+".join(f"{value}（{t}）" for t, value in hours.items() if value) or "0"
    steps = [f"累计有效课时：{parts}={total}课时"]
    citations = (_citation(params, ("rates", "hour_tiers", "class_hour_decimals", "minimum_hours")),)
    conditions = _conditions(params, on)

    cap = _hours_cap(total, params.value("hour_tiers", on)) if total >= minimum else None
    if cap is None:
        steps.append(f"未达到{minimum}课时，暂不能申请补贴；再学{minimum - total}课时即可达到")
        lines = tuple(SubsidyLine(t, v, int(v), 0, rates[t]) for t, v in hours.items())
        return SubsidyEstimate(False, 0, employees, total, None, lines, tuple(steps), conditions, citations)

    steps.append(f"{total}课时按{cap}课时计算（{_tier_rule(params.value('hour_tiers', on))}）")
    whole = {t: int(v) for t, v in hours.items()}
    if any(whole[t] != hours[t] for t in hours):
        steps.append("各类型分别取整：" + "，".join(f"{t}{hours[t]}→{whole[t]}" for t in hours if hours[t]))

    remaining = cap
    priced: Dict[str, int] = {}
    # 就高: higher rates first; equal rates keep the order of the parameter file.
    for training_type in sorted(hours, key=lambda t: -rates[t]):
        priced[training_type] = min(whole[training_type], remaining)
        remaining -= priced[training_type]
    lines = tuple(SubsidyLine(t, hours[t], whole[t], priced[t], rates[t]) for t in hours)
    paid = [line for line in sorted(lines, key=lambda item: -item.rate) if line.priced_hours]
    if sum(whole.values()) > cap:
        steps.append(
            "按“就高”原则先计高标准课时："
            + "；".join(f"{line.training_type}{line.priced_hours}课时×{line.rate}元" for line in paid)
        )
    per_person = sum(line.amount for line in lines)
    steps.append("每人补贴：" + "+".join(f"{line.priced_hours}×{line.rate}" for line in paid) + f"={per_person}元")
    if employees > 1:
        steps.append(f"{employees}人合计：{per_person}×{employees}={per_person * employees}元")
    return SubsidyEstimate(True, per_person, employees, total, cap, lines, tuple(steps), conditions, citations)
