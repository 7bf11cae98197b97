"""Understanding over the REST channel on the frozen set written from the documents alone.

tests/understanding/people_test.yml is never trained or tuned on, and its failures are never read;
people_dev.yml beside it is the development set. Only the summary is written to results/.
"""
import json
from pathlib import Path

import pytest

from bench.understanding_eval import FLOORS, FROZEN_SET, below, evaluate, load_cases, summarise

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_the_frozen_understanding_set_holds_its_floors(servers):
    cases = load_cases(FROZEN_SET)
    assert sum(c["expect"]["kind"] == "refuse" for c in cases) >= 60
    assert sum(c.get("shape") == "followup" for c in cases) >= 40
    assert len(cases) >= 400
    summary = summarise(evaluate(servers["rest"], cases))
    out = ROOT / "results" / "understanding_test.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    assert below(summary, FLOORS) == [], summary
