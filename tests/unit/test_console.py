"""The staff console's pure parts: the ask result, the calculators, settings and security helpers."""
import asyncio
import datetime as dt
import socket

import pytest

from bot.console import ask, calculators, rasa
from bot.console.config import ConsoleConfig
from bot.settings import SettingsError
from bot.console.security import SignInThrottle, same_origin, tokens_match
from bot.knowledge import load_knowledge_base
from tests.unit.helpers import parse_data

TODAY = dt.date(2026, 6, 1)
THRESHOLDS = dict(answer_threshold=0.2, suggestion_floor=0.05, min_top_share=0.65)


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


def build(kb, text, intent, ranking, intent_confidence=0.9):
    return ask.build_result(text, parse_data(text, intent, intent_confidence, ranking), kb, **THRESHOLDS)


# --- ask ------------------------------------------------------------------------------------------

def test_a_confident_answer_with_two_more_candidates(kb):
    result = build(kb, "从业人员考试是开卷吗", "faq", [("hrm_q10_exam_content", 0.91), ("ask_open_book", 0.05),
                                                       ("ata_closed_book", 0.02), ("jxd_q32_class_size_limit", 0.01)])
    assert result.would_answer and result.handled_as_faq
    assert result.main.item.key == "hrm_q10_exam_content" and result.main.confidence == 0.91
    assert result.main.item.citation.startswith("来源：")
    assert [(o.item.key, o.confidence) for o in result.others] == [("ask_open_book", 0.05), ("ata_closed_book", 0.02)]
    assert "会直接回答" in result.verdict
    # A disambiguation among the candidates carries its specific answers.
    assert [option.key for option in result.others[0].options] == ["hrm_q10_exam_content", "ata_closed_book"]


def test_a_near_tie_is_shown_as_unsure_with_the_best_guess(kb):
    result = build(kb, "班级", "faq", [("jxd_q32_class_size_limit", 0.40), ("jxd_q33_one_class_all_staff", 0.38),
                                       ("jxd_q53_one_learner_one_class", 0.10)])
    assert not result.would_answer and result.handled_as_faq
    assert result.main.item.key == "jxd_q32_class_size_limit"
    assert [o.item.key for o in result.others] == ["jxd_q33_one_class_all_staff", "jxd_q53_one_learner_one_class"]
    assert "没有把握" in result.verdict and "您是不是想问" in result.verdict


def test_a_canonical_question_is_answered_like_a_button(kb):
    question = kb.items["jxd_q32_class_size_limit"].question
    result = build(kb, question, "faq", [("jxd_q33_one_class_all_staff", 0.5), ("jxd_q32_class_size_limit", 0.4)])
    assert result.would_answer and result.main.item.key == "jxd_q32_class_size_limit"
    assert [o.item.key for o in result.others] == ["jxd_q33_one_class_all_staff"]
    assert "标准问法" in result.verdict


@pytest.mark.parametrize("intent, label, path", [
    ("ask_eligibility", "问能申报几级", "/calculators/eligibility"),
    ("ask_subsidy", "问培训补贴金额", "/calculators/subsidy"),
    ("ask_call_now", "问现在能不能打电话", "/#consultation"),
    ("request_callback", "要预约回电", "/callbacks"),
    ("ask_my_exam_date", "查本人的考试时间", None),
])
def test_other_intents_name_the_intent_and_the_tool(kb, intent, label, path):
    result = build(kb, "我干了8年人事能报几级", intent, [("hrm_q10_exam_content", 0.03)])
    assert not result.would_answer and not result.handled_as_faq
    assert result.intent == intent and result.intent_info.label == label
    assert (result.intent_info.tool.path if result.intent_info.tool else None) == path
    assert label in result.verdict


def test_an_unknown_intent_is_still_named(kb):
    result = build(kb, "随便", "something_new", [])
    assert "something_new" in result.intent_info.label and result.main is None and result.others == ()


def test_out_of_scope_is_refused_honestly(kb):
    result = build(kb, "今天天气怎么样", "out_of_scope", [("jxd_q32_class_size_limit", 0.03)])
    assert not result.would_answer and result.handled_as_faq and "不在四份文件的范围内" in result.verdict


def test_the_thresholds_come_from_settings(kb, monkeypatch):
    data = parse_data("一个班级最多多少人", "faq", 0.9, [("jxd_q32_class_size_limit", 0.5), ("jxd_q33_one_class_all_staff", 0.1)])
    assert ask.build_result("一个班级最多多少人", data, kb).would_answer
    monkeypatch.setenv("BOT_FAQ_ANSWER_THRESHOLD", "0.6")
    assert not ask.build_result("一个班级最多多少人", data, kb).would_answer


@pytest.mark.parametrize("text, problem", [("", "请先输入"), ("   ", "请先输入"), ("问" * 501, "太长")])
def test_questions_are_checked(text, problem):
    with pytest.raises(ask.QuestionError, match=problem):
        ask.clean_question(text)


def test_questions_are_tidied():
    assert ask.clean_question("  考试\n是开卷吗 ") == "考试 是开卷吗"


@pytest.mark.parametrize("value, shown", [(0.8734, "87.3%"), (1.0, "100.0%"), (0.0, "0.0%"), (0.0004, "<0.1%"),
                                          (None, "—")])
def test_percent(value, shown):
    assert ask.percent(value) == shown


# --- calculators ----------------------------------------------------------------------------------

def test_eligibility_gives_the_chat_reply():
    calculation = calculators.eligibility({"years": "8"}, TODAY)
    assert calculation.done and calculation.error is None
    assert calculation.headline == "可申报的最高等级：四级/中级工"
    assert any(line.startswith("来源：") for line in calculation.details)


def test_eligibility_with_a_certificate():
    calculation = calculators.eligibility({"years": "10", "certificate": "三级/高级工",
                                           "years_since_certificate": "5"}, TODAY)
    assert calculation.headline == "可申报的最高等级：二级/技师"


@pytest.mark.parametrize("related, verdict", [
    ("", "暂不符合比您现有的四级/中级工证书更高一级的申报条件"),
    ("on", "可申报的最高等级：四级/中级工"),
], ids=["本职业四级证书：四级已持有，三级还差年限", "劳动关系协调员四级：本职业四级仍可申报"])
def test_a_related_occupations_certificate_leaves_its_own_level_open(related, verdict):
    calculation = calculators.eligibility({"years": "6", "certificate": "四级/中级工", "related_certificate": related,
                                           "years_since_certificate": "1"}, TODAY)
    assert calculation.headline == verdict
    assert calculation.values["related_certificate"] == related


def test_the_related_box_without_a_certificate_changes_nothing():
    assert calculators.eligibility({"years": "6", "related_certificate": "on"}, TODAY).headline == \
        calculators.eligibility({"years": "6"}, TODAY).headline


@pytest.mark.parametrize("years, verdict", [("五年半", "四级/中级工"), ("十年", "三级/高级工"), ("6.5", "四级/中级工")],
                         ids=["五年半", "十年", "小数"])
def test_years_are_read_as_the_chat_reads_them(years, verdict):
    assert calculators.eligibility({"years": years}, TODAY).headline == f"可申报的最高等级：{verdict}"


def test_hours_in_chinese_numerals_are_read():
    assert calculators.subsidy({"paid": "四十"}, TODAY).headline.endswith("每人1000元")


def test_full_width_digits_are_read():
    assert calculators.eligibility({"years": "８"}, TODAY).headline == "可申报的最高等级：四级/中级工"


@pytest.mark.parametrize("form, message", [
    ({"years": "-1"}, "不能是负数"),
    ({"years": "abc"}, "不是一个数字"),
    ({"years": "70"}, "超出了合理范围"),
    ({"years": "5", "certificate": "三级/高级工", "years_since_certificate": "6"}, "不能超过总的工作年限"),
    ({"years": "5", "certificate": "特级"}, "请从列表中选择证书等级"),
    ({"years": "5", "education": "博士后"}, "请从列表中选择学历类别"),
    ({"years": "5", "date": "2026/06/01"}, "日期"),
    ({"years": "1" * 30}, "输入太长"),
])
def test_eligibility_input_problems_are_explained(form, message):
    calculation = calculators.eligibility(form, TODAY)
    assert not calculation.done and message in calculation.error
    assert calculation.values["years"] == form["years"][:20]  # shown again for correction


def test_subsidy_gives_the_chat_reply():
    calculation = calculators.subsidy({"free": "60", "paid": "40"}, TODAY)
    assert calculation.headline.startswith("按2021年以训兴业政策测算（该政策受理已于2021年12月31日截止")
    assert calculation.headline.endswith("：每人1400元")
    assert any("就高" in line for line in calculation.details)
    assert any(line.startswith("来源：") for line in calculation.details)


def test_subsidy_for_several_employees():
    calculation = calculators.subsidy({"paid": "40", "employees": "3"}, TODAY)
    assert calculation.headline.endswith("：每人1000元，3人共3000元")


@pytest.mark.parametrize("form, message", [
    ({}, "请至少填写一种"),
    ({"free": "-5"}, "不能是负数"),
    ({"paid": "abc"}, "不是数字"),
    ({"paid": "99999"}, "超出了一年内可能学完的课时"),
    ({"paid": "40", "employees": "0"}, "人数须为1到"),
    ({"paid": "40", "employees": "2.5"}, "人数须为1到"),
])
def test_subsidy_input_problems_are_explained(form, message):
    calculation = calculators.subsidy(form, TODAY)
    assert not calculation.done and message in calculation.error


def test_form_choices_come_from_the_policy_parameters():
    assert calculators.certificate_choices(TODAY)[0] == "五级/初级工"
    assert ("专科及以上", "大专、本科及以上") in calculators.education_choices(TODAY)
    assert dict(calculators.training_types())["paid"] == "点播付费"


# --- settings and security ------------------------------------------------------------------------

def test_config_defaults_and_environment():
    assert ConsoleConfig.from_env({}) == ConsoleConfig()
    config = ConsoleConfig.from_env({"CONSOLE_PORT": "9000", "CONSOLE_INTERFACE": "0.0.0.0",
                                     "RASA_URL": "http://rasa:5005/", "RASA_API_TOKEN": " t ",
                                     "CONSOLE_SESSION_HOURS": "4", "CONSOLE_SECURE_COOKIES": "1"})
    assert (config.port, config.interface, config.rasa_url, config.rasa_api_token, config.session_hours,
            config.secure_cookies) == (9000, "0.0.0.0", "http://rasa:5005", "t", 4.0, True)


@pytest.mark.parametrize("raw", ["0", "-1", "abc", "10000", "nan"])
def test_unfit_session_hours_are_refused(raw):
    with pytest.raises(SettingsError, match="CONSOLE_SESSION_HOURS"):
        ConsoleConfig.from_env({"CONSOLE_SESSION_HOURS": raw})


def test_a_bad_port_is_refused():
    with pytest.raises(SettingsError, match="CONSOLE_PORT"):
        ConsoleConfig.from_env({"CONSOLE_PORT": "eighty"})


@pytest.mark.parametrize("origin, host, ok", [
    (None, "127.0.0.1:8081", True),
    ("http://127.0.0.1:8081", "127.0.0.1:8081", True),
    ("https://console.example", "console.example", True),
    ("http://evil.example", "127.0.0.1:8081", False),
    ("http://127.0.0.1:9999", "127.0.0.1:8081", False),
    ("null", "127.0.0.1:8081", False),
])
def test_same_origin(origin, host, ok):
    assert same_origin(origin, host) is ok


def test_tokens_match():
    assert tokens_match("abc", "abc")
    assert not tokens_match("abc", "abd") and not tokens_match("abc", None) and not tokens_match(None, None)


def test_the_throttle_blocks_an_account_from_an_address_after_many_failures():
    now = [0.0]
    throttle = SignInThrottle(limit=3, window=60, block=30, clock=lambda: now[0])
    for _ in range(2):
        throttle.failed("1.2.3.4", "wang")
    assert not throttle.blocked("1.2.3.4", "wang")
    throttle.failed("1.2.3.4", "Wang ")
    assert throttle.blocked("1.2.3.4", "wang") and not throttle.blocked("5.6.7.8", "wang")
    now[0] = 30.0
    assert not throttle.blocked("1.2.3.4", "wang")
    throttle.failed("1.2.3.4", "wang")
    now[0] = 100.0  # the earlier failure is out of the window
    throttle.failed("1.2.3.4", "wang")
    throttle.succeeded("1.2.3.4", "wang")
    throttle.failed("1.2.3.4", "wang")
    assert not throttle.blocked("1.2.3.4", "wang")


def test_colleagues_behind_one_proxy_are_not_blocked_by_one_persons_failures():
    throttle = SignInThrottle(limit=3, window=60, block=30, address_limit=10, clock=lambda: 0.0)
    for _ in range(5):
        throttle.failed("10.0.0.1", "li")
    assert throttle.blocked("10.0.0.1", "li")
    assert not throttle.blocked("10.0.0.1", "zhao")


def test_guessing_across_many_accounts_from_one_address_is_blocked():
    throttle = SignInThrottle(limit=3, window=60, block=30, address_limit=10, clock=lambda: 0.0)
    for number in range(10):
        throttle.failed("10.0.0.2", f"guess{number}")
    assert throttle.blocked("10.0.0.2", "anyone") and not throttle.blocked("10.0.0.3", "anyone")


def test_an_unreachable_rasa_gives_a_chinese_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(rasa.RasaUnavailable, match="无法连接咨询助手"):
        asyncio.run(rasa.parse(f"http://127.0.0.1:{port}", "token", "考试是开卷吗", timeout=5))


def test_failures_cycling_through_names_do_not_grow_the_throttle_without_bound():
    now = [0.0]
    throttle = SignInThrottle(limit=3, window=60, block=30, address_limit=10**9, clock=lambda: now[0])
    for number in range(30_000):
        now[0] = number * 0.01  # 300 seconds in all: most failures fall out of the window
        throttle.failed("10.0.0.9", f"name{number}")
    assert len(throttle._pairs._failures) <= 20_000
    assert throttle.blocked("10.0.0.9", "name29999") is False


# --- calculators opened from a question -------------------------------------------------------------

@pytest.mark.parametrize("question, expected", [
    ("我干了6年人事 有四级证 拿证后干了5年 大专 能报几级",
     {"years": "6", "certificate": "四级/中级工", "years_since_certificate": "5", "education": "专科及以上"}),
    ("没有证书，做行政管理八年了", {"years": "8"}),
    ("本科劳动与社会保障专业的应届生", {"education": "专科及以上", "related_major": "on", "student": "on"}),
], ids=["年限证书学历", "没有证书", "应届相关专业"])
def test_the_eligibility_form_opens_with_the_facts_the_question_states(question, expected):
    values = calculators.eligibility_prefill(question, TODAY)
    assert {k: v for k, v in values.items() if k != "date"} == expected


def test_the_subsidy_form_opens_with_the_hours_and_headcount_of_the_question():
    values = calculators.subsidy_prefill("我们公司20个人 每人学了免费课30课时 付费课12.5课时 能补多少", TODAY)
    assert values == {"free": "30", "paid": "12.5", "employees": "20", "date": TODAY.isoformat()}
    assert calculators.subsidy(values, TODAY).headline.endswith("20人共11600元")
