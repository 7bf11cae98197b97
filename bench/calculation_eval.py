"""Calculation accuracy over the REST channel: messages written from the documents, as people write.

    python -m bench.calculation_eval --cases tests/calculations/people_dev.yml --show-failures
    python -m bench.calculation_eval --cases tests/calculations/people_test.yml --gate 0.98
    python -m bench.calculation_eval --report     # every set, one server, a table in docs/benchmarks.md

Each case is a conversation (one or more turns) and the answer expected after its last turn: the
highest level, the subsidy per person (and in total), a fee, or that the calculation was cancelled.
The test set is frozen: never train or tune on it; tune on the development set.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional

import requests
import yaml

# The share of the frozen test set that must be answered right. A floor against regressions, below the
# 96.6% measured when it was set; the target is 98%, which the assistant does not reach yet.
GATE = 0.94
LEVEL_CODES = {"五级": 5, "四级": 4, "三级": 3, "二级": 2, "一级": 1}
VERDICT = re.compile(r"可申报的最高等级：([一二三四五]级)")
NO_LEVEL = re.compile(r"(暂不符合|没有更高的等级可以申报)")
PER_PERSON = re.compile(r"每人(\d+)元")
TOTAL = re.compile(r"(\d+)人共(\d+)元")


@dataclass
class Outcome:
    id: str
    kind: str
    passed: bool
    reached: bool
    questions: int
    got: Any
    expected: Dict[str, Any]
    reply: str


def say(url: str, sender: str, text: str) -> List[Dict[str, Any]]:
    response = requests.post(url, json={"sender": sender, "message": text}, timeout=60)
    response.raise_for_status()
    return response.json()


def _text(replies: List[Dict[str, Any]]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def read_answer(kind: str, text: str) -> Any:
    """What the replies of the last turn answer, in the terms of the case's `expect`; None if no answer."""
    if kind == "eligibility":
        match = VERDICT.search(text)
        if match:
            return {"level": LEVEL_CODES[match.group(1)]}
        return {"level": None} if NO_LEVEL.search(text) else None
    if kind == "subsidy":
        match = PER_PERSON.search(text)
        if not match:
            return None
        total = TOTAL.search(text)
        return {"per_person": int(match.group(1)), "total": int(total.group(2)) if total else None}
    if kind == "fee":
        first = next((line for line in text.splitlines() if "元" in line or "相同" in line), "")
        if "费用相同" in first or "认定费用相同" in first:
            return {"amount": 0}
        for pattern in (r"＝(\d+)元", r"(?:贵|相差|便宜)(\d+)元", r"(\d+)元"):
            match = re.findall(pattern, first)
            if match:
                return {"amount": int(match[-1] if pattern.startswith("＝") else match[0])}
        return None
    if kind == "cancelled":
        return {"cancelled": True} if ("已取消" in text or "有需要随时问我" in text) else None
    raise ValueError(kind)


def judge(kind: str, expected: Dict[str, Any], got: Any) -> bool:
    if got is None:
        return False
    if kind == "eligibility":
        return got["level"] == expected.get("level")
    if kind == "subsidy":
        if got["per_person"] != expected.get("per_person"):
            return False
        return expected.get("total") is None or got["total"] == expected["total"] or (
            got["total"] is None and expected["total"] == expected["per_person"])
    if kind == "fee":
        return got["amount"] == expected.get("amount")
    return bool(got)


def run_case(url: str, case: Dict[str, Any]) -> Outcome:
    sender = f"calc-{case['id']}-{uuid.uuid4().hex[:6]}"
    kind = case["expect"]["kind"]
    questions = 0
    text = ""
    for turn in case["turns"]:
        text = _text(say(url, sender, str(turn)))
        if read_answer(kind, text) is None and re.search(r"[？?]", text):
            questions += 1
    got = read_answer(kind, text)
    if got is None and re.search(r"[？?]", text):
        questions -= 1  # the last question is counted as no verdict, not as a question before one
    return Outcome(case["id"], kind, judge(kind, case["expect"], got), got is not None, max(questions, 0), got,
                   case["expect"], text)


def summarise(outcomes: List[Outcome]) -> Dict[str, Any]:
    kinds = sorted({o.kind for o in outcomes})
    by_kind = {}
    for kind in kinds:
        subset = [o for o in outcomes if o.kind == kind]
        by_kind[kind] = {"cases": len(subset), "passed": sum(o.passed for o in subset),
                         "reached": sum(o.reached for o in subset)}
    passed = sum(o.passed for o in outcomes)
    answered = [o for o in outcomes if o.reached]
    return {"cases": len(outcomes), "passed": passed, "accuracy": round(passed / max(len(outcomes), 1), 4),
            "reached": len(answered),
            "questions_before_verdict": round(sum(o.questions for o in answered) / max(len(answered), 1), 3),
            "by_kind": by_kind}


def evaluate(url: str, cases: List[Dict[str, Any]]) -> List[Outcome]:
    return [run_case(url, case) for case in cases]


SETS = (("frozen test set", "tests/calculations/people_test.yml"),
        ("development set 1", "tests/calculations/people_dev.yml"),
        ("development set 2", "tests/calculations/people_dev2.yml"),
        ("development set 3", "tests/calculations/people_dev3.yml"),
        ("development set 4", "tests/calculations/people_dev4.yml"),
        ("development set 5", "tests/calculations/people_dev5.yml"),
        ("development set 6", "tests/calculations/people_dev6.yml"),
        ("development set 7", "tests/calculations/people_dev7.yml"),
        ("development set 8", "tests/calculations/people_dev8.yml"),
        ("development set 9", "tests/calculations/people_dev9.yml"))
ROOT = Path(__file__).resolve().parents[1]


def render_block(rows: Dict[str, Dict[str, Any]]) -> str:
    lines = ["## Calculations in a person's own words (`python -m bench.calculation_eval --report`)", "",
             "Conversations written from the four documents alone, in the words of people in a situation, sent "
             "through the REST channel to the running assistant. Right: the level, the subsidy per person (and in "
             "total) or the fee after the last message is the one the documents give. Reached: the reply was a "
             "verdict of the right calculator. Questions: the assistant's questions before its verdict, per case. "
             f"The frozen test set is never trained or tuned on; `make test` requires {GATE:.0%} on it (a floor "
             "against regressions; the target is 98%). Development sets 3 to 9 were written later and used for "
             "one or two rounds of fixes each; set 9, the newest, scored 80.0% before its round, the nearest "
             "estimate of how new messages fare. Most of what the development sets still count as wrong is "
             "where they disagree with each other: what a holder who still meets their own level is told (the "
             "assistant gives that level when the question asks for the highest one, \"不能的话最高报几级\", and "
             "\"no higher level\" when it asks only about the next, \"能报三级吗\"; the sets' writers differ on "
             "both), and whether \"明年6月毕业\" said in December is 应届 (the assistant reads 应届 as "
             "graduating this year).", "",
             "| set | cases | right | reached | questions | eligibility | subsidy | fee | cancelled |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, summary in rows.items():
        kinds = summary["by_kind"]
        cells = [f"{kinds[k]['passed']}/{kinds[k]['cases']}" if k in kinds else "–"
                 for k in ("eligibility", "subsidy", "fee", "cancelled")]
        lines.append(f"| {name} | {summary['cases']} | {summary['accuracy']:.1%} | "
                     f"{summary['reached']}/{summary['cases']} | {summary['questions_before_verdict']} | "
                     + " | ".join(cells) + " |")
    return "\n".join(lines)


def report() -> int:
    from bench.report import write_block
    from bench.servers import running_servers

    rows = {}
    with tempfile.TemporaryDirectory() as workdir, running_servers(Path(workdir)) as servers:
        for name, path in SETS:
            if (ROOT / path).exists():
                cases = yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))["cases"]
                rows[name] = summarise(evaluate(servers.rest_url, cases))
    write_block("calculations", render_block(rows))
    print(render_block(rows))
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if "--report" in argv:
        return report()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, required=True)
    parser.add_argument("--url", help="a running REST channel; default: start the servers on the current model")
    parser.add_argument("--gate", type=float, help="exit 1 below this accuracy")
    parser.add_argument("--show-failures", action="store_true")
    parser.add_argument("--out", type=Path, help="write the summary as JSON")
    args = parser.parse_args(argv)
    cases = yaml.safe_load(args.cases.read_text(encoding="utf-8"))["cases"]
    if args.url:
        outcomes = evaluate(args.url, cases)
    else:
        from bench.servers import running_servers

        with tempfile.TemporaryDirectory() as workdir, running_servers(Path(workdir)) as servers:
            outcomes = evaluate(servers.rest_url, cases)
    summary = summarise(outcomes)
    if args.show_failures:
        for outcome in outcomes:
            if not outcome.passed:
                print(f"FAIL {outcome.id} expected {outcome.expected} got {outcome.got}\n  {outcome.reply[:300]!r}")
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"summary": summary, "cases": [asdict(o) for o in outcomes]},
                                       ensure_ascii=False, indent=2), encoding="utf-8")
    if args.gate is not None and summary["accuracy"] < args.gate:
        print(f"calculation accuracy {summary['accuracy']:.1%} is below the gate {args.gate:.0%}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
