"""Typos that sound like a word of the documents are put right; words that are right are left alone."""
import pytest

from bot.nlu.homophones import build_homophones, load_homophones


@pytest.mark.parametrize("text, corrected", [
    ("企业人力资原管理师三级认定费多少", "企业人力资源管理师三级认定费多少"),
    ("从业人圆考试考多少分算通过", "从业人员考试考多少分算通过"),
    ("以训兴业补帖标准多少钱", "以训兴业补贴标准多少钱"),
    ("京训钉学原每天学习有时间限制吗", "京训钉学员每天学习有时间限制吗"),
    ("学员扫码做培训签到登计", "学员扫码做培训签到登记"),
], ids=["人力资原是人力资源", "人圆是人员", "补帖是补贴", "学原是学员", "登计是登记"])
def test_a_typo_that_sounds_like_a_word_of_the_documents_is_put_right(text, corrected):
    assert load_homophones().correct(text) == corrected


@pytest.mark.parametrize("text", [
    "这门课能不能退", "算了 不考了", "我是做行政的，照片背景是白色", "线下培训办了5天", "员工能不能学",
    "京训钉学员忘记密码怎么办", "我们单位买了付费课，发票是平台开还是卖课的单位开",
    "每人学了付费课十学时和免费课五十学时", "每个员工线下培训半小时", "谁负责认定工作", "汪老师电话多少", "我们班发了作业",
], ids=["课能不是可能", "不考不是补考", "背景是不是北京市", "培训办了不是培训班", "员工能不是员功能", "没有错字",
        "卖课不是买课", "数字不改", "半小时不改", "负责加认定不是负责人", "人名不改", "班发了不是颁发"])
def test_words_that_are_right_are_left_alone(text):
    assert load_homophones().correct(text) == text


def test_a_sound_shared_by_two_words_of_the_documents_is_left_alone():
    homophones = build_homophones(["报名 报名 保名单 保名单", "学员 学员 学园 学园"])
    assert homophones.correct("学原每天学习") == "学原每天学习"  # 学员 or 学园: no way to tell
