"""The report's figures: turns counted by Beijing day and channel, outcomes, top questions, callbacks."""
import datetime as dt
from types import SimpleNamespace

import pytest

from bot.calendar import WorkingDayCalendar
from bot.inbox.grouping import Group
from bot.reports import charts
from bot.reports.repository import ANSWERED, REFUSED, UNSURE, Turn, _outcome
from bot.reports.summary import CallbackFigures, callback_figures, csv_rows, summarise

UTC = dt.timezone.utc
D = dt.date.fromisoformat


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize("responses, outcome", [
    (["utter_faq/jxd_q32_class_size_limit"], ANSWERED), (["utter_not_sure"], UNSURE),
    (["utter_iamabot", "utter_contact_human"], ANSWERED), (["utter_not_covered_related"], REFUSED),
    ([], ANSWERED),
], ids=["答了常见问题", "没有把握", "闲聊", "文件未涉及", "没有回复"])
def test_a_turn_is_judged_by_its_replies(responses, outcome):
    assert _outcome(responses) == outcome


def test_turns_are_counted_by_beijing_day_and_channel():
    turns = [Turn(at("2026-12-01T15:59"), "rest", ANSWERED, "jxd_q32_class_size_limit"),  # 23:59 Beijing, 1 Dec
             Turn(at("2026-12-01T16:01"), "wechat", UNSURE, None),  # 00:01 Beijing, 2 Dec
             Turn(at("2026-12-02T02:00"), "wechat", ANSWERED, "jxd_q32_class_size_limit"),
             Turn(at("2026-11-01T02:00"), "rest", REFUSED, None)]  # before the period
    group = Group(id=9, text="公租房怎么申请", key="公租房怎么申请", ids=[9, 8])
    summary = summarise(turns, D("2026-12-01"), D("2026-12-02"), [group], CallbackFigures(1, 2, 1))
    assert summary.per_day == {D("2026-12-01"): {"rest": 1}, D("2026-12-02"): {"wechat": 2}}
    assert summary.channels == ("rest", "wechat") and summary.total("wechat") == 2
    assert summary.messages == 3 and summary.share(UNSURE) == pytest.approx(1 / 3)
    assert summary.top_questions == [("jxd_q32_class_size_limit", 2)]
    rows = csv_rows(summary, {"jxd_q32_class_size_limit": "一个培训班最多多少人？"})
    assert rows[0] == ["日期", "rest", "wechat", "合计"] and rows[1] == ["2026-12-01", "1", "0", "1"]
    assert ["一个培训班最多多少人？", "2"] in rows and ["公租房怎么申请", "2"] in rows


def test_a_callback_is_in_time_by_the_end_of_the_next_working_day():
    calendar = WorkingDayCalendar({})
    friday = at("2026-12-04T02:00")  # Friday 10:00 in Beijing
    requests = [SimpleNamespace(created_at=friday, closed_at=at("2026-12-07T09:00")),  # Monday: in time
                SimpleNamespace(created_at=friday, closed_at=at("2026-12-08T02:00")),  # Tuesday: late
                SimpleNamespace(created_at=friday, closed_at=None)]
    assert callback_figures(requests, calendar) == CallbackFigures(waiting=1, closed=2, closed_in_time=1)


def test_charts_are_svg_with_escaped_labels():
    day = D("2026-12-01")
    svg = charts.daily_bars([day], {day: {"<script>": 3}}, ["<script>"])
    assert svg.startswith("<svg") and "<script>" not in svg and "&lt;script&gt;" in svg
    assert "<rect" in charts.share_bar([("已回答", 0.8), ("没有把握", 0.2)])
