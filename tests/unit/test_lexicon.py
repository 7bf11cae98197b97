"""The reviewed vocabulary: spellings people type, standardised; and the lexicon's own rules."""
from pathlib import Path

import pytest

from bot.nlu.lexicon import LexiconError, load_lexicon, parse_lexicon

JIEBA_DICTIONARY = Path(__file__).resolve().parents[2] / "bot" / "nlu" / "jieba_dict" / "domain_words.txt"


@pytest.mark.parametrize("typed, standard", [
    ("京讯钉怎么登录", "京训钉怎么登录"),
    ("准考正在哪打印", "准考证在哪打印"),
    ("人力资源师四级多少钱", "人力资源管理师四级多少钱"),
    ("hrm三级条件", "人力资源管理师三级条件"),
    ("app上看不到课", "手机端上看不到课"),
    ("PC端和手机能同时登陆吗", "网页端和手机能同时登录吗"),
    ("外地交的社会保险行吗", "外地交的社保行吗"),
], ids=["京讯钉", "准考正", "人力资源师", "小写hrm", "app", "PC端与登陆", "社会保险"])
def test_what_people_type_becomes_the_documents_spelling(typed, standard):
    assert load_lexicon().standardize(typed) == standard


def test_an_ascii_variant_inside_a_longer_word_is_left_alone():
    assert load_lexicon().standardize("happy application") == "happy application"


def test_a_variant_listed_twice_fails_at_load():
    with pytest.raises(LexiconError):
        parse_lexicon({"rewrites": [{"standard": "京训钉", "variants": ["京讯钉"]},
                                    {"standard": "京训定", "variants": ["京讯钉"]}]})


def test_a_variant_inside_its_standard_form_fails_at_load():
    with pytest.raises(LexiconError):
        parse_lexicon({"rewrites": [{"standard": "以训兴业补贴", "variants": ["以训兴业"]}]})


def test_every_chinese_standard_form_is_a_word_of_the_tokenizer():
    words = {line.split()[0] for line in JIEBA_DICTIONARY.read_text(encoding="utf-8").splitlines() if line.strip()}
    standards = {standard for _, standard in load_lexicon().rewrites if not standard.isascii()}
    assert standards - words == set()
