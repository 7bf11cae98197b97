"""The report page: messages per day and channel, the share answered, unsure and refused, the top
questions and unanswered groups, and the callbacks; charts drawn as SVG on the server, and a CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any, Awaitable, Callable, Dict

from markupsafe import Markup
from sanic import Request, Sanic, response
from sqlalchemy.orm import Session

from bot.calendar import load_calendar
from bot.db.repositories import CallbackRepository
from bot.inbox.service import Filters, Inbox
from bot.knowledge import load_knowledge_base
from bot.reports import charts
from bot.reports.repository import TurnRepository
from bot.reports.summary import OUTCOME_NAMES, OUTCOMES, Summary, callback_figures, csv_rows, summarise
from bot.rules.consultation import beijing_now, beijing_timezone

PERIODS = (7, 30, 90)


def _days(request: Request) -> int:
    raw = request.args.get("days", "30")
    return int(raw) if raw.isdigit() and int(raw) in PERIODS else 30


def _summary(session: Session, days: int) -> Summary:
    last_day = beijing_now().date()
    first_day = last_day - dt.timedelta(days=days - 1)
    since = dt.datetime.combine(first_day, dt.time(), beijing_timezone()).astimezone(dt.timezone.utc)
    turns = TurnRepository(session).turns(since)
    groups = Inbox(session, load_knowledge_base()).groups(Filters(since=since), size=10**6).groups
    callbacks = callback_figures(CallbackRepository(session).created_since(since), load_calendar())
    return summarise(turns, first_day, last_day, groups, callbacks)


def _questions() -> Dict[str, str]:
    """Each FAQ's question by key, to name the top questions."""
    return {key: item.question for key, item in load_knowledge_base().items.items()}


def register(app: Sanic, db: Callable[[Callable[[Session], Any]], Awaitable[Any]], page: Callable[..., Any]) -> None:
    @app.get("/reports")
    async def reports(request: Request):
        days = _days(request)
        summary = await db(lambda session: _summary(session, days))
        shares = [(OUTCOME_NAMES[o], summary.share(o)) for o in OUTCOMES]
        return page(
            request,
            "reports.html",
            summary=summary,
            days=days,
            periods=PERIODS,
            outcome_names=OUTCOME_NAMES,
            outcomes=OUTCOMES,
            questions=_questions(),
            daily_chart=Markup(charts.daily_bars(summary.days, summary.per_day, summary.channels)),
            share_chart=Markup(charts.share_bar(shares)),
        )

    @app.get("/reports.csv")
    async def reports_csv(request: Request):
        days = _days(request)
        summary = await db(lambda session: _summary(session, days))
        out = io.StringIO()
        csv.writer(out).writerows(csv_rows(summary, _questions()))
        # With a byte-order mark, so that Excel reads the Chinese as UTF-8.
        return response.raw(
            ("\ufeff" + out.getvalue()).encode("utf-8"),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="report-{days}d.csv"'},
        )
