"""Conversation turns read from Rasa's tracker store, when it is in the assistant's database."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import List, Optional

from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

UNSURE = "unsure"
REFUSED = "refused"
ANSWERED = "answered"
UNSURE_RESPONSES = frozenset({"utter_not_sure"})
REFUSED_RESPONSES = frozenset({"utter_not_covered", "utter_not_covered_related", "utter_not_understood"})


@dataclass(frozen=True)
class Turn:
    """One message and how the assistant met it."""

    at: dt.datetime  # UTC
    channel: str
    outcome: str  # answered, unsure or refused
    faq_key: Optional[str]  # the FAQ answered, if one was


def _outcome(responses: List[str]) -> str:
    if any(name in REFUSED_RESPONSES for name in responses):
        return REFUSED
    if any(name in UNSURE_RESPONSES for name in responses):
        return UNSURE
    return ANSWERED


class TurnRepository:
    def __init__(self, session: Session):
        self.session = session

    def turns(self, since: dt.datetime, until: Optional[dt.datetime] = None) -> List[Turn]:
        """Every user message from `since` (UTC) on, with the replies up to the next one; [] when Rasa's
        events are kept elsewhere."""
        if "events" not in inspect(self.session.get_bind()).get_table_names():
            return []
        rows = self.session.execute(
            text(
                "SELECT sender_id, type_name, timestamp, data FROM events WHERE timestamp >= :since "
                "AND timestamp < :until AND type_name IN ('user', 'bot') ORDER BY sender_id, id"
            ),
            {"since": since.timestamp(), "until": (until or dt.datetime.now(dt.timezone.utc)).timestamp()},
        )
        turns: List[Turn] = []
        current: Optional[dict] = None

        def close() -> None:
            if current is not None:
                faq = next(
                    (name.split("/", 1)[1] for name in current["responses"] if name.startswith("utter_faq/")), None
                )
                turns.append(Turn(current["at"], current["channel"], _outcome(current["responses"]), faq))

        sender = None
        for sender_id, type_name, timestamp, data in rows:
            if sender_id != sender:
                close()
                current, sender = None, sender_id
            event = json.loads(data or "{}")
            if type_name == "user":
                close()
                at = dt.datetime.fromtimestamp(float(timestamp), dt.timezone.utc)
                current = {"at": at, "channel": event.get("input_channel") or "unknown", "responses": []}
            elif current is not None:
                name = (event.get("metadata") or {}).get("utter_action")
                if name:
                    current["responses"].append(name)
        close()
        return turns
