"""One engine and one session factory per process and database URL, created on first use."""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, Optional, Tuple

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from bot import settings

# Seconds a SQLite connection waits for another process's write lock before giving up.
SQLITE_BUSY_TIMEOUT_SECONDS = 30

# Keyed by process id too: a forked worker must not reuse its parent's pooled connections.
_Key = Tuple[int, str]
_engines: Dict[_Key, Engine] = {}
_sessionmakers: Dict[_Key, sessionmaker] = {}
_lock = threading.Lock()


def _resolve(url: Optional[str]) -> str:
    return url or settings.database_url()


def sqlite_file(url: str) -> Optional[Path]:
    """The database file of a file-based SQLite URL; None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def keep_private(database_file: Path) -> None:
    """Create the database file readable by its owner only (it holds conversations), or make it so;
    SQLite gives its journal and WAL files the same permissions."""
    database_file.parent.mkdir(parents=True, exist_ok=True)
    if not database_file.exists():
        try:
            os.close(os.open(database_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:  # another process made it meanwhile
            pass
    status = database_file.stat()
    if status.st_mode & 0o077 and status.st_uid == os.getuid():
        database_file.chmod(0o600)


def _enable_sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # SQLite ignores foreign keys unless asked, per connection.
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
    finally:
        cursor.close()


def _create_engine(url: str) -> Engine:
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        database_file = sqlite_file(url)
        if database_file is not None:
            keep_private(database_file)
        engine = create_engine(url, future=True, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
        event.listen(engine, "connect", _enable_sqlite_pragmas)
        return engine
    if backend == "postgresql":
        # A pooled connection to a server that has since restarted is tested and replaced, not handed out.
        return create_engine(url, future=True, pool_pre_ping=True)
    return create_engine(url, future=True)


def get_engine(url: Optional[str] = None) -> Engine:
    """The engine for `url` (default: `settings.database_url()`), created once per process."""
    key = (os.getpid(), _resolve(url))
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _engines[key] = _create_engine(key[1])
        return engine


def get_sessionmaker(url: Optional[str] = None) -> sessionmaker:
    key = (os.getpid(), _resolve(url))
    engine = get_engine(key[1])
    with _lock:
        factory = _sessionmakers.get(key)
        if factory is None:
            # Objects stay readable after commit, so callers can show what they just saved.
            factory = _sessionmakers[key] = sessionmaker(bind=engine, future=True, expire_on_commit=False)
        return factory


@contextmanager
def session_scope(url: Optional[str] = None) -> Iterator[Session]:
    """A session in a transaction: committed if the block succeeds, rolled back if it raises."""
    with get_sessionmaker(url).begin() as session:
        yield session


def dispose_engines() -> None:
    """Close every pooled connection and forget the engines (tests, and before dropping a database)."""
    with _lock:
        engines = [engine for (pid, _), engine in _engines.items() if pid == os.getpid()]
        _engines.clear()
        _sessionmakers.clear()
    for engine in engines:
        engine.dispose()
