"""Eligibility and subsidy actions: events and response names, not wording."""
import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.eligibility import (
    ActionAskEligWorkYears,
    ActionAssessEligibility,
    ActionResetEligibility,
    ValidateEligibilityForm,
)
from actions.fees import ActionCalculateFee
from actions.subsidy import ActionAskSubsidyComplete, ActionEstimateSubsidy, ValidateSubsidyForm

ELIGIBILITY_SLOTS = ["elig_work_years", "elig_certificate", "elig_years_since_certificate", "elig_education",
                     "elig_major_related", "elig_student", "elig_graduating", "elig_refine", "elig_rough",
                     "elig_certificate_related"]
SUBSIDY_SLOTS = ["subsidy_hours", "subsidy_untyped", "subsidy_pending_type", "subsidy_employees", "subsidy_notes",
                 "subsidy_disqualified", "subsidy_reduced", "subsidy_complete"]


def run(action, text="", slots=None, active_loop=None, intent="inform", events=()):
    slots = {name: None for name in ELIGIBILITY_SLOTS + SUBSIDY_SLOTS} | {"requested_slot": None,
                                                                          "last_calculation": None} | (slots or {})
    tracker = Tracker("user-1", slots, {"text": text, "intent": {"name": intent}}, list(events), False, None,
                      {"name": active_loop} if active_loop else {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return events, dispatcher.messages


def slot_events(events):
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_a_message_with_every_needed_fact_completes_the_form_at_once():
    events, messages = run(ValidateEligibilityForm(), "我有三级证书，拿证后干了5年，能报几级")
    slots = slot_events(events)
    assert slots["elig_certificate"] == 3 and slots["elig_years_since_certificate"] == 5.0
    assert slots["requested_slot"] is None
    assert messages == []


def test_answer_first_when_the_stated_facts_decide():
    events, _ = run(ValidateEligibilityForm(), "我做了八年行政 没考过证")
    slots = slot_events(events)
    assert slots["elig_work_years"] == 8.0 and slots["elig_certificate"] == 0
    assert slots["requested_slot"] is None


def test_a_certificate_without_its_years_is_asked_about():
    events, _ = run(ValidateEligibilityForm(), "我有三级证书 能报二级吗")
    assert slot_events(events)["requested_slot"] == "elig_years_since_certificate"


def test_nothing_stated_asks_the_work_years_first():
    events, _ = run(ValidateEligibilityForm(), "我能报几级")
    assert slot_events(events)["requested_slot"] == "elig_work_years"


def test_a_bare_number_answers_the_question_just_asked():
    events, _ = run(ValidateEligibilityForm(), "3",
                    {"elig_work_years": 8.0, "elig_certificate": 4, "requested_slot": "elig_years_since_certificate"})
    assert slot_events(events)["elig_years_since_certificate"] == 3.0


def test_a_student_is_asked_whether_they_graduate_this_year_when_it_decides():
    events, _ = run(ValidateEligibilityForm(), "大专在读 人力资源管理专业")
    assert slot_events(events)["requested_slot"] == "elig_graduating"


def test_a_correction_replaces_the_fact():
    events, _ = run(ValidateEligibilityForm(), "不对，是10年", {"elig_work_years": 6.0, "elig_certificate": 0})
    slots = slot_events(events)
    assert slots["elig_work_years"] == 10.0 and slots["requested_slot"] is None


@pytest.mark.parametrize("text, fragment", [("我干了70年", "合理范围")], ids=["年限超过60年"])
def test_impossible_years_are_refused_politely_and_asked_again(text, fragment):
    events, messages = run(ValidateEligibilityForm(), text, {"requested_slot": "elig_work_years"})
    slots = slot_events(events)
    assert slots.get("elig_work_years") is None
    assert slots["requested_slot"] == "elig_work_years"
    assert messages[0]["response"] == "utter_input_problem" and fragment in messages[0]["problem"]


def test_more_years_since_the_certificate_than_in_total_is_refused():
    events, messages = run(ValidateEligibilityForm(), "拿证后干了8年",
                           {"elig_work_years": 5.0, "elig_certificate": 4,
                            "requested_slot": "elig_years_since_certificate"})
    assert messages[0]["response"] == "utter_input_problem"
    assert slot_events(events)["requested_slot"] == "elig_years_since_certificate"


@pytest.mark.parametrize("text", ["1e309年", "0x50年"], ids=["1e309", "0x50"])
def test_an_unlikely_number_is_re_asked_not_read(text):
    events, messages = run(ValidateEligibilityForm(), text, {"requested_slot": "elig_work_years"})
    assert messages[0]["response"] == "utter_input_problem"
    assert slot_events(events)["requested_slot"] == "elig_work_years"


def test_a_rough_figure_that_decides_is_confirmed_with_buttons():
    events, _ = run(ValidateEligibilityForm(), "大概5年吧 没有证书")
    slots = slot_events(events)
    assert slots["requested_slot"] == "elig_work_years" and slots["elig_rough"] == {"work_years": [4.5, 5.0]}
    _, messages = run(ActionAskEligWorkYears(), slots={"elig_rough": slots["elig_rough"]})
    assert messages[0]["response"] == "utter_confirm_approximate_years"
    assert "5年" in [b["payload"] for b in messages[0]["buttons"]]
    events, _ = run(ValidateEligibilityForm(), "5年", {"elig_rough": slots["elig_rough"], "elig_certificate": 0,
                                                     "requested_slot": "elig_work_years"})
    assert slot_events(events)["elig_work_years"] == 5.0 and slot_events(events)["elig_rough"] == {}


def test_a_rough_figure_that_cannot_change_the_answer_is_not_asked():
    events, _ = run(ValidateEligibilityForm(), "做人事六年多 没有证书")
    assert slot_events(events)["requested_slot"] is None


def test_the_result_names_the_level_offers_what_could_raise_it_and_remembers_the_calculation():
    events, messages = run(ActionAssessEligibility(), slots={"elig_work_years": 8.0, "elig_certificate": 0})
    assert messages[0]["response"] == "utter_eligibility_result"
    assert messages[0]["verdict"] == "可申报的最高等级：四级/中级工"
    assert "三级第3条" in messages[0]["details"]
    assert any("refine_eligibility" in b["payload"] and "education" in b["payload"] for b in messages[0]["buttons"])
    assert slot_events(events) == {"last_calculation": "eligibility", "elig_refine": None}


def test_reset_clears_every_fact_for_a_new_question():
    events, _ = run(ActionResetEligibility(), "我干了3年 能报几级", slots={"elig_work_years": 3.0})
    assert set(slot_events(events)) == set(ELIGIBILITY_SLOTS)
    assert all(value is None for value in slot_events(events).values())


def test_a_follow_up_after_the_result_keeps_the_facts():
    events, _ = run(ActionResetEligibility(), "那我还有四级证书呢", slots={"elig_work_years": 3.0,
                                                                   "last_calculation": "eligibility"})
    assert slot_events(events) == {}


def test_subsidy_hours_stated_in_the_question_complete_the_form():
    events, _ = run(ValidateSubsidyForm(), "员工学了60课时免费课、40课时付费课，单位能补多少")
    slots = slot_events(events)
    assert slots["subsidy_hours"] == {"点播免费": "60", "点播付费": "40"}
    assert slots["subsidy_complete"] is True and slots["requested_slot"] is None


@pytest.mark.parametrize("text, hours", [
    ("我学了5门付费课，每门10课时，都看完了，但有两门没参加考试", {"点播付费": "30"}),
    ("我学了3门付费课，每门15课时，其中一门只看了90%，另外两门都看完考过了", {"点播付费": "30"}),
], ids=["两门没考试", "一门没看完"])
def test_a_first_message_that_says_which_hours_do_not_count_is_complete(text, hours):
    events, _ = run(ValidateSubsidyForm(), text)
    slots = slot_events(events)
    assert slots["subsidy_hours"] == hours and slots["subsidy_complete"] is True


def test_subsidy_without_hours_asks_for_them():
    events, _ = run(ValidateSubsidyForm(), "帮我算算补贴")
    assert slot_events(events)["requested_slot"] == "subsidy_hours"


def test_hours_given_piece_by_piece_keep_a_running_total_until_nothing_more():
    events, _ = run(ValidateSubsidyForm(), "免费课40课时", {"requested_slot": "subsidy_hours"})
    slots = slot_events(events)
    assert slots["subsidy_hours"] == {"点播免费": "40"} and slots["requested_slot"] == "subsidy_complete"
    events, messages = run(ActionAskSubsidyComplete(), slots={"subsidy_hours": slots["subsidy_hours"]})
    assert messages[0]["response"] == "utter_ask_subsidy_more" and messages[0]["total"] == "40"
    assert "没有了" in [b["payload"] for b in messages[0]["buttons"]]
    events, _ = run(ValidateSubsidyForm(), "还有付费课10课时",
                    {"subsidy_hours": {"点播免费": "40"}, "requested_slot": "subsidy_complete"})
    slots = slot_events(events)
    assert slots["subsidy_hours"] == {"点播免费": "40", "点播付费": "10"} and slots["requested_slot"] == "subsidy_complete"
    events, _ = run(ValidateSubsidyForm(), "没有了", {"subsidy_hours": slots["subsidy_hours"],
                                                   "requested_slot": "subsidy_complete"})
    assert slot_events(events)["subsidy_complete"] is True and slot_events(events)["requested_slot"] is None
    _, messages = run(ActionEstimateSubsidy(), slots={"subsidy_hours": {"点播免费": "40", "点播付费": "10"}})
    assert "每人550元" in messages[0]["headline"]


def test_one_type_named_first_then_course_by_course_adds_up_under_that_type():
    events, _ = run(ValidateSubsidyForm(), "帮我算下一个员工的补贴，他学的都是免费点播课，都考过了")
    slots = slot_events(events)
    assert slots["subsidy_pending_type"] == "点播免费"
    events, _ = run(ValidateSubsidyForm(), "第一门12课时", {"subsidy_pending_type": "点播免费", "subsidy_hours": {},
                                                       "requested_slot": "subsidy_hours"})
    slots = slot_events(events)
    assert slots["subsidy_hours"] == {"点播免费": "12"} and slots["subsidy_untyped"] == ""
    events, _ = run(ValidateSubsidyForm(), "第二门15课时", {"subsidy_hours": {"点播免费": "12"},
                                                       "requested_slot": "subsidy_complete"})
    assert slot_events(events)["subsidy_hours"] == {"点播免费": "27"}


def test_hours_without_a_type_ask_for_the_type():
    events, _ = run(ValidateSubsidyForm(), "学了60课时 能补多少")
    slots = slot_events(events)
    assert slots["subsidy_untyped"] == "60" and slots["requested_slot"] == "subsidy_complete"
    _, messages = run(ActionAskSubsidyComplete(), slots={"subsidy_untyped": "60", "subsidy_hours": {}})
    assert [m["response"] for m in messages] == ["utter_subsidy_untyped_result", "utter_ask_subsidy_type"]
    _, messages = run(ActionAskSubsidyComplete(), slots={"subsidy_untyped": "20", "subsidy_hours": {"线下": "30"}})
    assert [m["response"] for m in messages] == ["utter_ask_subsidy_type"]  # the total depends on the type


def test_clock_hours_are_converted_and_noted():
    events, _ = run(ValidateSubsidyForm(), "线下培训30个小时")
    slots = slot_events(events)
    assert slots["subsidy_hours"] == {"线下": "40.0"}
    assert any("45分钟" in note for note in slots["subsidy_notes"])


def test_hours_that_did_not_count_are_excluded_with_the_reason():
    events, _ = run(ValidateSubsidyForm(), "付费课50课时 其中8课时的课没去考试 能补多少")
    slots = slot_events(events)
    assert slots["subsidy_hours"] == {"点播付费": "42"}
    assert any("第6、39问" in note for note in slots["subsidy_notes"])


def test_subsidy_estimate_opens_with_the_end_of_the_policy():
    events, messages = run(ActionEstimateSubsidy(), slots={"subsidy_hours": {"点播免费": "60", "点播付费": "40"}})
    assert messages[0]["response"] == "utter_subsidy_result"
    assert messages[0]["headline"].startswith("按2021年以训兴业政策测算（该政策受理已于2021年12月31日截止")
    assert messages[0]["headline"].endswith("每人1400元")
    assert slot_events(events) == {"last_calculation": "subsidy", "subsidy_complete": None}


def test_social_insurance_outside_beijing_gets_nothing_with_the_reason():
    _, messages = run(ActionEstimateSubsidy(), slots={"subsidy_hours": {"点播付费": "60"},
                                                      "subsidy_disqualified": {"social_insurance_outside_beijing": 0}})
    assert "每人0元" in messages[0]["headline"] and "第7问" in messages[0]["headline"]


def test_impossible_subsidy_input_is_refused_politely():
    events, messages = run(ValidateSubsidyForm(), "免费课100000课时", {"requested_slot": "subsidy_hours"})
    assert messages[0]["response"] == "utter_input_problem"
    assert slot_events(events)["requested_slot"] == "subsidy_hours"


def test_an_unknown_certificate_level_is_explained_and_asked_again():
    events, messages = run(ValidateEligibilityForm(), "我有七级证书",
                           {"elig_work_years": 6.0, "requested_slot": "elig_certificate"})
    assert messages[0]["response"] == "utter_input_problem" and "7级" in messages[0]["problem"]
    assert slot_events(events)["requested_slot"] == "elig_certificate"


@pytest.mark.parametrize("text, fragment", [("二级的技能考核没过 补考要多少钱", "80元"), ("二级比三级贵多少", "贵85元"),
                                            ("三级一共多少钱", "共150元"), ("二级理论和综合评审都没过 技能过了 补考一共多少", "＝155元"),
                                            ("公司安排4人报四级，2人报二级，一共要交多少", "＝1070元"),
                                            ("二级考完再考一级，两个等级全部科目加起来多少钱", "合计470元"),
                                            ("四级和三级的认定费一样吗", "费用相同"), ("五级多少钱", None),
                                            ("二级我只过了理论，另外两科都得补，补考要多少", "＝160元"),
                                            ("三级考完了，理论过了技能没过，补考要交多少", "技能考核补考：80元"),
                                            ("二级三科全都没过 补考的话要交多少", "＝235元"),
                                            ("四级两科都没过，补考多少", "＝150元"),
                                            ("如果从四级一路考到一级，每次都一次过，总共要花多少认定费", "合计770元"),
                                            ("我和同事都考的二级，都是理论没过，补考一共多少", "×2人＝150元"),
                                            ("三级报名交了一次，理论没过又补考了，一共花了多少钱", "＝220元"),
                                            ("我二级第一次全报了，后来操作技能没过又补考一次，前后一共花了多少", "＝315元"),
                                            ("四级也要交综合评审的钱吗？总共到底多少", "不收这项费用；认定费用共150元"),
                                            ("我想知道二级的理论知识收多少钱，跟四级一样吗", "二级/技师理论知识75元；四级/中级工70元，两者不一样"),
                                            ("二级多少钱，跟三级一样吗", "二级/技师235元；三级/高级工150元，两者不一样"),
                                            ("四级和三级收费一样吗，差多少", "费用相同")],
                         ids=["二级技能补考80元", "二级比三级贵85元", "三级一共150元", "二级两科补考155元",
                              "4人四级2人二级1070元", "二级加一级470元", "四级三级一样", "五级不在认定范围",
                              "二级只过了理论其余两科补考160元", "同一句里理论过了技能没过只补技能",
                              "二级三科全没过补考235元", "四级两科全没过只有两科", "从四级一路考到一级四个等级",
                              "我和同事两人补考二级理论", "三级首次加理论补考前后共220元",
                              "二级首次加技能补考前后共315元", "四级没有综合评审不收费总共150元",
                              "问二级理论多少钱再问是否与四级一样先答金额", "问二级多少钱再问是否与三级一样先答金额",
                              "问是否一样又问差多少答差额"])
def test_fees_are_calculated(text, fragment):
    events, messages = run(ActionCalculateFee(), text)
    if fragment is None:
        assert messages[0]["response"] == "utter_input_problem" and "不在本次认定范围" in messages[0]["problem"]
    else:
        assert messages[0]["response"] == "utter_fee_result" and fragment in messages[0]["headline"]
    assert slot_events(events) == {"last_calculation": "fee"}


def test_people_left_out_are_taken_from_the_total_with_the_reason():
    _, messages = run(ActionEstimateSubsidy(), slots={"subsidy_hours": {"点播付费": "50"}, "subsidy_employees": 20.0,
                                                      "subsidy_disqualified": {"social_insurance_outside_beijing": 3}})
    assert messages[0]["headline"].endswith("每人1000元，17人共17000元")
    assert "其中3人不能补贴" in messages[0]["details"] and "第7问" in messages[0]["details"]


ESTIMATED = [{"event": "slot", "name": "subsidy_hours", "value": {"点播免费": "50"}},
             {"event": "slot", "name": "last_calculation", "value": "subsidy"}]
AFTER_ESTIMATE = {"subsidy_hours": {"点播免费": "50"}, "subsidy_employees": 20.0, "last_calculation": "subsidy",
                  "subsidy_notes": [], "subsidy_disqualified": {}}


def test_a_changed_headcount_right_after_an_estimate_gives_the_estimate_again():
    events, _ = run(ValidateSubsidyForm(), "人数改成30", AFTER_ESTIMATE, events=ESTIMATED)
    slots = slot_events(events)
    assert slots["subsidy_employees"] == 30.0 and slots["subsidy_complete"] is True
    assert slots["requested_slot"] is None


def test_the_same_hours_of_another_type_right_after_an_estimate_give_the_estimate_again():
    events, _ = run(ValidateSubsidyForm(), "那如果全换成付费课呢", AFTER_ESTIMATE, events=ESTIMATED)
    slots = slot_events(events)
    assert slots["subsidy_hours"] == {"点播付费": "50"} and slots["subsidy_complete"] is True


def test_a_new_type_without_hours_before_any_estimate_asks_for_its_hours():
    events, _ = run(ValidateSubsidyForm(), "还有付费课", {"subsidy_hours": {"点播免费": "30"}, "subsidy_notes": [],
                                                     "subsidy_disqualified": {}, "requested_slot": "subsidy_complete"},
                    active_loop="subsidy_form")
    slots = slot_events(events)
    assert slots["subsidy_pending_type"] == "点播付费" and slots["requested_slot"] == "subsidy_complete"


def test_a_question_about_the_amount_ends_hours_given_piece_by_piece():
    events, _ = run(ValidateSubsidyForm(), "一共15个人，总补贴多少",
                    {"subsidy_hours": {"点播付费": "30", "自有课录播": "30"}, "subsidy_notes": [],
                     "subsidy_disqualified": {}, "requested_slot": "subsidy_complete"}, active_loop="subsidy_form")
    slots = slot_events(events)
    assert slots["subsidy_employees"] == 15.0 and slots["subsidy_complete"] is True


def test_a_corrected_unit_replaces_the_figure_and_drops_the_conversion_note():
    events, _ = run(ValidateSubsidyForm(), "等下我看错了，是60课时不是60小时",
                    {"subsidy_hours": {"线下": "80"}, "subsidy_notes": ["已按每课时45分钟换算：60小时"],
                     "subsidy_disqualified": {}, "last_calculation": "subsidy"},
                    events=[{"event": "slot", "name": "subsidy_hours", "value": {"线下": "80"}}])
    slots = slot_events(events)
    assert slots["subsidy_hours"] == {"线下": "60"} and slots["subsidy_notes"] == []


def test_years_added_after_a_filler_word_are_added_to_those_given():
    events, _ = run(ValidateEligibilityForm(), "哦还有之前做了五年行政", {"elig_work_years": 5.0, "elig_certificate": 0})
    assert slot_events(events)["elig_work_years"] == 10.0


@pytest.mark.parametrize("text, kept", [
    ("我之前还做过一年半行政", True), ("哦对了，我还有四级证", True), ("后来又做了2年人事", True),
    ("我做了6年行政，能报几级", False), ("我同事做了3年人事，他能报几级", False),
    ("我再问一个，我朋友做了8年人事能报几级", False), ("我那个同事做了8年人事能报几级", False),
], ids=["我之前还做过", "对了我还有", "后来又做了", "重新描述", "问同事", "再问一个朋友的", "我那个同事"])
def test_a_message_right_after_a_level_keeps_the_facts_only_when_it_adds_to_them(text, kept):
    events, _ = run(ActionResetEligibility(), text, {"elig_work_years": 4.0, "last_calculation": "eligibility"})
    assert (events == []) is kept


def test_a_type_named_just_before_the_calculation_began_is_the_type_of_its_hours():
    before = [{"event": "user", "text": "员工学的免费课，按分钟算的，都考过了"}, {"event": "user", "text": "第一门900分钟"}]
    events, _ = run(ValidateSubsidyForm(), "第一门900分钟", {"subsidy_notes": [], "subsidy_disqualified": {}},
                    events=before)
    assert slot_events(events)["subsidy_hours"] == {"点播免费": "20.0"}


def test_untyped_hours_given_course_by_course_add_up_until_the_type_is_named():
    events, _ = run(ValidateSubsidyForm(), "第二门1350分钟",
                    {"subsidy_untyped": "20", "subsidy_notes": [], "subsidy_disqualified": {},
                     "requested_slot": "subsidy_complete"}, active_loop="subsidy_form")
    assert float(slot_events(events)["subsidy_untyped"]) == 50


def test_a_figure_given_while_giving_up_is_not_recorded():
    events, _ = run(ValidateSubsidyForm(), "大概50课时吧……等下我得去查一下准确数，先不算了",
                    {"subsidy_pending_type": "点播免费", "subsidy_hours": {}, "requested_slot": "subsidy_complete"},
                    active_loop="subsidy_form", intent="stop")
    slots = slot_events(events)
    assert "subsidy_hours" not in slots and not slots.get("subsidy_untyped") and "subsidy_complete" not in slots


def test_years_given_while_giving_up_are_not_recorded():
    events, _ = run(ValidateEligibilityForm(), "做了三年吧，算了，等我查清楚再问",
                    {"requested_slot": "elig_work_years"}, active_loop="eligibility_form", intent="stop")
    assert "elig_work_years" not in slot_events(events)


@pytest.mark.parametrize("text, slots", [
    ("2021年8月拿的，拿了之后一直做人事", {"requested_slot": "elig_years_since_certificate", "elig_certificate": 4}),
    ("说错了，是2020年拿的，拿完一直在做人事经理", {"elig_certificate": 3, "last_calculation": "eligibility"}),
], ids=["问取证年限时答日期", "结果后更正取证日期"])
def test_a_date_given_for_the_certificate_just_stated_counts_the_years_since_it(text, slots):
    events, _ = run(ValidateEligibilityForm(), text, slots, active_loop="eligibility_form")
    # A month of a past year is a range up to today (2021年8月: at least 5 years before 2026-09).
    assert min(slot_events(events)["elig_rough"]["years_since_certificate"]) >= 5


def test_hours_given_with_the_headcount_end_hours_given_piece_by_piece():
    events, _ = run(ValidateSubsidyForm(), "噢还有免费课，每人15课时，一共8个人，都考过了",
                    {"subsidy_hours": {"点播付费": "30"}, "subsidy_notes": [], "subsidy_disqualified": {},
                     "requested_slot": "subsidy_complete"}, active_loop="subsidy_form")
    slots = slot_events(events)
    assert slots["subsidy_hours"] == {"点播付费": "30", "点播免费": "15"} and slots["subsidy_complete"] is True
    assert slots["subsidy_employees"] == 8.0


@pytest.mark.parametrize("text", ["没有了", "没有了，就这些"])
def test_nothing_more_classified_as_deny_ends_the_list_and_keeps_the_hours(text):
    events, _ = run(ValidateSubsidyForm(), text, {"subsidy_hours": {"点播免费": "41"}, "subsidy_notes": [],
                                                  "subsidy_disqualified": {}, "requested_slot": "subsidy_complete"},
                    active_loop="subsidy_form", intent="deny")
    assert slot_events(events)["subsidy_complete"] is True


def test_a_related_occupations_certificate_is_kept_with_the_level_and_leaves_that_rank_open():
    text = "我有劳动关系协调员三级，2024年拿的，做员工关系一共十二年了，企业人力资源管理师最高能报几级"
    events, _ = run(ValidateEligibilityForm(), text)
    slots = slot_events(events)
    assert slots["elig_certificate"] == 3 and slots["elig_certificate_related"] is True
    assert slots["requested_slot"] is None
    events, messages = run(ActionAssessEligibility(), slots={**slots, "requested_slot": None})
    assert messages[0]["response"] == "utter_eligibility_result"
    assert messages[0]["verdict"] == "可申报的最高等级：三级/高级工" and "持相关职业三级" in messages[0]["details"]


def test_a_date_of_something_else_is_not_the_date_of_the_certificate():
    events, _ = run(ValidateEligibilityForm(), "其实我是2015年考进这家公司的，一直做人事",
                    {"elig_certificate": 3, "last_calculation": "eligibility"}, active_loop="eligibility_form")
    assert "years_since_certificate" not in (slot_events(events).get("elig_rough") or {})


PIECE_BY_PIECE = {"subsidy_hours": {"线下": "40"}, "subsidy_notes": [], "subsidy_disqualified": {},
                  "requested_slot": "subsidy_complete"}


@pytest.mark.parametrize("text", ["10个人", "都靠过了"], ids=["人数", "都考过了"])
def test_the_headcount_or_all_passed_ends_hours_that_reach_the_minimum(text):
    events, _ = run(ValidateSubsidyForm(), text, PIECE_BY_PIECE, active_loop="subsidy_form")
    assert slot_events(events)["subsidy_complete"] is True


@pytest.mark.parametrize("text", ["有一门没去考试，其他都考过了", "另外5个人都没考过", "还有3个人没学完", "是不是都考过了才算",
                                  "要是都考过了呢"],
                         ids=["有一门没考", "另外几个人没考过", "还有人没学完", "问是不是考过才算", "假设都考过了"])
def test_more_to_tell_or_a_question_does_not_end_the_hours(text):
    events, _ = run(ValidateSubsidyForm(), text, PIECE_BY_PIECE, active_loop="subsidy_form")
    assert slot_events(events).get("subsidy_complete") is not True


def test_the_headcount_does_not_end_hours_below_the_minimum():
    events, _ = run(ValidateSubsidyForm(), "10个人", PIECE_BY_PIECE | {"subsidy_hours": {"线下": "30"}},
                    active_loop="subsidy_form")
    assert slot_events(events).get("subsidy_complete") is None


def test_invalid_hours_of_some_people_are_kept_apart_from_everyones():
    events, _ = run(ValidateSubsidyForm(), "我们一个部门12人，每人学了4门付费课各12课时，都看完了；其中3个人有一门没参加考试")
    slots = slot_events(events)
    assert slots["subsidy_hours"] == {"点播付费": "48"} and slots["subsidy_employees"] == 12.0
    assert slots["subsidy_reduced"]["people"] == 3 and slots["subsidy_reduced"]["hours"] == {"点播付费": "12"}


@pytest.mark.parametrize("hours, headline, note", [
    ("48", "每人1000元，9人共9000元", "累计36课时：累计有效课时未达到40课时，不能补贴"),
    ("72", "每人1500元，其中3人每人1500元，12人共18000元", "累计60课时：每人1500元"),
], ids=["扣除后不到40课时的人不补贴", "扣除后仍够的人按自己的课时补"])
def test_the_estimate_of_people_with_fewer_hours(hours, headline, note):
    _, messages = run(ActionEstimateSubsidy(), slots={
        "subsidy_hours": {"点播付费": hours}, "subsidy_employees": 12.0,
        "subsidy_reduced": {"people": 3, "hours": {"点播付费": "12"}, "reason": "未参加考试"}})
    assert messages[0]["headline"].endswith(headline)
    assert note in messages[0]["details"]


def test_two_groups_with_invalid_hours_are_each_kept_apart():
    events, _ = run(ValidateSubsidyForm(), "20个员工每人学了付费课60课时，其中3人有一门20课时没考试，还有2个人没参加考试")
    groups = slot_events(events)["subsidy_reduced"]["groups"]
    assert [(group["people"], group["hours"]) for group in groups] == [(3, {"点播付费": "20"}), (2, {"点播付费": "60"})]


@pytest.mark.parametrize("groups, headline", [
    ([(3, "20"), (2, "60")], "每人1500元，其中3人每人1000元，20人共25500元"),
    ([(3, "20"), (2, "10")], "每人1500元，其中3人每人1000元，2人每人1000元，20人共27500元"),
    ([(3, "30"), (2, "60")], "每人1500元，15人共22500元"),
], ids=["一组少补一组不补", "两组都少补", "两组都不补"])
def test_the_estimate_of_two_groups_with_fewer_hours(groups, headline):
    reduced = {"groups": [{"people": people, "hours": {"点播付费": hours}, "reason": "未参加考试"}
                          for people, hours in groups]}
    _, messages = run(ActionEstimateSubsidy(), slots={
        "subsidy_hours": {"点播付费": "60"}, "subsidy_employees": 20.0, "subsidy_reduced": reduced})
    assert messages[0]["response"] == "utter_subsidy_result"
    assert messages[0]["headline"].endswith(headline)
    assert all(f"其中{people}人有点播付费{hours}课时不计入" in messages[0]["details"] for people, hours in groups)


def test_other_work_named_for_the_years_counts_none_and_says_why():
    events, messages = run(ValidateEligibilityForm(), "做销售的", {"requested_slot": "elig_work_years"},
                           active_loop="eligibility_form")
    assert slot_events(events)["elig_work_years"] == 0.0
    assert any("销售" in (message.get("problem") or "") for message in messages)


def test_years_after_naming_other_work_are_that_works_years():
    earlier = [{"event": "user", "text": "做销售的"}, {"event": "user", "text": "九年"}]
    events, _ = run(ValidateEligibilityForm(), "九年", {"elig_work_years": 0.0, "requested_slot": "elig_certificate"},
                    active_loop="eligibility_form", events=earlier)
    assert slot_events(events).get("elig_work_years", 0.0) == 0.0


def test_some_peoples_invalid_hours_wait_for_a_headcount_given_later():
    events, _ = run(ValidateSubsidyForm(), "其中3个人有一门12课时没参加考试",
                    {"subsidy_hours": {"点播付费": "48"}, "subsidy_notes": [], "subsidy_disqualified": {},
                     "requested_slot": "subsidy_complete"}, active_loop="subsidy_form")
    slots = slot_events(events)
    assert slots["subsidy_hours"] == {"点播付费": "48"} and slots["subsidy_reduced"]["people"] == 3
    _, messages = run(ActionEstimateSubsidy(), slots={**slots, "subsidy_employees": 12.0})
    assert messages[0]["headline"].endswith("9人共9000元")


def test_invalid_hours_of_as_many_people_as_there_are_are_everyones():
    _, messages = run(ActionEstimateSubsidy(), slots={
        "subsidy_hours": {"点播付费": "48"}, "subsidy_employees": 3.0,
        "subsidy_reduced": {"people": 3, "hours": {"点播付费": "12"}, "reason": "未参加考试"}})
    assert messages[0]["response"] == "utter_subsidy_result" and "已扣除点播付费12课时" in messages[0]["details"]
    assert "3人共" not in messages[0]["headline"]


def test_corrected_hours_drop_the_people_with_fewer_hours():
    events, _ = run(ValidateSubsidyForm(), "更正一下：每人学的是免费课62课时",
                    {"subsidy_hours": {"点播付费": "48"}, "subsidy_notes": [], "subsidy_disqualified": {},
                     "subsidy_reduced": {"people": 3, "hours": {"点播付费": "12"}, "reason": "未参加考试"},
                     "requested_slot": "subsidy_complete"}, active_loop="subsidy_form")
    assert slot_events(events)["subsidy_reduced"] == {}


@pytest.mark.parametrize("text", ["以训兴业一个员工最多能补多少钱", "一个员工再怎么学最多能补多少钱"],
                         ids=["最多能补多少", "有再字也不加倍"])
def test_the_highest_subsidy_is_the_cap_at_the_highest_rate(text):
    events, _ = run(ValidateSubsidyForm(), text)
    assert slot_events(events)["subsidy_hours"] == {"点播付费": "80"}


@pytest.mark.parametrize("text, employees", [
    ("我们12个人每人学了4门付费课各12课时，其中3个人有一门没参加考试", 12.0),
    ("每人学了4门付费课各12课时，都看完了，其中3个人有一门没参加考试", 0.0),
], ids=["其中三人不是人数", "没说人数时其中三人也不是人数"])
def test_the_people_with_invalid_hours_are_not_the_headcount(text, employees):
    events, _ = run(ValidateSubsidyForm(), text)
    assert slot_events(events)["subsidy_employees"] == employees


def test_without_a_headcount_the_others_are_counted_per_person_beside_those_people():
    _, messages = run(ActionEstimateSubsidy(), slots={
        "subsidy_hours": {"点播付费": "48"}, "subsidy_employees": 0.0,
        "subsidy_reduced": {"people": 3, "hours": {"点播付费": "12"}, "reason": "未参加考试"}})
    assert "每人1000元" in messages[0]["headline"]
    assert "其中3人有点播付费12课时不计入" in messages[0]["details"]


def test_the_highest_subsidy_of_a_named_course_type_is_that_types():
    events, _ = run(ValidateSubsidyForm(), "免费课一个人最多能补多少钱")
    assert slot_events(events)["subsidy_hours"] == {"点播免费": "80"}


def test_the_highest_subsidy_is_not_kept_as_the_persons_own_hours():
    events, messages = run(ValidateSubsidyForm(), "以训兴业一个员工最多能补多少钱")
    events, messages = run(ActionEstimateSubsidy(), slots={**slot_events(events), "requested_slot": None})
    assert messages[0]["response"] == "utter_subsidy_result"
    slots = slot_events(events)
    assert slots["subsidy_hours"] is None and slots["subsidy_notes"] == []


AFTER_EIGHT_YEARS = {"elig_work_years": 8.0, "elig_certificate": 0, "last_calculation": "eligibility"}


def test_other_work_in_the_middle_is_taken_off_the_years_given():
    events, _ = run(ValidateEligibilityForm(), "哦对了中间有两年去卖保险了", AFTER_EIGHT_YEARS,
                    active_loop="eligibility_form",
                    events=[{"event": "user", "text": "我做了八年行政 没考过证"},
                            {"event": "user", "text": "哦对了中间有两年去卖保险了"}])
    assert slot_events(events)["elig_work_years"] == 6.0


def test_other_work_in_the_middle_told_again_is_not_taken_off_twice():
    events, _ = run(ValidateEligibilityForm(), "对，就是中间有两年在卖保险", AFTER_EIGHT_YEARS | {"elig_work_years": 6.0},
                    active_loop="eligibility_form",
                    events=[{"event": "user", "text": "哦对了中间有两年去卖保险了"},
                            {"event": "user", "text": "对，就是中间有两年在卖保险"}])
    assert slot_events(events).get("elig_work_years", 6.0) == 6.0


def test_one_more_course_that_was_not_examined_is_left_out_not_taken_off():
    events, _ = run(ValidateSubsidyForm(), "还有一门2课时的付费课看完了但是没考",
                    {"subsidy_hours": {"点播付费": "38"}, "subsidy_notes": [], "subsidy_disqualified": {},
                     "requested_slot": "subsidy_complete"}, active_loop="subsidy_form")
    slots = slot_events(events)
    assert slots["subsidy_hours"] == {"点播付费": "38"} and slots["subsidy_complete"] is True
    assert any(note.startswith("未计入点播付费2") for note in slots["subsidy_notes"])


def test_the_amount_asked_again_right_after_an_estimate_gives_the_same_estimate():
    after = AFTER_ESTIMATE | {"subsidy_untyped": "", "subsidy_pending_type": "", "subsidy_reduced": {}}
    events, _ = run(ValidateSubsidyForm(), "那能补多少", after, events=ESTIMATED)
    slots = slot_events(events)
    assert slots["subsidy_complete"] is True and slots["requested_slot"] is None


def test_a_headcount_told_before_the_calculation_but_not_understood_counts():
    before = [{"event": "user", "text": "我们单位25个人参加了培训"},
              {"event": "bot", "text": "抱歉，我没有完全理解您的问题。"},
              {"event": "user", "text": "每人都是免费课六十二课时，考核全过"}]
    events, _ = run(ValidateSubsidyForm(), "每人都是免费课六十二课时，考核全过", {"subsidy_notes": [], "subsidy_disqualified": {}},
                    events=before)
    assert slot_events(events)["subsidy_employees"] == 25.0


def test_a_headcount_of_an_answered_question_before_does_not_count():
    before = [{"event": "user", "text": "25个人能一起建一个班吗"},
              {"event": "bot", "text": "可以。来源：第26问"},
              {"event": "user", "text": "免费课六十二课时能补多少"}]
    events, _ = run(ValidateSubsidyForm(), "免费课六十二课时能补多少", {"subsidy_notes": [], "subsidy_disqualified": {}},
                    events=before)
    assert slot_events(events)["subsidy_employees"] == 0.0


@pytest.mark.parametrize("hours, fragment", [
    ("35", "每人0元"), ("39.9", "每人0元"), ("40", "按40课时计算"), ("75", "按60课时计算"), ("90", "按80课时计算"),
], ids=["35课时不论类型都不够", "39.9课时差一点", "刚好40课时", "75课时按60算", "90课时按80算"])
def test_hours_without_a_type_are_answered_first_then_the_type_is_asked(hours, fragment):
    _, messages = run(ActionAskSubsidyComplete(), "", {"subsidy_untyped": hours})
    assert [m["response"] for m in messages] == ["utter_subsidy_untyped_result", "utter_ask_subsidy_type"]
    assert fragment in messages[0]["headline"]


def test_the_last_part_with_all_exams_passed_ends_hours_that_reach_the_minimum():
    slots = {"subsidy_hours": {"线下": "32"}, "subsidy_notes": [], "subsidy_disqualified": {},
             "requested_slot": "subsidy_complete"}
    events, _ = run(ValidateSubsidyForm(), "另外每人还学了10课时免费点播课，都考过了", slots, active_loop="subsidy_form")
    assert slot_events(events)["subsidy_complete"] is True
    fewer = slots | {"subsidy_hours": {"线下": "21"}}
    events, _ = run(ValidateSubsidyForm(), "另外每人还学了10课时免费点播课，都考过了", fewer, active_loop="subsidy_form")
    assert slot_events(events).get("subsidy_complete") is None  # 31 课时: below the minimum, more may follow


def test_a_course_of_those_given_that_was_not_examined_is_taken_off():
    events, _ = run(ValidateSubsidyForm(), "第二门12课时没去考试",
                    {"subsidy_hours": {"点播付费": "50"}, "subsidy_notes": [], "subsidy_disqualified": {},
                     "requested_slot": "subsidy_complete"}, active_loop="subsidy_form")
    assert slot_events(events)["subsidy_hours"] == {"点播付费": "38"}


def test_the_amount_asked_again_keeps_the_facts_of_the_estimate():
    from actions.subsidy import ActionResetSubsidy

    events, _ = run(ActionResetSubsidy(), "那能补多少", AFTER_ESTIMATE)
    assert slot_events(events) == {"subsidy_complete": None}
    events, _ = run(ActionResetSubsidy(), "三级认定费多少钱", AFTER_ESTIMATE)
    assert slot_events(events)["subsidy_hours"] is None


def test_untyped_hours_beyond_a_year_s_study_are_refused_politely_not_crashed_on():
    _, messages = run(ActionAskSubsidyComplete(), "", {"subsidy_untyped": "5000"})
    assert [m["response"] for m in messages] == ["utter_input_problem"]


@pytest.mark.parametrize("type_message, complete", [
    ("都是线下培训，方案已经备案审核通过了", True),
    ("有线下培训", False),
], ids=["都是线下：课时给了就算", "只说有线下：还问别的类型"])
def test_hours_of_the_only_type_named_before_end_the_list(type_message, complete):
    before = [{"event": "user", "text": "我们部门有15个人要申请以训兴业补贴"}, {"event": "user", "text": type_message},
              {"event": "user", "text": "每人认定了48课时"}]
    events, _ = run(ValidateSubsidyForm(), "每人认定了48课时",
                    {"subsidy_pending_type": "线下", "subsidy_notes": [], "subsidy_disqualified": {},
                     "subsidy_employees": 15.0, "requested_slot": "subsidy_hours"},
                    active_loop="subsidy_form", events=before)
    slots = slot_events(events)
    assert slots["subsidy_hours"] == {"线下": "48"}
    assert (slots.get("subsidy_complete") is True) is complete


@pytest.mark.parametrize("question, same_level", [
    ("我有四级证，拿证一年，做人事6年，能报三级吗？不行的话最高报几级", True),
    ("我有四级证，拿证一年，做人事6年，能报三级吗", False),
], ids=["问最高报几级：仍符合的四级就是答案", "只问三级：暂不符合更高一级"])
def test_a_holder_asking_for_the_highest_level_is_told_the_level_they_still_meet(question, same_level):
    before = [{"event": "user", "text": question}, {"event": "active_loop", "name": "eligibility_form"}]
    _, messages = run(ActionAssessEligibility(), question, {"elig_work_years": 6.0, "elig_certificate": 4.0,
                                                            "elig_years_since_certificate": 1.0}, events=before)
    assert messages[0]["response"] == "utter_eligibility_result"
    assert ("同级" in messages[0]["verdict"]) is same_level
    assert messages[0]["verdict"].startswith("可申报的最高等级：四级" if same_level else "暂不符合比您现有的四级")
