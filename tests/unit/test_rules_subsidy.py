import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.policy import load_parameters
from bot.rules.subsidy import SubsidyInputError, estimate_subsidy, hours_to_class_hours

ON = dt.date(2021, 6, 1)
TYPES = ["点播免费", "点播付费", "自有课录播", "线下"]

CASES = [
    ("文件第52问的例子：60课时免费课加40课时付费课补1400元", {"点播免费": 60, "点播付费": 40}, 1400, 80),
    ("文件第56问的例子：三类课分别取整后补800元", {"点播免费": 10.3, "点播付费": 15.8, "自有课录播": 13.9}, 800, 40),
    ("免费课39.9课时不到40课时不能补贴", {"点播免费": 39.9}, 0, None),
    ("免费课正好40课时按40课时补400元", {"点播免费": 40}, 400, 40),
    ("免费课40.1课时按40课时补400元", {"点播免费": 40.1}, 400, 40),
    ("付费课59.9课时仍按40课时档补1000元", {"点播付费": 59.9}, 1000, 40),
    ("付费课正好60课时按60课时补1500元", {"点播付费": 60}, 1500, 60),
    ("线下79.9课时仍按60课时档补1500元", {"线下": 79.9}, 1500, 60),
    ("线下正好80课时按80课时补2000元", {"线下": 80}, 2000, 80),
    ("学了120课时也最多按80课时补", {"自有课录播": 120}, 2000, 80),
    ("就高原则先算25元的课时再算10元的课时", {"点播免费": 60, "线下": 30}, 30 * 25 + 50 * 10, 80),
    ("合计到40课时但取整后只剩38课时按38课时算", {"点播免费": 20.5, "点播付费": 19.5}, 20 * 10 + 19 * 25, 40),
]


@pytest.mark.parametrize("hours, per_person, cap", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_subsidy_per_person(hours, per_person, cap):
    result = estimate_subsidy(hours, ON)
    assert result.per_person == per_person
    assert result.hours_cap == cap
    assert result.eligible is (cap is not None)


def test_the_reply_shows_the_arithmetic_of_the_worked_example():
    result = estimate_subsidy({"点播免费": 60, "点播付费": 40}, ON)
    assert result.steps[-1] == "每人补贴：40×25+40×10=1400元"


def test_a_whole_class_multiplies_the_estimate():
    result = estimate_subsidy({"点播付费": 40}, ON, employees=30)
    assert (result.per_person, result.total) == (1000, 30000)
    assert result.steps[-1] == "30人合计：1000×30=30000元"


def test_every_condition_is_stated():
    conditions = "\n".join(estimate_subsidy({"点播付费": 40}, ON).conditions)
    for fact in ["北京市缴纳社会保险", "100%", "60分", "港澳台及外籍", "30%"]:
        assert fact in conditions


def test_clock_hours_become_class_hours_of_45_minutes():
    assert hours_to_class_hours(30, on=ON) == Decimal("40.0")
    assert hours_to_class_hours(1, on=ON) == Decimal("1.3")


@pytest.mark.parametrize(
    "hours, employees, fragment",
    [
        ({"点播免费": -1}, 1, "负数"),
        ({"点播免费": "很多"}, 1, "不是数字"),
        ({"直播课": 40}, 1, "不认识的培训类型"),
        ({"点播免费": 100000}, 1, "超出了一年内可能学完的课时"),
        ({"点播免费": 40}, 0, "1到999"),
        ({"点播免费": 40}, 1000, "999"),
    ],
    ids=["课时为负数", "课时不是数字", "不认识的培训类型", "课时多得不可能", "人数为0", "人数超过一个班的上限"],
)
def test_bad_input_gets_a_polite_chinese_explanation(hours, employees, fragment):
    with pytest.raises(SubsidyInputError, match=fragment):
        estimate_subsidy(hours, ON, employees=employees)


hours_strategy = st.dictionaries(st.sampled_from(TYPES),
                                 st.decimals(min_value=0, max_value=300, places=1), min_size=1)


@settings(max_examples=200, deadline=None)
@given(hours=hours_strategy, extra=st.decimals(min_value=0, max_value=50, places=1), which=st.sampled_from(TYPES))
def test_more_class_hours_never_lower_the_subsidy(hours, extra, which):
    more = dict(hours)
    more[which] = more.get(which, 0) + extra
    assert estimate_subsidy(more, ON).per_person >= estimate_subsidy(hours, ON).per_person


@settings(max_examples=200, deadline=None)
@given(hours=hours_strategy)
def test_the_subsidy_never_exceeds_80_class_hours_at_the_highest_rate(hours):
    params = load_parameters("training_subsidy")
    ceiling = max(params.value("hour_tiers", ON)) * max(params.value("rates", ON).values())
    assert estimate_subsidy(hours, ON).per_person <= ceiling
