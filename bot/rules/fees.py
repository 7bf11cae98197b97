"""企业人力资源管理师 certification fees and retakes (001, 附件2 and 三、（六）). Pure."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Dict, Optional

from bot.policy import ParameterSet, load_parameters

CHINESE_LEVEL_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
LEVEL_ALIASES = {"初级工": 5, "初级": 5, "中级工": 4, "中级": 4, "高级工": 3, "高级技师": 1, "技师": 2}


class FeeInputError(ValueError):
    """A level name we do not know; the message is a polite Chinese explanation."""


@dataclass(frozen=True)
class LevelFees:
    level: int
    level_name: str
    subjects: Dict[str, int]
    retake_rule: str
    citation: str

    @property
    def total(self) -> int:
        return sum(self.subjects.values())


def level_code(name: str) -> int:
    """四级, 4级, 三级/高级工, 高级技师 … → 4, 4, 3, 1. Raises FeeInputError for anything else."""
    text = (name or "").strip()
    match = re.match(r"^([一二三四五1-5])\s*级", text)
    if match:
        return CHINESE_LEVEL_DIGITS[match.group(1)]
    # Longest alias first: 高级技师 before 技师, 高级工 before 高级.
    for alias in sorted(LEVEL_ALIASES, key=len, reverse=True):
        if alias in text:
            return LEVEL_ALIASES[alias]
    raise FeeInputError(f"不认识等级“{name}”。请说五级、四级、三级、二级或一级（也可以说初级工、中级工、高级工、技师、高级技师）。")


def level_fees(level: str, on: dt.date, params: Optional[ParameterSet] = None) -> LevelFees:
    params = params or load_parameters("ata_certification")
    code = level_code(level)
    fees = params.value("fees", on)
    names = {entry["code"]: entry["name"] for entry in params.value("levels", on)}
    if code not in fees:
        raise FeeInputError(f"{names[code]}不在本次认定范围内，可认定四级、三级、二级、一级。")
    retake = params.value("retake", on)
    rule = (f"未通过的科目补考须全额缴纳该科目费用；单科通过的成绩保留{retake['passed_subject_kept_years']}年，"
            f"一年内仅可补考{retake['retakes_per_year']}次")
    citation = f"{params['fees'].citation}；{params['retake'].section}"
    return LevelFees(code, names[code], dict(fees[code]), rule, citation)
