"""The document registry (`documents.yml` beside this module): one title, one short name and one citation per
source document, with how long what it governs lasts. Every citation is made from here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Tuple

import yaml

REGISTRY_PATH = Path(__file__).resolve().parent / "documents.yml"


@dataclass(frozen=True)
class Validity:
    edition: str
    ended_by: str = ""  # the yes/no parameter ("file.name") whose turning false ends what the document governs
    ended: str = ""  # what ended, in words
    ended_section: str = ""  # where the document says so


@dataclass(frozen=True)
class Document:
    doc_id: str
    prefix: str
    title: str
    short: str
    citation: str
    label: str
    contact: str  # a template filled from the parameters (see `bot.policy.placeholders`)
    names: Tuple[str, ...]
    validity: Validity

    def cite(self, section: str = "") -> str:
        return f"{self.citation}{section}"


class RegistryError(ValueError):
    pass


def _validity(raw: Dict[str, Any]) -> Validity:
    if raw.get("ended_by") and not (raw.get("ended") and raw.get("ended_section")):
        raise RegistryError("an ended document says what ended (`ended`) and where (`ended_section`)")
    return Validity(
        edition=str(raw["edition"]),
        ended_by=str(raw.get("ended_by", "")),
        ended=str(raw.get("ended", "")),
        ended_section=str(raw.get("ended_section", "")),
    )


def read_registry(path: Path = REGISTRY_PATH) -> Dict[str, Document]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["documents"]
    return {
        str(doc_id): Document(
            doc_id=str(doc_id),
            prefix=fields["prefix"],
            title=fields["title"],
            short=fields["short"],
            citation=fields["citation"],
            label=fields["label"],
            contact=fields["contact"],
            names=tuple(fields.get("names") or ()),
            validity=_validity(fields["validity"]),
        )
        for doc_id, fields in raw.items()
    }


@lru_cache(maxsize=1)
def documents() -> Dict[str, Document]:
    """The registry, read once per process."""
    return read_registry()


def document(doc_id: str) -> Document:
    try:
        return documents()[doc_id]
    except KeyError:
        raise RegistryError(f"document {doc_id!r} is not in the registry") from None
