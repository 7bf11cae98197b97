"""The lock stores alone, under contention: two processes (two replicas) take turns on the same
conversations, and each turn does what a Rasa turn does to the tracker: read it, work, write it back.

    .venv/bin/python -m bench.lock_race [--redis-url redis://127.0.0.1:6390/0] [--rounds 3]

A turn reads a counter, waits 5 ms, and writes the counter + 1. With a correct lock every turn is
counted; when two turns of one conversation overlap, one write overwrites the other (a lost update,
as Rasa's SQL tracker store then drops the events of one of the two turns). Turns that never get the
lock (LockError), and turns still waiting after `--timeout` seconds (stuck: their ticket was lost,
so their turn never comes), are counted too. Same workload for Rasa's RedisLockStore and ours.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import uuid
from typing import List, Optional
from urllib.parse import urlparse

WORKER = r"""
import asyncio, json, sys
import redis
from rasa.core.lock_store import LockError, RedisLockStore
from bot.runtime.lock_store import AtomicRedisLockStore

kind, host, port, prefix, conversations, messages, timeout = sys.argv[1:8]
conversations, messages, timeout = int(conversations), int(messages), float(timeout)
if kind == "stock":
    store = RedisLockStore(host=host, port=int(port), db=0, key_prefix=prefix)
else:
    store = AtomicRedisLockStore(host=host, port=int(port), db=0, key_prefix=prefix)
data = redis.Redis(host=host, port=int(port), db=0)
errors = overlaps = stuck = 0

async def turn(conversation):
    global errors, overlaps, stuck
    try:
        await asyncio.wait_for(locked_turn(conversation), timeout)
    except LockError:
        errors += 1
    except asyncio.TimeoutError:
        stuck += 1

async def locked_turn(conversation):
    global overlaps
    async with store.lock(conversation):
        if data.incr(f"{prefix}:inside:{conversation}") > 1:
            overlaps += 1
        value = int(data.get(f"{prefix}:count:{conversation}") or 0)
        await asyncio.sleep(0.005)
        data.set(f"{prefix}:count:{conversation}", value + 1)
        data.decr(f"{prefix}:inside:{conversation}")

async def main():
    await asyncio.gather(*(turn(f"c{c}") for _ in range(messages) for c in range(conversations)))

asyncio.run(main())
print(json.dumps({"errors": errors, "overlaps": overlaps, "stuck": stuck}))
"""


def run(kind: str, host: str, port: int, conversations: int, messages: int, timeout: float) -> dict:
    import redis

    prefix = f"race{uuid.uuid4().hex[:8]}"
    started = time.perf_counter()
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, kind, host, str(port), prefix, str(conversations),
                                 str(messages), str(timeout)], stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [json.loads(worker.communicate(timeout=900)[0]) for worker in workers]
    seconds = time.perf_counter() - started
    data = redis.Redis(host=host, port=port, db=0)
    counted = sum(int(data.get(f"{prefix}:count:c{c}") or 0) for c in range(conversations))
    turns = 2 * conversations * messages
    errors = sum(o["errors"] for o in outputs)
    stuck = sum(o["stuck"] for o in outputs)
    return {"lock store": kind, "turns": turns, "counted": counted, "lock errors": errors, "stuck": stuck,
            "overlapping turns": sum(o["overlaps"] for o in outputs),
            "lost updates": turns - errors - stuck - counted, "seconds": round(seconds, 1)}


def section(results: List[dict], args) -> str:
    lines = ["## The lock stores alone, under contention (`python -m bench.lock_race`)", "",
             f"Two processes (two replicas) × {args.conversations} conversations × {args.messages} turns each, "
             "all at once; a turn reads a counter, waits 5 ms and writes it back + 1, as a Rasa turn reads and "
             f"saves its tracker. A turn still waiting after {args.timeout:.0f} s counts as stuck.", "",
             "| round | lock store | turns | counted | overlapping turns | lost updates | stuck | lock errors "
             "| seconds |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        name = "Rasa's RedisLockStore" if r["lock store"] == "stock" else "AtomicRedisLockStore"
        lines.append(f"| {r['round']} | {name} | {r['turns']} | {r['counted']} | {r['overlapping turns']} | "
                     f"{r['lost updates']} | {r['stuck']} | {r['lock errors']} | {r['seconds']} |")
    lines += ["", "Overlapping turns are two replicas in one conversation at once: one of the two writes is "
              "lost, as Rasa's SQL tracker store then keeps the events of only one turn. Stuck turns lost "
              "their ticket when another replica wrote the lock back, so their turn never comes; in Rasa the "
              "message waits until the client gives up."]
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6390/0")
    parser.add_argument("--conversations", type=int, default=10)
    parser.add_argument("--messages", type=int, default=10, help="turns per conversation and process")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=60.0, help="a turn still waiting after this is stuck")
    args = parser.parse_args(argv)
    url = urlparse(args.redis_url)
    results = []
    for round_number in range(args.rounds):
        for kind in ("stock", "atomic"):
            result = {"round": round_number + 1, **run(kind, url.hostname, url.port or 6379, args.conversations,
                                                       args.messages, args.timeout)}
            print(json.dumps(result, ensure_ascii=False), flush=True)
            results.append(result)
    from bench.report import write_block

    write_block("lock-race", section(results, args))
    return 0 if all(r["lost updates"] == r["lock errors"] == r["overlapping turns"] == r["stuck"] == 0
                    for r in results if r["lock store"] == "atomic") else 1


if __name__ == "__main__":
    raise SystemExit(main())
