"""Rasa's socketio channel with session persistence that works on python-socketio 5.10 and later.

Rasa 3.6 calls `sio.enter_room(...)` without `await`; since python-socketio 5.10 that is a coroutine,
so the socket never joins its session's room and every reply to a persisted session is dropped
(RasaHQ/rasa#13027). This channel re-registers `session_request` with the call awaited, so a page
reload keeps its conversation.
"""
from __future__ import annotations

import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint


class PersistentSocketIOInput(SocketIOInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data or {}
            if not data.get("session_id"):
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, data["session_id"], namespace=self.namespace)
            await sio.emit("session_confirm", data["session_id"], room=sid)

        return blueprint
