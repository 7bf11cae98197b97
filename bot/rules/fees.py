"""企业人力资源管理师 certification fees and retakes (001, 附件2 and 三、（六）). Pure."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any, Dict, List, Optional, Tuple

from bot.policy import ParameterSet, load_parameters

CHINESE_LEVEL_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}


class FeeInputError(ValueError):
    """A level name we do not know; the message is a polite Chinese explanation."""


@dataclass(frozen=True)
class LevelFees:
    level: int
    level_name: str
    subjects: Dict[str, int]
    retake_rule: str
    citation: str
    retake_share: float = 1.0  # the share of a subject's fee paid to retake it (001: 全额)

    @property
    def total(self) -> int:
        return sum(self.subjects.values())

    def retake_fee(self, subject: str) -> int:
        return round(self.subjects[subject] * self.retake_share)

    @property
    def retake_note(self) -> str:
        return f"未通过的科目补考须{share_words(self.retake_share)}缴纳该科目费用"


def share_words(share: float) -> str:
    return "全额" if share == 1 else f"按{share:.0%}"


def level_code(name: str) -> int:
    """四级, 4级, 三级/高级工, 高级技师 … → 4, 4, 3, 1. Raises FeeInputError for anything else."""
    text = (name or "").strip()
    match = re.match(r"^([一二三四五1-5])\s*级", text)
    if match:
        return CHINESE_LEVEL_DIGITS[match.group(1)]
    aliases = level_aliases()
    # Longest alias first: 高级技师 before 技师.
    for alias in sorted(aliases, key=len, reverse=True):
        if alias in text:
            return aliases[alias]
    levels = _levels()
    numbered = _either([entry["name"].split("/")[0] for entry in levels])
    named = "、".join(entry["name"].split("/")[1] for entry in levels if "/" in entry["name"])
    raise FeeInputError(f"不认识等级“{name}”。请说{numbered}（也可以说{named}）。")


def _either(names: List[str]) -> str:
    return "、".join(names[:-1]) + f"或{names[-1]}" if len(names) > 1 else "".join(names)


def _levels() -> List[Dict[str, Any]]:
    return list(load_parameters("ata_certification")["levels"].values[-1][1])


def level_aliases() -> Dict[str, int]:
    """The names after the slash in the levels parameter (四级/中级工 → 中级工), and a short form without 工
    where it names one level only (中级, but not 高级, which 高级技师 also begins with)."""
    aliases = {part: entry["code"] for entry in _levels() for part in entry["name"].split("/")[1:]}
    for part, code in list(aliases.items()):
        short = part[:-1] if part.endswith("级工") else ""
        if short and not any(other != part and other.startswith(short) for other in aliases):
            aliases[short] = code
    return aliases


def level_fees(level: str, on: dt.date, params: Optional[ParameterSet] = None) -> LevelFees:
    params = params or load_parameters("ata_certification")
    code = level_code(level)
    fees = params.value("fees", on)
    names = {entry["code"]: entry["name"] for entry in params.value("levels", on)}
    if code not in fees:
        raise FeeInputError(f"{names[code]}不在本次认定范围内，可认定四级、三级、二级、一级。")
    retake = params.value("retake", on)
    rule = (
        f"未通过的科目补考须{share_words(retake['fee_share'])}缴纳该科目费用；"
        f"单科通过的成绩保留{retake['passed_subject_kept_years']}年，一年内仅可补考{retake['retakes_per_year']}次"
    )
    citation = f"{params['fees'].citation}；{params['retake'].section}"
    return LevelFees(code, names[code], dict(fees[code]), rule, citation, float(retake["fee_share"]))


@dataclass(frozen=True)
class FeeQuestion:
    """A fee question as the person put it: the levels named, a subject, a retake, a comparison."""

    levels: Tuple[int, ...] = ()
    subject: Optional[str] = None
    subjects: Tuple[str, ...] = ()
    retake: bool = False
    difference: bool = False
    people: int = 1
    items: Tuple[Tuple[int, Optional[str], int], ...] = ()
    adds_up: bool = False
    passed: Tuple[str, ...] = ()  # subjects passed already: a retake is of the others
    all_failed: bool = False  # every subject of the level is retaken
    with_first_sitting: bool = False  # "前后一共花了多少": the first sitting's fee and the retake together
    amount_first: bool = False  # "二级理论收多少钱，跟四级一样吗": the first level's amount, then same or not


def _sum_line(fees: LevelFees) -> str:
    return f"{fees.level_name}：{'＋'.join(f'{k}{v}' for k, v in fees.subjects.items())}＝{fees.total}元"


def _first_sitting_and_retake(fees: LevelFees, retaken: Tuple[str, ...], people: int) -> Tuple[str, str]:
    """ "三级报名交了一次，理论没过又补考了，一共花了多少": the whole fee once, then each subject retaken in full."""
    missing = [name for name in retaken if name not in fees.subjects]
    if missing:
        raise FeeInputError(
            f"{fees.level_name}没有“{'、'.join(missing)}”；{fees.level_name}的科目是{'、'.join(fees.subjects)}。"
        )
    again = sum(fees.retake_fee(name) for name in retaken)
    each = fees.total + again
    head = f"{fees.level_name}首次认定{fees.total}元＋{'、'.join(retaken)}补考{again}元＝{each}元" + (
        f"×{people}人＝{each * people}元" if people > 1 else ""
    )
    return head, "\n".join([_sum_line(fees), f"补考：{fees.retake_rule}", f"来源：{fees.citation}"])


def _amount_then_sameness(a: LevelFees, b: LevelFees, fa: int, fb: int, subject: str, citation: str) -> Tuple[str, str]:
    """The first level's amount, the second's, and whether they are the same; the gap follows."""
    head = f"{a.level_name}{subject}{fa}元；{b.level_name}{fb}元，" + ("两者相同" if fa == fb else "两者不一样")
    gap = [] if fa == fb else [f"{subject or '认定费用'}相差{abs(fa - fb)}元"]
    return head, "\n".join(gap + [_sum_line(a), _sum_line(b), f"来源：{citation}"])


def answer_fee_question(question: FeeQuestion, on: dt.date, params: Optional[ParameterSet] = None) -> Tuple[str, str]:
    """(answer line, details with the breakdown, the retake rule and the source). Pure."""
    params = params or load_parameters("ata_certification")
    if not 1 <= question.people <= 999:
        raise FeeInputError("人数须为1到999之间的整数，请核对后重新输入。")
    levels = [level_fees(str(code) + "级", on, params) for code in question.levels]
    citation = levels[0].citation if levels else f"{params['fees'].citation}；{params['retake'].section}"
    retake_rule = level_fees("四级", on, params).retake_rule
    if not levels:
        codes = sorted(params.value("fees", on), reverse=True)
        lines = [_sum_line(level_fees(f"{code}级", on, params)) for code in codes]
        return "企业人力资源管理师各等级认定费用如下", "\n".join(lines + [f"补考：{retake_rule}", f"来源：{citation}"])
    if question.difference and len(levels) >= 2:
        a, b = levels[0], levels[1]
        if question.subject:
            fa, fb = a.subjects.get(question.subject), b.subjects.get(question.subject)
            if fa is None or fb is None:
                raise FeeInputError(f"{a.level_name if fa is None else b.level_name}没有“{question.subject}”这一科。")
            gap = abs(fa - fb)
            if question.amount_first:
                return _amount_then_sameness(a, b, fa, fb, question.subject, citation)
            head = f"{question.subject}：{a.level_name}{fa}元，{b.level_name}{fb}元，" + (
                "费用相同" if gap == 0 else f"相差{gap}元"
            )
        elif question.amount_first:
            return _amount_then_sameness(a, b, a.total, b.total, "", citation)
        else:
            gap = abs(a.total - b.total)
            dearer = a if a.total > b.total else b
            head = (
                f"{a.level_name}和{b.level_name}的认定费用相同，都是{a.total}元"
                if gap == 0
                else f"{dearer.level_name}比{(b if dearer is a else a).level_name}贵{gap}元（{max(a.total, b.total)}－"
                f"{min(a.total, b.total)}）"
            )
        return head, "\n".join([_sum_line(a), _sum_line(b), f"来源：{citation}"])
    if question.items:
        return _several(question, on, params, citation)
    if question.adds_up and len(levels) >= 2 and not question.subject:
        total = sum(fees.total for fees in levels) * question.people
        return (
            f"{'、'.join(f.level_name for f in levels)}合计{total}元（{'＋'.join(str(f.total) for f in levels)}）",
            "\n".join([_sum_line(f) for f in levels] + [f"来源：{citation}"]),
        )
    fees = levels[0]
    people = question.people
    times = f"×{people}人＝{{}}元" if people > 1 else ""
    if question.retake and question.all_failed and not question.subject and not question.subjects:
        question = replace(question, subjects=tuple(fees.subjects))
    if question.retake and question.passed and not question.subject:
        # "只过了理论，另外两科都得补": the retake is of the subjects not passed.
        rest = tuple(name for name in fees.subjects if name not in question.passed)
        question = replace(question, subjects=rest, subject=rest[0] if len(rest) == 1 else None)
    retaken = question.subjects if len(question.subjects) > 1 else (question.subject,) if question.subject else ()
    if question.retake and question.with_first_sitting and retaken:
        return _first_sitting_and_retake(fees, retaken, people)
    if len(question.subjects) > 1:
        missing = [name for name in question.subjects if name not in fees.subjects]
        if missing:
            raise FeeInputError(
                f"{fees.level_name}没有“{'、'.join(missing)}”；{fees.level_name}的科目是{'、'.join(fees.subjects)}。"
            )
        parts = [fees.retake_fee(name) if question.retake else fees.subjects[name] for name in question.subjects]
        what = "补考" if question.retake else ""
        head = (
            f"{fees.level_name}{'、'.join(question.subjects)}{what}：{'＋'.join(map(str, parts))}＝{sum(parts)}元"
        ) + (times.format(sum(parts) * people) if people > 1 else "")
        if question.retake:
            head += f"（{fees.retake_note}）"
        return head, "\n".join([_sum_line(fees), f"补考：{fees.retake_rule}", f"来源：{fees.citation}"])
    if question.subject:
        fee = fees.subjects.get(question.subject)
        if fee is None and not question.retake:
            # "四级也要交综合评审的钱吗？总共多少": no such subject, so nothing to pay for it; the total is the answer.
            head = f"{fees.level_name}没有“{question.subject}”这一科，不收这项费用；认定费用共{fees.total}元" + (
                times.format(fees.total * people) if people > 1 else ""
            )
            return head, "\n".join([_sum_line(fees), f"补考：{fees.retake_rule}", f"来源：{fees.citation}"])
        if fee is None:
            raise FeeInputError(
                f"{fees.level_name}没有“{question.subject}”这一科；{fees.level_name}的科目是"
                f"{'、'.join(fees.subjects)}。"
            )
        what = "补考" if question.retake else ""
        fee = fees.retake_fee(question.subject) if question.retake else fee
        head = f"{fees.level_name}{question.subject}{what}：{fee}元" + (
            times.format(fee * people) if people > 1 else ""
        )
        if question.retake:
            head += f"（{fees.retake_note}）"
        return head, "\n".join([_sum_line(fees), f"补考：{fees.retake_rule}", f"来源：{fees.citation}"])
    if question.retake:
        subjects = "；".join(f"{k}{fees.retake_fee(k)}元" for k in fees.subjects)
        return (
            f"{fees.level_name}补考按未通过的科目{share_words(fees.retake_share)}缴费：{subjects}",
            "\n".join([_sum_line(fees), f"补考：{fees.retake_rule}", f"来源：{fees.citation}"]),
        )
    head = f"{fees.level_name}认定费用共{fees.total}元" + (times.format(fees.total * people) if people > 1 else "")
    return head, "\n".join([_sum_line(fees), f"补考：{fees.retake_rule}", f"来源：{fees.citation}"])


def _several(question: FeeQuestion, on: dt.date, params: ParameterSet, citation: str) -> Tuple[str, str]:
    """Several parts, each a level's total or one subject, for one or more people, added up."""
    parts, lines = [], []
    for code, subject, people in question.items:
        fees = level_fees(f"{code}级", on, params)
        fee = fees.subjects.get(subject) if subject else fees.total
        if fee is not None and question.retake:
            fee = fees.retake_fee(subject) if subject else sum(map(fees.retake_fee, fees.subjects))
        if fee is None:
            raise FeeInputError(
                f"{fees.level_name}没有“{subject}”这一科；{fees.level_name}的科目是{'、'.join(fees.subjects)}。"
            )
        parts.append(fee * people)
        lines.append(f"{fees.level_name}{subject or '全部科目'}{fee}元" + (f"×{people}人" if people > 1 else ""))
    what = "补考" if question.retake else ""
    head = f"{what}合计：{'＋'.join(lines)}＝{sum(parts)}元"
    return head, "\n".join(
        [f"补考：{level_fees(f'{question.items[0][0]}级', on, params).retake_rule}", f"来源：{citation}"]
    )
