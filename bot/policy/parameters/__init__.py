"""Read the parameter files beside this module.

Modelled on OpenFisca's parameters: each value has a description, a unit, a
source reference and values by effective date. A rule asks for a value on a
date and gets the one in force then, so old values are kept when policy changes.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Tuple

import yaml

PARAMETER_DIR = Path(__file__).resolve().parent
DOCUMENT_NAMES = {
    "000": "《关于北京市人力资源市场从业人员培训考试若干问题的说明（2021年版）》",
    "001": "《2024年企业人力资源管理师技能等级认定通知》",
    "003": "《以训兴业政策及京训钉平台百问百答》",
}


class ParameterNotInForce(LookupError):
    pass


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    document: str
    section: str
    values: Tuple[Tuple[dt.date, Any], ...]

    def on(self, date: dt.date) -> Any:
        """The value in force on `date`: the latest one whose effective date is not after it."""
        in_force = [value for start, value in self.values if start <= date]
        if not in_force:
            raise ParameterNotInForce(f"{self.name} has no value in force on {date.isoformat()}")
        return in_force[-1]

    @property
    def citation(self) -> str:
        return f"{DOCUMENT_NAMES.get(self.document, self.document)}{self.section}"


@dataclass(frozen=True)
class ParameterSet:
    parameters: Dict[str, Parameter]

    def __getitem__(self, name: str) -> Parameter:
        return self.parameters[name]

    def value(self, name: str, date: dt.date) -> Any:
        return self.parameters[name].on(date)


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def read_parameters(path: Path) -> Dict[str, Parameter]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    parameters = {}
    for name, spec in raw.items():
        values = tuple(sorted(((_as_date(d), v) for d, v in spec["values"].items()), key=lambda p: p[0]))
        parameters[name] = Parameter(
            name=name, description=spec["description"], unit=spec["unit"],
            document=str(spec["reference"]["document"]), section=str(spec["reference"]["section"]),
            values=values)
    return parameters


# What a clause of 附件1 may require (see the comment above `eligibility_clauses`); the rules evaluate
# exactly these, so a misspelt or new key would otherwise be silently true.
CLAUSE_REQUIREMENTS = frozenset({"work_years", "certificate", "years_since_certificate", "certificate_held_years",
                                 "education", "students_count", "student_only", "major_related"})


class ParameterError(ValueError):
    pass


def check_clauses(parameters: Dict[str, Parameter]) -> None:
    """Every clause requires only known facts, and only known kinds of schooling."""
    if "eligibility_clauses" not in parameters:
        return
    for start, clauses in parameters["eligibility_clauses"].values:
        kinds = set(parameters["education_kinds"].on(start)) if "education_kinds" in parameters else set()
        for clause in clauses:
            unknown = set(clause["requires"]) - CLAUSE_REQUIREMENTS
            if unknown:
                raise ParameterError(f"{clause['id']} ({start}) requires unknown facts: {', '.join(sorted(unknown))}")
            schooling = set(clause["requires"].get("education", ())) - kinds
            if schooling:
                raise ParameterError(f"{clause['id']} ({start}) names unknown schooling: {', '.join(sorted(schooling))}")


@lru_cache(maxsize=None)
def load_parameters(name: str) -> ParameterSet:
    """`ata_certification`, `training_subsidy` or `hrm_practitioner_exam`, read once per process."""
    parameters = read_parameters(PARAMETER_DIR / f"{name}.yml")
    check_clauses(parameters)
    return ParameterSet(parameters)
