"""Understanding questions as people ask them, over the REST channel, in a conversation.

    python -m bench.understanding_eval --cases tests/understanding/people_dev.yml --show-failures
    python -m bench.understanding_eval --cases tests/understanding/people_test.yml --gate   # the targets
    python -m bench.understanding_eval --report    # both sets, one server, a table in docs/benchmarks.md

Each case is one or more messages and what the reply to the last one must be:
- `answer`: a confident answer (it names its source, "来源：") from one of the knowledge-base items the
  case lists as right (`items`, labelled from the items' answers, never from the assistant's replies);
  a reply that is no stored answer (a calculation) must contain every `must` term, short facts
  copied from the document;
- `refuse`: no confident answer: the honest reply, with or without guesses as buttons.
A confident answer without the terms is "confident wrong"; a reply without a source is "unsure".
The test set is frozen: never train or tune on it, and never look at its failures (the tool refuses).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import uuid
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from bench.calculation_eval import say
from bot.knowledge import load_knowledge_base
from bot.nlu.normalize import comparable_text

ROOT = Path(__file__).resolve().parents[1]
FROZEN_SET = ROOT / "tests" / "understanding" / "people_test.yml"
DEV_SET = ROOT / "tests" / "understanding" / "people_dev.yml"
DEV2_SET = ROOT / "tests" / "understanding" / "people_dev2.yml"
DEV3_SET = ROOT / "tests" / "understanding" / "people_dev3.yml"
DEV4_SET = ROOT / "tests" / "understanding" / "people_dev4.yml"
DEV5_SET = ROOT / "tests" / "understanding" / "people_dev5.yml"
SOURCE_MARK = "来源："
# What the assistant should reach on the frozen set (`--gate` checks these).
TARGETS = {"right": 0.93, "confident_wrong_max": 0.02, "near_miss_refused": 0.92, "follow_ups_right": 0.90}
# What `make test` requires: floors against regressions, below the measured figures, until the targets hold.
# Measured when they were set: right 82.3%, confident wrong 4.0%, near misses 78.3%, follow-ups 75.0%.
FLOORS = {"right": 0.78, "confident_wrong_max": 0.06, "near_miss_refused": 0.72, "follow_ups_right": 0.65}
MAX_BUBBLES = 3


@dataclass
class Outcome:
    id: str
    shape: str
    expected: str
    verdict: str  # right, wrong (confident), unsure, refused
    bubbles: int
    reply: str

    @property
    def passed(self) -> bool:
        return self.verdict == ("refused" if self.expected == "refuse" else "right")


@lru_cache(maxsize=1)
def _answers() -> Tuple[Tuple[str, str], ...]:
    """(comparable answer text, item key) for every knowledge-base item, longest first."""
    kb = load_knowledge_base()
    pairs = [(comparable_text(item.answer), item.key) for item in kb.items.values()]
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def answered_item(reply: str) -> Optional[str]:
    """The knowledge-base item whose answer the reply gives, if it gives one."""
    text = comparable_text(reply)
    return next((key for answer, key in _answers() if answer and answer in text), None)


def judge(case: Dict[str, Any], reply: str) -> str:
    """Right when the reply is the answer of an item the case lists as right (`items`), or, for a
    reply that is not a stored answer (a calculation), when it holds every `must` term."""
    answered = SOURCE_MARK in reply
    if case["expect"]["kind"] == "refuse":
        return "wrong" if answered else "refused"
    if not answered:
        return "unsure"
    acceptable = case["expect"].get("items") or []
    item = answered_item(reply)
    if acceptable and item is not None:
        return "right" if item in acceptable else "wrong"
    text = comparable_text(reply)
    must = [comparable_text(str(term)) for term in case["expect"].get("must") or []]
    return "right" if all(term in text for term in must) else "wrong"


def run_case(url: str, case: Dict[str, Any]) -> Outcome:
    sender = f"understand-{case['id']}-{uuid.uuid4().hex[:6]}"
    replies: List[Dict[str, Any]] = []
    for turn in case["turns"]:
        replies = say(url, sender, str(turn))
    text = "\n".join(str(reply.get("text") or "") for reply in replies)
    return Outcome(case["id"], case.get("shape", ""), case["expect"]["kind"], judge(case, text), len(replies), text)


def summarise(outcomes: List[Outcome]) -> Dict[str, Any]:
    single = [o for o in outcomes if o.expected == "answer" and o.shape != "followup"]
    near = [o for o in outcomes if o.expected == "refuse"]
    follow = [o for o in outcomes if o.shape == "followup"]

    def share(subset: List[Outcome], verdict: str) -> float:
        return round(sum(o.verdict == verdict for o in subset) / max(len(subset), 1), 4)

    shapes = sorted({o.shape for o in single})
    return {
        "single": len(single), "near_misses": len(near), "follow_ups": len(follow),
        "right": share(single, "right"), "unsure": share(single, "unsure"),
        "confident_wrong": share(single, "wrong"),
        "near_miss_refused": share(near, "refused"),
        "follow_ups_right": share(follow, "right"),
        "most_bubbles": max((o.bubbles for o in outcomes), default=0),
        "by_shape": {shape: share([o for o in single if o.shape == shape], "right") for shape in shapes},
    }


def below(summary: Dict[str, Any], gates: Dict[str, float]) -> List[str]:
    """The gates that `summary` does not hold, in words; empty when all hold."""
    failures = []
    for metric in ("right", "near_miss_refused", "follow_ups_right"):
        if summary[metric] < gates[metric]:
            failures.append(f"{metric} {summary[metric]:.1%} < {gates[metric]:.0%}")
    if summary["confident_wrong"] > gates["confident_wrong_max"]:
        failures.append(f"confident_wrong {summary['confident_wrong']:.1%} > {gates['confident_wrong_max']:.0%}")
    if summary["most_bubbles"] > MAX_BUBBLES:
        failures.append(f"a reply of {summary['most_bubbles']} bubbles (at most {MAX_BUBBLES})")
    return failures


def load_cases(path: Path) -> List[Dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]


def evaluate(url: str, cases: List[Dict[str, Any]]) -> List[Outcome]:
    return [run_case(url, case) for case in cases]


def _with_servers(function, extra_env: Optional[Dict[str, str]] = None):
    from bench.servers import running_servers

    with tempfile.TemporaryDirectory() as workdir, running_servers(Path(workdir), extra_env=extra_env) as servers:
        return function(servers.rest_url)


# Each part of understanding switched off in turn (`BOT_DISABLE`), on the same model.
ABLATION = (("everything on", ""), ("without follow-ups in context", "context"),
            ("without the lexicon (at run time only)", "lexicon"),
            ("without putting right typos that sound like a word of the documents (at run time only)", "homophones"),
            ("without the check that the subject is covered", "coverage"),
            ("without replies that are training examples word for word", "exact"))


def render_block(rows: Dict[str, Dict[str, Any]]) -> str:
    lines = ["## Understanding questions as people ask them (`python -m bench.understanding_eval --report`)", "",
             "Questions written from the four documents alone, as people in a situation ask them, sent through "
             "the REST channel. Right: a confident answer (with its source) from a knowledge-base item labelled as "
             "right for the case (labelled from the items' answers, never from replies), or for a calculation, "
             "one containing the document's key facts; confident wrong: any other confident answer; near misses: "
             "questions on topics the documents do not cover, refused when no confident answer is given; follow-ups: the reply to an elliptical last "
             "message (\"那二级呢\"). The frozen test set is never trained or tuned on and its failures are never "
             f"read. Targets: right ≥ {TARGETS['right']:.0%}, confident wrong ≤ "
             f"{TARGETS['confident_wrong_max']:.0%}, near misses refused ≥ {TARGETS['near_miss_refused']:.0%}, "
             f"follow-ups right ≥ {TARGETS['follow_ups_right']:.0%}; `make test` holds the floors in "
             "`bench/understanding_eval.py` (below the measured figures, against regressions).", "",
             "| set | questions | right | unsure | confident wrong | near misses refused | follow-ups right "
             "| most bubbles |",
             "|---|---|---|---|---|---|---|---|"]
    for name, s in rows.items():
        lines.append(f"| {name} | {s['single']} + {s['near_misses']} + {s['follow_ups']} | {s['right']:.1%} | "
                     f"{s['unsure']:.1%} | {s['confident_wrong']:.1%} | {s['near_miss_refused']:.1%} | "
                     f"{s['follow_ups_right']:.1%} | {s['most_bubbles']} |")
    shapes = sorted({shape for s in rows.values() for shape in s["by_shape"]})
    lines += ["", "Right, by the shape of the question:", "",
              "| set | " + " | ".join(shapes) + " |", "|---|" + "---|" * len(shapes)]
    for name, s in rows.items():
        lines.append(f"| {name} | " + " | ".join(f"{s['by_shape'].get(shape, 0):.0%}" for shape in shapes) + " |")
    return "\n".join(lines)


def render_ablation(rows: Dict[str, Dict[str, Any]]) -> str:
    lines = ["", "What each part adds (development and frozen sets together; `BOT_DISABLE` switches a part off "
             "on the same model, so the lexicon row keeps its effect on training):", "",
             "| variant | right | confident wrong | near misses refused | follow-ups right |", "|---|---|---|---|---|"]
    for name, s in rows.items():
        lines.append(f"| {name} | {s['right']:.1%} | {s['confident_wrong']:.1%} | {s['near_miss_refused']:.1%} | "
                     f"{s['follow_ups_right']:.1%} |")
    return "\n".join(lines)


def report() -> int:
    from bench.report import write_block

    sets = [(name, path) for name, path in (("frozen test set", FROZEN_SET), ("development set", DEV_SET),
                                            ("development set 2", DEV2_SET), ("development set 3", DEV3_SET),
                                            ("development set 4", DEV4_SET), ("development set 5", DEV5_SET))
            if path.exists()]
    rows: Dict[str, Dict[str, Any]] = {}
    ablation: Dict[str, Dict[str, Any]] = {}
    for variant, disabled in ABLATION:
        def run(url: str) -> List[List[Outcome]]:
            return [evaluate(url, load_cases(path)) for _, path in sets]

        per_set = _with_servers(run, {"BOT_DISABLE": disabled} if disabled else None)
        if not disabled:
            rows = {name: summarise(outcomes) for (name, _), outcomes in zip(sets, per_set)}
        ablation[variant] = summarise([o for outcomes in per_set for o in outcomes])
    block = render_block(rows) + "\n" + render_ablation(ablation)
    write_block("understanding", block)
    print(block)
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--report" in argv:
        return report()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, required=True)
    parser.add_argument("--url", help="a running REST channel; default: start the servers on the current model")
    parser.add_argument("--gate", action="store_true", help="exit 1 when a target does not hold")
    parser.add_argument("--show-failures", action="store_true", help="development sets only")
    parser.add_argument("--out", type=Path, help="write the outcomes as JSON (development sets only)")
    args = parser.parse_args(argv)
    frozen = args.cases.resolve() == FROZEN_SET
    if frozen and (args.show_failures or args.out):
        print("the frozen test set's failures are not shown: tune on the development set", file=sys.stderr)
        return 2
    cases = load_cases(args.cases)
    outcomes = evaluate(args.url, cases) if args.url else _with_servers(lambda url: evaluate(url, cases))
    if args.show_failures:
        for outcome, case in zip(outcomes, cases):
            if not outcome.passed:
                print(f"{outcome.verdict.upper()} {outcome.id} [{outcome.shape}] {case['turns']} "
                      f"must={case['expect'].get('must')}\n  {outcome.reply[:240]!r}")
    summary = summarise(outcomes)
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps([asdict(o) for o in outcomes], ensure_ascii=False, indent=2), encoding="utf-8")
    failures = below(summary, TARGETS) if args.gate else []
    for failure in failures:
        print(f"gate: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
