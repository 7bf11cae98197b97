"""Training examples for the three calculators, generated from templates so that the classifier sees
hundreds of ways a person describes their own situation, not a few dozen.

Every level, certificate name, school kind and number form (digits, Chinese numerals via cn2an,
五年半, 六年多, 48个月) appears. Deterministic: the same seed gives the same file, which
`python -m bot.knowledge.build` writes to data/nlu/calculations_generated.yml and `--check` compares.
"""

from __future__ import annotations

import random
from typing import AbstractSet, Callable, List

SEED = 20261201
PER_INTENT = 320

WORK = [
    "做人事",
    "干HR",
    "做人力资源",
    "在人力资源部",
    "做行政",
    "做行政管理",
    "做企业管理",
    "做招聘",
    "做薪酬绩效",
    "在管理咨询公司",
    "干人事行政",
    "做员工关系",
    "当HRBP",
    "做培训专员",
    "在企业做管理",
]
WORK_VERBS = ["做了", "干了", "工作了", "从事", "做", "干"]
CERTS = [
    "四级",
    "三级",
    "二级",
    "五级",
    "中级工",
    "高级工",
    "技师",
    "初级工",
    "中级证",
    "高级证",
    "人力四级",
    "人力资源管理师三级",
    "劳动关系协调员四级",
    "企业人力资源管理师二级",
    "高级技师",
]
SCHOOLS = [
    "中专",
    "职高",
    "技校",
    "技工院校高级工班",
    "预备技师班",
    "技师班",
    "技师学院",
    "高级技工学校",
    "高职",
    "大专",
    "本科",
    "研究生",
    "硕士",
]
MAJORS = [
    "人力资源管理",
    "工商企业管理",
    "行政管理",
    "劳动与社会保障",
    "劳动经济",
    "劳动关系",
    "管理科学",
    "计算机",
    "英语",
    "机电",
    "会计",
    "市场营销",
]
STUDENT = ["在读", "应届", "大二", "大四", "今年毕业", "已经毕业", "毕业三年了", "还没毕业"]
LEVEL_QUESTIONS = [
    "能报几级",
    "可以报哪个等级",
    "最高能报几级",
    "能报三级吗",
    "够不够报二级",
    "能不能报四级",
    "我符合几级的条件",
    "可以申报什么等级",
    "能考人力资源管理师吗",
    "能直接报三级不",
    "有资格报一级吗",
    "能升二级吗",
    "报哪一级合适",
    "我这条件能报吗",
    "帮我看看能报几级",
]
TYPES = [
    "免费课",
    "点播免费课",
    "付费课",
    "点播付费课",
    "自有课",
    "录播课",
    "自有课录播",
    "线下培训",
    "线下课",
    "面授课",
]
UNITS = ["课时", "个课时", "学时", "小时", "个小时", "分钟"]
AMOUNT_QUESTIONS = [
    "能补多少",
    "补贴多少钱",
    "单位能拿多少补贴",
    "一共能补多少",
    "每人能补多少",
    "能申请多少补贴",
    "以训兴业能补多少",
    "算一下补贴",
    "帮我算算补贴",
    "补贴金额是多少",
    "能领多少钱",
    "能补贴吗",
]
FEE_LEVELS = ["四级", "三级", "二级", "一级", "中级", "高级", "技师", "高级技师", "人力资源管理师三级"]
SUBJECTS = ["理论知识", "理论", "技能考核", "操作技能", "实操", "综合评审", "文件筐"]
FEE_QUESTIONS = ["多少钱", "一共多少钱", "要交多少钱", "认定费多少", "收费多少", "考试费是多少", "总共要花多少"]


def _number(rng: random.Random, value: float) -> str:
    import cn2an

    if value != int(value):
        return rng.choice([f"{value:g}", f"{int(value)}年半".replace("年半", "") + "点5"])
    if rng.random() < 0.5:
        return cn2an.an2cn(int(value)).replace("二", rng.choice(["二", "两"]) if int(value) == 2 else "二")
    return str(int(value))


def _years(rng: random.Random) -> str:
    n = rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 20])
    form = rng.random()
    if form < 0.15:
        return f"{_number(rng, n)}年半"
    if form < 0.3:
        return f"{_number(rng, n)}年多"
    if form < 0.38:
        return f"{n * 12}个月"
    if form < 0.45:
        return f"快{_number(rng, n)}年"
    if form < 0.52:
        return f"满{_number(rng, n)}年"
    return f"{_number(rng, n)}年"


def eligibility_example(rng: random.Random) -> str:
    parts: List[str] = []
    kind = rng.random()
    if kind < 0.45:
        parts.append(
            f"我{rng.choice(WORK_VERBS)}{_years(rng)}{rng.choice(WORK)}"
            if rng.random() < 0.5
            else f"{rng.choice(WORK)}{_years(rng)}"
        )
    if 0.25 < kind < 0.75:
        cert = rng.choice(CERTS)
        parts.append(
            rng.choice(
                [
                    f"有{cert}证书",
                    f"拿了{cert}证",
                    f"持有{cert}",
                    f"{cert}证拿了{_years(rng)}",
                    f"考过{cert}",
                    f"取得{cert}证书后又干了{_years(rng)}",
                ]
            )
        )
    if kind > 0.6:
        parts.append(f"{rng.choice(SCHOOLS)}{rng.choice(['毕业', '', '学历', '在读'])} 学的{rng.choice(MAJORS)}")
        if rng.random() < 0.3:
            parts.append(rng.choice(STUDENT))
    if rng.random() < 0.2:
        parts.append(rng.choice(["没有证书", "没考过证", "啥证都没有"]))
    if not parts:
        parts.append(f"{rng.choice(WORK)}{_years(rng)}")
    rng.shuffle(parts)
    return (
        f"{rng.choice(['', '你好 ', '请问 ', '咨询一下 ', ''])}{rng.choice(['，', ' ', ''])}".strip()
        + rng.choice(["，", " ", ""]).join(parts)
        + rng.choice(["，", " ", ""])
        + rng.choice(LEVEL_QUESTIONS)
    )


def subsidy_example(rng: random.Random) -> str:
    pieces = []
    for kind in rng.sample(TYPES, rng.choice([1, 1, 2, 2, 3])):
        hours = rng.choice([10, 20, 25, 30, 39.9, 40, 45, 50, 59.9, 60, 70, 79.9, 80, 100, 120])
        unit = rng.choice(UNITS)
        if unit == "分钟":
            hours = int(hours * 45)
        value = _number(rng, hours) if hours == int(hours) else f"{hours:g}"
        pieces.append(rng.choice([f"{kind}{value}{unit}", f"{value}{unit}{kind}", f"学了{kind}{value}{unit}"]))
    who = rng.choice(
        [
            "员工",
            "我们员工",
            "每个员工",
            "职工",
            "我们公司员工",
            "学员",
            "",
            f"一个班{rng.choice([10, 15, 30])}人 每人",
            f"{rng.choice([20, 50, 100])}个员工",
        ]
    )
    return f"{who}{rng.choice(['', '在京训钉上'])}{'，'.join(pieces)}{rng.choice(['，', ' ', ''])}{rng.choice(AMOUNT_QUESTIONS)}"


def fee_example(rng: random.Random) -> str:
    level = rng.choice(FEE_LEVELS)
    kind = rng.random()
    if kind < 0.35:
        return f"{level}{rng.choice(FEE_QUESTIONS)}"
    if kind < 0.55:
        return f"{level}{rng.choice(SUBJECTS)}{rng.choice(['没过', '没通过', '挂了', '不及格'])} 补考{rng.choice(['多少钱', '要交多少', '怎么收费'])}"
    if kind < 0.75:
        other = rng.choice([lv for lv in FEE_LEVELS if lv != level])
        return f"{level}比{other}{rng.choice(['贵多少', '贵多少钱', '便宜多少', '差多少钱'])}"
    if kind < 0.9:
        return f"{level}的{rng.choice(SUBJECTS)}{rng.choice(['多少钱', '收费多少', '费用是多少'])}"
    return f"{rng.choice(['我和同事两个人', '我们三个人', '我们部门5个人'])}报{level} {rng.choice(['一共多少钱', '总共要交多少'])}"


def examples(
    make: Callable[[random.Random], str], seed: int, count: int = PER_INTENT, taken: AbstractSet[str] = frozenset()
) -> List[str]:
    """`count` distinct examples; none that another intent already has (`taken`)."""
    rng = random.Random(seed)
    seen: List[str] = []
    for _ in range(count * 20):
        text = " ".join(make(rng).split()).lstrip("，, ")
        if text not in seen and text not in taken:
            seen.append(text)
        if len(seen) == count:
            break
    return seen


def render(taken: AbstractSet[str] = frozenset()) -> str:
    lines = [
        "# Generated by `python -m bot.knowledge.build` from bot/knowledge/calculation_examples.py.",
        'version: "3.1"',
        "nlu:",
    ]
    for offset, (intent, make) in enumerate(
        (("ask_eligibility", eligibility_example), ("ask_subsidy", subsidy_example), ("ask_fee", fee_example))
    ):
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in examples(make, SEED + offset, taken=taken)]
    return "\n".join(lines) + "\n"
