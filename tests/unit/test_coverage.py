import pytest

from bot.faq.coverage import subjects, uncovered
from bot.knowledge import load_knowledge_base


@pytest.fixture(scope="module")
def vocabulary():
    return load_knowledge_base().vocabulary


@pytest.mark.parametrize("text, words", [
    ("企业人力资源管理师考试能带计算器进考场吗", ("计算器",)),
    ("公司用培训补贴给员工发的奖励，员工要交个税吗", ("个税",)),
    ("北京冰雪消费券在哪里领", ("冰雪",)),
], ids=["计算器", "个税不因与“个谁”同音而算作提到", "冰雪"])
def test_subjects_the_documents_never_speak_of_are_found(vocabulary, text, words):
    assert set(words) <= set(uncovered(text, vocabulary))


@pytest.mark.parametrize("text", [
    "人力资源市场从业人员考试交卷后多久出成济",
    "京训钉的课时数为啥有小树点",
    "企业人力资圆管理师二级认定费盒计多少",
    "公司有个德国籍的工程师，京训钉里怎么都导不进去，有办法吗",
    "京训钉学员忘记密码怎么办",
    "京训钉学员忘记密码怎么办，谢谢",
    "四级报名费多少钱？谢谢老师",
], ids=["同音错字成济是成绩", "同音错字小树是小数", "词典外的错字不算新主题", "前文的名词不是问题的主题", "文件里有的主题",
        "结尾的谢谢不是主题", "结尾的谢谢老师不是主题"])
def test_typos_preambles_and_covered_subjects_are_not_taken_for_another_subject(vocabulary, text):
    assert uncovered(text, vocabulary) == ()


def test_only_nouns_of_the_last_clause_are_subjects():
    assert subjects("我们是一家物流公司，单位账号怎么注册") == ("账号",)


@pytest.mark.parametrize("text, words", [
    ("企业人力资源管理师三级的教材在哪买？多少钱一套？", ("教材",)),
    ("在职研究生怎么报名？京训钉的课时怎么算？", ("研究生", "课时")),
], ids=["前一个问句的主题也算", "每个问句都有自己的主题"])
def test_the_subject_of_each_question_counts(text, words):
    assert set(words) <= set(subjects(text))


def test_a_statement_before_the_question_is_its_setting_not_its_subject():
    assert "制造业" not in subjects("我在制造业公司做了好几年人事。认定通知一般提前多久发？")
