import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rules.eligibility import EligibilityInputError, PersonFacts, assess_eligibility

ON = dt.date(2026, 11, 25)
LEVEL_NAMES = {4: "四级/中级工", 3: "三级/高级工", 2: "二级/技师", 1: "一级/高级技师"}

CASES = [
    ("干了4.9年人事还不能报四级", PersonFacts(work_years=4.9), None, None),
    ("干满5年人事可以报四级", PersonFacts(work_years=5), 4, "四级第1条"),
    ("干了5.1年人事可以报四级", PersonFacts(work_years=5.1), 4, "四级第1条"),
    ("干了9.9年人事只能报四级", PersonFacts(work_years=9.9), 4, "四级第1条"),
    ("干满10年人事可以报三级", PersonFacts(work_years=10), 3, "三级第1条"),
    ("有五级证书拿证后干了2.9年还不够", PersonFacts(work_years=2.9, certificate_level=5, years_since_certificate=2.9), None, None),
    ("有五级证书拿证后干满3年可以报四级", PersonFacts(work_years=3, certificate_level=5, years_since_certificate=3), 4, "四级第2条"),
    ("有四级证书拿证后干了3.9年不会被建议再报四级", PersonFacts(work_years=6, certificate_level=4, years_since_certificate=3.9), None, None),
    ("有四级证书拿证后干满4年可以报三级", PersonFacts(work_years=4, certificate_level=4, years_since_certificate=4), 3, "三级第2条"),
    ("有三级证书拿证后干了4.9年不会被建议再报三级", PersonFacts(work_years=10, certificate_level=3, years_since_certificate=4.9), None, None),
    ("有三级证书拿证后干满5年可以报二级", PersonFacts(work_years=5, certificate_level=3, years_since_certificate=5), 2, "二级第1条"),
    ("有二级证书拿证后干满5年可以报一级", PersonFacts(work_years=8, certificate_level=2, years_since_certificate=5), 1, "一级第1条"),
    ("有二级证书拿证后干了4.9年可以报二级以下", PersonFacts(work_years=4.9, certificate_level=2, years_since_certificate=4.9), None, None),
    ("相关专业的中职毕业生可以报四级", PersonFacts(education="中职", major_related=True), 4, "四级第3条"),
    ("不相关专业的中职毕业生不能报", PersonFacts(education="中职", major_related=False), None, None),
    ("相关专业的在读应届大专生可以报四级", PersonFacts(education="专科及以上", major_related=True, is_student=True), 4, "四级第3条"),
    ("技工院校高级工班相关专业毕业可以报三级", PersonFacts(education="技工院校高级工班", major_related=True), 3, "三级第3条"),
    ("有四级证书的相关专业高职毕业生可以报三级", PersonFacts(certificate_level=4, education="高职", major_related=True), 3, "三级第4条"),
    ("有三级证书的技师学院毕业生干满2年可以报二级", PersonFacts(work_years=2, certificate_level=3, years_since_certificate=1, education="高级技工学校或技师学院"), 2, "二级第2条"),
    ("有三级证书的技师学院毕业生干了1.9年不够报二级", PersonFacts(work_years=1.9, certificate_level=3, years_since_certificate=1, education="高级技工学校或技师学院"), None, None),
    ("持三级证书满2年的预备技师班学生可以报二级", PersonFacts(certificate_level=3, certificate_held_years=2, education="技工院校预备技师班或技师班", is_student=True), 2, "二级第3条"),
    ("持三级证书1.9年的预备技师班学生还不能报二级", PersonFacts(certificate_level=3, certificate_held_years=1.9, education="技工院校预备技师班或技师班", major_related=True, is_student=True), None, None),
    ("技师学院预备技师班毕业持三级证书工作满2年可以报二级", PersonFacts(work_years=2, certificate_level=3, years_since_certificate=2, education=("技工院校预备技师班或技师班", "高级技工学校或技师学院")), 2, "二级第2条"),
    ("相关专业的应届大专生可以报四级", PersonFacts(education="专科及以上", major_related=True, is_student=True, graduating_this_year=True), 4, "四级第3条"),
    ("相关专业的大二学生还不能报四级", PersonFacts(education="专科及以上", major_related=True, is_student=True, graduating_this_year=False), None, None),
    ("非毕业年级的技师班学生持三级证书满2年可以报二级", PersonFacts(certificate_level=3, certificate_held_years=2, years_since_certificate=0, education="技工院校预备技师班或技师班", is_student=True, graduating_this_year=False), 2, "二级第3条"),
    ("持有一级证书的人没有更高等级可报", PersonFacts(work_years=20, certificate_level=1, years_since_certificate=10), None, None),
    ("持劳动关系协调员三级且干满10年可以报本职业三级", PersonFacts(work_years=10, certificate_level=3, years_since_certificate=1.9, certificate_related=True), 3, "三级第1条"),
    ("持劳动关系协调员三级但只干了9.9年不能报本职业三级", PersonFacts(work_years=9.9, certificate_level=3, years_since_certificate=1.9, certificate_related=True), None, None),
    ("持劳动关系协调员三级拿证后干满5年可以报二级", PersonFacts(work_years=6, certificate_level=3, years_since_certificate=5, certificate_related=True), 2, "二级第1条"),
    ("持本职业三级且干满10年不会被建议再报三级", PersonFacts(work_years=10, certificate_level=3, years_since_certificate=1.9), None, None),
]


@pytest.mark.parametrize("facts, level, clause", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_highest_level_and_clause(facts, level, clause):
    result = assess_eligibility(facts, ON)
    assert result.level == level
    assert (result.clause.clause_id if result.clause else None) == clause


def test_the_verdict_names_only_the_level_in_standard_form():
    assert assess_eligibility(PersonFacts(work_years=10), ON).verdict == "可申报的最高等级：三级/高级工"


def test_the_result_gives_materials_subjects_fee_and_months():
    result = assess_eligibility(PersonFacts(work_years=5, certificate_level=3, years_since_certificate=5), ON)
    assert result.clause.materials == ("职业资格证书（技能等级证书）原件或证书编号", "工作经历承诺书")
    assert result.subjects == ("理论知识", "技能考核", "综合评审")
    assert result.fee_total == 235
    assert result.months == (5, 10)


def test_what_is_missing_for_the_next_level():
    result = assess_eligibility(PersonFacts(work_years=9), ON)
    assert result.next_step == "再从事本职业或相关职业工作满1年，即可按三级第1条申报三级/高级工"


NEXT_STEPS = [
    # R1: the next step is for the level above the certificate the person holds.
    ("二级证书持有人差0.1年被指向一级第1条", PersonFacts(work_years=4.9, certificate_level=2, years_since_certificate=4.9),
     "一级第1条", "再工作满0.1年"),
    ("四级证书持有人拿证3年被指向三级第2条", PersonFacts(work_years=3, certificate_level=4, years_since_certificate=3),
     "三级第2条", "再工作满1年"),
    ("高级技工学校毕业的三级证书持有人工作1.9年被指向二级第2条",
     PersonFacts(work_years=1.9, certificate_level=3, years_since_certificate=1.9, education="高级技工学校或技师学院"),
     "二级第2条", "满0.1年"),
    ("满10年的三级证书持有人被指向二级而不是三级", PersonFacts(work_years=12, certificate_level=3, years_since_certificate=3),
     "二级第1条", "再工作满2年"),
    # R2: a related 大专 or 高职 degree needs only a 四级 certificate for 三级第4条.
    ("相关专业大专毕业工作2年被告知取得四级证书即可报三级", PersonFacts(work_years=2, education="专科及以上", major_related=True),
     "三级第4条", "取得本职业或相关职业四级/中级工证书"),
    ("相关专业高职毕业工作6年也被指向三级第4条", PersonFacts(work_years=6, education="高职", major_related=True),
     "三级第4条", "四级/中级工证书"),
    # R4: a second-year student is told when the schooling clause opens.
    ("相关专业大二学生被告知毕业当年即可报四级", PersonFacts(education="专科及以上", major_related=True, is_student=True,
                                                  graduating_this_year=False), "四级第3条", "毕业当年"),
]


@pytest.mark.parametrize("facts, clause, fragment", [c[1:] for c in NEXT_STEPS], ids=[c[0] for c in NEXT_STEPS])
def test_the_next_step_is_for_the_persons_own_position(facts, clause, fragment):
    result = assess_eligibility(facts, ON)
    assert result.closest.clause_id == clause
    assert fragment in result.next_step


@pytest.mark.parametrize("facts", [PersonFacts(work_years=12, certificate_level=3, years_since_certificate=3),
                                   PersonFacts(work_years=6, certificate_level=4, years_since_certificate=1),
                                   PersonFacts(work_years=30, certificate_level=2, years_since_certificate=2)],
                         ids=["三级持证人", "四级持证人", "二级持证人"])
def test_a_holder_is_never_told_to_apply_for_a_level_they_hold_or_below(facts):
    result = assess_eligibility(facts, ON)
    assert result.level is None or result.level < facts.certificate_level
    assert "更高一级" in result.verdict
    assert result.closest.level == facts.certificate_level - 1
    assert f"申报{LEVEL_NAMES[facts.certificate_level - 1]}" in result.next_step


def test_someone_who_qualifies_for_nothing_is_told_the_closest_clause():
    result = assess_eligibility(PersonFacts(work_years=2), ON)
    assert result.verdict == "暂不符合任何等级的申报条件"
    assert result.closest.clause_id == "四级第1条"
    assert result.next_step.startswith("再从事本职业或相关职业工作满3年")


@pytest.mark.parametrize(
    "facts, fragment",
    [
        (PersonFacts(work_years=-1), "负数"),
        (PersonFacts(work_years=61), "合理范围"),
        (PersonFacts(work_years="五年"), "不是一个数字"),
        (PersonFacts(work_years=3, certificate_level=7), "不认识这个证书等级"),
        (PersonFacts(work_years=3, certificate_level=4, years_since_certificate=5), "不能超过"),
        (PersonFacts(education="夜校"), "不认识这个学历类别"),
    ],
    ids=["年限为负数", "年限超过60年", "年限不是数字", "不认识的证书等级", "拿证后年限超过总年限", "不认识的学历"],
)
def test_bad_facts_get_a_polite_chinese_explanation(facts, fragment):
    with pytest.raises(EligibilityInputError, match=fragment):
        assess_eligibility(facts, ON)


@settings(max_examples=200, deadline=None)
@given(years=st.floats(min_value=0, max_value=50), extra=st.floats(min_value=0, max_value=10),
       certificate=st.sampled_from([None, 5, 4, 3, 2]), since=st.floats(min_value=0, max_value=1))
def test_more_work_years_never_lower_the_level(years, extra, certificate, since):
    def level(total):
        facts = PersonFacts(work_years=total, certificate_level=certificate,
                            years_since_certificate=total * since if certificate else 0)
        result = assess_eligibility(facts, ON).level
        return 99 if result is None else result  # lower code is a higher level; none is lowest

    assert level(years + extra) <= level(years)


def test_a_clause_with_an_unknown_requirement_fails_when_the_parameters_are_loaded(tmp_path):
    from bot.policy.parameters import PARAMETER_DIR, ParameterError, check_clauses, read_parameters

    text = (PARAMETER_DIR / "ata_certification.yml").read_text(encoding="utf-8")
    broken = tmp_path / "ata.yml"
    broken.write_text(text.replace("requires: {work_years: 10}", "requires: {work_yeras: 10}"), encoding="utf-8")
    with pytest.raises(ParameterError, match="work_yeras"):
        check_clauses(read_parameters(broken))
    check_clauses(read_parameters(PARAMETER_DIR / "ata_certification.yml"))


@pytest.mark.parametrize("known", [{"certificate_level": 1}, {"certificate_level": 2, "years_since_certificate": 6.0},
                                   {"work_years": 12.0, "certificate_level": 3, "years_since_certificate": 6.0}],
                         ids=["持一级证书", "可报一级", "可报二级"])
def test_the_plan_for_someone_at_or_near_the_top_answers_without_hints(known):
    from bot.rules.facts import plan

    outcome = plan(known, ON)
    assert outcome.result is not None or outcome.ask is not None
    assert all(r.level >= 1 for r in outcome.raises)


@settings(max_examples=300, deadline=None)
@given(work=st.sampled_from([None, 0.0, 2.0, 4.9, 5.0, 10.0, 30.0]), certificate=st.sampled_from([None, 0, 1, 2, 3, 4, 5]),
       since=st.sampled_from([None, 0.0, 1.9, 2.0, 4.0, 5.0]),
       education=st.sampled_from([None, "无", "中职", "专科及以上", "技工院校预备技师班或技师班+高级技工学校或技师学院"]),
       major=st.sampled_from([None, True, False]), student=st.sampled_from([None, True, False]),
       graduating=st.sampled_from([None, True, False]))
def test_the_plan_always_asks_or_answers(work, certificate, since, education, major, student, graduating):
    from bot.rules.facts import plan

    if work is not None and since is not None and certificate and since > work:
        return  # refused by the form before it gets here
    known = {"work_years": work, "certificate_level": certificate, "years_since_certificate": since,
             "education": education, "major_related": major, "is_student": student, "graduating_this_year": graduating}
    outcome = plan(known, ON)
    assert (outcome.ask is None) != (outcome.result is None)


PLANS = [
    ("五级证书没说拿证几年但相关专业本科已可报四级：先答四级", {"certificate_level": 5, "education": "专科及以上", "major_related": True},
     None, 4),
    ("三级证书没说拿证几年：没有结论，先问年限", {"certificate_level": 3}, "years_since_certificate", None),
    ("四级证书做了6年没说拿证几年：同级不再报，先问年限", {"certificate_level": 4, "work_years": 6.0}, "years_since_certificate", None),
]


@pytest.mark.parametrize("known, ask, level", [c[1:] for c in PLANS], ids=[c[0] for c in PLANS])
def test_a_detail_left_unstated_is_asked_only_when_no_verdict_is_possible(known, ask, level):
    from bot.rules.facts import plan

    outcome = plan(known, ON)
    assert outcome.ask == ask
    assert (outcome.result.level if outcome.result else None) == level


HELD_AND_ASKED = [
    ("四级证书干了6年问能不能报三级：暂不符合更高一级", PersonFacts(work_years=6, certificate_level=4, years_since_certificate=1),
     False, None),
    ("四级证书干了6年问最高报几级：仍符合四级第1条", PersonFacts(work_years=6, certificate_level=4, years_since_certificate=1),
     True, 4),
    ("四级证书干了4.9年问最高报几级：四级也不符合", PersonFacts(work_years=4.9, certificate_level=4, years_since_certificate=1),
     True, None),
    ("三级证书干了10年问最高报几级：仍符合三级第1条", PersonFacts(work_years=10, certificate_level=3, years_since_certificate=4.9),
     True, 3),
    ("三级证书干满5年问最高报几级：二级", PersonFacts(work_years=10, certificate_level=3, years_since_certificate=5),
     True, 2),
]


@pytest.mark.parametrize("facts, asks_highest, level", [c[1:] for c in HELD_AND_ASKED], ids=[c[0] for c in HELD_AND_ASKED])
def test_the_held_level_is_the_answer_only_to_the_highest_level_asked(facts, asks_highest, level):
    from dataclasses import replace

    result = assess_eligibility(replace(facts, asks_highest=asks_highest), ON)
    assert result.level == level
    if level == facts.certificate_level:
        assert "同级" in result.verdict and result.closest.level == level - 1
