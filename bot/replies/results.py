"""Chinese replies for rule results: the verdict or amount first, then reasons and sources.

Shared by the chat actions and the `bot-rules` command line, so both say the same thing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Dict, Iterable, List, Sequence, Tuple

from bot.policy import load_parameters
from bot.rules.eligibility import EligibilityResult, Raise
from bot.rules.subsidy import SubsidyEstimate

# What each group of facts is called on its button, by the first fact of the group.
RAISE_BUTTONS = {
    "work_years": "补充工作年限",
    "certificate_level": "补充证书情况",
    "education": "补充学历和专业",
    "is_student": "补充在读情况",
}


def raise_lines(raises: Iterable[Raise]) -> List[str]:
    return [f"如果您符合“{r.clause_text}”，可按{r.clause_id}申报{r.level_name}" for r in raises]


def raise_buttons(raises: Iterable[Raise]) -> List[Dict[str, str]]:
    """One button per fact that could raise the level; it asks for that fact."""
    return [
        {"title": RAISE_BUTTONS.get(r.fact, "补充信息"), "payload": f'/refine_eligibility{{"elig_refine":"{r.fact}"}}'}
        for r in raises
    ]


def eligibility_reply(result: EligibilityResult, raises: Sequence[Raise] = (), stated: str = "") -> Tuple[str, str]:
    """(verdict line, details): the verdict, what it rests on, then what could raise it."""
    lines: List[str] = []
    if stated:
        lines.append(f"按您所说：{stated}")
    if result.clause:
        lines += [
            f"依据：{result.clause.clause_id}（{result.clause.text}）",
            f"申报材料：{'；'.join(result.clause.materials)}",
            f"认定科目：{'、'.join(result.subjects)}",
            f"费用：{'＋'.join(f'{k}{v}' for k, v in result.fees.items())}＝{result.fee_total}元",
            f"认定月份：{result.months_year}年通知为{'、'.join(f'{m}月' for m in result.months)}，以当年通知为准",
        ]
    if result.next_step:
        lines.append(("下一步：" if result.level else "最接近的条件：") + result.next_step)
    lines += raise_lines(raises)
    lines.append(f"来源：{result.citation}")
    return result.verdict, "\n".join(lines)


def _ended_prefix(result: SubsidyEstimate) -> str:
    end = result.period_end
    return (
        f"按{end.year}年以训兴业政策测算（该政策受理已于{end.year}年{end.month}月{end.day}日截止，"
        f"现行标准请以主管部门通知为准）："
        if result.period_ended and end
        else "预计补贴："
    )


def untyped_subsidy_line(hours: str, by_type: Dict[str, SubsidyEstimate], minimum: Decimal) -> str:
    """What 课时 of no stated type already decide, whatever their type: "35课时" gets nothing from any
    course; "75课时" count as 60 and the amount depends on the type (第5问)."""
    first = next(iter(by_type.values()))
    if all(estimate.per_person == 0 for estimate in by_type.values()):
        return (
            f"{_ended_prefix(first)}每人0元，暂不能申请补贴：{hours}课时未达到{minimum}课时，不论哪类课程\n"
            f"来源：{'；'.join(first.citations)}"
        )
    counted = f"按{first.hours_cap}课时计算，" if first.hours_cap is not None else ""
    kinds_by_amount: Dict[int, List[str]] = {}
    for kind, estimate in by_type.items():
        kinds_by_amount.setdefault(estimate.per_person, []).append(kind)
    per_type = "；".join(f"{'、'.join(kinds)}{amount}元/人" for amount, kinds in kinds_by_amount.items())
    return (
        f"{_ended_prefix(first)}{hours}课时{counted}金额取决于课程类型：{per_type}\n来源：{'；'.join(first.citations)}"
    )


def subsidy_reply(result: SubsidyEstimate, notes: Sequence[str] = ()) -> Tuple[str, str]:
    """(amount line, details). After the policy's end date the amount line says so first (003 Q11)."""
    if result.eligible:
        headline = f"预计补贴：每人{result.per_person}元"
        if result.employees > 1:
            headline += f"，{result.employees}人共{result.total}元"
    elif result.disqualified:
        headline = "预计补贴：每人0元，暂不能申请补贴：" + "；".join(result.disqualified)
    else:
        headline = "预计补贴：每人0元，暂不能申请补贴：累计有效课时未达到要求"
    end = result.period_end
    if result.period_ended and end:  # as in `_ended_prefix`
        headline = (
            f"按{end.year}年以训兴业政策测算（该政策受理已于{end.year}年{end.month}月{end.day}日截止，"
            f"现行标准请以主管部门通知为准）：{headline.removeprefix('预计补贴：')}"
        )
    lines: List[str] = list(notes)
    lines += list(result.steps)
    lines.append("前提条件：")
    lines += [f"· {condition}" for condition in result.conditions]
    lines.append(f"来源：{'；'.join(result.citations)}")
    return headline, "\n".join(lines)


def other_work_not_counted(work: str, on: dt.date) -> str:
    occupations = "、".join(load_parameters("ata_certification").value("related_occupations", on))
    return f"{work}不属于本职业或相关职业（附件1备注①：{occupations}），这段工作不计入申报年限，按0年计。"
