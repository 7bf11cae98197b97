"""Whole conversations over the REST channel, against the trained model and the action server."""
import uuid

import pytest
import requests

pytestmark = pytest.mark.e2e

SORRY = "抱歉，我没有完全理解您的问题"
# The honest reply to a subject the documents never speak of names it.
NOT_COVERED = "抱歉，我依据的文件里没有关于"


def say(servers, sender, text):
    response = requests.post(servers["rest"], json={"sender": sender, "message": text}, timeout=30)
    response.raise_for_status()
    return response.json()


def joined(replies):
    return "\n".join(r.get("text", "") for r in replies)


def new_sender():
    return f"e2e-{uuid.uuid4().hex[:8]}"


@pytest.mark.parametrize(
    "question, fact",
    [
        ("从业人员考试是开卷吗", "开卷"),
        ("一个班最多多少人", "999"),
        ("考試是開卷還是閉卷", "开卷"),
        ("以训兴业补贴标准是多少", "25元"),
        ("京训钉每天最多学几个小时", "8小时"),
    ],
    ids=["从业人员考试开卷", "一个班最多999人", "繁体字问开卷闭卷", "补贴标准", "每天学习上限"],
)
def test_questions_get_the_fact_and_its_source(servers, question, fact):
    text = joined(say(servers, new_sender(), question))
    assert fact in text
    assert "来源：《" in text
    assert SORRY not in text


@pytest.mark.parametrize("question", ["今天天气怎么样", "公积金怎么提取", "驾照科目一怎么约"],
                         ids=["天气", "公积金", "驾照"])
def test_out_of_scope_gets_the_honest_reply_and_a_person(servers, question):
    replies = say(servers, new_sender(), question)
    text = joined(replies)
    assert text.startswith((SORRY, NOT_COVERED)) and len(replies) == 1
    assert "如需人工帮助" in text and "来源" not in text


def test_a_subject_the_documents_never_speak_of_is_named_and_not_answered(servers):
    text = joined(say(servers, new_sender(), "企业人力资源管理师考试能带计算器进考场吗"))
    assert text.startswith(NOT_COVERED) and "计算器" in text and "来源" not in text


def test_the_unsure_reply_names_only_the_contact_of_the_conversations_document(servers):
    sender = new_sender()
    assert "来源：" in joined(say(servers, sender, "企业人力资源管理师认定的准考证怎么打印"))
    replies = say(servers, sender, "补贴")
    text = joined(replies)
    assert text.startswith(SORRY) and replies[-1].get("buttons"), "one bubble, the guesses last"
    assert "65181122-5769" in text and "010-64400680" not in text


@pytest.mark.parametrize("message", ["算了", "取消", "不问了"])
def test_leaving_with_nothing_running_gets_one_short_reply(servers, message):
    sender = new_sender()
    replies = say(servers, sender, message)
    assert len(replies) == 1 and SORRY not in replies[0]["text"]


def test_clicking_a_suggestion_after_a_fallback_answers_it(servers):
    sender = new_sender()
    replies = say(servers, sender, "补贴")
    buttons = [b for r in replies for b in r.get("buttons", [])]
    assert replies[0]["text"].startswith(SORRY) and buttons
    answer = joined(say(servers, sender, buttons[0]["payload"]))
    assert "来源：《" in answer and SORRY not in answer


def test_an_ambiguous_question_asks_which_document_then_answers_the_choice(servers):
    sender = new_sender()
    replies = say(servers, sender, "多少分及格")
    text = joined(replies)
    assert "从业人员培训考试" in text and "京训钉" in text
    labels = {b["title"]: b["payload"] for r in replies for b in r.get("buttons", [])}
    answer = joined(say(servers, sender, labels["从业人员培训考试"]))
    assert "60分" in answer and "流程第⑧步" in answer


def test_greeting_shows_the_menu(servers):
    replies = say(servers, new_sender(), "你好")
    assert "以训兴业" in joined(replies)
    assert any(r.get("buttons") for r in replies)


def test_asking_for_a_person_gives_numbers_and_hours(servers):
    text = joined(say(servers, new_sender(), "我要找人工"))
    assert "010-64400680" in text and "9:00-11:00" in text and "13:00-16:00" in text
