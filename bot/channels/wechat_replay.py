"""Refusing replayed WeChat requests: a signed timestamp must be recent and a nonce used once.

WeChat signs `timestamp` and `nonce` with the token, and in plaintext mode that signature does not
cover the body, so an observed signed URL would otherwise let anyone post any message, forever.
A request is refused when its timestamp is more than `window` seconds (`WECHAT_REPLAY_WINDOW`,
default 300) from now, or when its nonce was already used within the window by another request.
The identical request (same nonce, same body) again within `RETRY_GRACE_SECONDS` is let through:
that is WeChat retrying, and the delivery record answers it without processing it twice.

Nonces live in Redis when `REDIS_URL` is set, so every replica refuses a replay; otherwise, or while
Redis is down, in this process's memory.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Dict, Optional, Protocol, Tuple

from bot import settings

logger = logging.getLogger(__name__)

DEFAULT_WINDOW_SECONDS = 300
RETRY_GRACE_SECONDS = 30  # WeChat retries three times within about 15 seconds
MAX_NONCE_LENGTH = 64
MEMORY_LIMIT = 100_000


def replay_window(raw: Optional[str] = None) -> int:
    """Seconds from `raw` (credentials.yml's `replay_window`), else `WECHAT_REPLAY_WINDOW`; a `raw` that is
    not a positive number gives the default."""
    if raw is None:
        return settings.current().wechat_replay_window
    raw = raw.strip()
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    if raw:
        logger.error(
            "WECHAT_REPLAY_WINDOW=%r is not a positive number of seconds; using %d", raw, DEFAULT_WINDOW_SECONDS
        )
    return DEFAULT_WINDOW_SECONDS


class NonceStore(Protocol):
    async def remember(self, nonce: str, value: str, seconds: int) -> Optional[str]:
        """Store `value` for `nonce` unless it is there; returns the value already there, else None."""


class MemoryNonceStore:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._seen: Dict[str, Tuple[str, float]] = {}
        self._lock = threading.Lock()

    async def remember(self, nonce: str, value: str, seconds: int) -> Optional[str]:
        now = self.clock()
        with self._lock:
            found = self._seen.get(nonce)
            if found is not None and found[1] > now:
                return found[0]
            if len(self._seen) >= MEMORY_LIMIT:
                self._seen = {key: item for key, item in self._seen.items() if item[1] > now}
            self._seen[nonce] = (value, now + seconds)
            return None


class RedisNonceStore:
    """SET NX with an expiry, shared by every replica; this process's memory while Redis is down."""

    PREFIX = "bot:wechat:nonce:"

    def __init__(self, url: str, fallback: Optional[MemoryNonceStore] = None) -> None:
        self.url = url
        self.fallback = fallback or MemoryNonceStore()

    async def remember(self, nonce: str, value: str, seconds: int) -> Optional[str]:
        from bot.runtime.redis_client import async_redis

        client = async_redis(self.url, socket_timeout=2, socket_connect_timeout=2)
        key = self.PREFIX + nonce
        try:
            if await client.set(key, value, nx=True, ex=seconds):
                # A nonce seen only here while Redis was down still counts.
                return await self.fallback.remember(nonce, value, seconds)
            found = await client.get(key)
        except Exception as error:  # redis errors and socket errors alike
            logger.warning("WeChat nonces in Redis unavailable, checked in memory: %s", error)
            return await self.fallback.remember(nonce, value, seconds)
        return found.decode("utf-8", "replace") if isinstance(found, bytes) else found


def nonce_store() -> NonceStore:
    url = settings.current().redis_url
    return RedisNonceStore(url) if url else MemoryNonceStore()


class ReplayGuard:
    def __init__(
        self,
        window: int = DEFAULT_WINDOW_SECONDS,
        store: Optional[NonceStore] = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.window, self.clock = window, clock
        self.store = store if store is not None else MemoryNonceStore()

    def fresh(self, timestamp: str) -> bool:
        """The signed timestamp is within the window of now."""
        try:
            signed = int(timestamp)
        except (TypeError, ValueError):
            return False
        return abs(self.clock() - signed) <= self.window

    async def first_use(self, nonce: str, body_digest: Optional[str] = None) -> bool:
        """True unless `nonce` was used within the window, except by an identical body shortly before
        (a retry). Without a body (a server verification) any earlier use refuses it."""
        if not nonce or len(nonce) > MAX_NONCE_LENGTH:
            return False
        now = self.clock()
        # Twice the window: a timestamp may be up to `window` ahead of the clock as well as behind.
        found = await self.store.remember(nonce, f"{now:.0f}|{body_digest or ''}", 2 * self.window)
        if found is None:
            return True
        if not body_digest:
            return False
        first_seen, _, earlier_digest = found.partition("|")
        try:
            age = now - float(first_seen)
        except ValueError:
            return False
        return earlier_digest == body_digest and age <= RETRY_GRACE_SECONDS


def body_digest(body: bytes) -> str:
    import hashlib

    return hashlib.sha256(body).hexdigest()[:32]
