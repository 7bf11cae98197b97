"""Delivering each WeChat answer exactly once: passively, to a retry, or through the API.

WeChat waits 5 seconds for the passive reply and resends a message it got no answer for. A message
is claimed once in a store shared by every replica (`claim`); the first request waits for the
answer within its budget. Its record then moves through one state machine:

    PROCESSING --reply stored-->     ANSWERED   the reply goes back passively (to the request or a retry)
    PROCESSING --stopped waiting-->  PUSHED     the answer goes through the customer-service API

The store applies each step as a conditional update, so when the reply is stored just as the
request stops waiting exactly one step wins, whichever replica serves the retry. While the store is
down this process decides alone (`transition` with `store_down`); an answer nobody could collect
from the store is pushed. A turn's answer is pushed at the moment it is both handed over and
ready, so once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import logging
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, List, Optional, Protocol, Set, TypeVar

from bot.channels.dedup import WeChatMessageRepository
from bot.channels.rendering import split_message
from bot.db.models import WECHAT_ANSWERED, WECHAT_PROCESSING, WECHAT_PUSHED, utcnow

logger = logging.getLogger(__name__)

T = TypeVar("T")

RETRY_POLL_SECONDS = 0.2
KEEP_RECORDS = dt.timedelta(days=2)  # WeChat retries within seconds
PURGE_EVERY_SECONDS = 3600.0
REST_OF_ANSWER_DELAY = 0.5  # seconds, so the passive reply arrives before the parts pushed after it


class State(enum.Enum):
    PROCESSING = WECHAT_PROCESSING
    ANSWERED = WECHAT_ANSWERED
    PUSHED = WECHAT_PUSHED


class Event(enum.Enum):
    REPLY_STORED = "the assistant's reply is ready"
    TIMED_OUT = "the request stops waiting but can still reply"
    HUNG_UP = "WeChat closed the request"


def transition(state: State, event: Event, store_down: bool = False) -> State:
    """The state after `event`. ANSWERED and PUSHED are final, except that an answer nobody can
    collect (WeChat hung up while the store is down, so no retry can read it) must be pushed."""
    if state is State.PROCESSING:
        return State.ANSWERED if event is Event.REPLY_STORED else State.PUSHED
    if state is State.ANSWERED and event is Event.HUNG_UP and store_down:
        return State.PUSHED
    return state


class Claim(enum.Enum):
    MINE = "first to receive it: answer it"
    SEEN = "received before: never answer it again"
    STORE_DOWN = "unknown: answer it (twice is better than never)"


@dataclass(frozen=True)
class Outcome:
    """What the store says after a call: the record's state and reply, or that it is down."""

    state: Optional[State] = None  # None: no such record
    reply: Optional[str] = None
    store_down: bool = False


STORE_DOWN = Outcome(store_down=True)


class DeliveryStore(Protocol):
    async def claim(self, key: str) -> Claim: ...

    async def apply(self, key: str, event: Event, reply: Optional[str] = None) -> Outcome:
        """Apply `event` if the record is PROCESSING (storing `reply` in any case); the state now."""

    async def lookup(self, key: str) -> Outcome: ...

    async def purge(self, before: dt.datetime) -> Outcome: ...


@dataclass
class Turn:
    """One message being answered by this process."""

    key: str
    open_id: str
    state: State = State.PROCESSING
    reply: Optional[str] = None

    def settle(self, event: Event, outcome: Outcome, reply: Optional[str] = None) -> bool:
        """Move to the state the store decided (or, while it is down, this process alone); True when
        this step is the one that makes the answer due for a push."""
        was_due = self.due_for_push
        if self.state is State.PUSHED or outcome.store_down or outcome.state is None:
            self.state = transition(self.state, event, store_down=outcome.store_down or outcome.state is None)
        else:
            self.state = outcome.state
        if event is Event.REPLY_STORED:
            self.reply = reply
        return self.due_for_push and not was_due

    @property
    def due_for_push(self) -> bool:
        return self.state is State.PUSHED and self.reply is not None


Push = Callable[[str, List[str]], Awaitable[None]]
Answer = Callable[[], Awaitable[str]]


class Delivery:
    def __init__(self, store: DeliveryStore, push: Push, reply_budget: float) -> None:
        self.store, self.push, self.reply_budget = store, push, reply_budget
        self._tasks: Set[asyncio.Task] = set()
        self._last_purge = 0.0

    async def reply(self, turn: Turn, answer: Answer, deadline: float) -> Optional[str]:
        """The passive reply for `turn` (None: `success`); the answer is made at most once."""
        self._maybe_purge()
        if await self.store.claim(turn.key) is Claim.SEEN:
            logger.info("WeChat: %s received again; not processed twice", turn.key)
            return await self.earlier_reply(turn.key, deadline)
        task = self.spawn(self._answer(turn, answer))
        try:
            reply = await asyncio.wait_for(asyncio.shield(task), timeout=max(0.0, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            reply = await asyncio.shield(self.spawn(self._stop_waiting(turn, task, Event.TIMED_OUT)))
            if reply is None:
                return None
        except asyncio.CancelledError:  # WeChat hung up
            self.spawn(self._stop_waiting(turn, task, Event.HUNG_UP))
            raise
        parts = split_message(reply)
        if len(parts) > 1:
            self.spawn(self._push_later(turn.open_id, parts[1:]))
        return parts[0] if parts else None

    async def _answer(self, turn: Turn, answer: Answer) -> str:
        reply = await answer()
        outcome = await self.store.apply(turn.key, Event.REPLY_STORED, reply)
        if turn.settle(Event.REPLY_STORED, outcome, reply):
            await self.push(turn.open_id, split_message(reply))
        return reply

    async def _stop_waiting(self, turn: Turn, task: "asyncio.Task[str]", event: Event) -> Optional[str]:
        """The request stops waiting: the reply if it is still this request's to send, else None."""
        outcome = await self.store.apply(turn.key, event)
        due = turn.settle(event, outcome)
        if turn.state is State.ANSWERED:
            return await task if event is Event.TIMED_OUT else None  # else WeChat's retry collects it
        if due:
            await self.push(turn.open_id, split_message(turn.reply or ""))
        else:
            logger.info("WeChat: %s not answered within %.1f s; the answer will be pushed", turn.key, self.reply_budget)
        return None

    async def earlier_reply(self, key: str, deadline: float) -> Optional[str]:
        """For a retry: the stored reply's first part; None when it was pushed or is not ready in time."""
        while True:
            found = await self.store.lookup(key)
            if found.state is State.ANSWERED:
                parts = split_message(found.reply or "")
                return parts[0] if parts else None
            if found.state is not State.PROCESSING or time.monotonic() + RETRY_POLL_SECONDS > deadline:
                return None
            await asyncio.sleep(RETRY_POLL_SECONDS)

    async def _push_later(self, open_id: str, parts: List[str]) -> None:
        await asyncio.sleep(REST_OF_ANSWER_DELAY)
        await self.push(open_id, parts)

    def _maybe_purge(self) -> None:
        now = time.monotonic()
        if now - self._last_purge >= PURGE_EVERY_SECONDS:
            self._last_purge = now
            self.spawn(self.store.purge(utcnow() - KEEP_RECORDS))

    def spawn(self, coroutine: Awaitable[Any]) -> asyncio.Task:
        """Run `coroutine` in the background, holding a reference to it until it ends."""
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def wait_for_background_tasks(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


class SqlDeliveryStore:
    """The records in the assistant's database (`bot.channels.dedup`), each call in its own
    transaction in a worker thread; any database error is the outcome `STORE_DOWN`."""

    async def claim(self, key: str) -> Claim:
        claimed = await self._run(lambda records: records.claim(key))
        if claimed is None:
            return Claim.STORE_DOWN
        return Claim.MINE if claimed else Claim.SEEN

    async def apply(self, key: str, event: Event, reply: Optional[str] = None) -> Outcome:
        def step(records: WeChatMessageRepository) -> Outcome:
            if event is Event.REPLY_STORED:
                return _outcome(records.finish(key, reply or ""))
            if records.hand_over(key):
                return Outcome(State.PUSHED)
            record = records.get(key)  # stored first (answered), or never claimed here
            return Outcome() if record is None else Outcome(State(record.state))

        outcome = await self._run(step)
        return STORE_DOWN if outcome is None else outcome

    async def lookup(self, key: str) -> Outcome:
        def read(records: WeChatMessageRepository) -> Outcome:
            record = records.get(key)
            return Outcome() if record is None else Outcome(State(record.state), record.reply)

        found = await self._run(read)
        return STORE_DOWN if found is None else found

    async def purge(self, before: dt.datetime) -> Outcome:
        return STORE_DOWN if await self._run(lambda records: records.purge_before(before)) is None else Outcome()

    @staticmethod
    async def _run(call: Callable[[WeChatMessageRepository], T]) -> Optional[T]:
        def in_transaction() -> T:
            from bot.storage import database_session

            with database_session() as session:
                return call(WeChatMessageRepository(session))

        try:
            return await asyncio.to_thread(in_transaction)
        except Exception:
            logger.exception("WeChat: a delivery record could not be read or written")
            return None


def _outcome(state: Optional[str]) -> Outcome:
    return Outcome() if state is None else Outcome(State(state))
