"""Eligibility and subsidy actions: events and response names, not wording."""
import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.eligibility import (
    ActionAskEligWorkYears,
    ActionAssessEligibility,
    ActionResetEligibility,
    ValidateEligibilityForm,
)
from actions.subsidy import ActionEstimateSubsidy, ValidateSubsidyForm

ELIGIBILITY_SLOTS = ["elig_work_years", "elig_certificate", "elig_years_since_certificate", "elig_education",
                     "elig_major_related", "elig_student", "elig_unconfirmed_years"]


def run(action, text="", slots=None, active_loop=None):
    slots = {name: None for name in ELIGIBILITY_SLOTS} | {"requested_slot": None} | (slots or {})
    tracker = Tracker("user-1", slots, {"text": text, "intent": {"name": "inform"}}, [], False, None,
                      {"name": active_loop} if active_loop else {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return events, dispatcher.messages


def slot_events(events):
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_a_message_with_every_needed_fact_completes_the_form_at_once():
    events, messages = run(ValidateEligibilityForm(), "我有三级证书，拿证后干了5年，能报几级")
    slots = slot_events(events)
    assert slots["elig_certificate"] == 3.0 and slots["elig_years_since_certificate"] == 5.0
    assert slots["requested_slot"] is None
    assert messages == []


def test_only_the_missing_facts_are_asked_one_at_a_time():
    events, _ = run(ValidateEligibilityForm(), "我干了6年人事，能报几级")
    slots = slot_events(events)
    assert slots["elig_work_years"] == 6.0
    assert slots["requested_slot"] == "elig_certificate"


def test_a_bare_number_answers_the_question_just_asked():
    events, _ = run(ValidateEligibilityForm(), "3",
                    {"elig_work_years": 8.0, "elig_certificate": 4.0, "requested_slot": "elig_years_since_certificate"})
    assert slot_events(events)["elig_years_since_certificate"] == 3.0


def test_no_certificate_skips_the_years_since_certificate():
    events, _ = run(ValidateEligibilityForm(), "没有证书", {"elig_work_years": 6.0, "requested_slot": "elig_certificate"})
    slots = slot_events(events)
    assert slots["elig_certificate"] == 0.0
    assert slots["requested_slot"] == "elig_education"


def test_a_correction_replaces_the_fact():
    events, _ = run(ValidateEligibilityForm(), "不对，是10年", {"elig_work_years": 6.0, "elig_certificate": 0.0})
    slots = slot_events(events)
    assert slots["elig_work_years"] == 10.0 and slots["requested_slot"] is None


@pytest.mark.parametrize("text, fragment", [("我干了70年", "合理范围"), ("干了-3年", "负数")],
                         ids=["年限超过60年", "年限为负数"])
def test_impossible_years_are_refused_politely_and_asked_again(text, fragment):
    events, messages = run(ValidateEligibilityForm(), text, {"requested_slot": "elig_work_years"})
    slots = slot_events(events)
    assert slots.get("elig_work_years") is None
    assert slots["requested_slot"] == "elig_work_years"
    assert messages[0]["response"] == "utter_input_problem" and fragment in messages[0]["problem"]


def test_more_years_since_the_certificate_than_in_total_is_refused():
    events, messages = run(ValidateEligibilityForm(), "拿证后干了8年",
                           {"elig_work_years": 5.0, "elig_certificate": 4.0,
                            "requested_slot": "elig_years_since_certificate"})
    assert messages[0]["response"] == "utter_input_problem"
    assert slot_events(events)["requested_slot"] == "elig_years_since_certificate"


def test_a_rough_figure_is_confirmed_with_buttons():
    events, _ = run(ValidateEligibilityForm(), "十来年", {"requested_slot": "elig_work_years"})
    slots = slot_events(events)
    assert slots["elig_unconfirmed_years"] == 10.0 and "elig_work_years" not in slots
    events, messages = run(ActionAskEligWorkYears(), slots={"elig_unconfirmed_years": 10.0})
    assert messages[0]["response"] == "utter_confirm_approximate_years"
    assert [b["payload"] for b in messages[0]["buttons"]] == ["10年", "11年", "12年", "13年"]
    assert slot_events(events) == {"elig_unconfirmed_years": None}


def test_the_result_names_the_level_and_remembers_the_calculation():
    events, messages = run(ActionAssessEligibility(), slots={"elig_work_years": 10.0, "elig_certificate": 0.0,
                                                             "elig_education": "无"})
    assert messages[0]["response"] == "utter_eligibility_result"
    assert messages[0]["verdict"] == "可申报的最高等级：三级/高级工"
    assert slot_events(events) == {"last_calculation": "eligibility"}


def test_reset_clears_every_fact():
    events, _ = run(ActionResetEligibility(), slots={"elig_work_years": 3.0})
    assert set(slot_events(events)) == set(ELIGIBILITY_SLOTS)
    assert all(value is None for value in slot_events(events).values())


def test_subsidy_hours_stated_in_the_question_complete_the_form():
    events, _ = run(ValidateSubsidyForm(), "员工学了60课时免费课、40课时付费课，单位能补多少")
    slots = slot_events(events)
    assert slots["subsidy_hours"] == {"点播免费": "60", "点播付费": "40"}
    assert slots["requested_slot"] is None


def test_subsidy_without_hours_asks_for_them():
    events, _ = run(ValidateSubsidyForm(), "帮我算算补贴")
    assert slot_events(events) == {"requested_slot": "subsidy_hours"}


def test_clock_hours_are_converted_and_reported():
    events, _ = run(ValidateSubsidyForm(), "线下培训30个小时")
    slots = slot_events(events)
    assert slots["subsidy_hours"] == {"线下": "40.0"}
    assert slots["subsidy_converted"] == ["线下30小时"]


def test_subsidy_estimate_opens_with_the_amount():
    events, messages = run(ActionEstimateSubsidy(), slots={"subsidy_hours": {"点播免费": "60", "点播付费": "40"},
                                                           "subsidy_employees": None, "subsidy_converted": []})
    assert messages[0]["response"] == "utter_subsidy_result"
    assert messages[0]["headline"] == "预计补贴：每人1400元"
    assert slot_events(events) == {"last_calculation": "subsidy"}


def test_impossible_subsidy_input_is_refused_politely():
    events, messages = run(ValidateSubsidyForm(), "免费课100000课时")
    assert messages[0]["response"] == "utter_input_problem"
    assert slot_events(events) == {"subsidy_converted": None, "requested_slot": "subsidy_hours"}


def test_an_unknown_certificate_level_is_explained_and_asked_again():
    events, messages = run(ValidateEligibilityForm(), "我有七级证书",
                           {"elig_work_years": 6.0, "requested_slot": "elig_certificate"})
    assert messages[0]["response"] == "utter_input_problem" and "7级" in messages[0]["problem"]
    assert slot_events(events) == {"elig_unconfirmed_years": None, "requested_slot": "elig_certificate"}
