"""Load the FAQ knowledge base from `knowledge/*.yml`.

Each document file (`000_*.yml` … `003_*.yml`) holds items written from one source
document; `disambiguation.yml` holds questions that several documents answer
differently, each pointing at the specific items as options.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

import yaml

from bot.nlu.normalize import comparable_text, normalize_text
from bot.policy import placeholders, validity
from bot.policy.documents import REGISTRY_PATH, Document, documents
from bot.policy.parameters import PARAMETER_DIR
from bot.settings import knowledge_dir

logger = logging.getLogger(__name__)

RETRIEVAL_INTENT = "faq"
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{2,48}$")
DISAMBIGUATION_PREFIX = "ask_"
MIN_EXAMPLES = 10
MIN_HELDOUT = 3


@dataclass(frozen=True)
class Option:
    key: str
    label: str


@dataclass(frozen=True)
class FollowUp:
    label: str
    intent: str

    @property
    def button(self) -> Dict[str, str]:
        return {"title": self.label, "payload": f"/{self.intent}"}


@dataclass(frozen=True)
class FaqItem:
    key: str
    question: str
    answer: str
    citation: str
    document: Optional[str]
    examples: Tuple[str, ...]
    heldout: Tuple[str, ...]
    options: Tuple[Option, ...] = ()
    # A calculation that continues the answer for this person, e.g. look up *their* exam date.
    follow_up: Optional[FollowUp] = None
    # The answer as written in `knowledge/`, placeholders unfilled (`answer` is filled from the parameters).
    written_answer: str = ""
    # A first line saying that the policy the answer describes has ended ("" while it is in force).
    ended_line: str = ""

    @property
    def intent(self) -> str:
        return f"{RETRIEVAL_INTENT}/{self.key}"

    @property
    def response_name(self) -> str:
        return f"utter_{RETRIEVAL_INTENT}/{self.key}"

    @property
    def is_disambiguation(self) -> bool:
        return bool(self.options)

    @property
    def reply_text(self) -> str:
        head = f"{self.ended_line}\n" if self.ended_line else ""
        return f"{head}{self.answer.strip()}\n{self.citation}"

    def option_buttons(self, kb: "KnowledgeBase") -> List[Dict[str, str]]:
        """Buttons to the specific items of a disambiguation: label shown, canonical question sent."""
        buttons = [{"title": o.label, "payload": kb.items[o.key].question} for o in self.options]
        return buttons + ([self.follow_up.button] if self.follow_up else [])

    def training_examples(self) -> List[str]:
        """The canonical question first, so a suggestion button always classifies."""
        seen = {comparable_text(self.question)}
        result = [self.question]
        for text in self.examples:
            if comparable_text(text) not in seen:
                seen.add(comparable_text(text))
                result.append(text)
        return result


@dataclass
class KnowledgeBase:
    documents: Dict[str, Document]
    items: Dict[str, FaqItem] = field(default_factory=dict)
    source_files: Dict[str, Path] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_question = {comparable_text(i.question): i for i in self.items.values()}
        self._corpus = "\n".join(f"{item.question}\n{item.answer}".lower() for item in self.items.values())
        # What people ask about the items as well: a subject is covered when either speaks of it.
        self.vocabulary = "\n".join(
            normalize_text(text).lower()
            for item in self.items.values()
            for text in (item.question, item.answer, *item.examples)
        )

    def get(self, key: str) -> Optional[FaqItem]:
        return self.items.get(key)

    def document_named(self, text: str) -> Optional[str]:
        """The document whose subject `text` names (the longest name found wins), if any."""
        found = self._names_in(text)
        return max(found)[1] if found else None

    def documents_named(self, text: str) -> frozenset:
        """Every document whose subject `text` names."""
        found = self._names_in(text)
        return frozenset(doc_id for _, doc_id in found)

    def _names_in(self, text: str) -> List[Tuple[int, str]]:
        lowered = (text or "").lower()
        return [
            (len(name), doc_id)
            for doc_id, document in self.documents.items()
            for name in document.names
            if name.lower() in lowered
        ]

    def mentions(self, words: str) -> bool:
        """Whether some question or answer of the knowledge base contains `words` ("公示" yes, "驾照" no)."""
        return bool(words) and words.lower() in self._corpus

    def by_question(self, text: str) -> Optional[FaqItem]:
        """The item whose canonical question is `text` (what a suggestion button sends)."""
        return self._by_question.get(comparable_text(text))

    def for_intent_response_key(self, intent_response_key: str) -> Optional[FaqItem]:
        prefix = f"{RETRIEVAL_INTENT}/"
        if not intent_response_key.startswith(prefix):
            return None
        return self.get(intent_response_key[len(prefix) :])

    def problems(self) -> List[str]:
        """Everything that would make the knowledge base unfit to train on."""
        found: List[str] = []
        first_use: Dict[str, str] = {}
        heldout_texts: Dict[str, str] = {}
        for item in self.items.values():
            if not KEY_PATTERN.match(item.key):
                found.append(f"{item.key}: key must match {KEY_PATTERN.pattern}")
            if item.document is not None:
                prefix = self.documents[item.document].prefix
                if not item.key.startswith(prefix):
                    found.append(f"{item.key}: key of document {item.document} must start with {prefix}")
            elif not item.key.startswith(DISAMBIGUATION_PREFIX):
                found.append(f"{item.key}: a disambiguation key starts with {DISAMBIGUATION_PREFIX}")
            if len(item.training_examples()) < MIN_EXAMPLES:
                found.append(f"{item.key}: needs at least {MIN_EXAMPLES} distinct examples")
            if len(set(map(comparable_text, item.heldout))) < MIN_HELDOUT:
                found.append(f"{item.key}: needs at least {MIN_HELDOUT} distinct held-out examples")
            if not item.answer.strip() or not item.question.strip():
                found.append(f"{item.key}: question and answer must not be empty")
            for option in item.options:
                if option.key not in self.items or self.items[option.key].is_disambiguation:
                    found.append(f"{item.key}: option {option.key} is not a document item")
            for text in item.training_examples():
                norm = comparable_text(text)
                owner = first_use.setdefault(norm, item.key)
                if owner != item.key:
                    found.append(f"{item.key}: example {text!r} is also an example of {owner}")
            for text in item.heldout:
                heldout_texts.setdefault(comparable_text(text), item.key)
        for norm, key in heldout_texts.items():
            if norm in first_use:
                found.append(f"{key}: held-out example {norm!r} is a training example of {first_use[norm]}")
        return found


def _read_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _document_items(path: Path, document: Document, on: dt.date) -> Iterable[FaqItem]:
    for raw in _read_yaml(path).get("items", []):
        yield FaqItem(
            key=raw["key"],
            question=raw["question"].strip(),
            answer=placeholders.fill(raw["answer"].strip(), on),
            written_answer=raw["answer"].strip(),
            ended_line=validity.ended_line(document, on) if raw.get("describes_ended_policy") else "",
            citation=f"来源：{document.cite(raw['source'].strip())}",
            document=document.doc_id,
            examples=tuple(str(t).strip() for t in raw.get("examples", [])),
            heldout=tuple(str(t).strip() for t in raw.get("heldout", [])),
            follow_up=FollowUp(**raw["follow_up"]) if raw.get("follow_up") else None,
        )


def _options_citation(options: Tuple[Option, ...], items: Dict[str, FaqItem]) -> str:
    parts = [items[o.key].citation.removeprefix("来源：") for o in options if o.key in items]
    return "来源：" + "；".join(dict.fromkeys(parts))


def _disambiguation_items(path: Path, items: Dict[str, FaqItem], on: dt.date) -> Iterable[FaqItem]:
    for raw in _read_yaml(path).get("items", []):
        options = tuple(Option(key=o["key"], label=o["label"]) for o in raw["options"])
        yield FaqItem(
            key=raw["key"],
            question=raw["question"].strip(),
            answer=placeholders.fill(raw["answer"].strip(), on),
            written_answer=raw["answer"].strip(),
            citation=_options_citation(options, items),
            document=None,
            examples=tuple(str(t).strip() for t in raw.get("examples", [])),
            heldout=tuple(str(t).strip() for t in raw.get("heldout", [])),
            options=options,
        )


def read_knowledge_base(directory: Path, on: Optional[dt.date] = None) -> KnowledgeBase:
    """The items of `directory`, their figures filled from the parameters in force on `on` (today)."""
    on = on or _today()
    registry = {
        doc_id: replace(document, contact=placeholders.fill(document.contact, on))
        for doc_id, document in documents().items()
    }
    items: Dict[str, FaqItem] = {}
    source_files: Dict[str, Path] = {}
    duplicates: List[str] = []

    def add(item: FaqItem, path: Path) -> None:
        if item.key in items:
            duplicates.append(item.key)
        items[item.key] = item
        source_files[item.key] = path

    for path in sorted(directory.glob("[0-9][0-9][0-9]_*.yml")):
        document = registry[path.name[:3]]
        for item in _document_items(path, document, on):
            add(item, path)
    disambiguation = directory / "disambiguation.yml"
    if disambiguation.exists():
        for item in list(_disambiguation_items(disambiguation, items, on)):
            add(item, disambiguation)
    if duplicates:
        raise ValueError(f"duplicate FAQ keys: {sorted(set(duplicates))}")
    return KnowledgeBase(documents=registry, items=items, source_files=source_files)


def _today() -> dt.date:
    from bot.rules.consultation import beijing_now  # the rules read the parameters, which cite the registry

    return beijing_now().date()


def _signature(directory: Path) -> Tuple:
    """What the knowledge base is read from, as it stands: its files' sizes and times, and the day."""
    paths = sorted([*directory.glob("*.yml"), REGISTRY_PATH, *PARAMETER_DIR.glob("*.yml")])
    stats = []
    for path in paths:
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        stats.append((str(path), stat.st_mtime_ns, stat.st_size))
    return (_today(), tuple(stats))


_loaded: Dict[str, Tuple[Tuple, KnowledgeBase]] = {}
_lock = threading.Lock()


def load_knowledge_base(directory: Optional[Path] = None) -> KnowledgeBase:
    """The knowledge base, read again only when one of its files changes (or the day does), so that an
    edited answer is served within a message, without retraining or a restart. A file that no longer reads
    keeps the last good knowledge base in service."""
    folder = Path(directory or knowledge_dir())
    signature = _signature(folder)
    cached = _loaded.get(str(folder))
    if cached and cached[0] == signature:
        return cached[1]
    with _lock:
        cached = _loaded.get(str(folder))
        if cached and cached[0] == signature:
            return cached[1]
        try:
            kb = read_knowledge_base(folder, signature[0])
        except Exception:
            if cached is None:
                raise
            logger.exception("knowledge base not reloaded: %s does not read; the last good one stays", folder)
            return cached[1]
        _loaded[str(folder)] = (signature, kb)
        return kb
