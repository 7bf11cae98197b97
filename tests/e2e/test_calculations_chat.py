"""The eligibility and subsidy calculations over the REST channel, whole conversations."""
import uuid

import pytest

from tests.e2e.test_rest_channel import joined, say

pytestmark = pytest.mark.e2e


def new_sender():
    return f"calc-{uuid.uuid4().hex[:8]}"


def test_a_question_with_every_fact_is_answered_at_once(servers):
    text = joined(say(servers, new_sender(), "我有三级证书，拿证后干了5年，能报几级"))
    assert text.startswith("可申报的最高等级：二级/技师")
    assert "二级第1条" in text and "235元" in text and "来源：" in text


def test_missing_facts_are_asked_one_at_a_time_and_a_correction_gives_a_new_result(servers):
    sender = new_sender()
    replies = say(servers, sender, "我干了6年人事，能报几级")
    assert "证书" in joined(replies)
    assert "没有证书" in [b["payload"] for r in replies for b in r.get("buttons", [])]
    replies = say(servers, sender, "没有证书")
    assert "以上都不是" in [b["payload"] for r in replies for b in r.get("buttons", [])]
    assert joined(say(servers, sender, "以上都不是")).startswith("可申报的最高等级：四级/中级工")
    assert joined(say(servers, sender, "不对，是10年")).startswith("可申报的最高等级：三级/高级工")


def test_subsidy_worked_example_in_one_message(servers):
    text = joined(say(servers, new_sender(), "员工学了60课时免费课、40课时付费课，单位能补多少"))
    assert text.startswith("预计补贴：每人1400元")
    assert "40×25+40×10=1400元" in text and "差评率" in text


def test_leaving_a_calculation(servers):
    sender = new_sender()
    assert "课时" in joined(say(servers, sender, "帮我算算补贴"))
    assert "已取消" in joined(say(servers, sender, "算了"))


def test_impossible_years_get_a_polite_re_ask(servers):
    sender = new_sender()
    say(servers, sender, "帮我看看我能报几级")
    text = joined(say(servers, sender, "我干了70年"))
    assert "合理范围" in text


def test_an_unknown_certificate_gets_a_polite_re_ask(servers):
    sender = new_sender()
    say(servers, sender, "我干了6年人事，能报几级")
    replies = say(servers, sender, "我有七级证书")
    text = joined(replies)
    assert "没有“7级”这个等级" in text
    assert "没有证书" in [b["payload"] for r in replies for b in r.get("buttons", [])]
