"""Where wechatpy keeps the WeChat access token: Redis when `REDIS_URL` is set, else this process.

With Redis every replica uses the one token (WeChat allows few fetches a day and each fetch ends
the previous token); while Redis is down, each replica falls back to its own memory.
"""

from __future__ import annotations

import logging

from wechatpy.session import SessionStorage

logger = logging.getLogger(__name__)


def token_storage() -> SessionStorage:
    from wechatpy.session.memorystorage import MemoryStorage

    from bot import settings

    url = settings.current().redis_url
    if not url:
        return MemoryStorage()
    import redis

    return SharedTokenStorage(redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2))


class SharedTokenStorage(SessionStorage):
    """wechatpy's session storage in Redis, falling back to this process's memory while Redis is down
    (a token fetched twice is better than a customer-service message not sent)."""

    PREFIX = "bot:wechat"

    def __init__(self, client) -> None:
        from wechatpy.session.memorystorage import MemoryStorage
        from wechatpy.session.redisstorage import RedisStorage

        self.shared, self.local = RedisStorage(client, prefix=self.PREFIX), MemoryStorage()

    def _try(self, method: str, *args, **kwargs):
        try:
            return getattr(self.shared, method)(*args, **kwargs)
        except Exception as error:  # redis.exceptions.RedisError and socket errors alike
            logger.warning("WeChat token storage in Redis unavailable, using memory: %s", error)
            return getattr(self.local, method)(*args, **kwargs)

    def get(self, key, default=None):
        return self._try("get", key, default)

    def set(self, key, value, ttl=None):
        self.local.set(key, value, ttl)
        self._try("set", key, value, ttl)

    def delete(self, key):
        self.local.delete(key)
        self._try("delete", key)

    def __getitem__(self, key):  # wechatpy's base class forgets to return
        return self.get(key)
