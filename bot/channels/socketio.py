"""Rasa's socketio channel with working session persistence, in the chat page's own namespace.

Rasa 3.6 calls `sio.enter_room(...)` without `await`; since python-socketio 5.10 that is a coroutine,
so the socket never joins its session's room and every reply to a persisted session is dropped
(RasaHQ/rasa#13027). This channel re-registers `session_request` with the call awaited, so a page
reload keeps its conversation.

Its conversations are `web:<session id>` (see bot.channels.senders): a session id chosen by a page
addresses only a chat-page conversation. A session id that is not a short string is refused, and
lone surrogates in a message are replaced so it still gets an answer.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from bot.channels.senders import readable_text, sender_problem, web_sender

logger = logging.getLogger(__name__)


def _session_problem(session_id: Any) -> Optional[str]:
    """Why `session_id` cannot name a chat-page conversation; None if it can."""
    if not isinstance(session_id, str) or not session_id:
        return "no session id"
    return sender_problem(web_sender(session_id), reserved_allowed=True)


class PersistentSocketIOInput(SocketIOInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id")
            if not isinstance(session_id, str) or _session_problem(session_id):
                session_id = data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, web_sender(session_id), namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any) -> None:
            data = data if isinstance(data, dict) else {}
            text = data.get("message", "")
            if not isinstance(text, str):
                logger.warning("chat page: a message that is not text was ignored")
                return
            if self.session_persistence:
                session_id = data.get("session_id")
                if _session_problem(session_id):
                    logger.warning("chat page: a message without a valid session id was ignored")
                    return
            else:
                session_id = sid
            sender_id = web_sender(session_id)
            # The answer goes to the room named after the conversation; this socket is in it.
            await sio.enter_room(sid, sender_id, namespace=self.namespace)
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            if not isinstance(metadata, dict):
                metadata = {}
            await on_new_message(
                UserMessage(
                    readable_text(text),
                    SocketIOOutput(sio, self.bot_message_evt),
                    sender_id,
                    input_channel=self.name(),
                    metadata=metadata,
                )
            )

        return blueprint
