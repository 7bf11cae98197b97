"""Data access. Each repository works inside a session it is given and never commits: the caller
owns the transaction (see `bot.db.session_scope`). Methods may flush so that database constraints
and generated ids are checked and known straight away.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, Iterable, List, Optional

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from bot import privacy
from bot.db.models import (
    ONLINE_PLACE,
    STATUS_CLOSED,
    STATUS_OPEN,
    STATUS_RESOLVED,
    CallbackRequest,
    ExamSession,
    Registration,
    UnansweredQuestion,
    utcnow,
)

ID_NUMBER_LABEL = "身份证号"
PHONE_LABEL = "手机号"
EMAIL_LABEL = "邮箱"


class RecordNotFound(LookupError):
    """No row with that id; the message is for staff."""

    def __init__(self, what: str, record_id: int):
        super().__init__(f"没有编号为 {record_id} 的{what}。")
        self.record_id = record_id


def _require_valid(problem: Optional[str]) -> None:
    if problem:
        raise privacy.PersonalDataError(problem)


class ExamSessionRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, **fields: Any) -> ExamSession:
        fields.setdefault("is_online", (fields.get("place") or "").strip() == ONLINE_PLACE)
        exam_session = ExamSession(**fields)
        self.session.add(exam_session)
        self.session.flush()
        return exam_session

    def find(self, title: str, exam_date: dt.date, exam_time: str, place: str) -> Optional[ExamSession]:
        return self.session.execute(
            select(ExamSession).where(
                ExamSession.title == title,
                ExamSession.exam_date == exam_date,
                ExamSession.exam_time == exam_time,
                ExamSession.place == place,
            )
        ).scalar_one_or_none()

    def find_or_create(self, title: str, exam_date: dt.date, exam_time: str, place: str, **fields: Any) -> ExamSession:
        """The existing sitting, unchanged, or a new one with `fields` (exam_kind at least)."""
        return self.find(title, exam_date, exam_time, place) or self.add(
            title=title, exam_date=exam_date, exam_time=exam_time, place=place, **fields
        )

    def upcoming(self, exam_kind: Optional[str], on_or_after: dt.date, limit: int = 5) -> List[ExamSession]:
        query = select(ExamSession).where(ExamSession.exam_date >= on_or_after)
        if exam_kind:
            query = query.where(ExamSession.exam_kind == exam_kind)
        query = query.order_by(ExamSession.exam_date, ExamSession.exam_time, ExamSession.id).limit(limit)
        return list(self.session.execute(query).scalars())


class RegistrationRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, name: str, id_number: str, phone: str, email: str, exam_session: ExamSession) -> Registration:
        """Stores hashes and masked forms only; raises PersonalDataError for an invalid value."""
        for problem in (
            privacy.id_number_problem(id_number),
            privacy.mobile_problem(phone),
            privacy.email_problem(email),
        ):
            _require_valid(problem)
        registration = Registration(
            name=name.strip(),
            id_number_hash=privacy.id_number_digest(id_number),
            id_number_masked=privacy.mask_id_number(id_number),
            phone_hash=privacy.mobile_digest(phone),
            phone_masked=privacy.mask_mobile(phone),
            email_hash=privacy.email_digest(email),
            email_masked=privacy.mask_email(email),
            exam_session=exam_session,
        )
        self.session.add(registration)
        self.session.flush()
        return registration

    def find_by_id_number(self, raw_id: str) -> Optional[Registration]:
        return self.session.execute(
            select(Registration)
            .options(joinedload(Registration.exam_session))
            .where(Registration.id_number_hash == privacy.id_number_digest(raw_id))
        ).scalar_one_or_none()

    def conflicts(self, id_number: Optional[str], phone: Optional[str], email: Optional[str]) -> List[str]:
        """Which of 身份证号/手机号/邮箱 are already registered (in that order); empty values are not checked."""
        wanted = [
            (label, column, digest(value))
            for label, column, digest, value in (
                (ID_NUMBER_LABEL, Registration.id_number_hash, privacy.id_number_digest, id_number),
                (PHONE_LABEL, Registration.phone_hash, privacy.mobile_digest, phone),
                (EMAIL_LABEL, Registration.email_hash, privacy.email_digest, email),
            )
            if value and value.strip()
        ]
        if not wanted:
            return []
        rows = self.session.execute(
            select(Registration.id_number_hash, Registration.phone_hash, Registration.email_hash).where(
                or_(*(column == digest for _, column, digest in wanted))
            )
        ).all()
        taken = {label for label, column, digest in wanted for row in rows if row._mapping[column] == digest}
        return [label for label, _, _ in wanted if label in taken]

    def count(self) -> int:
        return self.session.execute(select(func.count()).select_from(Registration)).scalar_one()


def _count_open(session: Session, model) -> int:
    return session.execute(select(func.count()).select_from(model).where(model.status == STATUS_OPEN)).scalar_one()


class CallbackRepository:
    def __init__(self, session: Session):
        self.session = session

    def count_open(self) -> int:
        return _count_open(self.session, CallbackRequest)

    def add(
        self, name: str, phone: str, question: str, channel: str, sender_id: Optional[str] = None
    ) -> CallbackRequest:
        """Raises PersonalDataError if `phone` is not a mainland mobile number."""
        _require_valid(privacy.mobile_problem(phone))
        number = privacy.normalize_mobile(phone)
        request = CallbackRequest(
            name=name.strip(),
            phone_encrypted=privacy.encrypt(number),
            phone_masked=privacy.mask_mobile(number),
            question=privacy.redact_text(question or ""),
            channel=channel,
            sender_id=sender_id,
            status=STATUS_OPEN,
        )
        self.session.add(request)
        self.session.flush()
        return request

    def list(self, status: Optional[str] = STATUS_OPEN) -> List[CallbackRequest]:
        """Oldest first: whoever has waited longest is called first. `status=None` lists all."""
        query = select(CallbackRequest).order_by(CallbackRequest.created_at, CallbackRequest.id)
        if status:
            query = query.where(CallbackRequest.status == status)
        return list(self.session.execute(query).scalars())

    def created_since(self, since: dt.datetime) -> List[CallbackRequest]:
        query = select(CallbackRequest).where(CallbackRequest.created_at >= since).order_by(CallbackRequest.id)
        return list(self.session.execute(query).scalars())

    def get(self, request_id: int) -> Optional[CallbackRequest]:
        return self.session.get(CallbackRequest, request_id)

    def close(self, request_id: int, note: Optional[str] = None) -> CallbackRequest:
        """Marks the request done; closing it again keeps the first closing time (and takes a new note)."""
        request = self.get(request_id)
        if request is None:
            raise RecordNotFound("回电请求", request_id)
        if request.status != STATUS_CLOSED:
            request.status = STATUS_CLOSED
            request.closed_at = utcnow()
        if note is not None:
            request.staff_note = privacy.redact_text(note)
        self.session.flush()
        return request

    @staticmethod
    def phone_number(request: CallbackRequest) -> str:
        """The full number, for the staff member who returns the call; never log it."""
        return privacy.decrypt(request.phone_encrypted)


def _candidate(item: Dict[str, Any]) -> Dict[str, Any]:
    return {
        "key": str(item["key"]),
        "question": str(item.get("question") or ""),
        "confidence": round(float(item.get("confidence") or 0.0), 4),
    }


class UnansweredRepository:
    def __init__(self, session: Session):
        self.session = session

    def count_open(self) -> int:
        return _count_open(self.session, UnansweredQuestion)

    def add(
        self, question: str, channel: str, candidates: Iterable[Dict[str, Any]], sender_id: Optional[str] = None
    ) -> UnansweredQuestion:
        record = UnansweredQuestion(
            question=privacy.redact_text(question or ""),
            channel=channel,
            sender_id=sender_id,
            candidates=[_candidate(item) for item in candidates or []],
            status=STATUS_OPEN,
        )
        self.session.add(record)
        self.session.flush()
        return record

    def list(self, status: Optional[str] = STATUS_OPEN, limit: int = 100) -> List[UnansweredQuestion]:
        """Newest first. `status=None` lists all."""
        query = (
            select(UnansweredQuestion)
            .order_by(UnansweredQuestion.created_at.desc(), UnansweredQuestion.id.desc())
            .limit(limit)
        )
        if status:
            query = query.where(UnansweredQuestion.status == status)
        return list(self.session.execute(query).scalars())

    def get(self, question_id: int) -> Optional[UnansweredQuestion]:
        return self.session.get(UnansweredQuestion, question_id)

    def resolve(self, question_id: int) -> UnansweredQuestion:
        record = self.get(question_id)
        if record is None:
            raise RecordNotFound("未答问题", question_id)
        record.status = STATUS_RESOLVED
        self.session.flush()
        return record
