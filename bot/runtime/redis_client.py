"""Async Redis clients for the lock store and the rate limits, one per event loop.

A connection pooled before a Redis restart is dead: `health_check_interval` pings one that sat idle
before using it, and a command that fails on a broken connection is tried once more on a new one,
so a restarted Redis needs no server restart.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

HEALTH_CHECK_SECONDS = 2
# loop → {settings: client}; a client's connections belong to the loop that made them.
_clients: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict]" = weakref.WeakKeyDictionary()


def async_redis(url: str = "", **settings: Any):
    """The client for `url` (or host/port/db/password in `settings`) on the running event loop."""
    import redis.asyncio
    from redis.asyncio.retry import Retry
    from redis.backoff import ExponentialBackoff
    from redis.exceptions import ConnectionError, TimeoutError

    clients = _clients.setdefault(asyncio.get_running_loop(), {})
    key = (url, tuple(sorted(settings.items())))
    client = clients.get(key)
    if client is None:
        options = dict(
            health_check_interval=HEALTH_CHECK_SECONDS,
            retry=Retry(ExponentialBackoff(cap=0.2), 1),
            retry_on_error=[ConnectionError, TimeoutError],
            **settings,
        )
        client = redis.asyncio.Redis.from_url(url, **options) if url else redis.asyncio.Redis(**options)
        clients[key] = client
    return client
