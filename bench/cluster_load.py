"""Load test: many conversations at once, each sending its messages without waiting for the replies.

    .venv/bin/python -m bench.cluster_load [--conversations 50] [--messages 20] [--think 0]

Runs the same workload against three set-ups, one after another, in one run:
  one process  — `make run`: one Rasa server, one action server, SQLite;
  cluster      — `make run-cluster`: nginx, two Rasa replicas, two action servers, PostgreSQL, Redis
                 with the atomic lock store (bot.runtime.lock_store.AtomicRedisLockStore);
  cluster with Rasa's stock RedisLockStore — the same, with only the lock store swapped.

Each conversation sends 20 different FAQ questions through the REST channel, in steps: one message,
then two at once (they reach both replicas at the same moment), then one…, waiting for the replies
before the next step. Each question has one known reply (learned first, one at a time). Afterwards
every conversation is read back from the tracker store and checked:
  lost        a message whose answer the client got, but that is not in the tracker store;
  duplicated  a message stored twice;
  reordered   a step stored before an earlier one (the two messages of a step may come in either order);
  interleaved a stored message not followed by the reply the client got for it (its own answer);
  系统繁忙    a request answered "系统繁忙，请稍后再试" (a part of the system was down; send again);
  wrong reply a request whose reply was not that message's reply (empty, another message's…).
Latency is from sending a message to getting its reply; messages per second over the whole run.
Results go to bench/cluster_results.json and the table in docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import aiohttp

from bench.latency import percentile

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "cluster_results.json"
SORRY = "抱歉，我没有完全理解您的问题"
BUSY = "系统繁忙，请稍后再试"


@dataclass
class Sent:
    index: int
    text: str
    sent_at: float = 0.0
    latency: Optional[float] = None
    status: Optional[int] = None
    reply: Optional[str] = None
    served_by: Optional[str] = None
    error: Optional[str] = None


@dataclass
class RunResult:
    setup: str
    conversations: int
    messages_per_conversation: int
    think_seconds: float
    messages: int
    replied: int
    busy: int
    wrong_replies: int
    errors: int
    lost: int
    duplicated: int
    reordered_conversations: int
    interleaved: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    messages_per_second: float
    seconds: float
    served_by: Dict[str, int] = field(default_factory=dict)
    examples: List[str] = field(default_factory=list)
    senders: List[str] = field(default_factory=list, repr=False)

    @property
    def clean(self) -> bool:
        return not (self.busy or self.wrong_replies or self.errors or self.lost or self.duplicated
                    or self.reordered_conversations or self.interleaved)


def _joined(messages: Sequence[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def candidate_questions(count: int) -> List[str]:
    """The canonical question of FAQ items from every document, more than needed."""
    from bot.knowledge.model import load_knowledge_base

    items = sorted(load_knowledge_base().items.values(), key=lambda item: item.key)
    random.Random(7).shuffle(items)
    return [item.question for item in items][: count * 3]


async def learn_replies(session: aiohttp.ClientSession, url: str, count: int) -> Dict[str, str]:
    """One question at a time in fresh conversations: each question's reply when nothing else runs."""
    replies: Dict[str, str] = {}
    seen_answers = set()
    for question in candidate_questions(count):
        try:
            async with session.post(url, json={"sender": f"learn-{secrets.token_hex(6)}", "message": question}) as r:
                if r.status != 200:
                    continue  # a replica killed while learning (the fault tests): the next question will do
                answer = _joined(await r.json(content_type=None))
        except aiohttp.ClientError:
            continue
        # Only cited FAQ answers: they do not depend on the conversation (a form would).
        if "来源：" in answer and SORRY not in answer and answer not in seen_answers:
            replies[question] = answer
            seen_answers.add(answer)
        if len(replies) == count:
            return replies
    raise RuntimeError(f"only {len(replies)} questions with distinct confident answers")


async def _send(session, url: str, sender: str, message: Sent, started: float) -> None:
    message.sent_at = time.perf_counter() - started
    began = time.perf_counter()
    try:
        async with session.post(url, json={"sender": sender, "message": message.text}) as response:
            message.status = response.status
            message.served_by = response.headers.get("X-Served-By")
            body = await response.json(content_type=None) if response.status == 200 else []
            message.reply = _joined(body)
    except Exception as error:  # counted, never fatal to the run
        message.error = f"{type(error).__name__}: {error}"
    message.latency = time.perf_counter() - began


def steps(count: int) -> List[List[int]]:
    """Message indexes grouped into steps: one message, then two at once, then one…"""
    groups, index = [], 0
    while index < count:
        size = 1 if len(groups) % 2 == 0 else 2
        groups.append(list(range(index, min(count, index + size))))
        index += size
    return groups


async def _conversation(session, url: str, sender: str, texts: Sequence[str], think: float, delay: float,
                        started: float) -> List[Sent]:
    """A person who waits for the replies before the next step, and sometimes sends two messages at once
    (a double tap, a second thought): those two reach the two replicas at the same moment."""
    await asyncio.sleep(delay)
    messages = [Sent(index, text) for index, text in enumerate(texts)]
    for step in steps(len(messages)):
        await asyncio.gather(*(_send(session, url, sender, messages[i], started) for i in step))
        if think:
            await asyncio.sleep(think)
    return messages


async def _stored_turns(session, api_url: str, token: str, sender: str) -> List[Tuple[str, str]]:
    async with session.get(f"{api_url}/conversations/{sender}/tracker", params={"token": token}) as response:
        tracker = await response.json()
    turns: List[Tuple[str, List[str]]] = []
    for event in tracker.get("events", []):
        if event.get("event") == "user":
            turns.append((event.get("text") or "", []))
        elif event.get("event") == "bot" and turns:
            turns[-1][1].append(event.get("text") or "")
    return [(text, "\n".join(bot)) for text, bot in turns]


def _check(sent: List[Sent], stored: List[Tuple[str, str]], expected: Dict[str, str]) -> Dict[str, int]:
    """Lost counts only the messages whose answer the client got: one that failed in flight (its replica
    killed) or got "系统繁忙" may or may not have been stored, and the person knows to send it again.
    Order: a later step must be stored after an earlier one; the two messages of one step were sent
    at the same moment, so either may come first, but each must be followed by its own reply."""
    step_of = {sent[i].text: number for number, step in enumerate(steps(len(sent))) for i in step}
    stored_texts = [text for text, _ in stored]
    counts = Counter(stored_texts)
    lost = sum(1 for m in sent if m.status == 200 and m.reply == expected[m.text] and counts[m.text] == 0)
    duplicated = sum(count - 1 for count in counts.values() if count > 1)
    order = [step_of[text] for text in stored_texts if text in step_of]
    reordered = int(order != sorted(order))
    # What the client was told is what the store must hold after the message: its answer, or "系统繁忙".
    told = {m.text: m.reply for m in sent if m.status == 200}
    interleaved = sum(1 for text, reply in stored if text in expected and reply != told.get(text, expected[text]))
    return {"lost": lost, "duplicated": duplicated, "reordered": reordered, "interleaved": interleaved}


async def run_workload(setup: str, url: str, api_url: str, token: str, conversations: int, messages: int,
                       think: float = 0.0) -> RunResult:
    # A new connection per request: a reused keep-alive connection that the server has just closed would
    # fail a request the server never saw, which is the client's fault, not the assistant's.
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    timeout = aiohttp.ClientTimeout(total=300)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        expected = await learn_replies(session, url, messages)
        questions = list(expected)
        run_id = secrets.token_hex(4)
        senders = [f"load-{run_id}-{number:03d}" for number in range(conversations)]
        randomness = random.Random(11)
        started = time.perf_counter()
        results = await asyncio.gather(*(
            _conversation(session, url, sender, questions[n % messages:] + questions[:n % messages], think,
                          randomness.uniform(0, 1.0), started)
            for n, sender in enumerate(senders)))
        finished = time.perf_counter()
        checks = Counter()
        examples: List[str] = []
        for sender, sent in zip(senders, results):
            stored = await _stored_turns(session, api_url, token, sender)
            found = _check(sent, stored, expected)
            checks.update(found)
            if any(found.values()) and len(examples) < 5:
                examples.append(f"{sender}: {found}")
    every = [m for sent in results for m in sent]
    latencies = [m.latency * 1000 for m in every if m.latency is not None and m.status == 200]
    busy = [m for m in every if m.status == 200 and BUSY in (m.reply or "")]
    wrong = [m for m in every if m.status == 200 and m.reply != expected[m.text] and m not in busy]
    for message in wrong[:3]:
        examples.append(f"wrong reply to {message.text!r}: {message.reply[:60]!r}")
    for message in [m for m in every if m.status != 200][:3]:
        examples.append(f"failed: status {message.status}, {message.error}")
    return RunResult(
        setup=setup, conversations=conversations, messages_per_conversation=messages, think_seconds=think,
        messages=len(every), replied=sum(1 for m in every if m.status == 200 and m.reply == expected[m.text]),
        busy=len(busy), wrong_replies=len(wrong), errors=sum(1 for m in every if m.status != 200),
        lost=checks["lost"], duplicated=checks["duplicated"], reordered_conversations=checks["reordered"],
        interleaved=checks["interleaved"],
        p50_ms=round(percentile(latencies, 0.5), 1) if latencies else 0.0,
        p95_ms=round(percentile(latencies, 0.95), 1) if latencies else 0.0,
        p99_ms=round(percentile(latencies, 0.99), 1) if latencies else 0.0,
        messages_per_second=round(len(every) / (finished - started), 1), seconds=round(finished - started, 1),
        served_by=dict(Counter(m.served_by or "direct" for m in every)), examples=examples, senders=senders)


def run_single(args) -> RunResult:
    from bench.servers import running_servers

    with running_servers(ROOT / "var" / "bench-single", extra_env={"BOT_RATE_LIMIT": "0"}) as servers:
        return asyncio.run(run_workload("one process", servers.rest_url, servers.base_url, servers.api_token,
                                        args.conversations, args.messages, args.think))


def run_cluster(args, lock_store: str) -> RunResult:
    from bot.cluster import Layout, LocalCluster

    layout = Layout(state_dir=ROOT / "var" / f"bench-cluster-{lock_store}", public_port=5205, api_port=5204,
                    action_pool_port=5255, rasa_ports=(5305, 5306), action_ports=(5355, 5356), redis_port=6479,
                    chat_port=None, console_port=None, lock_store=lock_store)
    name = "cluster" if lock_store == "atomic" else "cluster, Rasa's stock RedisLockStore"
    with LocalCluster(layout, args.database_url, extra_env={"BOT_RATE_LIMIT": "0"}) as cluster:
        return asyncio.run(run_workload(name, f"{cluster.public_url}/webhooks/rest/webhook", cluster.api_url,
                                        cluster.api_token, args.conversations, args.messages, args.think))


def _summary(result: RunResult) -> dict:
    summary = asdict(result)
    summary.pop("senders")
    return summary


def markdown(results: Sequence[RunResult]) -> str:
    lines = ["| set-up | messages | right reply | 系统繁忙 | wrong reply | HTTP errors | lost | duplicated | "
             "reordered conv. | interleaved | p50 ms | p95 ms | p99 ms | msg/s |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r.setup} | {r.messages} | {r.replied} | {r.busy} | {r.wrong_replies} | {r.errors} | "
                     f"{r.lost} | {r.duplicated} | {r.reordered_conversations} | {r.interleaved} | {r.p50_ms:.0f} | "
                     f"{r.p95_ms:.0f} | {r.p99_ms:.0f} | {r.messages_per_second} |")
    return "\n".join(lines)


def section(results: Sequence[RunResult]) -> str:
    import os
    import platform

    first = results[0]
    return "\n".join([
        "## Several replicas: load test (`make bench-cluster`)",
        "",
        f"{first.conversations} conversations at once × {first.messages_per_conversation} messages, "
        "through the REST channel, on one machine "
        f"({os.cpu_count()} cores, {platform.machine()}): each conversation sends one message, then two at "
        "once, then one…, and waits for the replies before its next step. Every message has one known "
        "reply. Afterwards each conversation is read back from the tracker store. "
        "Written by `python -m bench.cluster_load`; details in `bench/cluster_results.json`.",
        "",
        markdown(results),
        "",
        "- *one process*: `make run` (one Rasa server, one action server, SQLite, Rasa's in-memory lock store);",
        "- *cluster*: `make run-cluster` (nginx, two Rasa replicas, two action servers, PostgreSQL, Redis) "
        "with `bot.runtime.lock_store.AtomicRedisLockStore`;",
        "- *stock RedisLockStore*: the same cluster with only the lock store swapped for Rasa's own. Its "
        "races need two replicas to touch one conversation's lock within about a millisecond, so in a run "
        "like this they are rare and vary from run to run (it polls every second, which shows in the "
        "latency); the next section compares the two lock stores alone, under contention.",
        "- lost: the client got its answer but the tracker store does not hold the message; reordered: a later "
        "step stored before an earlier one; interleaved: a stored message not followed by the reply the "
        "client got for it.",
        "- served by: " + "; ".join(f"{r.setup}: " + ", ".join(f"{k} {v}" for k, v in sorted(r.served_by.items()))
                                      for r in results),
    ])


def main(argv: Optional[List[str]] = None) -> int:
    import os

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--think", type=float, default=0.0, help="seconds a person waits between steps")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--only", choices=("single", "atomic", "stock"), action="append")
    parser.add_argument("--report-only", action="store_true",
                        help="rewrite the docs/benchmarks.md table from bench/cluster_results.json")
    args = parser.parse_args(argv)
    if args.report_only:
        from bench.report import write_block

        write_block("cluster", section([RunResult(**r) for r in json.loads(RESULTS.read_text())]))
        return 0
    setups = args.only or ["single", "atomic", "stock"]
    if {"atomic", "stock"} & set(setups) and not args.database_url.startswith("postgresql"):
        parser.error("the cluster runs need DATABASE_URL=postgresql://… (scripts/cluster.sh --prepare prints one)")
    results = []
    for setup in setups:
        result = run_single(args) if setup == "single" else run_cluster(args, setup)
        print(json.dumps(_summary(result), ensure_ascii=False), flush=True)
        results.append(result)
    print(markdown(results))
    RESULTS.write_text(json.dumps([_summary(r) for r in results], ensure_ascii=False, indent=2) + "\n")
    if len(results) == 3:  # the report compares all three set-ups of one run, never a partial run
        from bench.report import write_block

        write_block("cluster", section(results))
    atomic = [r for r in results if r.setup == "cluster"]
    return 0 if all(r.clean for r in atomic) else 1


if __name__ == "__main__":
    raise SystemExit(main())
