"""The parameter files are checked at load: units, documents, clauses; and every parameter is read."""
import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from bot.policy.parameters import (
    PARAMETER_DIR,
    UNITS,
    ParameterError,
    check_clauses,
    check_schema,
    load_parameters,
    read_parameters,
)
from bot.policy.placeholders import PARAMETER_FILES
from bot.settings import PROJECT_ROOT

D = dt.date.fromisoformat


def _write(tmp_path: Path, spec: dict) -> dict:
    path = tmp_path / "p.yml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return read_parameters(path)


def _spec(**changes) -> dict:
    spec = {"description": "每课时的时长", "unit": "minute", "reference": {"document": "003", "section": "第5问"},
            "values": {"2021-01-01": 45}}
    spec.update(changes)
    return {"class_hour_minutes": spec}


@pytest.mark.parametrize("name", PARAMETER_FILES)
def test_the_parameter_files_load(name):
    assert load_parameters(name).parameters


def test_a_unit_outside_the_known_set_is_refused(tmp_path):
    with pytest.raises(ParameterError, match="unit"):
        check_schema(_write(tmp_path, _spec(unit="minutes")))


def test_a_reference_to_an_unregistered_document_is_refused(tmp_path):
    with pytest.raises(ParameterError, match="unregistered"):
        check_schema(_write(tmp_path, _spec(reference={"document": "009", "section": "第5问"})))


def test_a_parameter_without_a_section_is_refused(tmp_path):
    with pytest.raises(ParameterError, match="section"):
        check_schema(_write(tmp_path, _spec(reference={"document": "003", "section": " "})))


def test_a_clause_requiring_an_unknown_fact_is_refused(tmp_path):
    clauses = {"eligibility_clauses": {
        "description": "申报条件", "unit": "clause", "reference": {"document": "001", "section": "附件1"},
        "values": {"2024-01-01": [{"id": "四级第1条", "level": 4, "requires": {"work_yeras": 4}}]}}}
    with pytest.raises(ParameterError, match="work_yeras"):
        check_clauses(_write(tmp_path, clauses))


def test_the_units_in_use_are_all_known():
    used = {p.unit for name in PARAMETER_FILES for p in load_parameters(name).parameters.values()}
    assert used <= UNITS


def _readers() -> str:
    """Everything that can read a parameter: the code, and the texts with placeholders."""
    texts = [p.read_text(encoding="utf-8") for folder in ("bot", "actions") for p in (PROJECT_ROOT / folder).rglob("*.py")]
    texts += [p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "knowledge").glob("*.yml")]
    texts += [p.read_text(encoding="utf-8") for p in PARAMETER_DIR.parent.glob("*.yml")]
    texts += [p.read_text(encoding="utf-8") for p in PARAMETER_DIR.glob("*.yml")]
    return "\n".join(texts)


def test_every_parameter_is_read_by_some_code():
    readers = _readers()
    unread = []
    for file in PARAMETER_FILES:
        for name in load_parameters(file).parameters:
            quoted = re.search(rf"""["']{name}["']""", readers)
            placeholder = f"{{{file}.{name}" in readers or f"{file}.{name}" in readers
            if not (quoted or placeholder):
                unread.append(f"{file}.{name}")
    assert unread == []
