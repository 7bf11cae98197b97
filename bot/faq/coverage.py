"""Whether the subject of a question is one the knowledge base speaks of at all.

"企业人力资源管理师考试能带计算器进考场吗" shares most of its words with an FAQ, but its subject,
计算器, appears nowhere in the four documents or in the questions people ask about them: a confident
answer to it would answer something else. Nouns are found with jieba (the assistant's own dictionary
loaded), and a noun counts as covered when the knowledge base's text contains it.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Tuple

from bot.nlu.lexicon import load_lexicon
from bot.nlu.normalize import normalize_text

DICTIONARY = Path(__file__).resolve().parents[1] / "nlu" / "jieba_dict" / "domain_words.txt"
# Nouns and names of places and organisations; verbs, question words and Latin words are not subjects here.
SUBJECT_FLAGS = ("n", "nr", "ns", "nt", "nz")
# "…怎么办，谢谢老师": a closing courtesy is not the question.
COURTESY = re.compile(
    r"(谢谢|多谢|感谢|谢了|麻烦了?|辛苦了?|拜托了?|在线等|急|着急|您好|你好)(老师|您|你|啦|了|哈|啊|呀|大家)*"
)
# The question is in the last clause: "公司有个德国籍的工程师，京训钉里怎么都导不进去，有办法吗" asks about an import.
CLAUSES = re.compile(r"[，,。；;！!？?\n]+")
SENTENCES = re.compile(r"(?<=[。！!？?\n])")
ASKING = re.compile(r"([？?]|吗|么|什么|怎么|哪|(?<![好这十])几|多少|谁|是否|能不能|可不可以|有没有)")
# Nouns of any question, covered or not: they say what is asked, not about what.
GENERIC = frozenset(
    {
        "问题",
        "情况",
        "时候",
        "东西",
        "事情",
        "办法",
        "方面",
        "意思",
        "地方",
        "时间",
        "区别",
        "老师",
        "人员",
        "单位",
        "公司",
        "员工",
        "同事",
        "朋友",
        "一下",
        "大家",
        "个人",
        "本人",
        "证书",
        "考试",
        "感觉",
        "压力",
        "结果",
        "处理结果",
        "针对性",
    }
)
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _tokenizer():
    import jieba
    import jieba.posseg

    with _LOCK:
        tokenizer = jieba.Tokenizer()
        if DICTIONARY.exists():
            tokenizer.load_userdict(str(DICTIONARY))
        return jieba.posseg.POSTokenizer(tokenizer)


def subjects(text: str) -> Tuple[str, ...]:
    """The nouns of the question part of `text` that can be its subject, in order. Only words of jieba's
    dictionary count: a typo ("资圆") or a rare compound is no sign of another subject."""
    text = load_lexicon().standardize(normalize_text(text or ""))
    tokenizer = _tokenizer()
    found: list = []
    sentences = [sentence for sentence in SENTENCES.split(text) if sentence.strip()]
    # A statement before the question is its setting ("我在制造业公司做人事。…怎么通知？"), not its subject.
    for sentence in [s for s in sentences[:-1] if ASKING.search(s)] + sentences[-1:]:
        clauses = [
            clause for clause in CLAUSES.split(sentence) if clause.strip() and not COURTESY.fullmatch(clause.strip())
        ]
        # A sentence's question is its last clause: "我用华为手机登录，一直闪退，怎么办" is about the crash.
        for word, flag in tokenizer.cut(clauses[-1] if clauses else ""):
            word = word.strip().lower()
            if flag in SUBJECT_FLAGS and len(word) >= 2 and word not in GENERIC and tokenizer.tokenizer.FREQ.get(word):
                found.append(word)
    return tuple(dict.fromkeys(found))


HAN = re.compile(r"[\u4e00-\u9fff]+")


def _sound(text: str) -> str:
    from pypinyin import lazy_pinyin

    return " ".join(lazy_pinyin(text))


@lru_cache(maxsize=4)
def _sounds(vocabulary: str) -> frozenset:
    """Every word of the vocabulary, as it sounds (toneless pinyin). Words, not any run of characters:
    "个税" must not sound like the "个谁" that spans two words."""
    words = {word for word in _tokenizer().tokenizer.cut(vocabulary) if HAN.fullmatch(word) and len(word) >= 2}
    return frozenset(_sound(word) for word in words)


def uncovered(text: str, vocabulary: str) -> Tuple[str, ...]:
    """The subjects of `text` that the knowledge base's text (`vocabulary`, lower case) never contains,
    not even as a word that sounds the same: "成济" is a typo for 成绩, "小树点" for 小数点."""
    missing = [word for word in subjects(text) if word not in vocabulary]
    if not missing:
        return ()
    sounds = _sounds(vocabulary)
    return tuple(word for word in missing if _sound(word) not in sounds)


def prepare(vocabulary: str) -> None:
    """Load jieba and the vocabulary's sounds now rather than on the first question (a few seconds on
    2 cores; WeChat waits 5 seconds for a reply). Called when a server starts."""
    _sounds(vocabulary)
    subjects("准备")
