"""Unanswered questions that say the same thing are one group."""
import datetime as dt
from dataclasses import dataclass, field

import pytest

from bot.inbox.grouping import group, page

T0 = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.timezone.utc)


@dataclass
class Q:
    id: int
    question: str
    channel: str = "rest"
    minutes: int = 0
    candidates: list = field(default_factory=list)

    @property
    def created_at(self):
        return T0 + dt.timedelta(minutes=self.minutes)


@pytest.mark.parametrize("a, b, same", [
    ("培训证书怎么领", "培训证书怎么领？", True),
    ("培训证书怎么领", "培训证书怎么领呢", True),
    ("考試證書怎麼領", "考试证书怎么领", True),
    ("京训钉的客服电话是多少", "京训钉客服电话是多少", True),
    ("算了", "好了", False),
    ("培训证书怎么领", "补贴什么时候到账", False),
], ids=["问号", "语气词", "繁体", "差一个字", "两个字的不同话", "不同问题"])
def test_the_same_or_near_same_question_is_one_group(a, b, same):
    groups = group([Q(1, a), Q(2, b, minutes=1)])
    assert (len(groups) == 1) is same


def test_groups_count_their_questions_and_channels_and_the_newest_names_them():
    groups = group([Q(1, "算了", minutes=1), Q(2, "算了。", "wechat", minutes=5), Q(3, "证书丢了怎么办", minutes=3),
                    Q(4, "算了", minutes=2)])
    assert [(g.id, g.text, g.count) for g in groups] == [(2, "算了。", 3), (3, "证书丢了怎么办", 1)]
    assert groups[0].channels == {"wechat": 1, "rest": 2}
    assert groups[0].last_asked == T0 + dt.timedelta(minutes=5)


def test_pages_keep_to_their_range():
    groups = group([Q(i, f"第{i}个完全不同的问题内容{'甲乙丙丁戊己庚辛'[i % 8] * i}", minutes=i) for i in range(1, 6)])
    shown, pages = page(groups, 2, 2)
    assert pages == 3 and [g.id for g in shown] == [3, 2]
    assert page(groups, 9, 2)[0] == page(groups, 3, 2)[0]
    assert page([], 1, 20) == ([], 1)
