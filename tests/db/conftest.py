"""Every database test runs on SQLite and on PostgreSQL.

PostgreSQL comes from `TEST_POSTGRES_URL` (see scripts/postgres.sh); each test gets a fresh database
created through that URL and dropped afterwards, so tests never see each other's rows. Without the
variable the PostgreSQL half is skipped, unless `BOT_REQUIRE_POSTGRES=1` (CI), where it fails.
"""
from __future__ import annotations

import os
import uuid
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot import privacy
from bot.db import dispose_engines, get_sessionmaker
from bot.db.migrate import upgrade
from tests.db.databases import drop_database

TEST_PII_KEY = "test-key-for-database-tests-only"


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("BOT_PII_KEY", TEST_PII_KEY)
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    privacy._master_key.cache_clear()
    yield
    dispose_engines()
    privacy._master_key.cache_clear()


def service_url(variable: str, required_by: str, script: str) -> str:
    """The test server named by `variable`; skipped when unset, unless `required_by`=1 (CI), then failed."""
    url = os.environ.get(variable, "").strip()
    if not url:
        message = f"{variable} is not set (run: {variable}=$(bash {script}) pytest tests/db)"
        if os.environ.get(required_by) == "1":
            pytest.fail(f"{message}, and {required_by}=1")
        pytest.skip(message)
    return url


def _postgres_admin_url() -> str:
    return service_url("TEST_POSTGRES_URL", "BOT_REQUIRE_POSTGRES", "scripts/postgres.sh")


@pytest.fixture
def fresh_postgres_url() -> Iterator[str]:
    admin_url = _postgres_admin_url()
    name = f"bot_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, future=True, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        dispose_engines()  # our pooled connections would block DROP DATABASE
        drop_database(admin, name)
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / 'assistant.db'}"
    return request.getfixturevalue("fresh_postgres_url")


@pytest.fixture
def migrated_url(database_url) -> str:
    upgrade(database_url)
    return database_url


@pytest.fixture
def session(migrated_url):
    """A session in an open transaction, rolled back at the end; tests call flush/commit as they need."""
    with get_sessionmaker(migrated_url)() as session:
        yield session
        session.rollback()
