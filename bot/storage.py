"""The database as the actions use it: migrated to the latest schema on first use in a process."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator, Set

from sqlalchemy.orm import Session

from bot import settings
from bot.db.engine import session_scope
from bot.db.migrate import ensure_schema

_migrated: Set[str] = set()
_lock = threading.Lock()


@contextmanager
def database_session() -> Iterator[Session]:
    """One transaction on the configured database: committed on success, rolled back on error."""
    url = settings.database_url()
    with _lock:
        if url not in _migrated:
            ensure_schema(url)
            _migrated.add(url)
    with session_scope(url) as session:
        yield session
