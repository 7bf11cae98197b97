import pytest

from bot.nlu.normalize import comparable_text, normalize_text


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("考試是開卷還是閉卷", "考试是开卷还是闭卷"),
        ("忘記密碼怎麼辦", "忘记密码怎么办"),
        ("準考證打印時間已過", "准考证打印时间已过"),
        ("ＡＴＡ評價中心", "ATA评价中心"),
        ("一個班最多９９９人嗎？", "一个班最多999人吗?"),
        ("　京训钉　　怎么　注册　", "京训钉 怎么 注册"),
        ("第④步", "第④步"),
        ("", ""),
    ],
    ids=[
        "繁体问开卷闭卷转成简体",
        "繁体问忘记密码转成简体",
        "繁体准考证转成简体",
        "全角字母转半角",
        "全角数字和问号转半角",
        "全角空格和多余空格合并",
        "带圈数字保持不变",
        "空输入得到空串",
    ],
)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


def test_comparable_text_ignores_punctuation_spacing_and_script():
    assert comparable_text("什麼時候考試？") == comparable_text("什么时候考试")
    assert comparable_text("Ａ B，c!") == "abc"


def test_comparable_text_keeps_different_questions_apart():
    assert comparable_text("什么时候考试") != comparable_text("什么时候报名")
