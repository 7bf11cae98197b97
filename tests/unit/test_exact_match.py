import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.exact_match import ExactExampleIntent

EXAMPLES = [("对", "affirm"), ("好的", "affirm"), ("没有", "deny"), ("转人工", "request_human"),
            ("嗯", "affirm"), ("嗯", "deny"), ("几号考试", "faq")]


@pytest.fixture
def loaded(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("exact")
    context = ExecutionContext(GraphSchema({}), "test")
    messages = [Message(data={"text": text, "intent": intent}) for text, intent in EXAMPLES]
    ExactExampleIntent.create({}, storage, resource, context).train(TrainingData(training_examples=messages))
    return ExactExampleIntent.load({"keep_intents": ["stop"]}, storage, resource, context)


def parsed(component, text, intent="nlu_fallback", confidence=0.45):
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": confidence}, add_to_output=True)
    message.set("intent_ranking", [{"name": intent, "confidence": confidence}], add_to_output=True)
    return component.process([message])[0]


@pytest.mark.parametrize("text, intent", [
    ("对", "affirm"), ("好的！", "affirm"), ("没有。", "deny"), ("转 人工", "request_human"),
    ("对的对的", "nlu_fallback"), ("嗯", "nlu_fallback"), ("几号考试", "nlu_fallback"),
], ids=["训练例句本身", "标点不算", "句号不算", "空格不算", "不是原句不管", "两个意图共有的例句不决定",
        "常见问题的例句交给选择器"])
def test_a_reply_that_is_a_training_example_gets_its_intent(loaded, text, intent):
    assert parsed(loaded, text).get("intent")["name"] == intent


def test_the_chosen_intent_leads_the_ranking_with_full_confidence(loaded):
    message = parsed(loaded, "好的")
    assert message.get("intent") == {"name": "affirm", "confidence": 1.0}
    assert [entry["name"] for entry in message.get("intent_ranking")] == ["affirm", "nlu_fallback"]


def test_a_kept_intent_is_not_overridden(loaded):
    assert parsed(loaded, "没有", intent="stop", confidence=0.9).get("intent")["name"] == "stop"


def test_it_can_be_switched_off(loaded, monkeypatch):
    monkeypatch.setenv("BOT_DISABLE", "exact")
    assert parsed(loaded, "对").get("intent")["name"] == "nlu_fallback"
