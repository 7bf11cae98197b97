"""All benchmarks of the assistant in one run, side by side; writes docs/benchmarks.md.

    make bench        # or: .venv/bin/python -m bench.run_all [--skip-stock]

1. Held-out FAQ top-1 accuracy and out-of-scope refusal for: this assistant, a BM25
   baseline over the same training questions, and Rasa's stock pipeline with jieba.
2. Full training time (from scratch, into a temporary directory).
3. End-to-end REST latency p50/p95 and messages per second, 1 and 8 concurrent conversations.
4. The Rasa server's resident memory after loading and after the load test.
5. Calculation accuracy on the sets written from the documents (bench.calculation_eval).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bm25_baseline import bm25_parser
from bench.calculation_eval import report as calculation_report
from bench.latency import measure
from bench.nlu_eval import evaluate, rasa_parser, read_heldout
from bench.report import write_main
from bench.servers import ROOT, running_servers

BIN = Path(sys.executable).parent
RESULTS_JSON = ROOT / "bench" / "results.json"


def train(config: Path, out: Path, name: str, nlu_only: bool = False) -> float:
    command = [str(BIN / "rasa"), "train"] + (["nlu", "--nlu", "data/nlu"] if nlu_only else []) + [
        "--config", str(config), "--out", str(out), "--fixed-model-name", name, "--force"]
    if nlu_only:
        command.remove("--force")
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return round(time.perf_counter() - started, 1)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def accuracy_rows(model: Path, stock_model: Path | None) -> dict:
    pairs = read_heldout()
    rows = {"this assistant": evaluate(rasa_parser(str(model)), pairs).as_dict(),
            "BM25 baseline": evaluate(bm25_parser(), pairs).as_dict()}
    if stock_model is not None:
        rows["stock Rasa + jieba"] = evaluate(rasa_parser(str(stock_model)), pairs, answer_whatever_ranks_first=True).as_dict()
    return rows


def render(results: dict) -> str:
    acc = results["accuracy"]
    lines = [
        "# Benchmarks",
        "",
        f"Measured {results['date']} on {results['machine']} with `make bench` "
        "(`.venv/bin/python -m bench.run_all`). Raw numbers: `bench/results.json`.",
        "",
        "## FAQ accuracy on the held-out set",
        "",
        f"{acc['this assistant']['n_faq_top1']} held-out FAQ questions (`tests/nlu/faq_heldout.yml`) and "
        f"{acc['this assistant']['n_out_of_scope_refused']} out-of-scope questions "
        "(`tests/nlu/smalltalk_heldout.yml`), never trained on.",
        "",
        "- top-1: the best-ranked FAQ is the right one;",
        "- answered right: the reply is the right FAQ (confident and right);",
        "- wrong answer: a confident reply with the wrong FAQ, the costly error;",
        "- out of scope refused: the honest \"not sure\" reply to a question outside the four documents.",
        "",
        "| system | top-1 | answered right | wrong answer | out of scope refused |",
        "|---|---|---|---|---|",
    ]
    for name, row in acc.items():
        lines.append(f"| {name} | {row['faq_top1']:.1%} | {row['faq_answered_correctly']:.1%} | "
                     f"{row['faq_wrong_answer']:.1%} | {row['out_of_scope_refused']:.1%} |")
    lines += [
        "",
        "Stock Rasa answers whatever its ResponseSelector ranks first whenever the intent is `faq`; "
        "the BM25 baseline refuses below a score threshold calibrated on the training questions only.",
        "",
        "## Training",
        "",
        f"- full training from scratch (`rasa train --force`): {results['training_seconds']} s",
    ]
    if "stock_training_seconds" in results:
        lines.append(f"- stock pipeline, NLU only: {results['stock_training_seconds']} s")
    lines += [
        "",
        "## End-to-end latency over the REST channel",
        "",
        "Rasa server and action server on this machine, held-out questions as messages, each conversation "
        "waiting for its reply before the next message.",
        "",
        "| concurrent conversations | messages | p50 | p95 | messages/s | errors |",
        "|---|---|---|---|---|---|",
    ]
    for row in results["latency"]:
        lines.append(f"| {row['concurrency']} | {row['messages']} | {row['p50_ms']} ms | {row['p95_ms']} ms | "
                     f"{row['messages_per_second']} | {row['errors']} |")
    lines += [
        "",
        "## Memory",
        "",
        f"- Rasa server resident memory after loading the model: {results['rss_after_load_mib']} MiB",
        f"- after the latency runs: {results['rss_after_load_test_mib']} MiB",
        "",
    ]
    if results.get("notes"):
        lines += ["## Notes", ""] + [f"- {note}" for note in results["notes"]] + [""]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Run every benchmark and write docs/benchmarks.md")
    parser.add_argument("--skip-stock", action="store_true", help="skip training the stock pipeline")
    parser.add_argument("--note", action="append", default=[], help="a line for the report's notes")
    args = parser.parse_args(argv)

    results = {
        "notes": args.note,
        "date": dt.date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}",
    }
    with tempfile.TemporaryDirectory() as scratch:
        scratch_dir = Path(scratch)
        results["training_seconds"] = train(ROOT / "config.yml", scratch_dir, "fresh")
        model = scratch_dir / "fresh.tar.gz"
        stock = None
        if not args.skip_stock:
            results["stock_training_seconds"] = train(
                ROOT / "bench/configs/stock_jieba.yml", scratch_dir, "stock", nlu_only=True)
            stock = scratch_dir / "stock.tar.gz"
        results["accuracy"] = accuracy_rows(model, stock)

        texts = [text for text, _ in read_heldout()]
        with running_servers(scratch_dir / "servers", model=model) as servers:
            results["rss_after_load_mib"] = rss_mib(servers.rasa_pid)
            results["latency"] = [measure(servers.rest_url, c, texts).__dict__ for c in (1, 8)]
            results["rss_after_load_test_mib"] = rss_mib(servers.rasa_pid)

    RESULTS_JSON.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    write_main(render(results))
    calculation_report()
    print(render(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
