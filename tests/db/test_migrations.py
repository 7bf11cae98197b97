import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from bot.db import get_engine
from bot.db.migrate import current_revision, downgrade, ensure_schema, head_revision, include_name, upgrade
from bot.db.models import Base

PROJECT_ROOT = Path(__file__).resolve().parents[2]
OUR_TABLES = {"exam_sessions", "registrations", "callback_requests", "unanswered_questions", "wechat_messages",
              "staff_accounts", "staff_sessions"}
HEAD = "0005"  # the newest migration


def table_names(url):
    return set(inspect(get_engine(url)).get_table_names())


def create_rasa_events_table(url):
    with get_engine(url).begin() as connection:
        connection.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), "
                                "type_name VARCHAR(255), data TEXT)"))
        connection.execute(text("INSERT INTO events (id, sender_id, type_name, data) "
                                "VALUES (1, 'someone', 'user', '{}')"))


def events_rows(url):
    with get_engine(url).connect() as connection:
        return connection.execute(text("SELECT id, sender_id, type_name FROM events ORDER BY id")).all()


def test_upgrade_creates_the_tables_and_records_the_revision(database_url):
    assert current_revision(database_url) is None
    upgrade(database_url)
    assert table_names(database_url) == OUR_TABLES | {"alembic_version"}
    assert current_revision(database_url) == head_revision() == HEAD


def test_downgrade_removes_the_tables_and_upgrade_works_again(database_url):
    upgrade(database_url)
    downgrade(database_url, "base")
    assert not table_names(database_url) & OUR_TABLES
    assert current_revision(database_url) is None
    upgrade(database_url)
    assert table_names(database_url) >= OUR_TABLES
    assert current_revision(database_url) == HEAD


def test_ensure_schema_twice_is_harmless(database_url):
    ensure_schema(database_url)
    ensure_schema(database_url)
    assert current_revision(database_url) == HEAD
    assert table_names(database_url) == OUR_TABLES | {"alembic_version"}


def test_rasa_events_table_is_left_alone(database_url):
    create_rasa_events_table(database_url)
    upgrade(database_url)
    assert "events" in table_names(database_url)
    downgrade(database_url, "base")
    upgrade(database_url)
    downgrade(database_url, "base")
    assert "events" in table_names(database_url)
    assert events_rows(database_url) == [(1, "someone", "user")]


def test_models_and_migrations_agree(database_url):
    """Autogenerate finds nothing to do after the migrations ran, even with a foreign table present."""
    create_rasa_events_table(database_url)
    upgrade(database_url)
    with get_engine(database_url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": include_name,
                                                               "compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_two_processes_migrating_at_once_both_succeed(database_url):
    script = "import sys; from bot.db.migrate import ensure_schema; ensure_schema(sys.argv[1])"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    processes = [subprocess.Popen([sys.executable, "-c", script, database_url], env=env, cwd=PROJECT_ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(3)]
    results = [(process.wait(timeout=120), process.stderr.read()) for process in processes]
    for process in processes:
        process.stdout.close()
        process.stderr.close()
    assert [code for code, _ in results] == [0, 0, 0], [error for _, error in results]
    assert current_revision(database_url) == HEAD


def test_alembic_command_line_reads_database_url(database_url):
    env = {**os.environ, "DATABASE_URL": database_url}
    alembic = Path(sys.executable).with_name("alembic")
    if not alembic.exists():
        pytest.skip("alembic command not installed next to this Python")
    upgraded = subprocess.run([str(alembic), "upgrade", "head"], cwd=PROJECT_ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
    assert upgraded.returncode == 0, upgraded.stderr
    current = subprocess.run([str(alembic), "current"], cwd=PROJECT_ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
    assert current.returncode == 0, current.stderr
    assert f"{HEAD} (head)" in current.stdout
    assert current_revision(database_url) == HEAD


def test_conversations_from_before_the_namespaces_move_into_their_channels(database_url):
    """A WeChat or chat-page conversation kept under the bare OpenID or session id is moved, so a REST
    client naming that id no longer reaches it; REST conversations and unrelated rows stay."""
    upgrade(database_url, "0003")
    create_rasa_events_table(database_url)
    with get_engine(database_url).begin() as connection:
        for row_id, sender, data in [
            (2, "o6_bmjrPTlm6", '{"event": "user", "input_channel": "wechat"}'),
            (3, "o6_bmjrPTlm6", '{"event": "bot"}'),
            (4, "abc123", '{"event": "user","input_channel":"socketio"}'),
            (5, "rest-user", '{"event": "user", "input_channel": "rest"}'),
        ]:
            connection.execute(text("INSERT INTO events (id, sender_id, type_name, data) VALUES (:i, :s, :t, :d)"),
                               {"i": row_id, "s": sender, "t": "bot" if row_id == 3 else "user", "d": data})
        connection.execute(text(
            "INSERT INTO unanswered_questions (question, channel, sender_id, candidates, created_at, status) "
            "VALUES ('q', 'wechat', 'o6_bmjrPTlm6', '[]', '2026-01-01 00:00:00', 'open')"))
    upgrade(database_url)
    assert events_rows(database_url) == [(1, "someone", "user"), (2, "wechat:o6_bmjrPTlm6", "user"),
                                         (3, "wechat:o6_bmjrPTlm6", "bot"), (4, "web:abc123", "user"),
                                         (5, "rest-user", "user")]
    with get_engine(database_url).connect() as connection:
        assert connection.execute(text("SELECT sender_id FROM unanswered_questions")).scalar_one() == "wechat:o6_bmjrPTlm6"
    upgrade(database_url)  # nothing moves twice
    downgrade(database_url, "0003")
    assert [row[1] for row in events_rows(database_url)] == ["someone", "o6_bmjrPTlm6", "o6_bmjrPTlm6", "abc123",
                                                               "rest-user"]
