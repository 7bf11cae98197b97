"""The knowledge base is fit to train on, and the generated Rasa files match it."""
import re

import pytest
import yaml

from bot.knowledge import load_knowledge_base
from bot.knowledge.build import generated_files, stale_generated_files
from bot.nlu.normalize import to_simplified

SEED_QUESTIONS_003 = 72


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


def test_knowledge_base_has_no_problems(kb):
    assert kb.problems() == []


def test_every_question_of_003_has_its_own_item(kb):
    numbers = {
        int(m.group(1))
        for item in kb.items.values()
        if item.document == "003"
        for m in [re.search(r"第(\d+)问", item.citation)]
        if m
    }
    assert numbers == set(range(1, SEED_QUESTIONS_003 + 1))


def test_every_document_is_covered(kb):
    per_document = {}
    for item in kb.items.values():
        per_document[item.document] = per_document.get(item.document, 0) + 1
    assert per_document["000"] >= 15
    assert per_document["001"] >= 20
    assert per_document["002"] >= 20
    # Each of 003's questions is an item; an overview (以训兴业是什么政策) cites several of them besides.
    questions = [re.findall(r"第([\d、]+)问", item.citation)[-1] for item in kb.items.values() if item.document == "003"]
    assert sorted(int(q) for q in questions if "、" not in q) == list(range(1, SEED_QUESTIONS_003 + 1))
    assert all(1 <= int(n) <= SEED_QUESTIONS_003 for q in questions for n in q.split("、"))


def test_every_answer_cites_its_source(kb):
    for item in kb.items.values():
        assert item.reply_text.splitlines()[-1].startswith("来源：《"), item.key


def test_answers_are_in_simplified_chinese(kb):
    for item in kb.items.values():
        text = item.answer + item.question
        assert to_simplified(text) == text, item.key


def test_noise_from_002_is_not_knowledge(kb):
    noise = ["51264100", "15901414201", "13810876422", "15811207920", "在职研究生", "小汤山"]
    for item in kb.items.values():
        for fragment in noise:
            assert fragment not in item.reply_text, (item.key, fragment)


def test_disambiguation_offers_each_document_as_a_button(kb):
    asks = [item for item in kb.items.values() if item.is_disambiguation]
    assert {i.key for i in asks} >= {"ask_passing_score", "ask_photo_rules", "ask_forgot_password",
                                     "ask_consult_phone", "ask_open_book"}
    for item in asks:
        documents = {kb.get(option.key).document for option in item.options}
        assert len(documents) >= 2, item.key


def test_generated_files_are_up_to_date():
    assert stale_generated_files() == []


def test_generated_files_are_valid_rasa_yaml(kb):
    for path, content in generated_files(kb).items():
        if path.suffix != ".yml":
            continue  # the training digest
        data = yaml.safe_load(content)
        assert data["version"] == "3.1"
        for block in data["nlu"]:
            examples = [line[2:] for line in block["examples"].splitlines()]
            assert all(examples), (path, block["intent"])


def test_heldout_examples_are_never_trained_on(kb):
    from bot.nlu.normalize import comparable_text

    trained = {comparable_text(t) for item in kb.items.values() for t in item.training_examples()}
    for item in kb.items.values():
        for text in item.heldout:
            assert comparable_text(text) not in trained, (item.key, text)


def test_menu_buttons_send_questions_the_assistant_knows(kb):
    domain = yaml.safe_load(open("domain.yml", encoding="utf-8"))
    smalltalk = yaml.safe_load(open("data/nlu/smalltalk.yml", encoding="utf-8"))
    request_human = next(b for b in smalltalk["nlu"] if b["intent"] == "request_human")["examples"]
    for button in domain["responses"]["utter_greet"][0]["buttons"]:
        payload = button["payload"]
        assert kb.by_question(payload) is not None or f"- {payload}\n" in request_human, payload


def test_smalltalk_heldout_is_never_trained_on():
    from bot.nlu.normalize import comparable_text

    def texts(path):
        data = yaml.safe_load(open(path, encoding="utf-8"))
        return {comparable_text(line[2:]) for b in data["nlu"] for line in b["examples"].splitlines() if line}

    trained = texts("data/nlu/smalltalk.yml") | texts("data/nlu/out_of_scope.yml")
    assert not trained & texts("tests/nlu/smalltalk_heldout.yml")


def test_no_faq_example_is_also_an_example_of_another_intent(kb):
    from bot.nlu.normalize import comparable_text

    other = {}
    for name in ("smalltalk.yml", "out_of_scope.yml", "calculations.yml"):
        data = yaml.safe_load(open(f"data/nlu/{name}", encoding="utf-8"))
        for block in data["nlu"]:
            for line in block["examples"].splitlines():
                if line.strip():
                    other[comparable_text(line.strip()[2:])] = block["intent"]
    clashes = [(item.key, text, other[comparable_text(text)]) for item in kb.items.values()
               for text in item.training_examples() if comparable_text(text) in other]
    assert clashes == []
