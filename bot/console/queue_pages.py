"""The callback queue of the console, and marking an unanswered question handled without a decision."""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict
from urllib.parse import urlencode

from cryptography.fernet import InvalidToken
from sanic import Request, Sanic, response
from sqlalchemy.orm import Session

from bot.db.models import STATUS_NAMES, STATUS_OPEN, CallbackRequest
from bot.db.repositories import CallbackRepository, RecordNotFound, UnansweredRepository

logger = logging.getLogger(__name__)

MAX_NOTE_LENGTH = 500
QUEUE_LIMIT = 200


def _phone(request: CallbackRequest) -> str:
    try:
        return CallbackRepository.phone_number(request)
    except InvalidToken:
        return ""  # encrypted under another BOT_PII_KEY; the page shows the masked number instead


def _callback_view(request: CallbackRequest) -> Dict[str, Any]:
    return {
        "id": request.id,
        "created_at": request.created_at,
        "name": request.name,
        "phone": _phone(request),
        "phone_masked": request.phone_masked,
        "question": request.question,
        "channel": request.channel,
        "status": request.status,
        "status_name": STATUS_NAMES.get(request.status, request.status),
        "closed_at": request.closed_at,
        "staff_note": request.staff_note,
    }


def register(app: Sanic, db: Callable[[Callable[[Session], Any]], Awaitable[Any]], page: Callable[..., Any]) -> None:
    @app.get("/callbacks")
    async def callbacks(request: Request):
        show_all = request.args.get("all") == "1"

        def load(session: Session):
            records = CallbackRepository(session).list(None if show_all else STATUS_OPEN)
            # Open requests oldest first (whoever waited longest is called first); the full list newest first.
            return [_callback_view(r) for r in (records[::-1] if show_all else records)[:QUEUE_LIMIT]]

        items = await db(load)
        closed = request.args.get("closed", "")
        return page(
            request,
            "callbacks.html",
            items=items,
            show_all=show_all,
            closed=int(closed) if closed.isdigit() else None,
            missing=request.args.get("missing", "").isdigit(),
        )

    @app.post("/callbacks/<request_id:int>/close")
    async def close_callback(request: Request, request_id: int):
        note = " ".join((request.form.get("note") or "").split())[:MAX_NOTE_LENGTH] or None
        try:
            await db(lambda session: CallbackRepository(session).close(request_id, note))
        except RecordNotFound:
            return response.redirect("/callbacks?missing=1", status=303)
        logger.info("callback #%s closed by %s", request_id, request.ctx.staff)
        return response.redirect(f"/callbacks?closed={request_id}", status=303)

    @app.post("/unanswered/<question_id:int>/resolve")
    async def resolve_unanswered(request: Request, question_id: int):
        try:
            await db(lambda session: UnansweredRepository(session).resolve(question_id))
        except RecordNotFound:
            return response.redirect("/unanswered?missing=1", status=303)
        logger.info("unanswered question #%s resolved by %s", question_id, request.ctx.staff)
        return response.redirect(
            f"/unanswered?{urlencode({'done': f'已将未答问题 #{question_id} 标记为已处理。'})}", status=303
        )
