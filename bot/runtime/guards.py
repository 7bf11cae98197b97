"""What every Rasa process of the assistant adds around Rasa's own message handling.

Installed by `bot.runtime.server` before Rasa starts (never on import):

- a message longer than `BOT_MAX_MESSAGE_CHARS` is refused politely, unprocessed;
- a sender who writes faster than `BOT_RATE_LIMIT` (messages per window) is asked to slow down,
  counted in Redis when `REDIS_URL` is set, so the limit holds across replicas;
- when the lock store or the tracker store cannot be reached, the person is told the system is
  busy instead of getting silence, and nothing is written (Rasa's own fallback would answer from an
  empty conversation and keep the turn only in memory);
- when the action server is down, slow or failing, the action's reply becomes "系统繁忙，请稍后再试"
  and the turn ends there, so the conversation (its slots, an active form) is kept for the retry.

Rasa has no hook for these, so `install` wraps `Agent.handle_message`, `Agent._create_tracker_store`
and `RemoteAction.run`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Dict, List, Optional

from bot import settings

logger = logging.getLogger(__name__)

BUSY = "utter_system_busy"
TOO_LONG = "utter_message_too_long"
SLOW_DOWN = "utter_slow_down"


def max_message_chars() -> int:
    return settings.current().max_message_chars


def rate_limit() -> tuple[int, float]:
    """(messages, window seconds) from `BOT_RATE_LIMIT` such as "30/60"; "0" switches the limit off."""
    return settings.current().rate_limit


def action_timeout() -> float:
    return settings.current().action_timeout


class LocalRateLimiter:
    """Fixed windows per sender, in this process."""

    def __init__(self, limit: int, window: float, clock=time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._windows: Dict[str, tuple[float, int]] = {}

    async def allow(self, sender_id: str) -> bool:
        if self.limit <= 0:
            return True
        now = self.clock()
        started, count = self._windows.get(sender_id, (now, 0))
        if now - started >= self.window:
            started, count = now, 0
        self._windows[sender_id] = (started, count + 1)
        if len(self._windows) > 100_000:  # forget finished windows so memory stays bounded
            self._windows = {k: v for k, v in self._windows.items() if now - v[0] < self.window}
        return count + 1 <= self.limit


# KEYS: counter. ARGV: window (ms). The first message of a window starts its clock.
_COUNT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count
"""


class RedisRateLimiter:
    """Fixed windows per sender, shared by every replica; lets messages through if Redis is down."""

    def __init__(self, url: str, limit: int, window: float) -> None:
        self.url, self.limit, self.window = url, limit, window

    def _client(self):
        from bot.runtime.redis_client import async_redis

        return async_redis(self.url, socket_timeout=2, socket_connect_timeout=2)

    async def allow(self, sender_id: str) -> bool:
        if self.limit <= 0:
            return True
        from bot.privacy import pii_digest

        key = f"bot:rate:{pii_digest('sender', sender_id)[:32]}"  # sender ids (OpenIDs) are not stored in the clear
        try:
            count = int(await self._client().eval(_COUNT, 1, key, int(self.window * 1000)))
        except Exception as error:  # the lock store will report the outage; the limit is not worth a refusal
            logger.warning("rate limit not checked, Redis unavailable: %s", error)
            return True
        return count <= self.limit


def make_rate_limiter():
    limit, window = rate_limit()
    url = settings.current().redis_url
    return RedisRateLimiter(url, limit, window) if url else LocalRateLimiter(limit, window)


def _is_infrastructure_error(error: BaseException) -> bool:
    """The lock store or tracker store is unreachable (as opposed to a bug in a turn)."""
    from rasa.core.lock_store import LockError

    if isinstance(error, (LockError, ConnectionError, OSError, asyncio.TimeoutError)):
        return True
    try:
        import redis.exceptions
        import sqlalchemy.exc
    except ImportError:  # pragma: no cover - both come with Rasa
        return False
    return isinstance(
        error,
        (
            redis.exceptions.RedisError,
            sqlalchemy.exc.OperationalError,
            sqlalchemy.exc.InterfaceError,
            sqlalchemy.exc.DisconnectionError,
        ),
    )


def consultation_hours() -> str:
    """周一至周五 9:00-11:00、13:00-16:00, from the parameters (never raises: it is part of an apology)."""
    try:
        from bot.rules.consultation import describe_hours

        return describe_hours()
    except Exception:
        logger.exception("consultation hours not read")
        return "咨询时间内"


async def _say(agent, message, response_name: str, **values: Any) -> None:
    """Sends one of the domain's responses outside a turn (nothing is written to the tracker)."""
    from rasa.shared.core.trackers import DialogueStateTracker

    channel = message.output_channel
    try:
        tracker = DialogueStateTracker(message.sender_id, agent.domain.slots)
        response = await agent.processor.nlg.generate(response_name, tracker, channel.name(), **values)
        if response:
            await channel.send_response(message.sender_id, response)
    except Exception:  # the apology itself must never take the server down
        logger.exception("could not send %s", response_name)


def guard_handle_message(original, limiter_factory=make_rate_limiter):
    limiter = None  # made on the first message, once the server's environment is read

    async def handle_message(self, message):
        nonlocal limiter
        text, longest = message.text or "", max_message_chars()
        if len(text) > longest:
            logger.info("refused a message of %d characters", len(text))
            await _say(self, message, TOO_LONG, max_chars=longest)
            return None
        if limiter is None:
            limiter = limiter_factory()
        if not await limiter.allow(message.sender_id):
            logger.info("rate limit reached for a sender")
            await _say(self, message, SLOW_DOWN)
            return None
        try:
            return await original(self, message)
        except Exception as error:
            if not _is_infrastructure_error(error):
                raise
            logger.error("message not processed, a store is unavailable: %s: %s", type(error).__name__, error)
            await _say(self, message, BUSY, hours=consultation_hours())
            return None

    handle_message.__wrapped__ = original
    return handle_message


def guard_remote_action(original):
    async def run(self, output_channel, nlg, tracker, domain) -> List[Any]:
        from rasa.core.actions.action import ActionExecutionRejection, create_bot_utterance
        from rasa.shared.core.events import FollowupAction

        try:
            return await asyncio.wait_for(original(self, output_channel, nlg, tracker, domain), action_timeout())
        except ActionExecutionRejection:
            raise  # a form's "not this slot": Rasa's own flow, not a failure
        except Exception as error:
            logger.error("custom action %s failed: %s: %s", self.name(), type(error).__name__, error)
        events: List[Any] = []
        response = await nlg.generate(BUSY, tracker, output_channel.name(), hours=consultation_hours())
        if response and not _said_in_this_turn(tracker, response.get("text")):
            events.append(create_bot_utterance(response))
        requested = tracker.get_slot("requested_slot") if tracker.active_loop_name else None
        if requested and self.name().startswith("validate_"):
            # Re-state the requested slot as it is, so the form neither rejects the message (which would
            # hand it to other policies) nor moves on: it asks the same question again.
            from rasa.shared.core.events import SlotSet

            events.append(SlotSet(requested, tracker.get_slot(requested)))
        # End the turn: the person retries later, with the conversation as it was.
        return events + [FollowupAction("action_listen")]

    run.__wrapped__ = original
    return run


def _said_in_this_turn(tracker, text: Optional[str]) -> bool:
    """One apology per turn, however many actions fail (a rejected form's events are not in the tracker)."""
    from rasa.shared.core.events import BotUttered, UserUttered

    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, BotUttered) and event.text == text:
            return True
    return False


def _reraise(error: Exception) -> None:
    raise error


def strict_tracker_store(original):
    """Rasa wraps the tracker store in a FailSafeTrackerStore that, when the database fails, answers
    from an empty in-memory tracker (the conversation is forgotten) and keeps the turn in memory only
    (it is lost). Here the error goes up instead, the person is told "系统繁忙", nothing is written."""

    def create(store, domain):
        failsafe = original(store, domain)
        failsafe._on_tracker_store_error = _reraise
        return failsafe

    create.__wrapped__ = original
    return staticmethod(create)


def install() -> None:
    """Wraps Rasa's message handling, tracker store and custom-action calls once per process."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.agent import Agent

    if not hasattr(Agent.handle_message, "__wrapped__"):
        Agent.handle_message = guard_handle_message(Agent.handle_message)
    if not hasattr(Agent._create_tracker_store, "__wrapped__"):
        Agent._create_tracker_store = strict_tracker_store(Agent._create_tracker_store)
    if not hasattr(RemoteAction.run, "__wrapped__"):
        RemoteAction.run = guard_remote_action(RemoteAction.run)
