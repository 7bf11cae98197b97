"""Figures in reply texts written as placeholders and filled from the parameters.

`{training_subsidy.minimum_hours}` is the value of `minimum_hours` in `training_subsidy.yml` on the given
date; a path goes into a value (`{ata_certification.contacts.business.number}`). A text that states by
hand a figure a parameter holds is reported by `hand_written_figures`, so that a dated change reaches every
answer at once.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, Iterator, List, Tuple

from bot.calendar.working_days import WEEKDAY_NAMES
from bot.policy.parameters import Parameter, load_parameters

PLACEHOLDER = re.compile(r"\{([a-z][a-z_]*)\.([a-z][a-z_]*)((?:\.\w+)*)\}")
# `{=40}`: a figure written on purpose, not a parameter's value (the 40 课时 of a worked example).
LITERAL = re.compile(r"\{=([^{}]*)\}")
PARAMETER_FILES = ("ata_certification", "hrm_practitioner_exam", "training_subsidy")


class PlaceholderError(KeyError):
    pass


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _time(text: str) -> str:
    return text[1:] if len(text) == 5 and text.startswith("0") else text


def render(value: Any, unit: str) -> str:
    """A value as a reply writes it."""
    if unit == "time_of_day" and isinstance(value, list):
        return "、".join(f"{_time(start)}-{_time(end)}" for start, end in value)
    if unit == "iso_weekday" and isinstance(value, list):
        days = sorted(int(d) for d in value)
        if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
            return f"{WEEKDAY_NAMES[days[0] - 1]}至{WEEKDAY_NAMES[days[-1] - 1]}"
        return "、".join(WEEKDAY_NAMES[d - 1] for d in days)
    if isinstance(value, dict) and {"number", "contact"} <= set(value):
        return f"{value['number']}（{value['contact']}）"
    if isinstance(value, list):
        return "、".join(render(v, unit) for v in value)
    if unit == "ratio":
        return f"{_number(round(float(value) * 100, 6))}%"
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return _number(value)


def _walk(value: Any, path: str, name: str) -> Any:
    for step in filter(None, path.split(".")):
        try:
            value = value[int(step)] if isinstance(value, list) else value[step]
        except (KeyError, IndexError, ValueError, TypeError):
            raise PlaceholderError(f"{name}{path}: no such value") from None
    return value


def _parameter(file: str, name: str) -> Parameter:
    if file not in PARAMETER_FILES:
        raise PlaceholderError(f"{file}.{name}: no such parameter file")
    try:
        return load_parameters(file)[name]
    except KeyError:
        raise PlaceholderError(f"{file}.{name}: no such parameter") from None


def fill(text: str, on: dt.date) -> str:
    """`text` with every placeholder replaced by the value in force on `on`."""

    def replace(match: re.Match) -> str:
        file, name, path = match.groups()
        parameter = _parameter(file, name)
        return render(_walk(parameter.on(on), path, f"{file}.{name}"), parameter.unit)

    return LITERAL.sub(lambda m: m.group(1), PLACEHOLDER.sub(replace, text))


def placeholders(text: str) -> List[str]:
    return [f"{m.group(1)}.{m.group(2)}{m.group(3)}" for m in PLACEHOLDER.finditer(text)]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    else:
        yield _number(value)


def _written_forms(parameter: Parameter, on: dt.date) -> Iterator[re.Pattern]:
    """How the parameter's value would be written by hand: its `written` patterns, and any phone number."""
    value = parameter.on(on)
    # A table (rates by course type) or a list of figures (the 课时 tiers) is written one value at a time.
    several = isinstance(value, dict) or isinstance(value, list) and all(isinstance(v, (int, float)) for v in value)
    leaves = list(_strings(value)) if several else [render(value, parameter.unit)]
    for template in parameter.written:
        for leaf in dict.fromkeys(leaves):
            yield re.compile(template.replace("{value}", re.escape(leaf)))
    if parameter.unit in ("phone", "contact"):
        for text in _strings(value):
            if re.fullmatch(r"[\d-]{7,}", text):
                yield re.compile(re.escape(text))


def hand_written_figures(text: str, on: dt.date) -> List[Tuple[str, str]]:
    """(parameter, what was written) for each figure in `text`, outside placeholders, that a parameter holds."""
    bare = LITERAL.sub("", PLACEHOLDER.sub("", text))
    found: List[Tuple[str, str]] = []
    for file in PARAMETER_FILES:
        for name, parameter in load_parameters(file).parameters.items():
            for form in _written_forms(parameter, on):
                found.extend((f"{file}.{name}", m.group(0)) for m in form.finditer(bare))
    return found
