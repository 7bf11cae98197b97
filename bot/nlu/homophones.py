"""Typos that sound like a word of the documents, put right: "人力资原" → "人力资源", "补帖" → "补贴".

People type Chinese by pinyin, so most typos are another character with the same sound. A stretch of a
message that is no word at all (not in jieba's dictionary, nor in the knowledge base) but sounds exactly
like one word of the knowledge base is that word. The reviewed spellings of `lexicon.yml` come first;
this catches the many typos nobody listed.

Guards against putting right what was never wrong:
- two-character stretches must match with their tones ("课能" is not "可能", "不考" is not "补考") and
  be one word as jieba cuts the message;
- a stretch that is a word plus a common character of the next word ("背景是", "培训办了") is left alone.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, FrozenSet, List, Tuple

HAN = re.compile(r"[\u4e00-\u9fff]+")
LONGEST = 6
# A knowledge-base word must occur this often to be a target: a one-off word is no evidence of a typo.
# Two characters sound alike far more often by chance, so a two-character target must be a common one.
MIN_OCCURRENCES = 2
MIN_OCCURRENCES_SHORT = 5
# Characters this common (jieba's frequency) stand alone so often that a stretch ending or starting
# with one is more likely two words than a typo.
COMMON_CHARACTER = 50000
COMMON_NEXT_CHARACTER = 10000
PARTICLES = "吗呢吧啊了的么"
# A figure is read by the fact reader; "付费课十学时" must not become 课时.
NUMERALS = re.compile(r"[零〇一二两三四五六七八九十百千万半几]")


@dataclass(frozen=True)
class Homophones:
    words: FrozenSet[str]
    by_sound: Dict[str, Tuple[str, ...]]

    def correct(self, text: str) -> str:
        if not text or not HAN.search(text):
            return text
        tokenizer = _tokenizer()
        frequency = tokenizer.FREQ
        plain = [_sound(ch, toned=False) for ch in text]
        toned = [_sound(ch, toned=True) for ch in text]
        tokens, position = set(), 0
        for token in tokenizer.cut(text, HMM=True):
            tokens.add((position, position + len(token)))
            position += len(token)
        out = list(text)
        i = 0
        while i < len(text):
            for length in range(LONGEST, 1, -1):
                window = text[i : i + length]
                if len(window) < length or not self._suspect(window, i, text, tokens, frequency):
                    continue
                key = " ".join(toned[i : i + length]) if length == 2 else " ".join(plain[i : i + length])
                found = self.by_sound.get(_key(key, length))
                if found and len(found) == 1:
                    out[i : i + length] = list(found[0])
                    i += length
                    break
            else:
                i += 1
        return "".join(out)

    def _suspect(self, window: str, i: int, text: str, tokens: set, frequency: Dict[str, int]) -> bool:
        """Whether `window` may be a typo: no word itself, no figure, and not a word beside the start or the
        end of another ("负责认定" is 负责 + 认定, "培训半小时" 培训 + 半小时, "汪老师" a name + 老师)."""
        if (
            not HAN.fullmatch(window)
            or window in self.words
            or frequency.get(window)
            or window[-1] in PARTICLES
            or NUMERALS.search(window)
        ):
            return False
        if len(window) == 2:
            if (i, i + 2) not in tokens or max(frequency.get(ch, 0) for ch in window) >= COMMON_CHARACTER:
                return False
            return not (i > 0 and frequency.get(text[i - 1 : i + 1]) or frequency.get(text[i + 1 : i + 3]))
        end = i + len(window)
        if len(window) == 3 and (frequency.get(window[:2]) or frequency.get(window[1:])):
            return False
        starts_next = any(frequency.get(text[end - 1 : end + extra]) for extra in (1, 2))
        ends_previous = i > 0 and bool(frequency.get(text[i - 1 : i + 1]))
        return not (
            frequency.get(window[:-1])
            and (starts_next or frequency.get(window[-1], 0) >= COMMON_NEXT_CHARACTER)
            or frequency.get(window[1:])
            and (ends_previous or frequency.get(window[0], 0) >= COMMON_NEXT_CHARACTER)
        )


@lru_cache(maxsize=8192)
def _sound(character: str, toned: bool) -> str:
    """A character's default reading, with or without its tone ("" for anything but a Han character)."""
    from pypinyin import Style, lazy_pinyin

    if not HAN.fullmatch(character):
        return ""
    return lazy_pinyin(character, style=Style.TONE3 if toned else Style.NORMAL)[0]


def _key(sound: str, length: int) -> str:
    return f"{length}:{sound}"


@lru_cache(maxsize=1)
def _tokenizer():
    from bot.faq.coverage import _tokenizer as coverage_tokenizer

    return coverage_tokenizer().tokenizer


def build_homophones(texts: List[str]) -> Homophones:
    """The targets: words of `texts` (the knowledge base's questions and answers) seen often enough."""
    tokenizer = _tokenizer()
    counts = Counter(word for text in texts for word in tokenizer.cut(text) if HAN.fullmatch(word) and len(word) >= 2)
    words = frozenset(
        word
        for word, count in counts.items()
        if len(word) <= LONGEST and count >= (MIN_OCCURRENCES_SHORT if len(word) == 2 else MIN_OCCURRENCES)
    )
    by_sound: Dict[str, List[str]] = defaultdict(list)
    for word in sorted(words):
        # Character by character, as a typed stretch is read: a word's own reading of a polyphone would differ.
        sound = " ".join(_sound(ch, toned=len(word) == 2) for ch in word)
        by_sound[_key(sound, len(word))].append(word)
    return Homophones(words, {key: tuple(found) for key, found in by_sound.items()})


@lru_cache(maxsize=1)
def load_homophones() -> Homophones:
    from bot.knowledge.model import load_knowledge_base
    from bot.nlu.normalize import normalize_text

    kb = load_knowledge_base()
    return build_homophones([normalize_text(f"{item.question}\n{item.answer}") for item in kb.items.values()])


def correct_homophones(text: str) -> str:
    from bot.settings import understanding_enabled

    return load_homophones().correct(text) if understanding_enabled("homophones") else text
