"""Staff decisions become training data in the files people edit, and a bad edit leaves them as they were."""
import shutil
from pathlib import Path

import pytest
import yaml

from bot.inbox import training_data
from bot.inbox.training_data import TrainingDataError
from bot.knowledge.build import generated_files
from bot.knowledge.model import read_knowledge_base
from bot.settings import PROJECT_ROOT

KEY = "jxd_q32_class_size_limit"


@pytest.fixture
def knowledge(tmp_path):
    folder = tmp_path / "knowledge"
    shutil.copytree(PROJECT_ROOT / "knowledge", folder)
    return folder


def test_an_assigned_question_becomes_an_example_of_its_item(knowledge):
    kb = read_knowledge_base(knowledge)
    assert training_data.add_faq_example(kb, KEY, "我们公司一个班能放多少个员工进去")
    again = read_knowledge_base(knowledge)
    assert "我们公司一个班能放多少个员工进去" in again.items[KEY].examples
    assert again.problems() == []
    assert "我们公司一个班能放多少个员工进去" in generated_files(again)[Path("data/nlu/faq_003_jxd_part1.yml")]


@pytest.mark.parametrize("text", ["班级上限是多少: 999吗", "#1班能放几个人", "'一个班' 多少人"])
def test_a_question_with_yaml_characters_is_written_so_that_it_reads_back(knowledge, text):
    kb = read_knowledge_base(knowledge)
    assert training_data.add_faq_example(kb, KEY, text)
    assert text in read_knowledge_base(knowledge).items[KEY].examples


def test_an_existing_example_is_not_added_twice(knowledge):
    kb = read_knowledge_base(knowledge)
    existing = kb.items[KEY].examples[0]
    assert training_data.add_faq_example(kb, KEY, existing) is False


def test_an_example_of_another_item_is_refused(knowledge):
    kb = read_knowledge_base(knowledge)
    other = kb.items["jxd_q69_daily_study_limit"].examples[0]
    with pytest.raises(TrainingDataError, match="jxd_q69_daily_study_limit"):
        training_data.add_faq_example(kb, KEY, other)


@pytest.mark.parametrize("text, problem", [
    ("我身份证110101********1234 能报吗", "个人信息"), ("", "空"), ("问" * 201, "200"),
])
def test_unfit_questions_are_refused(knowledge, text, problem):
    with pytest.raises(TrainingDataError, match=problem):
        training_data.add_faq_example(read_knowledge_base(knowledge), KEY, text)


def test_an_unknown_item_is_refused(knowledge):
    with pytest.raises(TrainingDataError, match="没有编号"):
        training_data.add_faq_example(read_knowledge_base(knowledge), "jxd_q99_nothing", "一个班多少人")


def test_an_out_of_scope_example_is_added_once(tmp_path):
    path = tmp_path / "out_of_scope.yml"
    shutil.copy(PROJECT_ROOT / "data/nlu/out_of_scope.yml", path)
    assert training_data.add_out_of_scope_example(path, "积分落户的分数线是多少")
    assert training_data.add_out_of_scope_example(path, "积分落户的分数线是多少？") is False
    examples = yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"][0]["examples"]
    assert "- 积分落户的分数线是多少\n" in examples


def test_a_draft_is_not_loaded_or_trained_on_until_it_is_moved(knowledge):
    before = generated_files(read_knowledge_base(knowledge))
    key = training_data.add_draft(knowledge, "京训钉的课程能下载到本地看吗", near="jxd_q72_learning_channels")
    assert key == "draft_001"
    assert training_data.add_draft(knowledge, "培训发票丢了怎么办") == "draft_002"
    drafts = yaml.safe_load((knowledge / "drafts.yml").read_text(encoding="utf-8"))["items"]
    assert [d["question"] for d in drafts] == ["京训钉的课程能下载到本地看吗", "培训发票丢了怎么办"]
    assert generated_files(read_knowledge_base(knowledge)) == before
