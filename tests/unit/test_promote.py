"""A candidate model goes live only if it holds every gate and is no worse than the model in service."""
from pathlib import Path

import pytest

from bench import promote
from bench.nlu_eval import Report
from bench.promote import Case, Scores

GOOD = {"faq_top1": 0.95, "faq_answered_correctly": 0.9, "out_of_scope_refused": 0.95, "service_intent": 0.95,
        "faq_wrong_answer": 0.02}
HARD = [Case(f"难题{i}", ("item",), "hard set") for i in range(4)]
INBOX = [Case("培训班人数有没有上限", ("jxd_q32_class_size_limit",), "inbox")]


def report(**rates) -> Report:
    result = Report()
    for metric, rate in {**GOOD, **rates}.items():
        right = round(rate * 100)
        result.totals[metric], result.counts[metric] = 100, right
    return result


def scores(heldout: Report, right_hard: int, inbox_right: bool) -> Scores:
    right = {case: index < right_hard for index, case in enumerate(HARD)}
    right[INBOX[0]] = inbox_right
    return Scores(heldout=heldout, right=right)


@pytest.mark.parametrize("candidate, promoted, reason", [
    (scores(report(), 3, True), True, None),
    (scores(report(faq_top1=0.80), 3, True), False, "门槛"),
    (scores(report(faq_answered_correctly=0.89), 3, True), False, "faq_answered_correctly 下降"),
    (scores(report(), 2, True), False, "hard set 正确率下降"),
    (scores(report(), 3, False), False, "完全相同"),
], ids=["新答对了收件箱的问题", "低于门槛", "保留集变差一题", "难题集变差", "什么都没变"])
def test_the_verdict(candidate, promoted, reason):
    verdict = promote.judge(scores(report(), 3, False), candidate)
    assert verdict.promote is promoted
    if reason:
        assert any(reason in failure for failure in verdict.failures)
    else:
        assert verdict.newly_right == INBOX and verdict.worse == []


def test_a_small_drop_within_the_tolerance_is_allowed_and_reported():
    verdict = promote.judge(scores(report(), 3, False), scores(report(), 2, True), tolerance=0.25)
    assert verdict.promote and [c.text for c in verdict.worse] == ["难题2"]


def _run(candidate: Scores, tmp_path, monkeypatch):
    """promote() with both models' scores given: the parser names the model, the score is looked up."""
    replaced, lines = [], []
    by_model = {"current": scores(report(), 3, False), "candidate": candidate}
    monkeypatch.setattr(promote, "CURRENT", Path("current.tar.gz"))
    monkeypatch.setattr(promote, "score", lambda parse, cases, heldout: by_model[parse])
    code, _ = promote.promote(lambda: tmp_path / "candidate.tar.gz", lambda path: path.stem.split(".")[0],
                              lambda path: replaced.append(path) or "上线", HARD + INBOX, [], out=lines.append)
    return code, replaced, lines


def test_a_failed_gate_blocks_the_promotion(tmp_path, monkeypatch):
    code, replaced, lines = _run(scores(report(faq_top1=0.5), 4, True), tmp_path, monkeypatch)
    assert code == 1 and replaced == [] and "候选模型未上线，在用模型不变。" in lines


def test_a_better_candidate_is_put_live_and_the_change_reported(tmp_path, monkeypatch):
    code, replaced, lines = _run(scores(report(), 4, True), tmp_path, monkeypatch)
    assert code == 0 and replaced == [tmp_path / "candidate.tar.gz"] and lines[-1] == "上线"
    assert "  + [inbox] 培训班人数有没有上限" in lines and "  + [hard set] 难题3" in lines


def test_a_candidate_that_cannot_be_trained_never_goes_live(tmp_path):
    def fail():
        raise OSError("disk full")

    replaced, lines = [], []
    code, verdict = promote.promote(fail, lambda p: None, replaced.append, [], [], out=lines.append)
    assert (code, verdict, replaced) == (2, None, []) and "disk full" in lines[0]


def test_the_hard_set_gives_single_turn_cases():
    cases = promote.hard_cases()
    assert len(cases) > 300 and all(c.source == "hard set" for c in cases)
    assert any(not c.items for c in cases), "refusals are cases too"
