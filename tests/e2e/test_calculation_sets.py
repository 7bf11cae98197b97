"""Calculation accuracy over the REST channel on the frozen test set, written from the documents alone.

The set (tests/calculations/people_test.yml) is never trained or tuned on; the development sets beside it
are. The figure goes into results/ and, via `make bench`, into docs/benchmarks.md.
"""
import json
from pathlib import Path

import pytest
import yaml

from bench.calculation_eval import GATE, evaluate, summarise

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_the_frozen_calculation_set_meets_the_gate(servers):
    cases = yaml.safe_load((ROOT / "tests/calculations/people_test.yml").read_text(encoding="utf-8"))["cases"]
    assert len(cases) >= 150
    outcomes = evaluate(servers["rest"], cases)
    summary = summarise(outcomes)
    out = ROOT / "results" / "calculations_test.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    failed = [o.id for o in outcomes if not o.passed]
    assert summary["accuracy"] >= GATE, f"{summary['accuracy']:.1%} < {GATE:.0%}; failed: {failed}"
