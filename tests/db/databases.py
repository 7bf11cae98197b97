"""Throwaway PostgreSQL databases for the tests."""
from __future__ import annotations

import time

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

DROP_ATTEMPTS = 20
DROP_PAUSE_SECONDS = 0.5


def drop_database(admin: Engine, name: str) -> None:
    """DROP DATABASE … WITH (FORCE). It may not end a session of another role: an autovacuum worker that
    has just connected to the new database. That worker leaves within moments, so the drop is tried again."""
    for attempt in range(DROP_ATTEMPTS):
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except (ProgrammingError, OperationalError):
            if attempt == DROP_ATTEMPTS - 1:
                raise
            time.sleep(DROP_PAUSE_SECONDS)
