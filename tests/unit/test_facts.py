from decimal import Decimal

import pytest

from bot.nlu.facts import read_class_hours, read_facts


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


@pytest.mark.parametrize("text, education", [("中专毕业", {"中职"}), ("大专在读", {"专科及以上"}), ("本科", {"专科及以上"}),
                                             ("预备技师班", {"技工院校预备技师班或技师班"}),
                                             ("技工院校高级工班", {"技工院校高级工班"}), ("技校", {"技工院校"}),
                                             ("技师学院预备技师班毕业", {"技工院校预备技师班或技师班", "高级技工学校或技师学院"}),
                                             ("职高", {"中职"}), ("高职", {"高职"}), ("研究生", {"专科及以上"})],
                         ids=["中专", "大专在读", "本科", "预备技师班", "高级工班", "技校", "技师学院的预备技师班两类都算",
                              "职高", "高职", "研究生"])
def test_education(text, education):
    assert read_facts(text).education == frozenset(education)


def test_major_and_student():
    facts = read_facts("大专在读 人力资源管理专业")
    assert (facts.major_related, facts.is_student) == (True, True)
    assert read_facts("中专毕业了 专业不相关").major_related is False


@pytest.mark.parametrize(
    "text, hours, converted",
    [("员工学了60课时免费课、40课时付费课", {"点播免费": Decimal("60"), "点播付费": Decimal("40")}, ()),
     ("免费课10.3课时，付费课15.8课时，自有课13.9课时",
      {"点播免费": Decimal("10.3"), "点播付费": Decimal("15.8"), "自有课录播": Decimal("13.9")}, ()),
     ("线下培训30个小时", {"线下": Decimal("40.0")}, ("30小时",)),
     ("付费课学了2400分钟", {"点播付费": Decimal("53.3")}, ("2400分钟",)),
     ("四十个课时的付费课", {"点播付费": Decimal("40")}, ())],
    ids=["第52问的说法", "带小数的三类课时", "小时换算成课时", "分钟换算成课时", "中文数字课时"],
)
def test_class_hours(text, hours, converted):
    facts = read_facts(text)
    assert facts.class_hours == hours
    assert facts.converted_from_clock_hours == converted


def test_employees():
    assert read_facts("我们单位30个员工每人学了60课时").employees == 30
    assert read_facts("一共五十人").employees == 50


YEARS = [
    ("五年半", 5.5, None), ("六年多", 6.0, 7.0), ("快七年", 6.5, 7.0), ("四年多", 4.0, 5.0), ("48个月", 4.0, None),
    ("九年十个月", 9.83, None), ("满五年", 5.0, None), ("整整十年", 10.0, None), ("七八年", 7.0, 9.0),
    ("十来年", 10.0, 13.0), ("先做了3年行政 后来做了4年人事", 7.0, None), ("之前做了两年行政 后来又做了六年人事", 8.0, None),
    ("我工作8年了，做人事5年", 5.0, None), ("做了3年会计 后来做了4年人事", 4.0, None),
]


@pytest.mark.parametrize("text, low, high", YEARS, ids=[c[0] for c in YEARS])
def test_years_as_people_write_them(text, low, high):
    mention = read_facts(text).work_years
    assert (mention.years, mention.high) == (low, high)


def test_other_occupations_are_not_counted_but_noted():
    facts = read_facts("做了8年会计")
    assert facts.work_years is None and facts.other_work == ("8年会计",)


CERTIFICATES = [
    ("我有中级工证", 4), ("中级证", 4), ("人力四级", 4), ("高级证", 3), ("技师证", 2), ("高级技师", 1),
    ("劳动关系协调员四级证书", 4), ("拿了五级证三年", 5),
]


@pytest.mark.parametrize("text, level", CERTIFICATES, ids=[c[0] for c in CERTIFICATES])
def test_certificates_as_people_name_them(text, level):
    assert read_facts(text).certificate_level == level


def test_a_certificate_of_another_occupation_is_not_this_one():
    facts = read_facts("考了电工四级证 干了6年人事")
    assert facts.certificate_level is None and facts.other_certificate == "电工4级"


def test_the_level_asked_for_is_not_the_level_held():
    facts = read_facts("干了6年人事 能报三级吗")
    assert facts.certificate_level is None and facts.asked_level == 3


@pytest.mark.parametrize("text, since, high", [("拿证到现在四年多", 4.0, 5.0), ("拿了四级证三年了", 3.0, None),
                                               ("四级证拿了3年", 3.0, None), ("取得四级证书后又做了4年", 4.0, None)],
                         ids=["拿证到现在四年多", "拿了四级证三年了", "四级证拿了3年", "取得证书后又做了4年"])
def test_years_since_the_certificate(text, since, high):
    mention = read_facts(text).years_since_certificate
    assert (mention.years, mention.high) == (since, high)


def test_a_certificate_year_becomes_a_range_of_years():
    import datetime as dt

    mention = read_facts("2019年拿的四级证", today=dt.date(2026, 12, 1)).years_since_certificate
    assert (mention.years, mention.high) == (6.92, 7.92)  # some day of 2019 until today


DATED = [
    ("2019年开始做人事到现在不满八年", "我是2019年开始做人事的一直干到现在", "work", 6.92, 7.92),
    ("毕业即入行十年多", "2016年7月毕业就进了人事部，一直干到现在", "work", 10.34, 10.42),
    ("两位数年份加月份是日期不是十七年", "17年3月入行做人力 一直没换过行", "work", 9.67, 9.75),
    ("四级证发证月份算到今天刚过四年", "四级是2022年11月发的证，这四年一直在做人事", "certificate", 4.01, 4.08),
    ("高级工证书取得五年多", "高级工证书2021年10月取得，此后一直做hr到现在", "certificate", 5.09, 5.17),
    ("今年拿的证不满一年", "技师班学生，三级证今年3月拿的", "certificate", 0.67, 0.76),
    ("去年拿的证一到两年", "去年拿了四级证", "certificate", 0.92, 1.92),
    ("拿证后做了两年销售要扣掉", "我2020年3月拿的四级证，之后去做了两年销售，然后回来一直做人事到现在", "certificate", 4.67, 4.75),
    ("拿证后转行做销售到现在一年也不算", "三级是2018年考的，考完就转行做了销售总监一直到现在", "certificate", 0.0, None),
    ("拿证后转行做会计又回来做人事不算转走", "四级证2019年拿的，后来转行做了会计，现在又回来做人事", "certificate", 6.92, 7.92),
    ("拿证之前做的销售不扣", "2020年拿的四级证，之前做过两年销售", "certificate", 5.92, 6.92),
    ("以来一直负责招聘是工作年限", "2019年以来一直负责招聘", "work", 6.92, 7.92),
]


@pytest.mark.parametrize("text, kind, low, high", [case[1:] for case in DATED], ids=[case[0] for case in DATED])
def test_a_date_counts_the_years_until_today(text, kind, low, high):
    import datetime as dt

    facts = read_facts(text, today=dt.date(2026, 12, 2))
    mention = facts.work_years if kind == "work" else facts.years_since_certificate
    assert (mention.years, mention.high) == (low, high)


@pytest.mark.parametrize("text, since", [
    ("三级证2020年6月拿的，拿证后做了4年人事，又做了1年半行政", 5.5),
    ("我拿到三级证以后，先在一家公司做了两年半招聘，又跳槽做了两年半薪酬福利", 5.0),
    ("四级证书2021年9月拿的，之后做了两年人事就去开滴滴了", 2.0),
], ids=["拿证后人事加行政累计", "拿证后两段工作累计且1家公司不是年限", "拿证日期之后只做了两年人事"])
def test_the_years_worked_after_a_certificate_add_up(text, since):
    assert read_facts(text).years_since_certificate.years == since


def test_a_date_of_other_work_or_a_course_length_is_not_years_in_the_occupation():
    import datetime as dt

    assert read_facts("2018年开始做销售", today=dt.date(2026, 12, 2)).work_years is None
    assert read_facts("读的三年制大专，劳动关系专业", today=dt.date(2026, 12, 2)).work_years is None
    assert read_facts("有个去年刚退伍的同事一直提示实名认证不通过", today=dt.date(2026, 12, 2)).work_years is None


@pytest.mark.parametrize("text, graduating", [
    ("三年制大专，现在大三", True),
    ("读的三年制大专，现在大三，明年夏天毕业", False),
    ("本科大三", False),
], ids=["三年制大专大三是毕业年级", "明年才毕业不是今年的应届生", "本科大三不是毕业年级"])
def test_the_last_year_of_a_three_year_course_graduates_this_year(text, graduating):
    assert read_facts(text).graduating_this_year is graduating


@pytest.mark.parametrize("text, major", [("学的计算机", False), ("英语专业", False), ("机电专业毕业", False),
                                         ("劳动与社会保障专业", True), ("人力资源管理专业毕业", True),
                                         ("做人力资源工作", None)],
                         ids=["计算机不相关", "英语不相关", "机电不相关", "劳动与社会保障相关", "人力资源管理本专业",
                              "只说工作不说专业"])
def test_majors(text, major):
    assert read_facts(text).major_related is major


@pytest.mark.parametrize("text, student, graduating", [("大二", True, False), ("大四", True, True), ("应届", True, True),
                                                       ("在读", True, None), ("已经毕业", False, None),
                                                       ("我现在大四，明年6月才毕业", True, False),
                                                       ("三年制大专，现在大三，后年毕业", True, False)],
                         ids=["大二", "大四", "应届", "在读不知年级", "已毕业", "大四但明年才毕业不算应届",
                              "大三后年毕业不算应届"])
def test_students(text, student, graduating):
    facts = read_facts(text)
    assert (facts.is_student, facts.graduating_this_year) == (student, graduating)


def test_hours_to_exclude_and_hours_without_a_type():
    facts = read_facts("学了60课时 其中8课时的课没去考试")
    assert facts.untyped_hours == Decimal("60") and facts.invalid_hours == {"": Decimal("8")}


@pytest.mark.parametrize("text", ["1e309课时", "0x50课时", "1.5e2课时"], ids=["1e309", "0x50", "1.5e2"])
def test_unlikely_numbers_are_flagged_not_read(text):
    facts = read_facts(text)
    assert facts.unlikely_number and not facts.class_hours and facts.untyped_hours is None


def test_a_question_about_the_unit_states_no_hours():
    assert not read_facts("一个课时多少分钟").has_hours


@pytest.mark.parametrize("text, levels, subject, retake, difference", [
    ("二级的技能考核没过 补考要多少钱", (2,), "技能考核", True, False),
    ("二级比三级贵多少", (2, 3), None, False, True),
    ("三级一共多少钱", (3,), None, False, False),
], ids=["二级技能补考", "二级比三级", "三级总费用"])
def test_fee_questions(text, levels, subject, retake, difference):
    facts = read_facts(text)
    assert (facts.fee_levels, facts.fee_subject, facts.retake, facts.difference) == (levels, subject, retake, difference)


ROUTES = [
    ("算了算了，让他自己来问", "stop"), ("二级理论知识和综合评审两门没过", "ask_fee"),
    ("我做了八年行政 没考过证 能报几级", "ask_eligibility"), ("四级申报条件是什么", None),
    ("二级的技能考核没过 补考要多少钱", "ask_fee"), ("二级比三级贵多少", "ask_fee"), ("三级一共多少钱", "ask_fee"),
    ("免费课40课时", "ask_subsidy"), ("帮我算补贴", "ask_subsidy"), ("一个课时多少分钟", None),
    ("有三级证书的人 报二级需要什么材料", None), ("四级证书怎么领", None), ("三级证书补考怎么报名", None),
    ("拿证到现在四年多 能报三级吗", "ask_eligibility"), ("大专在读 人力资源管理专业 今年毕业", "ask_eligibility"),
    ("1e309课时 能补多少", "ask_subsidy"), ("以训兴业补贴怎么申请", None), ("我能报几级", "ask_eligibility"),
    # Near misses and rule questions that name a level or a person without describing one's own path.
    ("留学生落户北京能不能落集体户口", None), ("应届生参加就业见习有没有补贴", None),
    ("计算机二级考试是机考吗，一年考几次", None), ("中级经济师人力资源管理专业考哪几科", None),
    ("人力资源管理师三级的报考条件有哪些", None), ("中级经济师人力资源管理专业的报考条件是什么", None),
    ("我是人力资源管理专业的，做了6年人事，报三级有什么要求", "ask_eligibility"),
    ("我们部门有两个台湾同事和一个德国同事，也想跟大家一起参加以训兴业的培训", None),
    ("哦对了，我大三的时候考了劳动关系协调员四级证", "ask_eligibility"),
    ("其中有两个人社保在天津交的", "ask_subsidy"),
    # Whether someone counts, or something else about a level held: the FAQ, not a calculator.
    ("社保在河北交的员工能领以训兴业补贴吗", None), ("员工离职了还能算进补贴里吗", None),
    ("公司20人，其中2个社保在外地交，每人学了免费课60课时，能补多少", "ask_subsidy"),
    ("刚考完人力资源管理师四级，多久出成绩", None),
    # Another qualification's fee or rule, or the price of something else than the certification.
    ("劳动关系协调员四级认定费多少钱", None), ("中级经济师人力资源管理专业报考需要工作几年", None),
    ("企业人力资源管理师三级的教材在哪买？多少钱一套？", None), ("人力资源管理师三级认定费多少", "ask_fee"),
    ("劳动关系协调员四级证拿了4年，能报三级吗", "ask_eligibility"),
    # 课时 told as the setting of another question, and 课时 asked about for the estimate.
    ("大部分员工都学够40课时了。领导问我补贴申请的整体流程是怎样的", None),
    ("有的员工已经看了二十来分钟，现在还能把这个任务删掉吗", None),
    ("员工学了45课时 够吗", "ask_subsidy"), ("一个员工学了38课时，还差多少", "ask_subsidy"),
    ("我们公司有两个香港同事，导入学员的时候一直失败，怎么办", None), ("有2个人已经离职了，还能补吗", "ask_subsidy"),
    ("以训兴业补贴标准多少钱一课时", None), ("算了算了，太麻烦了，不问了", "stop"),
    ("一级的理论没及格，其他两科过了，补考要多少", "ask_fee"), ("三级及格要多少分", None),
    ("我有会计证，三级认定费多少钱", "ask_fee"), ("我是做秘书的，四级认定费多少钱", "ask_fee"),
    ("本科人力资源管理专业毕业，有会计证，能报几级", "ask_eligibility"), ("员工学了50课时，能申请吗", "ask_subsidy"), ("我有三级证，报二级要交哪些材料", None),
    ("我有三级证，做了5年人事", "ask_eligibility"), ("我有三级证，做了5年人事，能报二级吗，要什么材料", "ask_eligibility"),
    ("四级和三级考核科目有什么不同", None), ("二级和三级的考试时间一样吗", None), ("二级和三级的认定费一样吗", "ask_fee"),
    ("做了一年行政，导入学员时提示实名认证不通过，为什么", None), ("我做了一年行政", "ask_eligibility"),
    # Giving up, whatever follows, unless a new question does.
    ("算了，等培训完了再来算吧", "stop"), ("算了算了，领导刚说今年先不报了", "stop"), ("算了吧", "stop"),
    ("算了，那四级多少钱", "ask_fee"), ("就这些", "deny"), ("没有了。", "deny"), ("没有了，就这些", "deny"),
    ("四级技能考核单科多少", "ask_fee"), ("四级理论多少分及格", None), ("人力资源管理师四级及格分是多少", None),
    ("算了，退费流程是什么", None), ("算了 我想问下以训兴业补贴标准", None),
    # Asking later or someone else is leaving too.
    ("算了，我回去把社保记录调出来再问", "stop"), ("不用了 我先问问财务", "stop"),
    ("算了，改天再来问", "stop"), ("算了，回去问问领导，四级多少钱？", "ask_fee"),
    ("哦不用了，今年先不考了，回头再说", "stop"), ("大概50课时吧……等下我得去查一下准确数，先不算了", "stop"),
    ("她做人事……具体几年我也说不清，等她回来自己问吧", "stop"),
    ("帮我算算补贴，免费课40课时，先这样吧", "ask_subsidy"), ("算了，那以后再说，三级报名什么时候", None),
    ("那让他去哪里问", None), ("让他自己来问吧，先这样", "stop"),
]


@pytest.mark.parametrize("text, intent", ROUTES, ids=[r[0] for r in ROUTES])
def test_facts_first_routing(text, intent):
    from bot.nlu.routing import calculator_for

    assert calculator_for(text, "faq") == intent


@pytest.mark.parametrize("text, passed, subjects", [
    ("二级我只过了理论，另外两科都得补，补考要多少", ("理论知识",), ()),
    ("三级理论过了，技能没过，补考多少钱", ("理论知识",), ("技能考核",)),
    ("二级的技能考核没过 补考要多少钱", (), ("技能考核",)),
    ("三级理论考试错过了，补考要多少钱", (), ("理论知识",)),
], ids=["只过了理论其余两科补考", "理论过了技能没过", "只说没过的科目", "错过了不是通过了"])
def test_subjects_passed_are_not_retaken(text, passed, subjects):
    facts = read_facts(text)
    assert (facts.fee_passed, facts.fee_subjects) == (passed, subjects)


@pytest.mark.parametrize("text, work_years, other", [
    ("我有电工三级证，后来转行做人事6年了，学的是电气，能报几级", 6.0, ()),
    ("我干了五年汽修，汽修专业，没考过HR相关的证", None, ("5年汽修",)),
    ("做培训主管6年 之前做了3年采购", 6.0, ("3年采购",)),
    ("计算机二级考试一年考几次", None, ()),
    ("单科成绩保留一年里能补考几回", None, ()),
    ("我做HR工作8年中有3年是主管", 8.0, ()),
], ids=["转行做人事6年是做过的", "汽修不是相关职业", "采购不计入", "一年考几次不是工作年限", "一年里不是工作年限",
        "8年中有3年是8年"])
def test_work_years_in_people_s_words(text, work_years, other):
    facts = read_facts(text)
    assert (facts.work_years.years if facts.work_years else None, facts.other_work) == (work_years, other)


def test_which_level_is_a_question_not_a_certificate():
    facts = read_facts("我人力资源管理专业研三，今年毕业，没工作经验，能报哪一级")
    assert facts.certificate_level is None and facts.major_related is True


def test_a_major_after_the_degree_is_read():
    assert read_facts("做招聘四年十一个月了，本科计算机，没证").major_related is False


def test_hours_of_a_course_passed_count_when_the_next_course_was_not_finished():
    facts = read_facts("员工自有课学了两门，一门30课时看完考过了，另一门20课时看到98%就没看了，能申请补贴吗")
    assert facts.class_hours == {"自有课录播": Decimal("30")} and facts.invalid_hours == {"自有课录播": Decimal("20")}


HOURS_IN_OTHER_SHAPES = [
    ("有一门20课时的付费课后来重考了85分，加上其他付费课一共60课时", {"点播付费": Decimal("60")}),
    ("平台显示每人付费点播课有效学时62", {"点播付费": Decimal("62")}),
    ("一共学了16门付费点播课，每门两个半小时", {"点播付费": Decimal("53.3")}),
    ("员工连续五天每天学10个小时付费点播课", {"点播付费": Decimal("53.3")}),
    ("免费点播45课时+付费点播14课时", {"点播免费": Decimal("45"), "点播付费": Decimal("14")}),
    ("付费课30课时加免费课35课时", {"点播付费": Decimal("30"), "点播免费": Decimal("35")}),
    ("自有课录播学了四十四个半小时", {"自有课录播": Decimal("59.3")}),
]


@pytest.mark.parametrize("text, hours", HOURS_IN_OTHER_SHAPES, ids=[c[0] for c in HOURS_IN_OTHER_SHAPES])
def test_hours_in_other_shapes(text, hours):
    assert read_facts(text).class_hours == hours


@pytest.mark.parametrize("text, excluded", [
    ("付费点播课一共学了65课时，但其中有一门8课时的课只看了90%", {"点播付费": Decimal("8")}),
    ("免费课40课时，其中一门5课时的课考试不合格", {"点播免费": Decimal("5")}),
    ("付费课25课时 但其中有一门6课时的只考了50分", {"点播付费": Decimal("6")}),
    ("付费课学了50课时 结业后又学了10课时", {"点播付费": Decimal("10")}),
], ids=["只看了90%", "考试不合格", "只考了50分", "结业后又学"])
def test_hours_that_do_not_count(text, excluded):
    assert read_facts(text).invalid_hours == excluded


def test_a_retake_that_passed_counts():
    assert read_facts("付费课42课时 其中一门5课时第一次考了40分 后来重考考了75分").invalid_hours == {}


@pytest.mark.parametrize("text, keys, people", [
    ("我们班20人，其中3个人社保在河北交的", ("social_insurance_outside_beijing",), {"social_insurance_outside_beijing": 3}),
    ("有2个人已经离职了", ("left_employer",), {"left_employer": 2}),
    ("满意度调查差评率正好30%", ("dissatisfaction",), {}),
    ("差评率25%", (), {}),
], ids=["3人外地社保", "2人离职", "差评率30%不行", "差评率25%可以"])
def test_situations_without_a_subsidy(text, keys, people):
    facts = read_facts(text)
    assert (facts.disqualifications, facts.disqualified_people) == (keys, people)


@pytest.mark.parametrize("text, work, since", [
    ("我是程序员 写了8年代码 没证 想转HR", None, None),
    ("二级证，拿证后七年一直在做销售，没做人事", None, 0.0),
    ("拿证后做人事快五年了，还差两个月", None, 4.5),
    ("从2010年开始做行政一直到现在", 15.92, None),
    ("我有个电工中级证 拿证后一直在厂里做人事 干了5年了", 5.0, None),
], ids=["程序员不算", "拿证后做销售不算", "还差两个月不是年限", "从2010年到现在", "电工证后的人事年限"])
def test_work_years_in_context(text, work, since):
    import datetime as dt

    facts = read_facts(text, today=dt.date(2026, 12, 1))
    assert (facts.work_years.years if facts.work_years else None) == work
    assert (facts.years_since_certificate.years if facts.years_since_certificate else None) == since


@pytest.mark.parametrize("text, items", [
    ("公司安排4人报四级，2人报二级，一共要交多少", ((4, None, 4), (2, None, 2))),
    ("我三级技能没过，同事二级技能没过，我们俩补考一共多少钱", ((3, "技能考核", 1), (2, "技能考核", 1))),
    ("四级理论3个人要补考，技能2个人要补考", ((4, "理论知识", 3), (4, "技能考核", 2))),
    ("二级的技能考核没过 补考要多少钱", ()),
], ids=["两组人报两个等级", "两人各补一科", "一个等级两科不同人数", "一个问题一部分"])
def test_fee_questions_with_several_parts(text, items):
    assert read_facts(text).fee_items == items


def test_a_corrected_certificate_is_not_read_as_the_one_denied():
    assert read_facts("我拿的是企业人力资源管理师四级证，不是三级").certificate_level == 4


def test_a_class_name_is_not_a_certificate():
    assert read_facts("技校中级工班毕业").certificate_level is None


@pytest.mark.parametrize("text, valid, excluded", [
    ("我学了5门付费课，每门10课时，都看完了，但有两门没参加考试", 50, 20),
    ("我学了3门付费课，每门15课时，其中一门只看了90%，另外两门都看完考过了", 45, 15),
], ids=["五门里两门没考试", "三门里一门没看完"])
def test_courses_left_out_by_number_take_their_hours_with_them(text, valid, excluded):
    facts = read_facts(text)
    assert facts.class_hours["点播付费"] == valid and facts.invalid_hours["点播付费"] == excluded


def test_how_often_a_year_is_a_rule_not_years_of_work():
    assert read_facts("一年能补几次").work_years is None


@pytest.mark.parametrize("text, hours", [
    ("员工学了四十多课时的免费课，考试都过了", {"点播免费": 40.0}), ("付费点播学了六十多个课时，都考过了", {"点播付费": 60.0}),
    ("免费课三十多课时", {"点播免费": 30.0}), ("线下培训两个多小时", {"线下": 2.6}),
    ("付费课60课时，每门课后考试30分钟，都过了", {"点播付费": 60.0}),
], ids=["四十多课时按40", "六十多课时按60", "三十多课时不到40", "两个多小时", "考试30分钟不是30分"])
def test_rough_class_hours_are_read_at_their_lower_bound(text, hours):
    assert {kind: float(value) for kind, value in read_facts(text).class_hours.items()} == hours


@pytest.mark.parametrize("text, hours, invalid", [
    ("付费课42课时，其中一门8课时的课第一次考了50分，后来重新考了一次78分", {"点播付费": 42.0}, {}),
    ("付费课42课时，其中一门8课时的课只考了50分", {"点播付费": 42.0}, {"点播付费": 8.0}),
    ("免费、付费、自有课、线下各学了20课时", {"点播免费": 20.0, "点播付费": 20.0, "自有课录播": 20.0, "线下": 20.0}, {}),
    ("免费课学了快80课时了", {"点播免费": 79.9}, {}),
    ("自己录的课35课时", {"自有课录播": 35.0}, {}),
    ("员工学了60课时，其中免费课40课时，付费课20课时", {"点播免费": 40.0, "点播付费": 20.0}, {}),
    ("学了40课时免费课，但只有30课时考了试并且及格，另外10课时还没考", {"点播免费": 40.0}, {"点播免费": 10.0}),
    ("付费课60课时，只有50课时考过了", {"点播付费": 60.0}, {"点播付费": 10.0}),
    ("付费课60课时，只有50课时考了", {"点播付费": 60.0}, {}),
], ids=["重考及格的课时照算", "只考了50分的课时不算", "四类各20课时", "快80课时不到80", "自己录的课是自有课",
        "总数之后按类型分开说", "只有考过的那部分课时算", "只有50课时考过其余不算", "只说考了没说过不扣课时"])
def test_class_hours_as_people_describe_them(text, hours, invalid):
    facts = read_facts(text)
    assert {kind: float(value) for kind, value in facts.class_hours.items()} == hours
    assert {kind: float(value) for kind, value in facts.invalid_hours.items()} == invalid


def test_sessions_of_the_same_length_multiply():
    facts = read_facts("一共8次课，每次3个小时")
    assert facts.untyped_hours == 32 and facts.converted_from_clock_hours == ("24小时",)



@pytest.mark.parametrize("text, level, related", [
    ("我有劳动关系协调员三级，2024年拿的", 3, True),
    ("我现在有三级，是劳动关系协调员的三级", 3, True),
    ("我有企业人力资源管理师三级", 3, False),
    ("手里有个劳动关系协调员三级，没有别的证，企业人力二级能报不", 3, True),
    ("我有劳动关系协调员三级证书，想报企业人力资源管理师三级，可以吗", 3, True),
    ("我有三级劳动关系协调员证书", 3, True),
], ids=["劳动关系协调员三级", "补充说明是劳动关系协调员的", "本职业三级", "问的二级不是持有的", "想报的同级不是持有的",
        "等级在职业名之前"])
def test_a_related_occupations_certificate_is_read_as_such(text, level, related):
    facts = read_facts(text)
    assert (facts.certificate_level, facts.certificate_related) == (level, related)


# Work years as people tell them around a certificate and other work.
CAREERS = [
    ("差两个月满五年是四年十个月", "我做行政差两个月就满五年了，高中毕业", 4.83, None),
    ("还差半年满十年", "做人事还差半年满十年", 9.5, None),
    ("还差一年半满五年是三年半", "做人事还差一年半满五年", 3.5, None),
    ("差两个半月满五年", "我做行政差两个半月满五年", 4.79, None),
    ("做了五年又说差两个月满六年是同一段年限", "做人事五年了，差两个月满六年，能报几级", 5.83, None),
    ("离满五年还差两个月", "离满五年还差两个月，做人事的，能报四级吗", 4.83, None),
    ("六年差两个月是五年十个月", "做人事六年差两个月", 5.83, None),
    ("先说年数再说还差几个月满下一年", "干HR五年了 还差两个月就满六年了", 5.83, None),
    ("差一年满五年的四年不与五年相加", "做人事差一年满五年", 4.0, None),
    ("拿证前和拿证后的年限相加", "我有劳动关系协调员五级证，拿证前做了两年行政，拿证后做了两年半员工关系", 4.5, 2.5),
    ("拿证之前的年限不算取证后", "我拿四级证之前已经做了四年人事，拿证后又做了两年人事，然后转行卖房子到现在四年多了", 6.0, 2.0),
    ("拿证后去送外卖的年限不算", "我拿证前做了一年人事，拿到企业人力资源管理师四级证后就去送外卖了，送了五年", 1.0, 0.0),
    ("几年前考的别的证不是工作年限", "我以前是电工，五年前考过电工四级证，后来转做人事到现在六年了", 6.0, None),
    ("几年前考的本职业证是取证年限", "我做人事12年了，三级证是四年前考的，本科学会计", 12.0, 4.0),
]


@pytest.mark.parametrize("text, work, since", [case[1:] for case in CAREERS], ids=[case[0] for case in CAREERS])
def test_work_years_around_a_certificate_and_other_work(text, work, since):
    facts = read_facts(text)
    assert facts.work_years is not None and facts.work_years.years == work
    assert (facts.years_since_certificate.years if facts.years_since_certificate else None) == since


def test_the_same_level_of_another_occupations_certificate_named_again_is_not_held():
    facts = read_facts("我有电工五级证，三年前拿的，拿证后就转行做人事了，干了三年。听说五级证满三年能报四级？")
    assert (facts.certificate_level, facts.other_certificate, facts.work_years.years) == (None, "电工5级", 3.0)


@pytest.mark.parametrize("text, kind", [("做HR经理", "related"), ("一直做人事", "related"), ("做销售的", "other"),
                                        ("想转行做人事", None), ("学的人力资源管理", None), ("是学会计的", None),
                                        ("我不是做销售的", None), ("没做过销售", None), ("前台算不算相关工作", None),
                                        ("会计", "other")],
                         ids=["HR经理是本职业", "一直做人事", "销售是别的职业", "想转行不是做过", "所学专业不是工作",
                              "学会计是专业不是工作", "不是做销售的不是别的工作", "没做过销售不是别的工作",
                              "问前台算不算不是说自己做前台", "只回答会计是别的职业"])
def test_the_kind_of_work_named_without_years(text, kind):
    assert read_facts(text).work_kind == kind


def test_other_work_when_asked_for_the_years_counts_none():
    assert read_facts("做销售的", expecting="work_years").work_years.years == 0.0


@pytest.mark.parametrize("text, education, major", [
    ("我在读研，劳动经济学专业，今年毕业", {"专科及以上"}, True),
    ("大专，劳动与社会保障", {"专科及以上"}, True),
], ids=["读研是专科及以上", "学历后面是专业"])
def test_schooling_and_its_major(text, education, major):
    facts = read_facts(text)
    assert (set(facts.education), facts.major_related) == (education, major)


def test_a_bare_major_answers_the_major_question():
    assert read_facts("劳动与社会保障", expecting="major_related").major_related is True
    assert read_facts("计算机", expecting="major_related").major_related is False


@pytest.mark.parametrize("text, student, graduating", [("我大三的时候考了劳动关系协调员四级证", None, None),
                                                       ("我现在大三", True, False)],
                         ids=["大三的时候是过去", "现在大三"])
def test_a_year_of_study_in_the_past_is_no_current_year(text, student, graduating):
    facts = read_facts(text)
    assert (facts.is_student, facts.graduating_this_year) == (student, graduating)


@pytest.mark.parametrize("text, hours, employees", [
    ("线下培训办了5天，每天8节课，每节45分钟", {"线下": Decimal("40")}, None),
    ("线下培训3天，每天8课时", {"线下": Decimal("24")}, None),
    ("我们办了3天的线下班 每天是8课时 30个人", {"线下": Decimal("24")}, 30),
    ("办了5天线下课，每天都是6个课时", {"线下": Decimal("30")}, None),
    ("线下培训3天，每天8小时", {"线下": Decimal("32")}, None),
    ("我们车间20个工人都学了免费点播课，每人刚好80课时", {"点播免费": Decimal("80")}, 20),
], ids=["天数乘每天节数乘每节分钟", "天数乘每天课时", "空格隔开的课时和人数", "每天都是几个课时", "线下每天几小时都算",
    "工人人数"])
def test_hours_by_the_day_and_workers(text, hours, employees):
    facts = read_facts(text)
    assert facts.class_hours == hours
    assert facts.employees == employees


def test_invalid_hours_of_some_people_only():
    facts = read_facts("我们一个部门12人，每人学了4门付费课各12课时，都看完了；其中3个人有一门没参加考试，其余全合格")
    assert (facts.invalid_hours, facts.invalid_people, facts.employees) == ({"点播付费": Decimal("12")}, 3, 12)


@pytest.mark.parametrize("text, groups, employees", [
    ("我们一个部门12人，每人学了4门付费课各12课时，都看完了；其中3个人有一门没参加考试，另外2个人有两门没考",
     [(3, {"点播付费": Decimal("12")}), (2, {"点播付费": Decimal("24")})], 12),
    ("公司15个人，每人学了付费课48课时、免费课30课时，其中3人有12课时付费课没考试，另外2人免费课有10课时没考试，其余都考过了",
     [(3, {"点播付费": Decimal("12")}), (2, {"点播免费": Decimal("10")})], 15),
    ("20个员工每人学了付费课60课时，其中3人有一门20课时没考试，还有2个人没参加考试",
     [(3, {"点播付费": Decimal("20")}), (2, {"点播付费": Decimal("60")})], 20),
    ("我们一个部门12人，每人学了4门付费课各12课时，都看完了；其中3个人有一门没参加考试，其余全合格", [], 12),
], ids=["两组人各有几门没考", "两组人没考的课程类型不同", "另一组人一门都没考", "只有一组人时不分组"])
def test_groups_of_people_whose_hours_do_not_count(text, groups, employees):
    facts = read_facts(text)
    assert [(group.people, group.hours) for group in facts.invalid_groups] == groups
    assert facts.employees == employees


@pytest.mark.parametrize("text, people", [
    ("我们一个部门12人，每人学了4门付费课各12课时，其中3个人有一门没参加考试", 3),
    ("公司有20个员工都学了付费课40课时，有一门12课时没考试", None),
], ids=["其中三个人没考是这三人的", "有二十个员工是人数不是没考的人"])
def test_the_people_whose_hours_do_not_count(text, people):
    assert read_facts(text).invalid_people == people


@pytest.mark.parametrize("text, passed", [
    ("都考过了", True),
    ("课都看完了", False),
    ("都学完了", False),
    ("都考过了，就是有一门没考", False),
], ids=["都考过了", "看完不是考过", "学完不是考过", "后面又说有一门没考"])
def test_every_exam_passed(text, passed):
    assert read_facts(text).all_passed is passed


@pytest.mark.parametrize("text, since", [
    ("我是做人事的，之前做过两年销售，拿四级证后干了五年，能报三级吗", 5.0),
    ("有四级证，当时在做销售，拿证后做了三年，现在一直在做人事", 3.0),
    ("我拿证前做了一年人事，拿到企业人力资源管理师四级证后就去送外卖了，送了五年", 0.0),
], ids=["之前做过的销售不是拿证后的工作", "当时做的销售不是拿证后的工作", "拿证后就去送外卖才是别的工作"])
def test_other_work_before_is_not_the_work_after_a_certificate(text, since):
    assert read_facts(text).years_since_certificate.years == since


@pytest.mark.parametrize("text, related", [
    ("本科，劳动关系协调员四级证，拿证后做了一年人事，能报三级吗", None),
    ("大专，电子厂做人事三年，能报几级", None),
    ("大专，劳动与社会保障", True),
], ids=["学历后面是证书不是专业", "学历后面是工作单位不是专业", "学历后面是专业"])
def test_only_a_major_after_a_schooling_is_its_major(text, related):
    assert read_facts(text).major_related is related


@pytest.mark.parametrize("text, most", [
    ("以训兴业一个员工最多能补多少钱", True), ("以训兴业补贴最多能拿几次", False),
    ("补贴最多领几年", False), ("一个企业最多给几个人补贴", False),
], ids=["最多补多少钱", "最多拿几次不是金额", "最多领几年不是金额", "最多给几个人不是金额"])
def test_the_highest_amount_is_asked_only_as_an_amount(text, most):
    assert read_facts(text).asks_most is most


@pytest.mark.parametrize("text, kind", [("想当HR老师了", None), ("我做销售的，想转HR想了很久了", "other")],
                         ids=["想当HR了还是愿望", "做销售想转HR是销售"])
def test_a_wish_ending_in_le_is_still_a_wish(text, kind):
    assert read_facts(text).work_kind == kind


def test_a_shortfall_in_months_without_ge():
    assert read_facts("做人事差两月满五年").work_years.years == 4.83


@pytest.mark.parametrize("text, work, since", [
    ("hr做了四年十一个月，下个月才满5年。高中学历，没证", 4.92, None),
    ("先做行政管理两年半，后来跳槽做人事专员，两年零八个月了，中间还卖过一年保险", 5.17, None),
    ("四级证是三年十一个月前拿的，拿证后一直做人事，拿证前也干了三年", 6.92, 3.92),
    ("拿三级证到现在五年半了，不过中间辞职在家带了一年孩子，人事一共干了十一年", 11.0, 4.5),
    ("二级证拿了五年，但这五年里有一年我去做了销售", None, 4.0),
    ("拿证到现在五年了，之前做过一年销售", None, 5.0),
    ("拿了劳动关系协调员四级证，四年零两个月了，拿证后一直在这个岗位", None, 4.17),
    ("我写了十年代码，从来没做过人事，想转行HR", None, None),
    ("I'm an HR, 做了6 years了", 6.0, None),
], ids=["下个月才满5年不是又5年", "前一句说工作这一句说年限", "拿证前的年限加上拿证后的", "中间带孩子一年不算拿证后",
        "这五年里做销售的一年不算", "拿证前的销售不扣", "证书后面单说年限是取证年限", "没做过人事的十年不算",
        "英文的年"])
def test_years_as_a_person_tells_them(text, work, since):
    import datetime as dt

    facts = read_facts(text, today=dt.date(2026, 12, 1))
    assert (facts.work_years.years if facts.work_years else None) == work
    assert (facts.years_since_certificate.years if facts.years_since_certificate else None) == since


@pytest.mark.parametrize("text, hours, excluded", [
    ("付费课看完了50课时，但其中有一门12课时的课没去参加考试", {"点播付费": Decimal("50")}, {"点播付费": Decimal("12")}),
    ("线下培训了10课时，平台免费课又学了40课时", {"线下": Decimal("10"), "点播免费": Decimal("40")}, {}),
], ids=["没去参加考试的不计", "又学了的课时属于前面说的类型"])
def test_hours_as_a_person_tells_them(text, hours, excluded):
    found, untyped, invalid, _ = read_class_hours(text)
    assert (found, untyped, invalid) == (hours, None, excluded)


def test_an_english_major_is_not_related():
    assert read_facts("本科 major 是English, 四级证拿了两年").major_related is False


@pytest.mark.parametrize("text, intent", [
    ("那能补多少", "ask_subsidy"), ("人数改成30", "ask_subsidy"), ("一共多少钱", "ask_subsidy"),
    ("那补贴怎么申请", None), ("帮我再算一个补贴", None), ("那三级多少钱", None),
    ("认定费多少钱", None), ("补考要多少钱", None), ("教材多少钱", None),
], ids=["那能补多少是刚才的结果", "改人数", "一共多少钱", "怎么申请是新问题", "再算一个是新计算", "三级的费用是另一个问题",
        "认定费是另一个问题", "补考费是另一个问题", "教材是另一个问题"])
def test_a_message_after_a_subsidy_estimate(text, intent):
    from bot.nlu.routing import calculator_continued

    assert calculator_continued(text, "subsidy") == intent


@pytest.mark.parametrize("text, work_years, other", [
    ("我有两段HR经历，一段在北京做了3年，一段在老家做了2年，没证", 5.0, ()),
    ("先在咨询公司做了4年管理咨询，然后做了3年行政主管，最近3年在做HRBP", 10.0, ()),
    ("我干了5年人事，1年行政，还有4年在管理咨询公司做项目", 10.0, ()),
    ("我是一名厨师，干了8年了，想转行做人事，能报几级", None, ("8年厨师",)),
    ("我是一名人事专员，干了8年了", 8.0, ()),
], ids=["两段人事经历相加", "最近3年是整3年", "还有4年管理咨询也是相关职业", "自己说是厨师的年限不算", "自己说是人事的年限算"])
def test_work_years_told_in_several_parts(text, work_years, other):
    facts = read_facts(text)
    assert (facts.work_years.years if facts.work_years else None, facts.other_work) == (work_years, other)


def test_a_student_with_years_before_graduation_states_no_work():
    assert read_facts("大专在读 还有2年毕业").work_years is None


@pytest.mark.parametrize("text, keys", [
    ("一个员工免费课刷到了90课时（正常学的不是刷课哈）", ()),
    ("有个员工刷课被发现了", ("cheating",)),
    ("他在北京上班，但是社保一直是天津分公司交的", ("social_insurance_outside_beijing",)),
    ("他们都在北京交社保", ()),
], ids=["说了不是刷课", "刷课", "社保在天津分公司交", "在北京交社保"])
def test_situations_said_not_to_be_so_do_not_stop_the_subsidy(text, keys):
    assert read_facts(text).disqualifications == keys


@pytest.mark.parametrize("text, hours, employees", [
    ("付费点播课，有效课时正好40.0，补贴咋算", {"点播付费": Decimal("40.0")}, None),
    ("学付费课，每天学一个半小时，连续学了30天", {"点播付费": Decimal("60.0")}, None),
    ("北京交社保的员工有3个，每人付费课学了80课时", {"点播付费": Decimal("80")}, 3),
], ids=["课时在数字前且带正好", "每天几小时在天数前", "员工有3个"])
def test_hours_and_headcount_in_other_orders(text, hours, employees):
    facts = read_facts(text)
    assert (facts.class_hours, facts.employees) == (hours, employees)


@pytest.mark.parametrize("text, intent", [
    ("等等，先不算了，我去问问财务这边怎么报", "stop"),
    ("我想算下自己能报几级。。。emmm 还是先不弄了，等我毕业再说", "stop"),
    ("其实不用了，单位报销，我不用管这个", "stop"),
    ("算了，证书找不着了，拿证时间也记不清，等找到再说", "stop"),
    ("工作年限我得回去翻翻社保记录，先不算了，谢谢", "stop"),
    ("帮我算一下我们公司的补贴吧，20个人……算了，我还是等平台出预估金额再说吧", "stop"),
    ("算了，那以后再说，三级报名时间", None),
    ("学员还需要注册吗，不用了吧", None),
    ("三级和四级报名费是一样的吗", "ask_fee"),
    ("我去年考的二级，理论和技能都过了，就综合评审没过，今年补考交多少", "ask_fee"),
    ("我们部门有15个人要申请以训兴业补贴", "ask_subsidy"),
    ("我们部门有15个人，能申请以训兴业补贴吗", None),
], ids=["先不算了后面问的是财务", "问完又说先不弄了", "其实不用了", "算了后面说记不清时间", "先不算了谢谢",
        "省略号后算了", "算了后面问报名时间", "不用了吧是问句", "一样的吗是比较费用", "补考只看没过的科目",
        "人数和申请补贴", "能不能申请是政策问题"])
def test_giving_up_later_in_a_message_and_other_routes(text, intent):
    from bot.nlu.routing import calculator_for

    assert calculator_for(text, "faq") == intent


@pytest.mark.parametrize("text, again", [
    ("那能补多少", True),
    ("课都看完了，考试也都过了，单位能拿到我多少补贴", True),
    ("课都看完了，考试也都过了", False),
    ("有一门没考，能拿多少", False),
    ("认定费多少钱", False),
], ids=["只问金额", "先说都看完考过再问金额", "只说看完考过", "说有一门没考", "问认定费"])
def test_the_amount_of_the_estimate_asked_again(text, again):
    from bot.nlu.routing import asks_the_amount_again

    assert asks_the_amount_again(text) is again


@pytest.mark.parametrize("text, highest", [
    ("能报二级吗？不能的话最高报几级", True), ("二级报不了的话最高能报几级", True), ("我能报几级", True),
    ("能报三级吗", False), ("想报三级，够吗", False),
], ids=["不能的话最高报几级", "报不了的话最高", "能报几级", "能报三级吗", "想报三级够吗"])
def test_asking_for_the_highest_level_is_told_from_asking_for_one(text, highest):
    assert read_facts(text).asks_highest_level is highest


@pytest.mark.parametrize("text, intent", [
    ("社保断缴三个月会影响在北京买房资格吗", None),
    ("北京HR专员一个月工资一般多少？", None),
    ("刚被裁员，失业金一个月能领多少", None),
    ("做了五年人事，想跳去互联网大厂做HRBP，还是留国企好？给点建议", None),
    ("我自己考了三级人力资源管理师，能找政府领个人的技能提升补贴吗？能领多少钱", None),
    ("做人事6年，没证", "ask_eligibility"),
    ("干了6年人事，没证，有戏吗", "ask_eligibility"),
    ("做人事6年了，没证，报四级要多少钱", "ask_eligibility"),
], ids=["断缴三个月不是工作年限", "一个月工资不是工作年限", "失业金一个月不是工作年限", "跳槽建议不是报考",
        "领补贴多少钱不是认定费", "只说经历是报考", "有戏吗是问能否报", "经历加报某级的费用：等级的答复带费用"])
def test_a_question_about_something_else_is_not_a_calculation(text, intent):
    from bot.nlu.routing import calculator_for

    assert calculator_for(text, "faq") == intent


@pytest.mark.parametrize("text, intent", [
    ("报二级三个科目一共多少", "ask_fee"), ("二级技师三门都要考吧，一共教多少", "ask_fee"),
    ("四级一共考几科", None), ("二级一共多少人报名", None),
], ids=["三个科目一共多少", "一共教多少", "一共考几科", "一共多少人"])
def test_the_sum_of_a_levels_subjects_is_a_fee_question(text, intent):
    from bot.nlu.routing import calculator_for

    assert calculator_for(text, "faq") == intent
