"""Faults under load on the cluster: the load test of `bench.cluster_load` runs while one part fails.

    .venv/bin/python -m bench.cluster_faults [--conversations 50] [--messages 20]

Scenarios, one after another on one cluster, each failing 5 s into the load and recovering 5 s later:
  action servers   both killed, then restarted;
  Redis            killed, then restarted;
  PostgreSQL       restarted (`pg_ctlcluster … restart`, needs root);
  one replica      killed (SIGKILL) and left down: nginx sends everything to the other.
For each: how many messages got their answer, "系统繁忙" (told to resend), or an HTTP error (in flight
on a killed replica), and whether any answered message was lost, duplicated, reordered or interleaved.
Results go to bench/cluster_faults_results.json and docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import Callable, List, Optional, Tuple

from bench.cluster_load import RunResult, run_workload
from bot.cluster import Layout, LocalCluster

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "cluster_faults_results.json"


def _postgres(action: str) -> None:
    version, name = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True,
                                   check=True).stdout.split()[:2]
    subprocess.run(["pg_ctlcluster", version, name, action], check=True)


def scenarios(cluster: LocalCluster) -> List[Tuple[str, Callable[[], None], Optional[Callable[[], None]]]]:
    def kill_actions():
        cluster.kill("actions-1")
        cluster.kill("actions-2")

    def start_actions():
        cluster.start("actions-1")
        cluster.start("actions-2")

    return [
        ("both action servers killed for 5 s", kill_actions, start_actions),
        ("Redis killed for 5 s", lambda: cluster.kill("redis"), lambda: cluster.start("redis")),
        ("PostgreSQL restarted", lambda: _postgres("restart"), None),
        ("one Rasa replica killed", lambda: cluster.kill("rasa-1"), None),
    ]


def run_scenario(cluster: LocalCluster, name: str, fail, recover, args) -> dict:
    def inject():
        time.sleep(args.fail_after)
        fail()
        if recover:
            time.sleep(args.down_for)
            recover()

    injector = threading.Thread(target=inject)
    injector.start()
    result: RunResult = asyncio.run(run_workload(
        name, f"{cluster.public_url}/webhooks/rest/webhook", cluster.api_url, cluster.api_token,
        args.conversations, args.messages))
    injector.join()
    summary = asdict(result)
    summary.pop("senders")
    return summary


def section(results: List[dict], args) -> str:
    lines = ["## Faults under load (`python -m bench.cluster_faults`)", "",
             f"The cluster load test ({args.conversations} conversations × {args.messages} messages) with one part "
             f"failing {args.fail_after:.0f} s into the run (and back {args.down_for:.0f} s later where it says so). "
             "*系统繁忙*: the person was told “系统繁忙，请稍后再试” and to send the message again (the conversation "
             "kept its slots and any form in progress); *HTTP errors*: requests inside a replica when it was "
             "killed; nothing that was answered may be lost, duplicated, reordered or interleaved.", "",
             "| fault | messages | answered | 系统繁忙 | wrong reply | HTTP errors | lost | duplicated | "
             "reordered conv. | interleaved | p95 ms |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['setup']} | {r['messages']} | {r['replied']} | {r['busy']} | {r['wrong_replies']} | "
                     f"{r['errors']} | "
                     f"{r['lost']} | {r['duplicated']} | {r['reordered_conversations']} | {r['interleaved']} | "
                     f"{r['p95_ms']:.0f} |")
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--fail-after", type=float, default=5.0)
    parser.add_argument("--down-for", type=float, default=5.0)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--report-only", action="store_true",
                        help="rewrite the docs/benchmarks.md table from bench/cluster_faults_results.json")
    args = parser.parse_args(argv)
    if args.report_only:
        from bench.report import write_block

        write_block("faults", section(json.loads(RESULTS.read_text()), args))
        return 0
    if not args.database_url.startswith("postgresql"):
        parser.error("needs DATABASE_URL=postgresql://… (scripts/cluster.sh --prepare prints one)")
    layout = Layout(state_dir=ROOT / "var" / "bench-faults", public_port=5605, api_port=5604,
                    action_pool_port=5655, rasa_ports=(5705, 5706), action_ports=(5755, 5756), redis_port=6679,
                    chat_port=None, console_port=None)
    results = []
    with LocalCluster(layout, args.database_url, extra_env={"BOT_RATE_LIMIT": "0"}) as cluster:
        for name, fail, recover in scenarios(cluster):
            result = run_scenario(cluster, name, fail, recover, args)
            print(json.dumps(result, ensure_ascii=False), flush=True)
            results.append(result)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    from bench.report import write_block

    write_block("faults", section(results, args))
    return 0 if all(r["lost"] == r["duplicated"] == r["reordered_conversations"] == r["interleaved"]
                    == r["wrong_replies"] == 0
                    for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
