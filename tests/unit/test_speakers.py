import pytest

from bot.nlu.facts import read_facts
from bot.nlu.speakers import own_part

CASES = [
    ("问自己时同事的年限不算", "我和同事小王都想报。小王做了12年人事没证；我呢，做了8年薪酬福利，也没证。我能报几级？",
     "我和同事小王都想报。我呢，做了8年薪酬福利，也没证。我能报几级？"),
    ("我同事开头的分句是同事的", "我同事有三级证，拿证后做了六年；我有四级证，拿证后做了五年人事。我呢，能报几级？",
     "我有四级证，拿证后做了五年人事。我呢，能报几级？"),
    ("两人共同的学历保留", "我和同事都是人力资源管理本科毕业。她有四级证；我没证，但做了六年招聘。我能报几级？",
     "我和同事都是人力资源管理本科毕业。我没证，但做了六年招聘。我能报几级？"),
    ("问同事时只算同事的", "我做了5年人事，我同事做了8年，他能报几级", "我同事做了8年，他能报几级"),
]
UNCHANGED = [
    ("两人一起算的费用不拆开", "我三级技能没过，同事二级技能没过，一共多少钱"),
    ("转述别人的话不是别人的情况", "同事说我做了5年可以报四级，是真的吗"),
    ("其他不是他", "我做了6年人事，其他都没有，能报几级"),
    ("只有一个人", "我做了6年人事，能报几级"),
    ("替员工问补贴时他们的课时就是要算的", "我给员工报了付费课，他们每人学了45课时，我能拿多少补贴"),
    ("同事和我都做了五年是两人共同的", "我同事和我都做了五年人事，我能报几级"),
    ("我也有指回同事的情况", "我同事有三级证，我也有，拿了5年了，我能报几级"),
    ("问我们俩不拆开", "我做了5年，同事做了8年，我们俩能报几级"),
]


@pytest.mark.parametrize("text, kept", [(t, k) for _, t, k in CASES], ids=[c[0] for c in CASES])
def test_only_the_clauses_about_the_person_asked_about_are_kept(text, kept):
    assert own_part(text) == kept


@pytest.mark.parametrize("text", [t for _, t in UNCHANGED], ids=[c[0] for c in UNCHANGED])
def test_a_message_about_one_person_or_about_both_is_kept_whole(text):
    assert own_part(text) == text


def test_the_fact_reader_reads_only_the_facts_of_the_person_asked_about():
    facts = read_facts("我同事学了付费课50课时；我学了免费课45课时加付费课20课时，都考过了，我呢？")
    assert {kind: float(value) for kind, value in facts.class_hours.items()} == {"点播免费": 45.0, "点播付费": 20.0}


def test_a_level_named_only_for_the_colleague_is_the_level_both_sat():
    facts = read_facts("我同事考二级三门全挂了；我只有综合评审没过，我补考多少钱")
    assert facts.fee_levels == (2,) and facts.fee_subjects == ("综合评审",) and not facts.fee_all_failed
