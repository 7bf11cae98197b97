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


def test_answer_first_then_a_button_adds_what_could_raise_the_level(servers):
    sender = new_sender()
    replies = say(servers, sender, "我做了八年行政 没考过证")
    assert joined(replies).startswith("可申报的最高等级：四级/中级工")
    assert "三级第3条" in joined(replies)
    refine = [b["payload"] for r in replies for b in r.get("buttons", []) if "refine_eligibility" in b["payload"]]
    assert refine
    assert "以上都不是" in [b["payload"] for r in say(servers, sender, refine[0]) for b in r.get("buttons", [])]
    say(servers, sender, "技工院校高级工班")
    assert joined(say(servers, sender, "是相关专业")).startswith("可申报的最高等级：三级/高级工")


def test_a_certificate_without_its_years_is_asked_about_and_a_correction_gives_a_new_result(servers):
    sender = new_sender()
    assert "取得这个证书以后" in joined(say(servers, sender, "我有三级证书 能报二级吗"))
    assert joined(say(servers, sender, "5年")).startswith("可申报的最高等级：二级/技师")
    assert joined(say(servers, sender, "不对，是4年")).startswith("暂不符合比您现有的三级/高级工证书更高一级")


def test_subsidy_worked_example_in_one_message(servers):
    text = joined(say(servers, new_sender(), "员工学了60课时免费课、40课时付费课，单位能补多少"))
    assert text.startswith("按2021年以训兴业政策测算（该政策受理已于2021年12月31日截止")
    assert "每人1400元" in text.splitlines()[0]
    assert "40×25+40×10=1400元" in text and "差评率" in text


def test_subsidy_hours_piece_by_piece(servers):
    sender = new_sender()
    assert "课时" in joined(say(servers, sender, "帮我算补贴"))
    assert "合计40课时" in joined(say(servers, sender, "免费课40课时"))
    assert "合计50课时" in joined(say(servers, sender, "还有付费课10课时"))
    assert "每人550元" in joined(say(servers, sender, "没有了")).splitlines()[0]


@pytest.mark.parametrize("question, fragment", [("二级的技能考核没过 补考要多少钱", "80元"), ("二级比三级贵多少", "贵85元"),
                                                ("三级一共多少钱", "共150元")],
                         ids=["二级技能补考", "二级比三级", "三级一共"])
def test_fees_are_calculated(servers, question, fragment):
    text = joined(say(servers, new_sender(), question))
    assert fragment in text.splitlines()[0] and "来源：" in text


def test_a_question_about_the_general_rule_still_gets_the_faq(servers):
    text = joined(say(servers, new_sender(), "四级申报条件是什么"))
    assert "可申报的最高等级" not in text and "来源：" in text


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
    say(servers, sender, "我能报几级")
    replies = say(servers, sender, "我有七级证书")
    text = joined(replies)
    assert "没有“7级”这个等级" in text
    assert "没有证书" in [b["payload"] for r in replies for b in r.get("buttons", [])]
