import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.lexical_ranker import LexicalFaqRanker, fuse, softmax

EXAMPLES = {
    "faq/class_size": ["一个班最多多少人", "班级人数上限", "一个培训班能放几个人", "班里最多几个学员"],
    "faq/daily_limit": ["每天最多学几个小时", "一天能学多久", "每日学习时长上限", "一天学习时间限制"],
    "faq/exam_time": ["什么时候考试", "考试时间在哪看", "几号考试", "考试日期是哪天"],
}


def selector_output(ranking):
    return {"faq": {"response": {"intent_response_key": ranking[0][0], "confidence": ranking[0][1]},
                    "ranking": [{"id": i, "confidence": c, "intent_response_key": k}
                                for i, (k, c) in enumerate(ranking)]}}


@pytest.fixture
def trained(tmp_path):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("lexical_ranker")
    context = ExecutionContext(GraphSchema({}), "test")
    ranker = LexicalFaqRanker.create({}, storage, resource, context)
    messages = [Message(data={"text": t, "intent": "faq", "intent_response_key": k})
                for k, texts in EXAMPLES.items() for t in texts]
    ranker.train(TrainingData(training_examples=messages))
    return storage, resource, context


def test_softmax_is_a_distribution_that_keeps_the_order():
    import numpy as np

    probabilities = softmax(np.array([1.0, 0.5, -1.0]), 0.2)
    assert probabilities.sum() == pytest.approx(1.0)
    assert list(probabilities.argsort()[::-1]) == [0, 1, 2]


def test_fuse_averages_the_two_distributions():
    ranking = fuse([{"id": 1, "confidence": 0.6, "intent_response_key": "faq/a"},
                    {"id": 2, "confidence": 0.4, "intent_response_key": "faq/b"}],
                   {"faq/a": 0.1, "faq/b": 0.9}, lexical_weight=0.5, ranking_length=10)
    assert [(r["intent_response_key"], r["confidence"]) for r in ranking] == [("faq/b", 0.65), ("faq/a", 0.35)]


def test_fuse_keeps_only_the_ranking_length():
    lexical = {f"faq/{n}": 1 / 20 for n in range(20)}
    assert len(fuse([], lexical, 0.5, ranking_length=10)) == 10


def test_the_lexical_model_corrects_a_wrong_selector_ranking(trained):
    storage, resource, context = trained
    ranker = LexicalFaqRanker.load({}, storage, resource, context)
    message = Message(data={"text": "班级最多能放多少人"})
    message.set("response_selector", selector_output([("faq/daily_limit", 0.40), ("faq/class_size", 0.35),
                                                      ("faq/exam_time", 0.25)]), add_to_output=True)
    ranker.process([message])
    output = message.get("response_selector")["faq"]
    assert output["ranking"][0]["intent_response_key"] == "faq/class_size"
    assert output["response"]["intent_response_key"] == "faq/class_size"
    assert output["response"]["utter_action"] == "utter_faq/class_size"
    assert sum(r["confidence"] for r in output["ranking"]) == pytest.approx(1.0, abs=1e-3)


def test_an_untrained_ranker_leaves_the_selector_output_alone(tmp_path):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    ranker = LexicalFaqRanker.load({}, storage, Resource("missing"), context)
    message = Message(data={"text": "随便问问"})
    original = selector_output([("faq/exam_time", 0.9)])
    message.set("response_selector", original, add_to_output=True)
    ranker.process([message])
    assert message.get("response_selector")["faq"]["ranking"][0]["intent_response_key"] == "faq/exam_time"
