"""Staff accounts and console sessions, on SQLite and PostgreSQL."""
import datetime as dt

import pytest
from sqlalchemy import inspect, select

from bot.console.repository import (DISABLED, LOCK_DURATION, LOCKED, MAX_FAILED_SIGN_INS, SIGNED_IN,
                                    WRONG_CREDENTIALS, StaffError, StaffNotFound, StaffRepository, csrf_token_for,
                                    token_digest)
from bot.db import get_engine
from bot.db.migrate import current_revision, downgrade, head_revision, upgrade
from bot.db.models import StaffSession

PASSWORD = "correct horse battery"
NOW = dt.datetime(2026, 6, 1, 1, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def staff(session):
    return StaffRepository(session)


def test_an_account_keeps_only_an_argon2_hash(staff, session):
    account = staff.add("  李老师 ", PASSWORD)
    assert account.name == "李老师" and account.is_active
    assert PASSWORD not in account.password_hash and account.password_hash.startswith("$argon2id$")
    assert staff.get("李老师") is account
    assert [a.name for a in staff.list()] == ["李老师"]


@pytest.mark.parametrize("name, password, message", [
    ("李老师", "short", "至少需要10个字符"),
    ("", PASSWORD, "不能为空"),
    ("李 老师", PASSWORD, "不能包含空格"),
    ("x" * 65, PASSWORD, "不能超过64个字符"),
    ("李老师", "x" * 257, "不能超过256个字符"),
])
def test_unfit_names_and_passwords_are_refused(staff, name, password, message):
    with pytest.raises(StaffError, match=message):
        staff.add(name, password)


def test_a_name_is_taken_once(staff):
    staff.add("李老师", PASSWORD)
    with pytest.raises(StaffError, match="已经存在"):
        staff.add("李老师", PASSWORD + "x")


def test_sign_in_outcomes(staff):
    staff.add("李老师", PASSWORD)
    assert staff.verify_password("李老师", PASSWORD, NOW).outcome == SIGNED_IN
    assert staff.get("李老师").last_sign_in_at == NOW
    assert staff.verify_password("李老师", PASSWORD + "x", NOW).outcome == WRONG_CREDENTIALS
    assert staff.verify_password("王老师", PASSWORD, NOW).outcome == WRONG_CREDENTIALS
    assert staff.verify_password("李老师", "x" * 5000, NOW).outcome == WRONG_CREDENTIALS
    assert staff.verify_password("", "", NOW).outcome == WRONG_CREDENTIALS


def test_five_failures_lock_the_account_for_a_minute(staff):
    staff.add("李老师", PASSWORD)
    outcomes = [staff.verify_password("李老师", "wrong password", NOW).outcome for _ in range(MAX_FAILED_SIGN_INS)]
    assert outcomes == [WRONG_CREDENTIALS] * (MAX_FAILED_SIGN_INS - 1) + [LOCKED]
    # Even the right password is refused while locked.
    locked = staff.verify_password("李老师", PASSWORD, NOW + dt.timedelta(seconds=59))
    assert locked.outcome == LOCKED and locked.locked_until == NOW + LOCK_DURATION
    assert staff.verify_password("李老师", PASSWORD, NOW + LOCK_DURATION).outcome == SIGNED_IN
    assert staff.get("李老师").failed_sign_ins == 0 and staff.get("李老师").locked_until is None


def test_a_success_resets_the_failure_count(staff):
    staff.add("李老师", PASSWORD)
    for _ in range(MAX_FAILED_SIGN_INS - 1):
        staff.verify_password("李老师", "wrong password", NOW)
    assert staff.verify_password("李老师", PASSWORD, NOW).ok
    assert staff.verify_password("李老师", "wrong password", NOW).outcome == WRONG_CREDENTIALS


def test_sessions_are_stored_as_hashes_and_expire(staff, session):
    account = staff.add("李老师", PASSWORD)
    token, record = staff.create_session(account, hours=8, now=NOW)
    assert record.token_hash == token_digest(token) != token and len(record.token_hash) == 64
    stored = session.execute(select(StaffSession.token_hash)).scalars().all()
    assert token not in stored
    assert staff.get_by_session_token(token, NOW + dt.timedelta(hours=7, minutes=59)).account.name == "李老师"
    assert staff.get_by_session_token(token, NOW + dt.timedelta(hours=8)) is None
    assert staff.get_by_session_token(token + "x", NOW) is None
    assert staff.get_by_session_token("", NOW) is None and staff.get_by_session_token(None, NOW) is None


def test_csrf_token_is_tied_to_the_session_token(staff):
    account = staff.add("李老师", PASSWORD)
    first, _ = staff.create_session(account, now=NOW)
    second, _ = staff.create_session(account, now=NOW)
    assert first != second
    assert csrf_token_for(first) == csrf_token_for(first) != csrf_token_for(second)
    assert csrf_token_for(first) != token_digest(first)


def test_delete_and_purge(staff, session):
    account = staff.add("李老师", PASSWORD)
    old, _ = staff.create_session(account, hours=1, now=NOW - dt.timedelta(hours=2))
    live, _ = staff.create_session(account, hours=8, now=NOW)
    gone, _ = staff.create_session(account, hours=8, now=NOW)
    assert staff.delete_session(gone) is True and staff.delete_session(gone) is False
    assert staff.purge_expired(NOW) == 1
    assert staff.get_by_session_token(live, NOW) is not None
    assert staff.get_by_session_token(old, NOW) is None
    assert staff.session_count(account) == 1


def test_disable_signs_out_and_refuses_sign_in(staff):
    account = staff.add("李老师", PASSWORD)
    token, _ = staff.create_session(account, now=NOW)
    staff.disable("李老师")
    assert staff.get_by_session_token(token, NOW) is None and staff.session_count(account) == 0
    assert staff.verify_password("李老师", PASSWORD, NOW).outcome == DISABLED
    assert staff.verify_password("李老师", "wrong password", NOW).outcome == WRONG_CREDENTIALS
    staff.enable("李老师")
    assert staff.verify_password("李老师", PASSWORD, NOW).ok


def test_a_disabled_account_session_is_refused_even_if_left_in_the_table(staff, session):
    account = staff.add("李老师", PASSWORD)
    token, _ = staff.create_session(account, now=NOW)
    account.is_active = False
    session.flush()
    assert staff.get_by_session_token(token, NOW) is None


def test_reset_password_unlocks_and_signs_out(staff):
    account = staff.add("李老师", PASSWORD)
    token, _ = staff.create_session(account, now=NOW)
    for _ in range(MAX_FAILED_SIGN_INS):
        staff.verify_password("李老师", "wrong password", NOW)
    staff.set_password("李老师", "another long password")
    assert staff.get_by_session_token(token, NOW) is None
    assert staff.verify_password("李老师", PASSWORD, NOW).outcome == WRONG_CREDENTIALS
    assert staff.verify_password("李老师", "another long password", NOW).ok
    with pytest.raises(StaffError, match="至少"):
        staff.set_password("李老师", "short")
    with pytest.raises(StaffNotFound, match="王老师"):
        staff.set_password("王老师", "another long password")


def test_deleting_an_account_deletes_its_sessions(staff, session):
    account = staff.add("李老师", PASSWORD)
    staff.create_session(account, now=NOW)
    session.delete(account)
    session.flush()
    assert session.execute(select(StaffSession)).all() == []


def test_naive_times_are_refused(staff):
    account = staff.add("李老师", PASSWORD)
    with pytest.raises(ValueError):
        staff.create_session(account, now=dt.datetime(2026, 6, 1))


def test_the_staff_migration_goes_down_to_0002_and_up_again(database_url):
    upgrade(database_url)
    downgrade(database_url, "0002")
    tables = set(inspect(get_engine(database_url)).get_table_names())
    assert not tables & {"staff_accounts", "staff_sessions"} and "wechat_messages" in tables
    assert current_revision(database_url) == "0002"
    upgrade(database_url)
    assert {"staff_accounts", "staff_sessions"} <= set(inspect(get_engine(database_url)).get_table_names())
    assert current_revision(database_url) == head_revision()
