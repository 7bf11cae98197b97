"""Rasa's SQL tracker store on the assistant's own database, with personal numbers redacted.

Configured in endpoints.yml as `type: bot.runtime.tracker_store.RedactingSQLTrackerStore`. Every
event is redacted before it is written, so raw ID and mobile numbers never reach the
`events` table: user texts, parse data, slot values, bot replies and metadata alike.
The conversation in memory keeps the raw values for the rest of the turn, which is all an
action needs (forms that must keep a number across turns store it encrypted).
"""

from __future__ import annotations

import json
import logging
from typing import Any, Optional, Text

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import Engine, make_url

from bot import privacy, settings
from bot.logs import install_log_redaction

logger = logging.getLogger(__name__)


def _ensure_sqlite_file(url: str) -> None:
    """The SQLite file's directory exists and the file is readable by its owner only."""
    from bot.db.engine import keep_private, sqlite_file

    database_file = sqlite_file(url)
    if database_file is not None:
        keep_private(database_file)


class RedactingSQLTrackerStore(SQLTrackerStore):
    # Set by SQLTrackerStore, which is untyped; declared so that replacing it below can be checked.
    engine: Engine

    def __init__(self, domain=None, host: Optional[Text] = None, event_broker=None, **kwargs: Any) -> None:
        # The same database as the assistant's tables: DATABASE_URL, else the local SQLite file.
        url = host if host and "://" in host else settings.database_url()
        _ensure_sqlite_file(url)
        install_log_redaction()
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        if self.engine.dialect.name == "postgresql":
            # After a database restart, pooled connections are dead: test each before use and replace it,
            # so the servers reconnect on their own.
            from rasa.core.tracker_store import create_engine_kwargs
            from sqlalchemy import create_engine
            from sqlalchemy.orm import sessionmaker

            self.engine.dispose()
            self.engine = create_engine(self.engine.url, pool_pre_ping=True, **create_engine_kwargs(self.engine.url))
            self.sessionmaker = sessionmaker(bind=self.engine)
        logger.info("tracker store: %s", make_url(url).render_as_string(hide_password=True))

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = privacy.redact(event.as_dict())
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=(data.get("parse_data") or {}).get("intent", {}).get("name"),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()

    async def _stream_new_events(self, event_broker, new_events, sender_id: Text) -> None:
        # An event broker is a store too: it gets nothing raw either.
        for event in new_events:
            event_broker.publish({"sender_id": sender_id, **privacy.redact(event.as_dict())})
