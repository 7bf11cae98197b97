"""Figures in answers are placeholders filled from the parameters; one written by hand is caught."""
import datetime as dt

import pytest

from bot.knowledge import load_knowledge_base
from bot.knowledge.build import figure_problems
from bot.policy.placeholders import PlaceholderError, fill, hand_written_figures, render

ON = dt.date(2026, 12, 1)


@pytest.mark.parametrize("text, filled", [
    ("每课时{training_subsidy.class_hour_minutes}分钟", "每课时45分钟"),
    ("不低于{training_subsidy.minimum_hours}课时", "不低于40课时"),
    ("差评率低于{training_subsidy.dissatisfaction_limit}", "差评率低于30%"),
    ("电话 {hrm_practitioner_exam.consultation_phones}", "电话 010-64400680（苑老师）、010-69554485（王老师）"),
    ("{hrm_practitioner_exam.consultation_weekdays} {hrm_practitioner_exam.consultation_windows}",
     "周一至周五 9:00-11:00、13:00-16:00"),
    ("{ata_certification.contacts.business.contact} {ata_certification.contacts.business.number}",
     "张老师 65181122-5769"),
    ("免费课每课时{training_subsidy.rates.点播免费}元", "免费课每课时10元"),
    ("没有占位符的句子", "没有占位符的句子"),
    ("{training_subsidy.hour_tiers.1}至{training_subsidy.hour_tiers.2}课时", "60至80课时"),
    ("例：学了{=40}课时", "例：学了40课时"),
])
def test_a_placeholder_is_filled_from_the_parameters(text, filled):
    assert fill(text, ON) == filled


@pytest.mark.parametrize("text", ["{training_subsidy.no_such_value}", "{no_such_file.minimum_hours}",
                                  "{ata_certification.contacts.nobody.number}"])
def test_an_unknown_placeholder_is_an_error(text):
    with pytest.raises(PlaceholderError):
        fill(text, ON)


def test_weekdays_that_are_not_a_run_are_listed():
    assert render([1, 3], "iso_weekday") == "周一、周三"


@pytest.mark.parametrize("text, found", [
    ("每课时45分钟", ["training_subsidy.class_hour_minutes"]),
    ("请拨打010-64400680", ["hrm_practitioner_exam.consultation_phones"]),
    ("满40课时即可申请", ["training_subsidy.minimum_hours", "training_subsidy.hour_tiers"]),
    ("免费课每课时10元", ["training_subsidy.rates"]),
    ("80课时（含）以上按80课时算", ["training_subsidy.hour_tiers", "training_subsidy.hour_tiers"]),
])
def test_a_figure_written_by_hand_is_found(text, found):
    assert [parameter for parameter, _ in hand_written_figures(text, ON)] == found


@pytest.mark.parametrize("text", [
    "每课时{training_subsidy.class_hour_minutes}分钟",
    "学习记录未超过10分钟",  # a figure no parameter holds
    "140课时",  # not 40
    "看了60分钟",  # minutes, not the pass mark
    "例：学员甲学了{=60}课时免费课",  # a worked example's figure, written on purpose
])
def test_a_placeholder_or_another_figure_is_not_reported(text):
    assert hand_written_figures(text, ON) == []


def test_the_knowledge_base_states_no_parameter_figure_by_hand():
    assert figure_problems(load_knowledge_base()) == []


def test_answers_are_served_with_their_figures_filled():
    kb = load_knowledge_base()
    assert all("{" not in item.reply_text for item in kb.items.values())
    assert "每课时45分钟" in kb.items["jxd_q05_subsidy_standard"].reply_text
