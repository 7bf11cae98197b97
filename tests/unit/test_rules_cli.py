import json

import pytest

from bot.cli.rules import main
from bot.rules.fees import FeeInputError, level_code, level_fees


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_level_reads_at_a_glance(capsys):
    code, out, _ = run(capsys, "--date", "2026-11-25", "level", "--years", "6")
    assert code == 0
    assert out.splitlines()[0] == "可申报的最高等级：四级/中级工"
    assert "来源：" in out.splitlines()[-1]


def test_level_with_a_certificate_as_json(capsys):
    code, out, _ = run(capsys, "level", "--years", "8", "--certificate", "三级", "--years-since-certificate", "5",
                       "--json")
    data = json.loads(out)
    assert (code, data["level"], data["clause"]["clause_id"], data["fee_total"]) == (0, 2, "二级第1条", 235)


@pytest.mark.parametrize("related, level", [((), None), (("--related-certificate",), 4)],
                         ids=["本职业四级证书一年：没有可申报的更高等级", "劳动关系协调员四级一年：可申报本职业四级"])
def test_level_with_a_related_occupations_certificate(capsys, related, level):
    code, out, _ = run(capsys, "--date", "2026-11-25", "level", "--years", "6", "--certificate", "四级",
                       "--years-since-certificate", "1", *related, "--json")
    assert (code, json.loads(out)["level"]) == (0, level)


def test_subsidy_worked_example(capsys):
    code, out, _ = run(capsys, "--date", "2021-06-01", "subsidy", "--free", "60", "--paid", "40")
    assert code == 0
    assert out.splitlines()[0] == "预计补贴：每人1400元"
    assert "每人补贴：40×25+40×10=1400元" in out


def test_subsidy_for_a_class_as_json(capsys):
    code, out, _ = run(capsys, "subsidy", "--free", "10.3", "--paid", "15.8", "--own", "13.9",
                       "--employees", "30", "--json")
    data = json.loads(out)
    assert (data["per_person"], data["total"]) == (800, 24000)


@pytest.mark.parametrize("argv", [("level", "--years", "70"), ("level", "--certificate", "七级"),
                                  ("subsidy", "--free", "-3"), ("fees", "--level", "十级")],
                         ids=["年限不可能", "不认识的证书", "课时为负数", "不认识的等级"])
def test_bad_input_exits_2_with_a_chinese_message(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.startswith("输入有误：")


@pytest.mark.parametrize("name, code", [("四级", 4), ("4级", 4), ("三级/高级工", 3), ("高级技师", 1), ("技师", 2),
                                        ("中级工", 4), ("五级", 5)],
                         ids=["四级", "阿拉伯数字4级", "三级加名称", "高级技师", "技师", "中级工", "五级"])
def test_level_names(name, code):
    assert level_code(name) == code


def test_fees_and_retake_rule():
    import datetime as dt

    fees = level_fees("一级", dt.date(2026, 1, 1))
    assert fees.total == 235 and fees.subjects["综合评审"] == 80
    assert "全额缴纳" in fees.retake_rule and "保留1年" in fees.retake_rule and "补考1次" in fees.retake_rule
    with pytest.raises(FeeInputError, match="不在本次认定范围"):
        level_fees("五级", dt.date(2026, 1, 1))
