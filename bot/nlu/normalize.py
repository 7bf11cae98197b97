"""Input normalisation shared by the NLU pipeline and the knowledge base.

Users type traditional characters (002 is itself traditional), full-width letters
and digits from Chinese IMEs, and stray spaces. One normal form keeps the
classifier and canonical-question matching consistent across channels.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_FULLWIDTH_OFFSET = 0xFEE0
_SPACES = re.compile(r"\s+")
# Circled numbers (①) are meaningful in 000 and 001; NFKC would turn them into digits,
# so only the full-width ASCII block and the ideographic space are folded.
_FULLWIDTH_TABLE = {code: code - _FULLWIDTH_OFFSET for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH_TABLE[0x3000] = 0x20


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_halfwidth(text: str) -> str:
    return text.translate(_FULLWIDTH_TABLE)


def to_simplified(text: str) -> str:
    return _converter().convert(text)


def normalize_text(text: str) -> str:
    """Half-width, simplified, single-spaced and trimmed."""
    if not text:
        return ""
    text = to_simplified(to_halfwidth(text))
    return _SPACES.sub(" ", text).strip()


def comparable_text(text: str) -> str:
    """A key for equality between phrasings that differ only in form or punctuation."""
    normalized = normalize_text(text).lower()
    return "".join(ch for ch in normalized if not unicodedata.category(ch).startswith(("P", "Z", "S")))
