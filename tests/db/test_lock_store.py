"""The atomic Redis lock store against a real Redis server, with several stores standing in for replicas.

Redis comes from `TEST_REDIS_URL` (see scripts/redis.sh); without it these tests are skipped, unless
`BOT_REQUIRE_REDIS=1` (CI), where they fail.
"""
from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import time
import uuid
from urllib.parse import urlparse

import pytest
from rasa.core.lock_store import LockError

from bot.runtime.lock_store import WAITER_HEARTBEAT_SECONDS, AtomicRedisLockStore
from tests.db.conftest import service_url


@pytest.fixture
def redis_address():
    parsed = urlparse(service_url("TEST_REDIS_URL", "BOT_REQUIRE_REDIS", "scripts/redis.sh"))
    return parsed.hostname, parsed.port or 6379


def replicas(address, count=2, **settings):
    host, port = address
    prefix = f"test{uuid.uuid4().hex[:8]}"  # each test its own keys
    return [AtomicRedisLockStore(host=host, port=port, db=0, key_prefix=prefix, **settings) for _ in range(count)]


def test_two_replicas_never_process_one_conversation_at_once(redis_address):
    stores = replicas(redis_address)
    inside, most_inside, turns = 0, 0, []

    async def handle(number):
        nonlocal inside, most_inside
        async with stores[number % 2].lock("张三"):
            inside += 1
            most_inside = max(most_inside, inside)
            await asyncio.sleep(0.002)  # the turn awaits the tracker store, actions…
            turns.append(number)
            inside -= 1

    async def main():
        await asyncio.gather(*(handle(n) for n in range(60)))

    asyncio.run(main())
    assert most_inside == 1
    assert sorted(turns) == list(range(60))


def test_messages_are_served_in_the_order_they_arrived_across_replicas(redis_address):
    stores = replicas(redis_address)
    served = []

    async def handle(number):
        async with stores[number % 2].lock("李四"):
            await asyncio.sleep(0.01)
            served.append(number)

    async def main():
        import redis.asyncio

        client = redis.asyncio.Redis(host=redis_address[0], port=redis_address[1], db=0)
        sequence = stores[0]._keys("李四")["sequence"]
        tasks = []
        for number in range(20):
            tasks.append(asyncio.ensure_future(handle(number)))
            # The next message arrives once this one has its ticket, whichever replica it went to.
            while int(await client.get(sequence) or 0) < number + 1:
                await asyncio.sleep(0.001)
        await asyncio.gather(*tasks)
        await client.close()

    asyncio.run(main())
    assert served == list(range(20))


def test_other_conversations_are_not_held_up(redis_address):
    store, = replicas(redis_address, count=1)
    order = []

    async def slow():
        async with store.lock("慢的对话"):
            await asyncio.sleep(0.5)
            order.append("slow")

    async def fast():
        await asyncio.sleep(0.05)
        async with store.lock("另一个对话"):
            order.append("fast")

    async def main():
        await asyncio.gather(slow(), fast())

    asyncio.run(main())
    assert order == ["fast", "slow"]


def test_a_turn_longer_than_the_lifetime_keeps_its_lock(redis_address):
    stores = replicas(redis_address, lifetime=0.3)
    events = []

    async def long_turn():
        async with stores[0].lock("王五"):
            events.append("long starts")
            await asyncio.sleep(1.2)  # four lifetimes: renewed meanwhile
            events.append("long ends")

    async def next_message():
        await asyncio.sleep(0.05)
        async with stores[1].lock("王五"):
            events.append("next")

    async def main():
        await asyncio.gather(long_turn(), next_message())

    asyncio.run(main())
    assert events == ["long starts", "long ends", "next"]


def _hold_in_other_process(address, prefix, conversation, *, lifetime, hold_first):
    """A replica in its own process that takes its place in the queue, then waits to be killed."""
    host, port = address
    program = textwrap.dedent(f"""
        import asyncio, sys
        from bot.runtime.lock_store import AtomicRedisLockStore
        store = AtomicRedisLockStore(host={host!r}, port={port}, db=0, key_prefix={prefix!r}, lifetime={lifetime})
        async def main():
            if {hold_first!r}:
                async with store.lock({conversation!r}):
                    print("holding", flush=True)
                    await asyncio.sleep(600)
            else:
                task = asyncio.ensure_future(store.lock({conversation!r}).__aenter__())
                await asyncio.sleep(0.2)
                print("waiting", flush=True)
                await asyncio.sleep(600)
        asyncio.run(main())
    """)
    process = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline().strip()
    return process, line


def test_the_lock_of_a_killed_replica_runs_out_after_its_lifetime(redis_address):
    prefix = f"test{uuid.uuid4().hex[:8]}"
    process, line = _hold_in_other_process(redis_address, prefix, "赵六", lifetime=1.0, hold_first=True)
    try:
        assert line == "holding"
        process.kill()
        process.wait()
        store = AtomicRedisLockStore(host=redis_address[0], port=redis_address[1], db=0, key_prefix=prefix)

        async def take():
            started = time.monotonic()
            async with store.lock("赵六"):
                return time.monotonic() - started

        waited = asyncio.run(take())
    finally:
        process.kill()
    assert waited < 1.0 + 0.5


def test_a_killed_replica_waiting_in_the_queue_does_not_block_the_next_message(redis_address):
    prefix = f"test{uuid.uuid4().hex[:8]}"
    host, port = redis_address
    holder = AtomicRedisLockStore(host=host, port=port, db=0, key_prefix=prefix)
    store = AtomicRedisLockStore(host=host, port=port, db=0, key_prefix=prefix)

    async def main():
        async with holder.lock("孙七"):
            # A second replica queues behind the holder, then dies while waiting.
            process, line = await asyncio.to_thread(
                _hold_in_other_process, redis_address, prefix, "孙七", lifetime=10, hold_first=False)
            assert line == "waiting"
            process.kill()
            process.wait()
        started = time.monotonic()
        async with store.lock("孙七"):
            return time.monotonic() - started

    waited = asyncio.run(main())
    assert waited < WAITER_HEARTBEAT_SECONDS + 0.5


def test_redis_down_is_a_lock_error_not_a_hang(redis_address):
    store = AtomicRedisLockStore(host="127.0.0.1", port=1, db=0, socket_timeout=1)

    async def main():
        async with store.lock("周八"):
            pytest.fail("processed without a lock")

    started = time.monotonic()
    with pytest.raises(LockError, match="lock store unavailable"):
        asyncio.run(main())
    assert time.monotonic() - started < 3


def test_a_message_that_waits_too_long_gives_up_and_leaves_the_queue(redis_address):
    holder, waiter = replicas(redis_address, wait=0.3)
    events = []

    async def hold():
        async with holder.lock("吴九"):
            await asyncio.sleep(0.8)
            events.append("holder done")

    async def give_up():
        await asyncio.sleep(0.05)
        with pytest.raises(LockError, match="waited"):
            async with waiter.lock("吴九"):
                events.append("should not run")
        events.append("gave up")

    async def after():
        await asyncio.sleep(0.9)
        async with waiter.lock("吴九"):
            events.append("next message")

    async def main():
        await asyncio.gather(hold(), give_up(), after())

    asyncio.run(main())
    assert events == ["gave up", "holder done", "next message"]


def test_endpoint_configuration_is_read(redis_address):
    from rasa.core.lock_store import LockStore
    from rasa.utils.endpoints import EndpointConfig

    host, port = redis_address
    store = LockStore.create(EndpointConfig(url=host, type="bot.runtime.lock_store.AtomicRedisLockStore", port=port,
                                            db=3, key_prefix="cfg", lifetime=5, poll=0.05))
    assert isinstance(store, AtomicRedisLockStore)
    assert (store.host, store.port, store.db, store.key_prefix, store.lifetime, store.poll) == (
        host, port, 3, "cfg", 5.0, 0.05)


def test_the_lock_store_takes_the_one_redis_url_and_keeps_its_own_database(redis_address):
    from rasa.core.lock_store import LockStore
    from rasa.utils.endpoints import EndpointConfig

    host, port = redis_address
    store = LockStore.create(EndpointConfig(url=f"redis://:secret@{host}:{port}/2",
                                            type="bot.runtime.lock_store.AtomicRedisLockStore", db=1))
    assert (store.host, store.port, store.password, store.db) == (host, port, "secret", 1)


def test_the_rate_limit_is_shared_by_every_replica(redis_address, monkeypatch):
    from bot.runtime.guards import RedisRateLimiter

    monkeypatch.setenv("BOT_PII_KEY", "rate-limit-test-key")
    host, port = redis_address
    url = f"redis://{host}:{port}/0"
    first, second = RedisRateLimiter(url, 3, 60), RedisRateLimiter(url, 3, 60)
    sender = f"openid-{uuid.uuid4().hex}"

    async def main():
        return [await (first if n % 2 else second).allow(sender) for n in range(4)]

    assert asyncio.run(main()) == [True, True, True, False]


def test_the_rate_limit_lets_messages_through_when_redis_is_down(monkeypatch):
    from bot.runtime.guards import RedisRateLimiter

    monkeypatch.setenv("BOT_PII_KEY", "rate-limit-test-key")
    limiter = RedisRateLimiter("redis://127.0.0.1:1/0", 1, 60)

    async def main():
        return [await limiter.allow("甲") for _ in range(3)]

    assert asyncio.run(main()) == [True, True, True]
