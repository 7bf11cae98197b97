import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import ActionAnswerFaq
from bot.knowledge import load_knowledge_base
from tests.unit.helpers import parse_data


def trained_domain():
    """The responses a model trained on the current knowledge base has."""
    kb = load_knowledge_base()
    return {"responses": {item.response_name: [{"text": item.reply_text}] for item in kb.items.values()}}


def run_action(latest_message, domain=None, events=()):
    tracker = Tracker("user-1", {}, latest_message, list(events), False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAnswerFaq().run(dispatcher, tracker, trained_domain() if domain is None else domain))
    return dispatcher.messages, events


def test_confident_question_gets_the_faq_response():
    messages, events = run_action(
        parse_data("一个班最多多少人", "faq", faq_ranking=[("jxd_q32_class_size_limit", 0.95)]))
    assert [m["response"] for m in messages] == ["utter_faq/jxd_q32_class_size_limit"]
    assert events == [{"event": "slot", "timestamp": None, "name": "topic_document", "value": "003"}]


def test_unsure_question_gets_one_bubble_with_the_contact_first_and_the_guesses_last():
    kb = load_knowledge_base()
    ranking = [("hrm_q1_exam_time", 0.3), ("hrm_q7_forgot_exam_time", 0.2), ("ata_exam_months", 0.1)]
    messages, _ = run_action(parse_data("考试那个", "faq", faq_ranking=ranking))
    assert [m["response"] for m in messages] == ["utter_not_sure"]
    assert "010-64400680" in messages[0]["contact"], "most guesses are about the practitioner exam (000)"
    assert "65181122" not in messages[0]["contact"]
    buttons = messages[0]["buttons"]
    assert [b["payload"] for b in buttons] == [kb.get(key).question for key, _ in ranking]
    assert all(b["title"] == b["payload"] for b in buttons)


def test_a_subject_the_documents_never_speak_of_is_named_in_the_honest_reply():
    kb = load_knowledge_base()
    messages, events = run_action(parse_data("企业人力资源管理师考试能带计算器进考场吗", "faq",
                                             faq_ranking=[("ata_subjects", 0.9), ("ata_exam_months", 0.05)]))
    assert [m["response"] for m in messages] == ["utter_not_covered_related"]
    assert messages[0]["subject"] == "计算器" and "65181122" in messages[0]["contact"]
    assert [b["payload"] for b in messages[0]["buttons"]] == [kb.get("ata_subjects").question]
    assert events == []


def test_out_of_scope_without_any_plausible_faq_gets_the_plain_honest_reply():
    messages, _ = run_action(parse_data("今天天气怎么样", "out_of_scope", faq_ranking=[("hrm_q1_exam_time", 0.01)]))
    assert [m["response"] for m in messages] == ["utter_not_understood"]
    assert messages[0]["buttons"] == []
    assert "转人工" in messages[0]["contact"], "no document at hand: no list of every document's numbers"


def test_the_unsure_reply_names_the_contact_of_the_conversations_document():
    ranking = [("hrm_q1_exam_time", 0.3), ("hrm_q7_forgot_exam_time", 0.2)]
    earlier = [{"event": "slot", "name": "topic_document", "value": "001"}]
    messages, _ = run_action(parse_data("那个呢", "faq", faq_ranking=ranking), events=earlier)
    assert "65181122-5769" in messages[0]["contact"]


def test_ambiguous_question_gets_the_disambiguation_response():
    messages, _ = run_action(
        parse_data("多少分及格", "faq", faq_ranking=[("ask_passing_score", 0.9)]))
    assert [m["response"] for m in messages] == ["utter_faq/ask_passing_score"]


@pytest.mark.parametrize("latest_message", [{}, {"text": None}, {"text": "", "intent": {}}],
                         ids=["空消息", "文本为空值", "意图为空"])
def test_malformed_parse_data_never_silences_the_assistant(latest_message):
    messages, _ = run_action(latest_message)
    assert [m["response"] for m in messages] == ["utter_not_understood"]


def test_a_model_older_than_the_knowledge_base_still_gets_the_answer_text():
    kb = load_knowledge_base()
    messages, _ = run_action(parse_data("多少分及格", "faq", faq_ranking=[("ask_passing_score", 0.9)]),
                             domain={"responses": {}})
    item = kb.get("ask_passing_score")
    assert messages[0]["response"] is None
    assert messages[0]["text"] == item.reply_text
    assert [b["payload"] for b in messages[0]["buttons"]] == [kb.get(o.key).question for o in item.options]


def test_the_core_fallback_answers_once_and_ends_the_turn():
    from actions.faq import ActionFallback

    tracker = Tracker("user-1", {}, parse_data("今天天气怎么样", "out_of_scope", faq_ranking=[("hrm_q1_exam_time", 0.01)]),
                      [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionFallback().run(dispatcher, tracker, trained_domain()))
    assert [m["response"] for m in dispatcher.messages] == ["utter_not_understood"]
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "action_listen"}


def test_a_button_s_question_is_settled_and_never_read_with_the_conversation():
    from bot.faq.decision import settled

    kb = load_knowledge_base()
    question = kb.get("ask_passing_score").question
    assert settled(parse_data(question, "faq", faq_ranking=[("ask_passing_score", 0.3)]), kb, 0.2, 0.05, 0.65)
