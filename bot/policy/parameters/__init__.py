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
from typing import Any, Dict, Optional, Tuple

import yaml

from bot.policy.documents import document, documents

PARAMETER_DIR = Path(__file__).resolve().parent
# The units a value may have; a new kind of value adds its unit here, so that a typo is caught at load.
UNITS = frozenset(
    {
        "point",
        "working_day",
        "time_of_day",
        "iso_weekday",
        "phone",
        "contact",
        "hour",
        "minute",
        "digit",
        "class_hour",
        "yuan",
        "yuan_per_class_hour",
        "ratio",
        "person",
        "date",
        "rule",
        "list",
        "month",
        "clause",
        "year",
        "boolean",
    }
)


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
    written: Tuple[str, ...] = ()  # how a reply would write the value by hand ({value}: the value), to catch it

    def on(self, date: dt.date) -> Any:
        """The value in force on `date`: the latest one whose effective date is not after it."""
        in_force = [value for start, value in self.values if start <= date]
        if not in_force:
            raise ParameterNotInForce(f"{self.name} has no value in force on {date.isoformat()}")
        return in_force[-1]

    def in_force_since(self, date: dt.date) -> dt.date:
        """The effective date of the value in force on `date`."""
        starts = [start for start, _ in self.values if start <= date]
        if not starts:
            raise ParameterNotInForce(f"{self.name} has no value in force on {date.isoformat()}")
        return starts[-1]

    def ends_on(self) -> Optional[dt.date]:
        """For a yes/no value (`unit: boolean`), the last day before it first turned false after being true."""
        was_true = False
        for start, value in self.values:
            if value:
                was_true = True
            elif was_true:
                return start - dt.timedelta(days=1)
        return None

    @property
    def citation(self) -> str:
        return document(self.document).cite(self.section)


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
            name=name,
            description=spec["description"],
            unit=spec["unit"],
            document=str(spec["reference"]["document"]),
            section=str(spec["reference"]["section"]),
            values=values,
            written=tuple(spec.get("written") or ()),
        )
    return parameters


# What a clause of 附件1 may require (see the comment above `eligibility_clauses`); the rules evaluate
# exactly these, so a misspelt or new key would otherwise be silently true.
CLAUSE_REQUIREMENTS = frozenset(
    {
        "work_years",
        "certificate",
        "years_since_certificate",
        "certificate_held_years",
        "education",
        "students_count",
        "student_only",
        "major_related",
    }
)


class ParameterError(ValueError):
    pass


def check_clauses(parameters: Dict[str, Parameter]) -> None:
    """Every clause requires only known facts, and only known kinds of schooling."""
    if "eligibility_clauses" not in parameters:
        return
    for start, clauses in parameters["eligibility_clauses"].values:
        kinds = (
            {entry["kind"] for entry in parameters["education_kinds"].on(start)}
            if "education_kinds" in parameters
            else set()
        )
        for clause in clauses:
            unknown = set(clause["requires"]) - CLAUSE_REQUIREMENTS
            if unknown:
                raise ParameterError(f"{clause['id']} ({start}) requires unknown facts: {', '.join(sorted(unknown))}")
            schooling = set(clause["requires"].get("education", ())) - kinds
            if schooling:
                raise ParameterError(
                    f"{clause['id']} ({start}) names unknown schooling: {', '.join(sorted(schooling))}"
                )


def check_schema(parameters: Dict[str, Parameter]) -> None:
    """Every value has a known unit, cites a registered document and has at least one dated value."""
    registered = documents()
    for name, parameter in parameters.items():
        if parameter.unit not in UNITS:
            raise ParameterError(f"{name}: unknown unit {parameter.unit!r}")
        if parameter.document not in registered:
            raise ParameterError(f"{name}: cites unregistered document {parameter.document!r}")
        if not parameter.values:
            raise ParameterError(f"{name}: has no dated value")
        if not parameter.description.strip() or not parameter.section.strip():
            raise ParameterError(f"{name}: needs a description and a section")


@lru_cache(maxsize=None)
def load_parameters(name: str) -> ParameterSet:
    """`ata_certification`, `training_subsidy` or `hrm_practitioner_exam`, read once per process."""
    parameters = read_parameters(PARAMETER_DIR / f"{name}.yml")
    check_schema(parameters)
    check_clauses(parameters)
    return ParameterSet(parameters)
