"""The inbox as staff use it, from the console and from `bot-admin unanswered`: groups with filters and
pages, a question logged during a call, and the three decisions for a group."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import settings
from bot.db.models import STATUS_OPEN, STATUS_RESOLVED, UnansweredQuestion, utcnow
from bot.db.repositories import RecordNotFound, UnansweredRepository
from bot.inbox import training_data
from bot.inbox.grouping import Group, group, page
from bot.knowledge.model import KnowledgeBase

ASSIGNED = "assigned"
OUT_OF_SCOPE = "out_of_scope"
NEW_FAQ = "new_faq"
RESOLUTION_NAMES = {ASSIGNED: "已归入常见问题", OUT_OF_SCOPE: "不在范围内", NEW_FAQ: "需要新增常见问题"}
OUT_OF_SCOPE_FILE = "out_of_scope.yml"
PAGE_SIZE = 20


@dataclass(frozen=True)
class Filters:
    status: Optional[str] = STATUS_OPEN  # None: every status
    channel: Optional[str] = None
    since: Optional[dt.datetime] = None
    until: Optional[dt.datetime] = None


@dataclass(frozen=True)
class GroupPage:
    groups: List[Group]
    number: int
    pages: int
    total_groups: int
    total_questions: int


@dataclass(frozen=True)
class Decision:
    """What was done for a group: how many questions it closed and what was written where."""

    resolution: str
    closed: int
    written: str


class Inbox:
    def __init__(
        self,
        session: Session,
        kb: KnowledgeBase,
        knowledge_dir: Optional[Path] = None,
        out_of_scope_path: Optional[Path] = None,
    ) -> None:
        self.session = session
        self.kb = kb
        self.knowledge_dir = knowledge_dir or settings.knowledge_dir()
        self.out_of_scope_path = out_of_scope_path or settings.current().nlu_data_dir / OUT_OF_SCOPE_FILE
        self.repository = UnansweredRepository(session)

    def _questions(self, filters: Filters) -> List[UnansweredQuestion]:
        query = select(UnansweredQuestion)
        if filters.status:
            query = query.where(UnansweredQuestion.status == filters.status)
        if filters.channel:
            query = query.where(UnansweredQuestion.channel == filters.channel)
        if filters.since:
            query = query.where(UnansweredQuestion.created_at >= filters.since)
        if filters.until:
            query = query.where(UnansweredQuestion.created_at < filters.until)
        return list(self.session.execute(query).scalars())

    def groups(self, filters: Filters = Filters(), number: int = 1, size: int = PAGE_SIZE) -> GroupPage:
        questions = self._questions(filters)
        groups = group(questions)
        shown, pages = page(groups, number, size)
        return GroupPage(shown, min(max(1, number), pages), pages, len(groups), len(questions))

    def channels(self) -> List[str]:
        rows = self.session.execute(select(UnansweredQuestion.channel).distinct())
        return sorted(row[0] for row in rows)

    def log(self, question: str, channel: str = "phone") -> UnansweredQuestion:
        """A caller's question the assistant could not answer, written down by staff during the call."""
        text = " ".join((question or "").split())
        if not text:
            raise training_data.TrainingDataError("请先输入来电者的问题。")
        return self.repository.add(question=text, channel=channel, candidates=[])

    def group_of(self, question_id: int) -> Group:
        """The open group that question `question_id` belongs to."""
        record = self.repository.get(question_id)
        if record is None:
            raise RecordNotFound("未答问题", question_id)
        if record.status != STATUS_OPEN:
            raise training_data.TrainingDataError(f"未答问题 {question_id} 已经处理过了。")
        for found in group(self._questions(Filters())):
            if question_id in found.ids:
                return found
        raise RecordNotFound("未答问题", question_id)

    def _close(self, found: Group, resolution: str, faq_key: Optional[str], staff: Optional[str]) -> int:
        now = utcnow()
        for record in self.session.execute(
            select(UnansweredQuestion).where(UnansweredQuestion.id.in_(found.ids))
        ).scalars():
            record.status, record.resolution, record.faq_key = STATUS_RESOLVED, resolution, faq_key
            record.resolved_by, record.resolved_at = staff, now
        self.session.flush()
        return found.count

    def assign(self, question_id: int, faq_key: str, staff: Optional[str] = None) -> Decision:
        """The group's question becomes a training example of FAQ `faq_key`; the group is closed."""
        found = self.group_of(question_id)
        added = training_data.add_faq_example(self.kb, faq_key, found.text)
        where = self.kb.source_files[faq_key].name
        written = f"已加入 {where} 中“{self.kb.items[faq_key].question}”的样例" if added else "已经是该问题的样例"
        return Decision(ASSIGNED, self._close(found, ASSIGNED, faq_key, staff), written)

    def out_of_scope(self, question_id: int, staff: Optional[str] = None) -> Decision:
        found = self.group_of(question_id)
        added = training_data.add_out_of_scope_example(self.out_of_scope_path, found.text)
        written = "已加入范围外样例" if added else "已经是范围外样例"
        return Decision(OUT_OF_SCOPE, self._close(found, OUT_OF_SCOPE, None, staff), written)

    def needs_new_faq(self, question_id: int, staff: Optional[str] = None) -> Decision:
        found = self.group_of(question_id)
        near = found.candidates[0]["key"] if found.candidates else None
        key = training_data.add_draft(self.knowledge_dir, found.text, near)
        written = f"已在 {training_data.DRAFTS_FILE} 中起草 {key}，补全答案和来源后移入所属文件"
        return Decision(NEW_FAQ, self._close(found, NEW_FAQ, None, staff), written)
