"""How long what a document governs lasts, read from the yes/no parameter its registry entry names, and the
first line a reply built on it carries once it has ended."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from bot.policy.documents import Document
from bot.policy.parameters import load_parameters


def ended_on(document: Document) -> Optional[dt.date]:
    """The last day of what `document` governs, or None if it names no end."""
    if not document.validity.ended_by:
        return None
    file, name = document.validity.ended_by.split(".")
    return load_parameters(file)[name].ends_on()


def has_ended(document: Document, on: dt.date) -> bool:
    end = ended_on(document)
    return end is not None and on > end


def ended_line(document: Document, on: dt.date) -> str:
    """The first line of a reply built on `document` once what it governs has ended; else ""."""
    end = ended_on(document)
    if end is None or on <= end:
        return ""
    return (
        f"请注意：{document.validity.ended}已于{end.year}年{end.month}月{end.day}日截止"
        f"（{document.validity.ended_section}），以下是当时的规定，现行政策请以主管部门通知为准。"
    )
