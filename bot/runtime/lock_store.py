"""A Redis lock store that is atomic across Rasa replicas, and keeps each conversation's order.

Rasa's own `RedisLockStore` reads the lock, changes it in Python and writes it back, so two
replicas that touch the same conversation within a few milliseconds overwrite each other's
tickets and may both process at once (RasaHQ/rasa#9213). Here every step is one Redis command
or one Lua script, which Redis runs atomically:

- a ticket is a number from `INCR`, queued in a sorted set, so messages are served in the order
  the replicas received them (first come, first served, across all replicas);
- the holder of the head ticket takes the lock with `SET key token NX PX lifetime`;
- while it works, it extends the lock only if the token is still its own (compare-and-`PEXPIRE`),
  so a slow turn keeps its lock, and a crashed replica's lock ends after `lifetime`;
- it releases with a compare-and-delete; a waiting ticket is kept alive by its replica's polling,
  so a waiter whose replica died stops holding up the queue within two seconds.

Configured in endpoints.yml:

    lock_store:
      type: bot.runtime.lock_store.AtomicRedisLockStore
      url: 127.0.0.1
      port: 6379
      db: 1
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Optional, Text
from urllib.parse import urlparse

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

DEFAULT_LIFETIME_SECONDS = 10.0  # renewed while the turn runs; only a dead holder lets it run out
DEFAULT_WAIT_SECONDS = 60.0  # a message gives up after waiting this long for its turn
DEFAULT_POLL_SECONDS = 0.01
WAITER_HEARTBEAT_SECONDS = 2.0  # a waiting message whose replica died stops blocking the queue after this
DEFAULT_SOCKET_TIMEOUT_SECONDS = 5.0

# KEYS: sequence, queue, ticket-key prefix. ARGV: waiter heartbeat (ms), queue lifetime (ms).
ISSUE_TICKET = """
local number = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], number, number)
redis.call('SET', KEYS[3] .. number, '1', 'PX', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return number
"""

# KEYS: queue, ticket-key prefix, owner.
# ARGV: my ticket, my token, lock lifetime (ms), waiter heartbeat (ms), queue lifetime (ms).
# A waiting ticket lives only as long as its replica keeps asking; the held one as long as the lock.
# 1 = acquired, 0 = not my turn yet, -1 = my ticket is gone (expired).
TRY_ACQUIRE = """
while true do
  local head = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
  if not head then return -1 end
  if redis.call('EXISTS', KEYS[2] .. head) == 1 then
    if head ~= ARGV[1] then
      if redis.call('EXISTS', KEYS[2] .. ARGV[1]) == 0 then return -1 end
      redis.call('PEXPIRE', KEYS[2] .. ARGV[1], ARGV[4])
      redis.call('PEXPIRE', KEYS[1], ARGV[5])  -- the queue lives as long as someone waits in it
      return 0
    end
    if redis.call('SET', KEYS[3], ARGV[2], 'NX', 'PX', ARGV[3]) then
      redis.call('PEXPIRE', KEYS[2] .. ARGV[1], ARGV[3])
      return 1
    end
    redis.call('PEXPIRE', KEYS[2] .. ARGV[1], ARGV[4])
    return 0
  end
  redis.call('ZREM', KEYS[1], head)  -- the waiter behind this ticket is gone
end
"""

# KEYS: owner, ticket key. ARGV: my token, lifetime (ms).
RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
  return 1
end
return 0
"""

# KEYS: owner, queue, ticket key. ARGV: my token, my ticket.
RELEASE = """
local released = 0
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  released = 1
end
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[3])
return released
"""


class AtomicRedisLockStore(LockStore):
    def __init__(
        self,
        endpoint_config: Optional[EndpointConfig] = None,
        host: Text = "127.0.0.1",
        port: int = 6379,
        db: int = 1,
        password: Optional[Text] = None,
        key_prefix: Text = "bot",
        lifetime: float = DEFAULT_LIFETIME_SECONDS,
        wait: float = DEFAULT_WAIT_SECONDS,
        poll: float = DEFAULT_POLL_SECONDS,
        socket_timeout: float = DEFAULT_SOCKET_TIMEOUT_SECONDS,
        **_: Any,
    ) -> None:
        settings = dict(endpoint_config.kwargs) if endpoint_config else {}
        url = endpoint_config.url if endpoint_config and endpoint_config.url else ""
        if url.startswith(("redis://", "rediss://")):
            # REDIS_URL, the server the rate limits use too; the database is the lock store's own (`db`).
            parsed = urlparse(url)
            host, port, password = parsed.hostname or host, parsed.port or port, parsed.password or password
        elif url:
            host = url
        self.host = host
        self.port = int(settings.get("port", port))
        self.db = int(settings.get("db", db))
        self.password = settings.get("password", password) or None
        self.key_prefix = str(settings.get("key_prefix", key_prefix))
        self.lifetime = float(settings.get("lifetime", lifetime))
        self.wait = float(settings.get("wait", wait))
        self.poll = float(settings.get("poll", poll))
        self.socket_timeout = float(settings.get("socket_timeout", socket_timeout))
        super().__init__()

    def _client(self):
        from bot.runtime.redis_client import async_redis

        return async_redis(
            host=self.host,
            port=self.port,
            db=self.db,
            password=self.password,
            socket_timeout=self.socket_timeout,
            socket_connect_timeout=self.socket_timeout,
        )

    def _keys(self, conversation_id: Text) -> dict:
        # One hash tag per conversation keeps all its keys on one Redis Cluster slot.
        base = f"{self.key_prefix}:lock:{{{conversation_id}}}"
        return {
            "sequence": f"{base}:seq",
            "queue": f"{base}:queue",
            "ticket": f"{base}:ticket:",
            "owner": f"{base}:owner",
        }

    @asynccontextmanager
    async def lock(
        self, conversation_id: Text, lock_lifetime: float = 0, wait_time_in_seconds: float = 0
    ) -> AsyncGenerator[TicketLock, None]:
        """Waits for this message's turn in the conversation, holds the lock while it is processed.

        Rasa passes its own lifetime (60 s) and polling interval (1 s); this store uses its own,
        shorter ones: the lock is renewed while held, and waiters look every `poll` seconds.
        """
        keys = self._keys(conversation_id)
        token = secrets.token_hex(16)
        try:
            client = self._client()
            ticket = await self._run(
                client,
                ISSUE_TICKET,
                [keys["sequence"], keys["queue"], keys["ticket"]],
                [self._ms(WAITER_HEARTBEAT_SECONDS), self._ms(self.wait + self.lifetime)],
            )
            await self._acquire(client, keys, ticket, token)
        except LockError:
            raise
        except Exception as error:  # Redis down or unreachable: no turn is processed without the lock
            raise LockError(f"lock store unavailable: {error}") from error
        renewer = asyncio.ensure_future(self._keep_alive(client, keys, ticket, token))
        try:
            yield TicketLock(conversation_id)
        finally:
            renewer.cancel()
            try:
                await self._run(
                    client, RELEASE, [keys["owner"], keys["queue"], f"{keys['ticket']}{ticket}"], [token, ticket]
                )
            except Exception as error:  # the lock then simply runs out after `lifetime`
                logger.error("could not release the lock of a conversation: %s", error)

    async def _acquire(self, client, keys: dict, ticket: int, token: str) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait
        while True:
            state = await self._run(
                client,
                TRY_ACQUIRE,
                [keys["queue"], keys["ticket"], keys["owner"]],
                [
                    ticket,
                    token,
                    self._ms(self.lifetime),
                    self._ms(WAITER_HEARTBEAT_SECONDS),
                    self._ms(self.wait + self.lifetime),
                ],
            )
            if state == 1:
                return
            if state == -1:
                raise LockError("the ticket for this message expired while it waited")
            if loop.time() >= deadline:
                await self._run(
                    client, RELEASE, [keys["owner"], keys["queue"], f"{keys['ticket']}{ticket}"], ["", ticket]
                )
                raise LockError(f"waited {self.wait:.0f} s for the conversation's earlier messages")
            await asyncio.sleep(self.poll)

    async def _keep_alive(self, client, keys: dict, ticket: int, token: str) -> None:
        while True:
            await asyncio.sleep(self.lifetime / 3)
            try:
                held = await self._run(
                    client, RENEW, [keys["owner"], f"{keys['ticket']}{ticket}"], [token, self._ms(self.lifetime)]
                )
            except Exception as error:
                logger.error("could not renew the lock of a conversation: %s", error)
                continue
            if not held:
                logger.error(
                    "lost the lock of a conversation while processing it (held longer than %.0f s without renewal)",
                    self.lifetime,
                )
                return

    @staticmethod
    async def _run(client, script: str, keys, args) -> int:
        return int(await client.eval(script, len(keys), *keys, *args))

    @staticmethod
    def _ms(seconds: float) -> int:
        return max(1, int(seconds * 1000))

    # The ticket-lock interface of Rasa's base class is not used: `lock` above replaces it.
    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        return None

    def delete_lock(self, conversation_id: Text) -> None:
        return None

    def save_lock(self, lock: TicketLock) -> None:
        return None
