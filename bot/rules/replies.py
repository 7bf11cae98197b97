"""Chinese replies for rule results: the verdict or amount first, then reasons and sources.

Shared by the chat actions and the `bot-rules` command line, so both say the same thing.
"""
from __future__ import annotations

from typing import List, Tuple

from bot.rules.eligibility import EligibilityResult
from bot.rules.subsidy import SubsidyEstimate


def eligibility_reply(result: EligibilityResult) -> Tuple[str, str]:
    """(verdict line, details)."""
    lines: List[str] = []
    if result.clause:
        lines += [f"依据：{result.clause.clause_id}（{result.clause.text}）",
                  f"申报材料：{'；'.join(result.clause.materials)}",
                  f"认定科目：{'、'.join(result.subjects)}",
                  f"费用：{'＋'.join(f'{k}{v}' for k, v in result.fees.items())}＝{result.fee_total}元",
                  f"认定月份：每年{'、'.join(f'{m}月' for m in result.months)}"]
    if result.next_step:
        lines.append(("下一步：" if result.level else "最接近的条件：") + result.next_step)
    lines.append(f"来源：{result.citation}")
    return result.verdict, "\n".join(lines)


def subsidy_reply(result: SubsidyEstimate, converted: Tuple[str, ...] = ()) -> Tuple[str, str]:
    """(amount line, details)."""
    if result.eligible:
        headline = f"预计补贴：每人{result.per_person}元"
        if result.employees > 1:
            headline += f"，{result.employees}人共{result.total}元"
    else:
        headline = "暂不能申请补贴：累计有效课时未达到要求"
    lines: List[str] = []
    if converted:
        lines.append(f"已按每课时45分钟换算：{'、'.join(converted)}")
    lines += list(result.steps)
    lines.append("前提条件：")
    lines += [f"· {condition}" for condition in result.conditions]
    lines.append(f"来源：{'；'.join(result.citations)}")
    return headline, "\n".join(lines)
