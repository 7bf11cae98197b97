"""Tables of the assistant's own data.

Times: every `DateTime` column holds UTC as a naive timestamp (`timestamp without time zone`), the
same on SQLite and PostgreSQL. Python code only ever sees timezone-aware UTC datetimes: `UTCDateTime`
converts aware values to UTC on the way in, refuses naive ones, and marks loaded values as UTC.

Personal data: registrations keep only keyed hashes (to find and deduplicate) and masked forms (to
show) of ID numbers, phone numbers and e-mail addresses; a callback request keeps its phone number
encrypted because staff must dial it. Free text is stored redacted. See `bot.privacy`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship
from sqlalchemy.types import TypeDecorator

# Explicit constraint names, identical on every database, so later migrations can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLAlchemy 1.4 ships no types and no mypy plugin is used: the declarative base is dynamic.
Base: Any = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))

EXAM_KIND_PRACTITIONER = "hrm_practitioner"
EXAM_KIND_ATA = "ata_hrm"
EXAM_KINDS = {
    EXAM_KIND_PRACTITIONER: "北京市人力资源市场从业人员培训考试",
    EXAM_KIND_ATA: "企业人力资源管理师等级认定",
}
ONLINE_PLACE = "线上"

STATUS_OPEN = "open"
STATUS_CLOSED = "closed"
STATUS_RESOLVED = "resolved"
STATUS_NAMES = {STATUS_OPEN: "待处理", STATUS_CLOSED: "已处理", STATUS_RESOLVED: "已处理"}  # for staff


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in Python, naive UTC in the database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware value")
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=dt.timezone.utc)


class ExamSession(Base):
    """One sitting of an exam: 从业人员培训考试 (monthly, usually online) or an ATA 等级认定."""

    __tablename__ = "exam_sessions"
    __table_args__ = (
        UniqueConstraint("title", "exam_date", "exam_time", "place", name="uq_exam_sessions_sitting"),
        CheckConstraint(f"exam_kind IN ('{EXAM_KIND_PRACTITIONER}', '{EXAM_KIND_ATA}')", name="exam_kind"),
        Index("ix_exam_sessions_kind_date", "exam_kind", "exam_date"),
    )

    id = Column(Integer, primary_key=True)
    exam_kind = Column(String(32), nullable=False)
    title = Column(String(200), nullable=False)  # 考试名称, as written by the organiser
    level = Column(String(40), nullable=True)  # e.g. "四级/中级"; none for the practitioner exam
    exam_date = Column(Date, nullable=False)
    exam_time = Column(String(40), nullable=False)  # as given, e.g. "14:00-15:30"
    place = Column(String(200), nullable=False)  # "线上" for an online exam
    is_online = Column(Boolean, nullable=False, default=False)
    registration_opens = Column(Date, nullable=True)
    registration_closes = Column(Date, nullable=True)
    notes = Column(Text, nullable=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)

    registrations = relationship("Registration", back_populates="exam_session")

    @property
    def kind_name(self) -> str:
        return EXAM_KINDS.get(self.exam_kind, self.exam_kind)

    def __repr__(self) -> str:
        return f"<ExamSession {self.id} {self.title} {self.exam_date} {self.exam_time} {self.place}>"


class Registration(Base):
    """A 培训签到登记: ID number, phone and e-mail must each be unique, as on the official form."""

    __tablename__ = "registrations"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    id_number_hash = Column(String(64), nullable=False, unique=True)
    id_number_masked = Column(String(32), nullable=False)
    phone_hash = Column(String(64), nullable=False, unique=True)
    phone_masked = Column(String(20), nullable=False)
    email_hash = Column(String(64), nullable=False, unique=True)
    email_masked = Column(String(255), nullable=False)
    exam_session_id = Column(Integer, ForeignKey("exam_sessions.id", ondelete="RESTRICT"), nullable=False, index=True)
    imported_at = Column(UTCDateTime, nullable=False, default=utcnow)

    exam_session = relationship("ExamSession", back_populates="registrations")

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.id_number_masked}>"


class CallbackRequest(Base):
    """Someone asked to be called back by staff."""

    __tablename__ = "callback_requests"
    __table_args__ = (
        CheckConstraint(f"status IN ('{STATUS_OPEN}', '{STATUS_CLOSED}')", name="status"),
        Index("ix_callback_requests_status_created", "status", "created_at"),
    )

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    phone_encrypted = Column(Text, nullable=False)
    phone_masked = Column(String(20), nullable=False)
    question = Column(Text, nullable=False)  # redacted
    channel = Column(String(40), nullable=False)
    sender_id = Column(String(255), nullable=True)
    status = Column(String(10), nullable=False, default=STATUS_OPEN)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    closed_at = Column(UTCDateTime, nullable=True)
    staff_note = Column(Text, nullable=True)  # redacted

    def __repr__(self) -> str:
        return f"<CallbackRequest {self.id} {self.phone_masked} {self.status}>"


class UnansweredQuestion(Base):
    """A question the assistant could not answer with confidence, with the FAQs it considered."""

    __tablename__ = "unanswered_questions"
    __table_args__ = (
        CheckConstraint(f"status IN ('{STATUS_OPEN}', '{STATUS_RESOLVED}')", name="status"),
        Index("ix_unanswered_questions_status_created", "status", "created_at"),
        Index("ix_unanswered_questions_channel_created", "channel", "created_at"),
    )

    id = Column(Integer, primary_key=True)
    question = Column(Text, nullable=False)  # redacted
    channel = Column(String(40), nullable=False)
    sender_id = Column(String(255), nullable=True)
    # [{"key": "faq key", "question": "FAQ question", "confidence": 0.42}, ...], best first
    candidates = Column(JSON, nullable=False, default=list)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    status = Column(String(10), nullable=False, default=STATUS_OPEN)
    # What staff decided (bot.inbox): assigned to `faq_key`, out of scope, or a new FAQ is needed.
    resolution = Column(String(20), nullable=True)
    faq_key = Column(String(60), nullable=True)
    resolved_by = Column(String(60), nullable=True)
    resolved_at = Column(UTCDateTime, nullable=True)

    def __repr__(self) -> str:
        return f"<UnansweredQuestion {self.id} {self.status}>"


WECHAT_PROCESSING = "processing"
WECHAT_ANSWERED = "answered"
WECHAT_PUSHED = "pushed"


class WeChatMessage(Base):
    """A message the WeChat server delivered, and may deliver again: claimed once, with its reply.

    `message_key` is "msg:<MsgId>" for messages, "event:<OpenID>:<CreateTime>:<event>" for events.
    States: `processing` (claimed, the assistant is working on it), `answered` (the reply is stored
    and goes back as the passive reply, to any retry as well) and `pushed` (the passive window was
    missed: the reply goes, or went, through the customer-service API, and a retry gets nothing).
    The user's text is never stored; the reply is stored redacted.
    """

    __tablename__ = "wechat_messages"
    __table_args__ = (
        CheckConstraint("state IN ('processing', 'answered', 'pushed')", name="state"),
        Index("ix_wechat_messages_created_at", "created_at"),
    )

    id = Column(Integer, primary_key=True)
    message_key = Column(String(200), nullable=False, unique=True)
    state = Column(String(12), nullable=False, default=WECHAT_PROCESSING)
    reply = Column(Text, nullable=True)  # the rendered reply, redacted; None while processing
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    answered_at = Column(UTCDateTime, nullable=True)

    def __repr__(self) -> str:
        return f"<WeChatMessage {self.id} {self.state}>"


class StaffAccount(Base):
    """A support-staff member who may sign in to the console. Only an Argon2 hash of the password is kept."""

    __tablename__ = "staff_accounts"

    id = Column(Integer, primary_key=True)
    name = Column(String(64), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)
    is_active = Column(Boolean, nullable=False, default=True)
    # Consecutive failed sign-ins; reaching the limit locks the account until `locked_until`.
    failed_sign_ins = Column(Integer, nullable=False, default=0)
    locked_until = Column(UTCDateTime, nullable=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    password_changed_at = Column(UTCDateTime, nullable=False, default=utcnow)
    last_sign_in_at = Column(UTCDateTime, nullable=True)

    sessions = relationship(
        "StaffSession", back_populates="account", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<StaffAccount {self.id} {self.name}{'' if self.is_active else ' disabled'}>"


class StaffSession(Base):
    """A signed-in console session. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "staff_sessions"

    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    staff_id = Column(Integer, ForeignKey("staff_accounts.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    expires_at = Column(UTCDateTime, nullable=False, index=True)

    account = relationship("StaffAccount", back_populates="sessions")

    def __repr__(self) -> str:
        return f"<StaffSession {self.id} staff={self.staff_id} until {self.expires_at}>"
