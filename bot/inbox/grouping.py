"""Unanswered questions that say the same thing, as one group: the same text once normalised, or
near enough (a particle, a typo, a punctuation mark apart)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Dict, Iterable, List, Protocol, Tuple

from bot.nlu.normalize import comparable_text

# Two questions this similar (after normalising) are one group: "培训证书怎么领" / "培训证书怎么领呢".
NEAR_SAME = 0.85
_TRAILING = re.compile(r"(吗|呢|啊|呀|吧|啦|嘛)+$")


class Question(Protocol):
    id: int
    question: str
    channel: str
    created_at: dt.datetime
    candidates: Any


@dataclass
class Group:
    """Questions that say the same thing; `id` is the newest one's, `text` what it said."""

    id: int
    text: str
    key: str
    ids: List[int] = field(default_factory=list)
    channels: Dict[str, int] = field(default_factory=dict)
    last_asked: dt.datetime = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    candidates: List[Dict[str, Any]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.ids)


def group_key(text: str) -> str:
    return _TRAILING.sub("", comparable_text(text or ""))


def _near(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 4:  # "算了" and "好了" are not one question
        return False
    return SequenceMatcher(None, a, b).ratio() >= NEAR_SAME


def group(questions: Iterable[Question]) -> List[Group]:
    """Groups, the most recently asked first; within a group the newest question names it."""
    ordered = sorted(questions, key=lambda q: (q.created_at, q.id), reverse=True)
    groups: List[Group] = []
    by_key: Dict[str, Group] = {}
    for question in ordered:
        key = group_key(question.question)
        found = by_key.get(key) or next((g for g in groups if _near(g.key, key)), None)
        if found is None:
            found = Group(
                id=question.id,
                text=question.question,
                key=key,
                last_asked=question.created_at,
                candidates=list(question.candidates or []),
            )
            groups.append(found)
        by_key[key] = found
        found.ids.append(question.id)
        found.channels[question.channel] = found.channels.get(question.channel, 0) + 1
    return groups


def page(groups: List[Group], number: int, size: int) -> Tuple[List[Group], int]:
    """The groups of page `number` (from 1), and how many pages there are."""
    pages = max(1, -(-len(groups) // size))
    number = min(max(1, number), pages)
    return groups[(number - 1) * size : number * size], pages
