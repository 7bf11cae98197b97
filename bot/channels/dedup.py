"""Which WeChat messages were already received, and what they were answered, in the database.

WeChat delivers a message again when it gets no answer within 5 seconds (up to three times), and
several Rasa replicas may share the work, so the record lives in the assistant's database:

- `claim(key)` inserts the row; the unique constraint on `message_key` decides who got it first.
  Whoever gets False must not process the message again.
- `finish(key, reply)` stores the rendered reply (redacted) and, if nobody gave up waiting for it,
  marks it `answered`: the reply then goes back passively, to the first request or to a retry.
- `hand_over(key)` is called when the passive window is over before the answer is ready: the row
  becomes `pushed`, the answer will go through the customer-service API, and a retry gets nothing.

`finish` and `hand_over` are conditional updates on `state = 'processing'`, so exactly one of them
wins and the answer is delivered once, whichever replica serves the retry.

Like the other repositories, this one works in the session it is given and never commits.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import delete, false, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import privacy
from bot.db.models import WECHAT_ANSWERED, WECHAT_PROCESSING, WECHAT_PUSHED, WeChatMessage, utcnow


class WeChatMessageRepository:
    def __init__(self, session: Session):
        self.session = session

    def claim(self, message_key: str) -> bool:
        """True if this caller is the first to see `message_key` (and must answer it), else False."""
        self._open_sqlite_transaction()
        try:
            # A savepoint, so a lost race leaves the caller's transaction usable.
            with self.session.begin_nested():
                self.session.add(WeChatMessage(message_key=message_key, state=WECHAT_PROCESSING))
        except IntegrityError:
            return False
        return True

    def _open_sqlite_transaction(self) -> None:
        """pysqlite opens the transaction only at the first write, so a SAVEPOINT issued before any
        write would be the outermost transaction and releasing it would commit. A write that
        changes nothing opens the caller's transaction first."""
        if self.session.get_bind().dialect.name == "sqlite":
            self.session.execute(
                update(WeChatMessage)
                .where(false())
                .values(state=WeChatMessage.state)
                .execution_options(synchronize_session=False)
            )

    def get(self, message_key: str) -> Optional[WeChatMessage]:
        return self.session.execute(
            select(WeChatMessage)
            .where(WeChatMessage.message_key == message_key)
            .execution_options(populate_existing=True)
        ).scalar_one_or_none()

    def finish(self, message_key: str, reply: str) -> Optional[str]:
        """Store the reply; returns the state it is in now: `answered`, or `pushed` if handed over;
        None when there is no such record (it was never claimed here)."""
        values = {"reply": privacy.redact_text(reply or ""), "answered_at": utcnow()}
        answered = self.session.execute(
            update(WeChatMessage)
            .where(WeChatMessage.message_key == message_key, WeChatMessage.state == WECHAT_PROCESSING)
            .values(state=WECHAT_ANSWERED, **values)
            .execution_options(synchronize_session=False)
        ).rowcount
        if answered:
            return WECHAT_ANSWERED
        self.session.execute(
            update(WeChatMessage)
            .where(WeChatMessage.message_key == message_key)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        record = self.get(message_key)
        return record.state if record is not None else None

    def hand_over(self, message_key: str) -> bool:
        """processing → pushed; False if the reply was stored first (then send it passively)."""
        return bool(
            self.session.execute(
                update(WeChatMessage)
                .where(WeChatMessage.message_key == message_key, WeChatMessage.state == WECHAT_PROCESSING)
                .values(state=WECHAT_PUSHED)
                .execution_options(synchronize_session=False)
            ).rowcount
        )

    def purge_before(self, cutoff: dt.datetime) -> int:
        """Forget messages received before `cutoff` (WeChat retries within seconds); returns how many."""
        return self.session.execute(
            delete(WeChatMessage).where(WeChatMessage.created_at < cutoff).execution_options(synchronize_session=False)
        ).rowcount
