"""Schema migrations, run from code: no alembic.ini needed.

`ensure_schema()` is what servers call at start-up. Several processes (Rasa, the action server, an
admin command) may start together, so migrations run under a lock: a lock file next to a SQLite
database, a transaction-scoped advisory lock on PostgreSQL. Whoever comes second finds the schema
already at head and does nothing.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterator, Optional

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot import settings
from bot.db.engine import get_engine, sqlite_file
from bot.db.models import Base

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Any fixed 64-bit number, the same in every process of this application.
POSTGRES_MIGRATION_LOCK_KEY = 0x626F742D6D696772  # "bot-migr"


def include_name(name: Optional[str], type_: str, parent_names) -> bool:
    """Alembic filter: only our own tables exist for autogenerate (not Rasa's `events`, nor anyone else's)."""
    if type_ == "table":
        return name in Base.metadata.tables
    return True


def alembic_config(url: Optional[str] = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Kept as an attribute, not an ini option: ini interpolation would choke on "%" in passwords.
    config.attributes["url"] = url or settings.database_url()
    return config


def head_revision() -> Optional[str]:
    """The newest revision the code knows."""
    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not POSIX: no inter-process lock, migrations still run
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def _migration_connection(url: str) -> Iterator[Connection]:
    """A connection in a transaction, held under the migration lock; committed when the block ends."""
    engine = get_engine(url)
    database_file = sqlite_file(url)
    lock = (
        _file_lock(database_file.with_name(database_file.name + ".migrate.lock"))
        if database_file is not None
        else contextlib.nullcontext()
    )
    with lock, engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": POSTGRES_MIGRATION_LOCK_KEY})
        yield connection


def _run(url: Optional[str], action, revision: str) -> None:
    config = alembic_config(url)
    with _migration_connection(config.attributes["url"]) as connection:
        config.attributes["connection"] = connection
        action(config, revision)


def upgrade(url: Optional[str] = None, revision: str = "head") -> None:
    _run(url, command.upgrade, revision)


def downgrade(url: Optional[str] = None, revision: str = "base") -> None:
    _run(url, command.downgrade, revision)


def current_revision(url: Optional[str] = None) -> Optional[str]:
    """The revision the database is at; None if it was never migrated."""
    with get_engine(url or settings.database_url()).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def ensure_schema(url: Optional[str] = None) -> None:
    """Bring the schema to head; harmless when it is already there or another process is doing it."""
    upgrade(url, "head")
