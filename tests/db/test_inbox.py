"""The inbox on a real database: a question logged, grouped, and decided, and the training data written."""
import json
import shutil

import pytest

from bot.cli.admin import main
from bot.db import session_scope
from bot.db.repositories import UnansweredRepository
from bot.inbox.service import Filters, Inbox
from bot.inbox.training_data import TrainingDataError
from bot.knowledge.model import read_knowledge_base
from bot.settings import PROJECT_ROOT

KEY = "jxd_q32_class_size_limit"


@pytest.fixture
def training_copy(tmp_path, monkeypatch):
    knowledge, nlu = tmp_path / "knowledge", tmp_path / "nlu"
    shutil.copytree(PROJECT_ROOT / "knowledge", knowledge)
    nlu.mkdir()
    shutil.copy(PROJECT_ROOT / "data/nlu/out_of_scope.yml", nlu / "out_of_scope.yml")
    monkeypatch.setenv("BOT_KNOWLEDGE_DIR", str(knowledge))
    monkeypatch.setenv("BOT_NLU_DATA_DIR", str(nlu))
    return knowledge, nlu


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_log_group_assign_from_the_command_line(capsys, migrated_url, training_copy):
    knowledge, _ = training_copy
    url = ["--database-url", migrated_url]
    with session_scope(migrated_url) as session:
        repository = UnansweredRepository(session)
        repository.add("一个班能放多少员工", "wechat", [{"key": KEY, "question": "一个培训班最多多少人？", "confidence": 0.3}])
        repository.add("积分落户的分数线", "rest", [])
    assert run(capsys, *url, "unanswered", "add", "一个班能放多少员工呢", "--channel", "phone")[0] == 0

    code, out, _ = run(capsys, *url, "unanswered", "list", "--json")
    groups = json.loads(out)
    assert code == 0 and [(g["question"], g["count"]) for g in groups] == [
        ("一个班能放多少员工呢", 2), ("积分落户的分数线", 1)]
    assert groups[0]["channels"] == {"phone": 1, "wechat": 1}
    assert [g["count"] for g in json.loads(run(capsys, *url, "unanswered", "list", "--channel", "phone",
                                                "--json")[1])] == [1]

    code, out, _ = run(capsys, *url, "unanswered", "assign", str(groups[0]["id"]), KEY)
    assert code == 0 and "关闭 2 条" in out
    assert "一个班能放多少员工呢" in read_knowledge_base(knowledge).items[KEY].examples
    assert [g["question"] for g in json.loads(run(capsys, *url, "unanswered", "list", "--json")[1])] == ["积分落户的分数线"]

    code, _, err = run(capsys, *url, "unanswered", "assign", str(groups[0]["id"]), KEY)
    assert code == 1 and "已经处理过" in err
    code, _, err = run(capsys, *url, "unanswered", "assign", str(groups[1]["id"]), "no_such_item")
    assert code == 1 and "没有编号" in err


def test_out_of_scope_and_new_faq(session, training_copy):
    knowledge, nlu = training_copy
    inbox = Inbox(session, read_knowledge_base(knowledge))
    first = inbox.log("公租房怎么申请", "phone")
    second = inbox.log("京训钉的课程能下载吗", "phone")
    assert inbox.out_of_scope(first.id).closed == 1
    assert "- 公租房怎么申请" in (nlu / "out_of_scope.yml").read_text(encoding="utf-8")
    decision = inbox.needs_new_faq(second.id, staff="李老师")
    assert "draft_001" in decision.written and (knowledge / "drafts.yml").exists()
    assert inbox.groups(Filters()).total_groups == 0
    resolved = UnansweredRepository(session).get(second.id)
    assert (resolved.status, resolved.resolution, resolved.resolved_by) == ("resolved", "new_faq", "李老师")


def test_a_question_with_personal_data_is_not_made_an_example(session, training_copy):
    knowledge, _ = training_copy
    inbox = Inbox(session, read_knowledge_base(knowledge))
    record = inbox.log("我的手机号13800138000 收不到验证码", "phone")
    with pytest.raises(TrainingDataError, match="个人信息"):
        inbox.assign(record.id, "jxd_q13_unit_register")
    assert UnansweredRepository(session).get(record.id).status == "open"


def test_an_empty_logged_question_is_refused(session, training_copy):
    with pytest.raises(TrainingDataError):
        Inbox(session, read_knowledge_base(training_copy[0])).log("   ", "phone")
