import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from bot.db import dispose_engines, get_engine, get_sessionmaker, session_scope
from bot.db.models import CallbackRequest, Registration, utcnow

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_package_creates_no_engine():
    script = ("import bot.db, bot.db.models, bot.db.repositories, bot.db.imports, bot.db.migrate, bot.cli.admin\n"
              "from bot.db import engine\n"
              "assert not engine._engines, engine._engines\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_one_engine_and_sessionmaker_per_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    assert get_engine(url) is get_engine(url)
    assert get_sessionmaker(url) is get_sessionmaker(url)
    assert get_engine(url) is not get_engine(f"sqlite:///{tmp_path / 'b.db'}")
    first = get_engine(url)
    dispose_engines()
    assert get_engine(url) is not first


def test_default_url_is_a_sqlite_file_in_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "not" / "yet" / "there"))
    with get_engine().connect() as connection:
        connection.execute(text("SELECT 1"))
    assert (tmp_path / "not" / "yet" / "there" / "assistant.db").exists()


def test_database_url_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'from_env.db'}")
    assert get_engine().url.database == str(tmp_path / "from_env.db")


def test_foreign_keys_are_enforced(migrated_url):
    """PostgreSQL always does; SQLite only with the pragma the engine sets on every connection."""
    with pytest.raises(IntegrityError):
        with session_scope(migrated_url) as session:
            session.add(Registration(name="张伟", id_number_hash="a", id_number_masked="a", phone_hash="b",
                                     phone_masked="b", email_hash="c", email_masked="c", exam_session_id=9999))


def test_session_scope_commits_on_success_and_rolls_back_on_error(migrated_url):
    def callback(name):
        return CallbackRequest(name=name, phone_encrypted="x", phone_masked="138****8000", question="?",
                               channel="rest", status="open")

    with session_scope(migrated_url) as session:
        session.add(callback("保存"))
    with pytest.raises(RuntimeError):
        with session_scope(migrated_url) as session:
            session.add(callback("丢弃"))
            session.flush()
            raise RuntimeError("boom")
    with session_scope(migrated_url) as session:
        names = session.execute(text("SELECT name FROM callback_requests")).scalars().all()
    assert names == ["保存"]


def test_datetimes_come_back_as_aware_utc(migrated_url):
    moment = utcnow()
    with session_scope(migrated_url) as session:
        request = CallbackRequest(name="张伟", phone_encrypted="x", phone_masked="138****8000", question="?",
                                  channel="rest", status="open", created_at=moment)
        session.add(request)
    with session_scope(migrated_url) as session:
        loaded = session.get(CallbackRequest, request.id)
        assert loaded.created_at == moment
        assert loaded.created_at.utcoffset().total_seconds() == 0


def test_postgres_connections_cut_by_the_server_are_replaced(fresh_postgres_url):
    """As after a server restart: the pooled connection is dead, the next checkout gets a new one."""
    engine = get_engine(fresh_postgres_url)
    with engine.connect() as connection:
        backend = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
    admin = create_engine(fresh_postgres_url, future=True)
    try:
        with admin.connect() as connection:
            assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend}).scalar_one()
    finally:
        admin.dispose()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT pg_backend_pid()")).scalar_one() != backend
