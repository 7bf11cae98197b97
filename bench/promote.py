"""`make promote`: train a candidate model on the training data as staff left it, check it, and put it live
only if it holds every gate and is no worse than the model in service.

    python -m bench.promote [--rasa-url http://127.0.0.1:5005] [--tolerance 0] [--json report.json]

1. `bot.knowledge.build`, then `rasa train` into models/candidates/ (the model in service is untouched);
2. both models parse the held-out set (tests/nlu, the gates of `bench.nlu_eval`), the single-turn cases
   of the hard test set (tests/understanding/people_test.yml) and the questions staff assigned in the
   inbox; the candidate must pass the held-out gates and lose no accuracy on either set;
3. only then models/current.tar.gz is replaced (the old one kept as models/previous.tar.gz) and the
   running Rasa server is told to load it through its HTTP API (`PUT /model`, RASA_API_TOKEN).

It reports what changed: questions the candidate answers that the model in service did not, and every
question that got worse. Exit codes: 0 promoted, 1 not promoted (a gate failed, or nothing changed), 2
the candidate could not be trained or checked.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import requests
import yaml

from bench import nlu_eval
from bot import settings
from bot.db import session_scope
from bot.faq.decision import decide
from bot.knowledge import load_knowledge_base

ROOT = settings.PROJECT_ROOT
CURRENT = Path("models/current.tar.gz")
PREVIOUS = Path("models/previous.tar.gz")
CANDIDATES = Path("models/candidates")
HARD_SET = Path("tests/understanding/people_test.yml")

Parse = Callable[[str], Mapping[str, Any]]


@dataclass(frozen=True)
class Case:
    """A question and what should happen: answered with one of `items`, or refused (no items)."""

    text: str
    items: Tuple[str, ...]
    source: str  # "held-out", "hard set" or "inbox"


@dataclass
class Scores:
    """How a model did on each set, and which questions it got right."""

    heldout: nlu_eval.Report
    right: Dict[Case, bool] = field(default_factory=dict)

    def rate(self, source: str) -> float:
        cases = [case for case in self.right if case.source == source]
        return sum(self.right[case] for case in cases) / max(len(cases), 1)


@dataclass
class Verdict:
    failures: List[str]
    newly_right: List[Case]
    worse: List[Case]

    @property
    def promote(self) -> bool:
        return not self.failures


def hard_cases(path: Path = HARD_SET) -> List[Case]:
    """The hard set's one-message cases; a multi-turn case needs the conversation, which parsing lacks."""
    data = yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))
    cases = []
    for case in data["cases"]:
        expect = case["expect"]
        if len(case["turns"]) != 1 or (expect["kind"] == "answer" and not expect.get("items")):
            continue
        items = tuple(expect.get("items") or ()) if expect["kind"] == "answer" else ()
        cases.append(Case(case["turns"][0], items, "hard set"))
    return cases


def inbox_cases(database_url: Optional[str] = None) -> List[Case]:
    """The questions staff assigned to an FAQ: the candidate should now answer them with it."""
    from sqlalchemy import select

    from bot.db.models import UnansweredQuestion
    from bot.inbox.service import ASSIGNED

    try:
        with session_scope(database_url or settings.database_url()) as session:
            rows = session.execute(
                select(UnansweredQuestion.question, UnansweredQuestion.faq_key).where(
                    UnansweredQuestion.resolution == ASSIGNED
                )
            ).all()
    except Exception as error:  # no database yet: nothing was assigned
        print(f"（读取未答问题失败，跳过：{type(error).__name__}）", file=sys.stderr)
        return []
    return list(dict.fromkeys(Case(question, (key,), "inbox") for question, key in rows if key))


def score(parse: Parse, cases: Sequence[Case], heldout: List[Tuple[str, str]]) -> Scores:
    kb = load_knowledge_base()
    thresholds = settings.faq_thresholds()
    result = Scores(heldout=nlu_eval.evaluate(parse, heldout))
    for case in cases:
        decision = decide(parse(case.text), kb, **thresholds)
        answered = decision.answer.key if decision.answer is not None else None
        result.right[case] = answered in case.items if case.items else answered is None
    return result


def judge(current: Scores, candidate: Scores, tolerance: float = 0.0) -> Verdict:
    """The candidate holds the held-out gates and loses no more than `tolerance` on any set."""
    failures = [f"候选模型未达到门槛：{failure}" for failure in nlu_eval.gate_failures(candidate.heldout)]
    for metric in ("faq_answered_correctly", "faq_top1", "out_of_scope_refused"):
        before, after = current.heldout.rate(metric), candidate.heldout.rate(metric)
        if after < before - tolerance:
            failures.append(f"保留集 {metric} 下降：{before:.3f} → {after:.3f}")
    for source in ("hard set", "inbox"):
        before, after = current.rate(source), candidate.rate(source)
        if after < before - tolerance:
            failures.append(f"{source} 正确率下降：{before:.3f} → {after:.3f}")
    cases = list(candidate.right)
    newly_right = [c for c in cases if candidate.right[c] and not current.right.get(c, False)]
    worse = [c for c in cases if current.right.get(c, False) and not candidate.right[c]]
    if not newly_right and not worse and current.heldout.as_dict() == candidate.heldout.as_dict():
        failures.append("候选模型与在用模型结果完全相同，无需上线")
    return Verdict(failures, newly_right, worse)


def train_candidate() -> Path:
    """`bot.knowledge.build` and `rasa train` into models/candidates/; raises on failure."""
    python = Path(sys.executable)
    subprocess.run([str(python), "-m", "bot.knowledge.build"], cwd=ROOT, check=True)
    (ROOT / CANDIDATES).mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(python.parent / "rasa"), "train", "--fixed-model-name", "candidate", "--out", str(CANDIDATES)],
        cwd=ROOT, check=True,
    )
    return ROOT / CANDIDATES / "candidate.tar.gz"


def replace_model(candidate: Path, rasa_url: str, token: str) -> str:
    """The candidate in place of models/current.tar.gz (the old one kept), then loaded by the running server."""
    current, previous = ROOT / CURRENT, ROOT / PREVIOUS
    if current.exists():
        shutil.copy2(current, previous)
    staged = current.with_suffix(".staged")
    shutil.copy2(candidate, staged)
    staged.replace(current)  # atomic: a server starting now reads the old or the new model, never half
    try:
        response = requests.put(f"{rasa_url.rstrip('/')}/model", params={"token": token},
                                json={"model_file": str(current)}, timeout=300)
    except requests.RequestException as error:
        return f"models/current.tar.gz 已更新；Rasa（{rasa_url}）未能连接（{type(error).__name__}），下次启动时使用新模型。"
    if response.status_code != 204:
        return f"models/current.tar.gz 已更新，但 Rasa 拒绝加载（HTTP {response.status_code}）：请重启 Rasa。"
    return "新模型已上线：models/current.tar.gz 已更新，运行中的 Rasa 已加载（旧模型保存在 models/previous.tar.gz）。"


def report_lines(verdict: Verdict, current: Scores, candidate: Scores) -> List[str]:
    lines = ["| 指标 | 在用模型 | 候选模型 |", "|---|---|---|"]
    for metric in ("faq_answered_correctly", "faq_top1", "faq_wrong_answer", "out_of_scope_refused"):
        lines.append(f"| 保留集 {metric} | {current.heldout.rate(metric):.3f} | {candidate.heldout.rate(metric):.3f} |")
    for source in ("hard set", "inbox"):
        lines.append(f"| {source} 正确率 | {current.rate(source):.3f} | {candidate.rate(source):.3f} |")
    lines.append(f"新答对 {len(verdict.newly_right)} 个问题：")
    lines += [f"  + [{c.source}] {c.text}" for c in verdict.newly_right]
    lines.append(f"变差 {len(verdict.worse)} 个问题：")
    lines += [f"  - [{c.source}] {c.text}（应为 {'、'.join(c.items) or '拒答'}）" for c in verdict.worse]
    lines += [f"未通过：{failure}" for failure in verdict.failures]
    return lines


def promote(
    train: Callable[[], Path],
    parser: Callable[[Path], Parse],
    replace: Callable[[Path], str],
    cases: Sequence[Case],
    heldout: List[Tuple[str, str]],
    tolerance: float = 0.0,
    out: Callable[[str], None] = print,
) -> Tuple[int, Optional[Verdict]]:
    """The three steps, each given, so that the decision can be tested without training."""
    try:
        candidate_path = train()
        current = score(parser(ROOT / CURRENT), cases, heldout)
        candidate = score(parser(candidate_path), cases, heldout)
    except (subprocess.CalledProcessError, OSError, ValueError) as error:
        out(f"候选模型训练或检查失败，未上线：{error}")
        return 2, None
    verdict = judge(current, candidate, tolerance)
    for line in report_lines(verdict, current, candidate):
        out(line)
    if not verdict.promote:
        out("候选模型未上线，在用模型不变。")
        return 1, verdict
    out(replace(candidate_path))
    return 0, verdict


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    config = settings.check()
    parser.add_argument("--rasa-url", default=config.rasa_url, help="the running Rasa server (env RASA_URL)")
    parser.add_argument("--tolerance", type=float, default=0.0, help="largest drop allowed on any set (default 0)")
    parser.add_argument("--json", dest="json_path", help="also write the report here")
    args = parser.parse_args(argv)
    if not (ROOT / CURRENT).exists():
        print("没有在用模型（models/current.tar.gz）：先运行 make train。", file=sys.stderr)
        return 2
    cases = [*hard_cases(), *inbox_cases()]
    code, verdict = promote(
        train_candidate,
        lambda path: nlu_eval.rasa_parser(str(path)),
        lambda path: replace_model(path, args.rasa_url, config.rasa_api_token),
        cases,
        nlu_eval.read_heldout([ROOT / p for p in nlu_eval.HELDOUT_FILES]),
        args.tolerance,
    )
    if args.json_path and verdict is not None:
        Path(args.json_path).write_text(json.dumps({
            "promoted": code == 0, "failures": verdict.failures,
            "newly_right": [c.text for c in verdict.newly_right], "worse": [c.text for c in verdict.worse],
        }, ensure_ascii=False, indent=2), encoding="utf-8")
    return code


if __name__ == "__main__":
    sys.exit(main())
