from decimal import Decimal

import pytest

from bot.nlu.facts import read_facts


@pytest.mark.parametrize(
    "text, years, approximate",
    [("我干了6年人事", 6.0, False), ("干了五年半", 5.5, False), ("两年", 2.0, False), ("十来年", 10.0, True),
     ("大概8年多", 8.0, True), ("不对，是5年", 5.0, False), ("做了十二年行政管理", 12.0, False)],
    ids=["阿拉伯数字年", "五年半", "两年", "十来年要确认", "八年多要确认", "更正为五年", "十二年"],
)
def test_work_years(text, years, approximate):
    mention = read_facts(text).work_years
    assert (mention.years, mention.approximate) == (years, approximate)


def test_years_since_the_certificate_are_told_apart_from_total_years():
    facts = read_facts("我干了8年，有三级证书，拿证后干了5年")
    assert (facts.work_years.years, facts.years_since_certificate.years, facts.certificate_level) == (8.0, 5.0, 3)


def test_a_total_equal_to_the_years_since_the_certificate_is_still_read():
    facts = read_facts("有四级证书，拿证后干了5年，总共也是5年")
    assert (facts.work_years.years, facts.years_since_certificate.years) == (5.0, 5.0)


@pytest.mark.parametrize("text, level, none", [("有四级证书", 4, False), ("三级/高级工", 3, False), ("高级技师", 1, False),
                                               ("我是技师", 2, False), ("没有证书", None, True),
                                               ("技师学院毕业", None, False)],
                         ids=["四级证书", "三级高级工", "高级技师", "技师", "没有证书", "技师学院不是证书"])
def test_certificate(text, level, none):
    facts = read_facts(text)
    assert (facts.certificate_level, facts.no_certificate) == (level, none)


@pytest.mark.parametrize("text, education", [("中专毕业", "中职"), ("大专在读", "专科及以上"), ("本科", "专科及以上"),
                                             ("预备技师班", "技工院校预备技师班或技师班"),
                                             ("技工院校高级工班", "技工院校高级工班"), ("技校", "技工院校")],
                         ids=["中专", "大专在读", "本科", "预备技师班", "高级工班", "技校"])
def test_education(text, education):
    assert read_facts(text).education == education


def test_major_and_student():
    facts = read_facts("大专在读 人力资源管理专业")
    assert (facts.major_related, facts.is_student) == (True, True)
    assert read_facts("中专毕业了 专业不相关").major_related is False


@pytest.mark.parametrize(
    "text, hours, converted",
    [("员工学了60课时免费课、40课时付费课", {"点播免费": Decimal("60"), "点播付费": Decimal("40")}, ()),
     ("免费课10.3课时，付费课15.8课时，自有课13.9课时",
      {"点播免费": Decimal("10.3"), "点播付费": Decimal("15.8"), "自有课录播": Decimal("13.9")}, ()),
     ("线下培训30个小时", {"线下": Decimal("40.0")}, ("线下30小时",)),
     ("四十个课时的付费课", {"点播付费": Decimal("40")}, ())],
    ids=["第52问的说法", "带小数的三类课时", "小时换算成课时", "中文数字课时"],
)
def test_class_hours(text, hours, converted):
    facts = read_facts(text)
    assert facts.class_hours == hours
    assert facts.converted_from_clock_hours == converted


def test_employees():
    assert read_facts("我们单位30个员工每人学了60课时").employees == 30
    assert read_facts("一共五十人").employees == 50
