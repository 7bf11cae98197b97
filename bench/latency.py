"""End-to-end REST latency and throughput against running servers.

Each conversation sends its messages one after another (a person waits for the reply);
`concurrency` conversations run at once. Messages are held-out questions, so the
servers do the full work: NLU, policy, the FAQ action over HTTP, response rendering.
"""
from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass
from typing import List, Sequence

import aiohttp


@dataclass
class LatencyResult:
    concurrency: int
    messages: int
    p50_ms: float
    p95_ms: float
    messages_per_second: float
    errors: int


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


async def _conversation(session, url: str, sender: str, texts: Sequence[str],
                        latencies: List[float], errors: List[str]) -> None:
    for text in texts:
        started = time.perf_counter()
        try:
            async with session.post(url, json={"sender": sender, "message": text}) as response:
                body = await response.json()
                if response.status != 200 or not body:
                    errors.append(f"{response.status}: {body}")
        except aiohttp.ClientError as error:
            errors.append(str(error))
        latencies.append((time.perf_counter() - started) * 1000)


async def _run(url: str, concurrency: int, texts: Sequence[str], per_conversation: int) -> LatencyResult:
    latencies: List[float] = []
    errors: List[str] = []
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        # Warm-up so that first-call costs are not measured.
        await _conversation(session, url, "bench-warmup", texts[:3], [], [])
        started = time.perf_counter()
        await asyncio.gather(*[
            _conversation(session, url, f"bench-{concurrency}-{n}",
                          [texts[(n * per_conversation + i) % len(texts)] for i in range(per_conversation)],
                          latencies, errors)
            for n in range(concurrency)
        ])
        elapsed = time.perf_counter() - started
    return LatencyResult(
        concurrency=concurrency,
        messages=len(latencies),
        p50_ms=round(statistics.median(latencies), 1),
        p95_ms=round(percentile(latencies, 0.95), 1),
        messages_per_second=round(len(latencies) / elapsed, 1),
        errors=len(errors),
    )


def measure(url: str, concurrency: int, texts: Sequence[str], per_conversation: int = 25) -> LatencyResult:
    return asyncio.run(_run(url, concurrency, texts, per_conversation))
