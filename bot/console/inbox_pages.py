"""The inbox pages of the console: grouped unanswered questions with filters and pages, a caller's
question logged during a call, and the three decisions for each group (bot.inbox)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Awaitable, Callable, Dict, Optional
from urllib.parse import urlencode

from sanic import Request, Sanic, response
from sqlalchemy.orm import Session

from bot.db.models import STATUS_OPEN, STATUS_RESOLVED
from bot.db.repositories import RecordNotFound
from bot.inbox.grouping import Group
from bot.inbox.service import PAGE_SIZE, RESOLUTION_NAMES, Decision, Filters, Inbox
from bot.inbox.training_data import TrainingDataError
from bot.knowledge import load_knowledge_base
from bot.rules.consultation import beijing_timezone

logger = logging.getLogger(__name__)

STATUSES = {"open": STATUS_OPEN, "resolved": STATUS_RESOLVED, "all": None}
MAX_QUESTION_CHARS = 500


def _day(raw: str, after: bool = False) -> Optional[dt.datetime]:
    """The start of a Beijing day (`after`: of the next day) as an aware datetime; None if not a date."""
    try:
        day = dt.date.fromisoformat(raw)
    except (TypeError, ValueError):
        return None
    start = dt.datetime.combine(day + dt.timedelta(days=1 if after else 0), dt.time(), beijing_timezone())
    return start.astimezone(dt.timezone.utc)


def filters_from(args: Any) -> Dict[str, str]:
    """The list's query as the page shows it back (only known values are kept)."""
    status = args.get("status", "open")
    return {
        "status": status if status in STATUSES else "open",
        "channel": (args.get("channel") or "").strip()[:40],
        "since": (args.get("since") or "").strip()[:10],
        "until": (args.get("until") or "").strip()[:10],
    }


def _group_view(found: Group, kb) -> Dict[str, Any]:
    candidates = []
    for candidate in found.candidates:
        item = kb.get(str(candidate.get("key")))
        candidates.append(
            {
                "key": candidate.get("key"),
                "confidence": candidate.get("confidence"),
                "item": item,
                "question": item.question if item else candidate.get("question") or candidate.get("key"),
            }
        )
    return {"group": found, "candidates": candidates}


def _back(form: Any) -> str:
    """Where a decision returns to: the list as it was (never another site)."""
    back = str(form.get("back") or "/unanswered")
    return back if back.startswith("/unanswered") and "//" not in back else "/unanswered"


def register(app: Sanic, db: Callable[[Callable[[Session], Any]], Awaitable[Any]], page: Callable[..., Any]) -> None:
    @app.get("/unanswered")
    async def unanswered(request: Request):
        shown = filters_from(request.args)
        number = int(request.args.get("page", "1")) if request.args.get("page", "1").isdigit() else 1
        kb = load_knowledge_base()
        filters = Filters(
            status=STATUSES[shown["status"]],
            channel=shown["channel"] or None,
            since=_day(shown["since"]),
            until=_day(shown["until"], after=True),
        )

        def load(session: Session):
            inbox = Inbox(session, kb)
            return inbox.groups(filters, number, PAGE_SIZE), inbox.channels()

        listing, channels = await db(load)
        query = {k: v for k, v in shown.items() if v and not (k == "status" and v == "open")}
        return page(
            request,
            "unanswered.html",
            listing=listing,
            groups=[_group_view(found, kb) for found in listing.groups],
            shown=shown,
            channels=channels,
            faq_items=list(kb.items.values()),
            here="/unanswered"
            + (f"?{urlencode({**query, 'page': listing.number})}" if query or listing.number > 1 else ""),
            page_url=lambda n: "/unanswered?" + urlencode({**query, "page": n}),
            done=request.args.get("done", ""),
            problem=request.args.get("problem", ""),
            resolution_names=RESOLUTION_NAMES,
        )

    async def decide(request: Request, question_id: int, act: Callable[[Inbox], Decision]):
        back = _back(request.form)
        anchor = f"#group-{request.form.get('next')}" if str(request.form.get("next") or "").isdigit() else ""
        joiner = "&" if "?" in back else "?"
        try:
            decision = await db(lambda session: act(Inbox(session, load_knowledge_base())))
        except (RecordNotFound, TrainingDataError) as problem:
            return response.redirect(
                f"{back}{joiner}{urlencode({'problem': str(problem)})}#group-{question_id}", status=303
            )
        logger.info("unanswered group #%s: %s by %s", question_id, decision.resolution, request.ctx.staff)
        done = f"{RESOLUTION_NAMES[decision.resolution]}：关闭 {decision.closed} 条；{decision.written}。"
        return response.redirect(f"{back}{joiner}{urlencode({'done': done})}{anchor}", status=303)

    @app.post("/unanswered/<question_id:int>/assign")
    async def assign(request: Request, question_id: int):
        key = str(request.form.get("faq_key") or "").split(" ")[0].strip()
        return await decide(request, question_id, lambda inbox: inbox.assign(question_id, key, request.ctx.staff))

    @app.post("/unanswered/<question_id:int>/out-of-scope")
    async def out_of_scope(request: Request, question_id: int):
        return await decide(request, question_id, lambda inbox: inbox.out_of_scope(question_id, request.ctx.staff))

    @app.post("/unanswered/<question_id:int>/new-faq")
    async def new_faq(request: Request, question_id: int):
        return await decide(request, question_id, lambda inbox: inbox.needs_new_faq(question_id, request.ctx.staff))

    @app.post("/unanswered/log")
    async def log_question(request: Request):
        text = " ".join(str(request.form.get("question") or "").split())[:MAX_QUESTION_CHARS]
        try:
            record = await db(lambda session: Inbox(session, load_knowledge_base()).log(text, "phone"))
        except TrainingDataError as problem:
            return response.redirect(f"/unanswered?{urlencode({'problem': str(problem)})}", status=303)
        logger.info("caller's question #%s logged by %s", record.id, request.ctx.staff)
        return response.redirect(f"/unanswered?{urlencode({'done': f'已记录来电问题 #{record.id}。'})}", status=303)
