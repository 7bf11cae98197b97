"""Staff decisions written into the training data, as a person would edit it: a question becomes an example
of an FAQ item in `knowledge/` (the single source of truth), or an `out_of_scope` example, or the start of
a draft item that training leaves out until it is completed.

Each edit is one line added to a file; the file is read back, and restored if it no longer holds what it
should, so a failed edit never leaves the training data broken."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Optional

import yaml

from bot.knowledge.model import KnowledgeBase
from bot.nlu.normalize import comparable_text

DRAFTS_FILE = "drafts.yml"
MAX_EXAMPLE_CHARS = 200
_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#'\"]*$")


class TrainingDataError(ValueError):
    """Why a question cannot become training data; the message is for staff, in Chinese."""


def _scalar(text: str) -> str:
    """`text` as a YAML list item's value: plain when that reads back the same, else double-quoted."""
    if _PLAIN.match(text) and yaml.safe_load(f"- {text}") == [text]:
        return text
    return json.dumps(text, ensure_ascii=False)


def usable_example(text: str) -> str:
    """The question as a training example, or TrainingDataError: no masked personal data, not too long."""
    text = " ".join((text or "").split())
    if not text:
        raise TrainingDataError("问题是空的，不能作为训练样例。")
    if "*" in text:
        raise TrainingDataError("问题里有遮盖的个人信息（*），不能作为训练样例；请改写成不含个人信息的问法后再添加。")
    if len(text) > MAX_EXAMPLE_CHARS:
        raise TrainingDataError(f"问题超过 {MAX_EXAMPLE_CHARS} 个字，请概括成一句话后再添加。")
    return text


def _write_checked(path: Path, new: str, holds) -> None:
    old = path.read_text(encoding="utf-8")
    path.write_text(new, encoding="utf-8")
    try:
        ok = holds(yaml.safe_load(new))
    except yaml.YAMLError:
        ok = False
    if not ok:
        path.write_text(old, encoding="utf-8")
        raise TrainingDataError(f"{path.name} 没能正确写入，已恢复原样。")


def add_faq_example(kb: KnowledgeBase, key: str, text: str) -> bool:
    """Adds `text` to the examples of item `key`; False when it already is one. Refuses a question that
    is an example of another item (it would teach the model two answers)."""
    text = usable_example(text)
    item = kb.get(key)
    if item is None:
        raise TrainingDataError(f"没有编号为“{key}”的常见问题。")
    wanted = comparable_text(text)
    for other in kb.items.values():
        if wanted in {comparable_text(t) for t in (*other.training_examples(), *other.heldout)}:
            if other.key == key:
                return False
            raise TrainingDataError(f"“{text}”已经是常见问题“{other.question}”（{other.key}）的样例。")
    path = kb.source_files[key]
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next((i for i, line in enumerate(lines) if re.match(rf"^\s*- key: {re.escape(key)}\s*$", line)), None)
    if start is None:
        raise TrainingDataError(f"在 {path.name} 里找不到“{key}”。")
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = next(
        (
            i
            for i in range(start + 1, len(lines))
            if lines[i].strip().startswith("- key:") and len(lines[i]) - len(lines[i].lstrip()) == indent
        ),
        len(lines),
    )
    examples = next((i for i in range(start, end) if lines[i].strip() == "examples:"), None)
    if examples is None:
        raise TrainingDataError(f"“{key}”没有 examples 列表。")
    last = examples
    while (
        last + 1 < end
        and lines[last + 1].lstrip().startswith("- ")
        and len(lines[last + 1]) - len(lines[last + 1].lstrip()) > indent + 2
    ):
        last += 1
    item_indent = " " * (len(lines[last]) - len(lines[last].lstrip())) if last > examples else " " * (indent + 4)
    lines.insert(last + 1, f"{item_indent}- {_scalar(text)}")

    def holds(data) -> bool:
        found = next(i for i in data["items"] if i["key"] == key)
        return text in [str(t).strip() for t in found.get("examples", [])]

    _write_checked(path, "\n".join(lines), holds)
    return True


def add_out_of_scope_example(path: Path, text: str) -> bool:
    """Adds `text` to the `out_of_scope` examples of `path` (data/nlu/out_of_scope.yml); False when there."""
    text = usable_example(text)
    content = path.read_text(encoding="utf-8")
    data = yaml.safe_load(content)
    block = next(b for b in data["nlu"] if b.get("intent") == "out_of_scope")
    if comparable_text(text) in {comparable_text(line[2:]) for line in block["examples"].splitlines()}:
        return False
    lines = content.rstrip("\n").split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() == "- intent: out_of_scope")
    last = start + 1
    while last + 1 < len(lines) and lines[last + 1].startswith("    - "):
        last += 1
    lines.insert(last + 1, f"    - {text}")

    def holds(new) -> bool:
        examples = next(b for b in new["nlu"] if b.get("intent") == "out_of_scope")["examples"]
        return text in [line[2:].strip() for line in examples.splitlines()]

    _write_checked(path, "\n".join(lines) + "\n", holds)
    return True


def add_draft(knowledge_dir: Path, text: str, near: Optional[str] = None) -> str:
    """A draft item in `knowledge/drafts.yml`, which the knowledge base does not load, so training leaves
    it out until someone completes it and moves it into its document's file. Returns its key."""
    text = usable_example(text)
    path = knowledge_dir / DRAFTS_FILE
    if not path.exists():
        path.write_text(
            "# New FAQ items that staff asked for. Not loaded or trained on: complete the answer and the source\n"
            "# (the document's section or question, see bot/policy/documents.yml), add 10 examples and 3\n"
            "# held-out ones, then move the item into its document's file (000_… to 003_…).\n"
            "items:\n",
            encoding="utf-8",
        )
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    taken = {item["key"] for item in data.get("items") or []}
    number = 1
    while f"draft_{number:03d}" in taken:
        number += 1
    key = f"draft_{number:03d}"
    entry = [
        f"  - key: {key}",
        f"    question: {_scalar(text)}",
        "    source: 待填写（来源文件的章节或问题编号）",
        "    answer: 待填写",
        f"    near: {_scalar(near)}" if near else "    near: 无",
        "    examples:",
        f"      - {_scalar(text)}",
    ]
    content = path.read_text(encoding="utf-8").rstrip("\n") + "\n" + "\n".join(entry) + "\n"

    def holds(new) -> bool:
        return any(item["key"] == key for item in new.get("items") or [])

    _write_checked(path, content, holds)
    return key
