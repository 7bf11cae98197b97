"""The assistant's own database: exam sessions, sign-in registrations, callback requests and
questions it could not answer.

SQLite by default, PostgreSQL when `DATABASE_URL` says so. Rasa's tracker store may share the same
database; its `events` table is not ours and nothing here touches it.
"""

from bot.db.engine import dispose_engines, get_engine, get_sessionmaker, session_scope

__all__ = ["dispose_engines", "get_engine", "get_sessionmaker", "session_scope"]
