"""A message with an ID number asks for that person's exam, whatever the classifier guessed."""
import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.components import IdNumberIntent


def classified(text, intent, confidence=0.6):
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": confidence})
    message.set("intent_ranking", [{"name": intent, "confidence": confidence}])
    return message


def component():
    return IdNumberIntent(IdNumberIntent.get_default_config())


@pytest.mark.parametrize("text, guessed, expected", [
    ("110101199704021888", "nlu_fallback", "ask_my_exam_date"),
    ("身份证号11010519491231002X 帮我看看", "faq", "ask_my_exam_date"),
    ("我的身份证是11010519491231002x", "out_of_scope", "ask_my_exam_date"),
    ("11010519491231002X 算了", "stop", "stop"),
    ("我12月5日考的 身份证11010519491231002X 什么时候录入", "ask_results_date", "ask_results_date"),
    ("我干了18年人事", "ask_eligibility", "ask_eligibility"),
    ("电话13912345678", "inform", "inform"),
], ids=["只发身份证号", "问题里带身份证号", "小写x", "带号码说算了仍是退出", "问录入日期时带号码不改意图",
        "没有身份证号不改", "手机号不是身份证号"])
def test_id_numbers_set_the_intent(text, guessed, expected):
    [message] = component().process([classified(text, guessed)])
    assert message.get("intent")["name"] == expected
    assert message.get("intent_ranking")[0]["name"] == expected
