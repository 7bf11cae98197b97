import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.db import session_scope
from bot.db.models import EXAM_KIND_ATA, EXAM_KIND_PRACTITIONER, CallbackRequest
from bot.db.repositories import (CallbackRepository, ExamSessionRepository, RecordNotFound,
                                 RegistrationRepository, UnansweredRepository)
from bot.privacy import PersonalDataError

from tests.db.people import id_number, id_number_ending_in_x, with_wrong_check_character

DECEMBER_EXAM = dict(title="北京市人力资源市场从业人员培训考试（2026年12月）", exam_date=dt.date(2026, 12, 5),
                     exam_time="14:00-15:30", place="线上")


def all_cells(session, table):
    rows = session.execute(text(f"SELECT * FROM {table}")).all()
    return " ".join(str(cell) for row in rows for cell in row)


def add_exam(session, **overrides):
    return ExamSessionRepository(session).add(**{"exam_kind": EXAM_KIND_PRACTITIONER, **DECEMBER_EXAM, **overrides})


# --- Exam sessions --------------------------------------------------------------------------------

def test_exam_session_add_find_and_find_or_create(session):
    sessions = ExamSessionRepository(session)
    added = add_exam(session, notes="考试当天不能签到")
    assert added.id is not None and added.is_online
    assert sessions.find(**DECEMBER_EXAM) is added
    assert sessions.find(**{**DECEMBER_EXAM, "exam_time": "09:00-10:30"}) is None
    assert sessions.find_or_create(**DECEMBER_EXAM, exam_kind=EXAM_KIND_PRACTITIONER) is added
    other = sessions.find_or_create(**{**DECEMBER_EXAM, "place": "北京市朝阳区"}, exam_kind=EXAM_KIND_PRACTITIONER)
    assert other is not added and not other.is_online


def test_the_same_sitting_cannot_be_added_twice(session):
    add_exam(session)
    with pytest.raises(IntegrityError):
        add_exam(session)


def test_upcoming_sessions_are_ordered_and_filtered(session):
    sessions = ExamSessionRepository(session)
    add_exam(session, exam_date=dt.date(2026, 12, 19))
    add_exam(session, exam_date=dt.date(2026, 12, 5))
    add_exam(session, exam_date=dt.date(2026, 11, 7))  # already past
    add_exam(session, exam_date=dt.date(2027, 5, 22), exam_kind=EXAM_KIND_ATA, title="企业人力资源管理师四级",
             level="四级/中级", exam_time="09:00-10:30", place="北京市朝阳区")
    add_exam(session, exam_date=dt.date(2026, 12, 5), exam_time="09:00-10:30")

    today = dt.date(2026, 12, 1)
    practitioner = sessions.upcoming(EXAM_KIND_PRACTITIONER, today)
    assert [(s.exam_date, s.exam_time) for s in practitioner] == [
        (dt.date(2026, 12, 5), "09:00-10:30"), (dt.date(2026, 12, 5), "14:00-15:30"),
        (dt.date(2026, 12, 19), "14:00-15:30")]
    assert [s.exam_kind for s in sessions.upcoming(EXAM_KIND_ATA, today)] == [EXAM_KIND_ATA]
    assert len(sessions.upcoming(None, today)) == 4
    assert len(sessions.upcoming(None, today, limit=2)) == 2
    assert [s.exam_date for s in sessions.upcoming(None, dt.date(2026, 12, 5), limit=1)] == [dt.date(2026, 12, 5)]
    assert sessions.upcoming(None, dt.date(2028, 1, 1)) == []


# --- Registrations --------------------------------------------------------------------------------

def test_registration_found_by_id_number_with_a_lowercase_x(session):
    number = id_number_ending_in_x()
    exam = add_exam(session)
    RegistrationRepository(session).add("李娜", number, "138 0013 8001", "LiNa@Example.com", exam)
    session.commit()
    session.expunge_all()

    found = RegistrationRepository(session).find_by_id_number(number.lower())
    assert found is not None and found.name == "李娜"
    assert found.id_number_masked == number[:4] + "*" * 10 + number[-4:]
    assert found.phone_masked == "138****8001"
    assert found.email_masked == "l***@example.com"
    assert "exam_session" in found.__dict__  # loaded with the registration, not on first access
    assert found.exam_session.exam_date == dt.date(2026, 12, 5)
    assert RegistrationRepository(session).find_by_id_number(id_number(sequence=999)) is None


def test_no_raw_personal_data_is_stored(session):
    number = id_number_ending_in_x()
    RegistrationRepository(session).add("李娜", number, "13800138001", "lina.personal@example.com", add_exam(session))
    CallbackRepository(session).add("王芳", "13800138002", f"我的身份证{number}，手机13800138001", "rest", "s1")
    UnansweredRepository(session).add(f"身份证号{number.lower()}能报名吗", "rest", [], "s1")
    session.commit()

    stored = " ".join(all_cells(session, table) for table in
                      ("registrations", "callback_requests", "unanswered_questions", "exam_sessions"))
    for raw in (number, number.lower(), number[:17], "13800138001", "13800138002", "lina.personal",
                "lina.personal@example.com"):
        assert raw not in stored


def test_database_enforces_unique_id_number_phone_and_email(migrated_url):
    number = id_number()
    with session_scope(migrated_url) as session:
        RegistrationRepository(session).add("张伟", number, "13800138000", "zw@example.com", add_exam(session))

    duplicates = [
        (number, "13800138009", "other@example.com"),
        (id_number(sequence=2), "13800138000", "other@example.com"),
        (id_number(sequence=3), "13800138009", "ZW@example.com"),
    ]
    for duplicate in duplicates:
        with pytest.raises(IntegrityError):
            with session_scope(migrated_url) as session:
                exam = ExamSessionRepository(session).find(**DECEMBER_EXAM)
                RegistrationRepository(session).add("别人", *duplicate, exam)

    with session_scope(migrated_url) as session:
        registrations = RegistrationRepository(session)
        assert registrations.count() == 1
        assert registrations.conflicts(number.lower(), "13800138000", "ZW@example.com") == ["身份证号", "手机号", "邮箱"]
        assert registrations.conflicts(id_number(sequence=2), "+86 138-0013-8000", "new@example.com") == ["手机号"]
        assert registrations.conflicts(id_number(sequence=2), "13800138009", " zw@EXAMPLE.com ") == ["邮箱"]
        assert registrations.conflicts(id_number(sequence=2), "13800138009", "new@example.com") == []
        assert registrations.conflicts(number, None, "") == ["身份证号"]


def test_registration_refuses_invalid_personal_data(session):
    exam = add_exam(session)
    registrations = RegistrationRepository(session)
    with pytest.raises(PersonalDataError, match="校验位"):
        registrations.add("张伟", with_wrong_check_character(id_number()), "13800138000", "zw@example.com", exam)
    with pytest.raises(PersonalDataError, match="手机号"):
        registrations.add("张伟", id_number(), "12345", "zw@example.com", exam)
    with pytest.raises(PersonalDataError, match="邮箱"):
        registrations.add("张伟", id_number(), "13800138000", "zw at example.com", exam)
    assert registrations.count() == 0


# --- Callback requests ----------------------------------------------------------------------------

def test_callbacks_add_list_close_and_decrypt(session):
    callbacks = CallbackRepository(session)
    first = callbacks.add("王芳", "+86 138-0013-8002", "我的手机13800138002，证书什么时候能查到？", "rest", "user-1")
    second = callbacks.add("刘洋", "13800138003", "补考怎么报名", "socketio")
    assert first.phone_masked == "138****8002"
    assert "13800138002" not in first.phone_encrypted
    assert first.question == "我的手机138****8002，证书什么时候能查到？"
    assert callbacks.phone_number(first) == "13800138002"
    assert [r.id for r in callbacks.list()] == [first.id, second.id]  # oldest first

    closed = callbacks.close(first.id, note="已回电，手机13800138002打通了")
    closed_at = closed.closed_at
    assert (closed.status, closed.staff_note) == ("closed", "已回电，手机138****8002打通了")
    assert closed_at is not None and closed_at.tzinfo is not None
    assert [r.id for r in callbacks.list()] == [second.id]
    assert [r.id for r in callbacks.list("closed")] == [first.id]
    assert [r.id for r in callbacks.list(None)] == [first.id, second.id]

    again = callbacks.close(first.id)  # harmless: still closed, first closing time and note kept
    assert (again.status, again.closed_at, again.staff_note) == ("closed", closed_at, closed.staff_note)

    with pytest.raises(RecordNotFound, match="没有编号为 9999 的回电请求"):
        callbacks.close(9999)
    assert callbacks.get(9999) is None


def test_callback_list_is_oldest_first_by_creation_time(session):
    callbacks = CallbackRepository(session)
    later = callbacks.add("甲", "13800138010", "问题一", "rest")
    earlier = callbacks.add("乙", "13800138011", "问题二", "rest")
    earlier.created_at = later.created_at - dt.timedelta(hours=1)
    session.flush()
    assert [r.name for r in callbacks.list()] == ["乙", "甲"]


def test_callback_refuses_an_invalid_phone(session):
    with pytest.raises(PersonalDataError):
        CallbackRepository(session).add("王芳", "010-64400680", "问题", "rest")
    assert session.execute(text("SELECT COUNT(*) FROM callback_requests")).scalar_one() == 0


def test_callback_phone_is_encrypted_with_the_configured_key(session):
    request = CallbackRepository(session).add("王芳", "13800138002", "问题", "rest")
    assert isinstance(request, CallbackRequest)
    assert CallbackRepository.phone_number(request) == "13800138002"


# --- Unanswered questions -------------------------------------------------------------------------

def test_unanswered_add_list_and_resolve(session):
    unanswered = UnansweredRepository(session)
    candidates = [{"key": "exam_time", "question": "什么时间考试？", "confidence": 0.41, "extra": "dropped"},
                  {"key": "pass_score", "question": "多少分及格？", "confidence": "0.2"}]
    number = id_number()
    first = unanswered.add(f"我身份证{number}，为什么查不到成绩", "rest", candidates, sender_id="user-1")
    second = unanswered.add("考场在哪里", "socketio", [])
    session.commit()
    session.expunge_all()

    listed = unanswered.list()
    assert [q.id for q in listed] == [second.id, first.id]  # newest first
    loaded = listed[1]
    assert loaded.question == f"我身份证{number[:4]}{'*' * 10}{number[-4:]}，为什么查不到成绩"
    assert loaded.candidates == [{"key": "exam_time", "question": "什么时间考试？", "confidence": 0.41},
                                 {"key": "pass_score", "question": "多少分及格？", "confidence": 0.2}]
    assert (loaded.channel, loaded.sender_id, loaded.status) == ("rest", "user-1", "open")
    assert len(unanswered.list(limit=1)) == 1

    assert unanswered.resolve(first.id).status == "resolved"
    assert unanswered.resolve(first.id).status == "resolved"
    assert [q.id for q in unanswered.list()] == [second.id]
    assert [q.id for q in unanswered.list("resolved")] == [first.id]
    assert len(unanswered.list(None)) == 2
    with pytest.raises(RecordNotFound):
        unanswered.resolve(9999)
