"""Rasa's REST channel, at `/webhooks/rest/webhook`, refusing what it cannot answer.

Rasa's own channel takes any JSON: an array or a string body gives a 500, a number as `message`
gives `[]` and a traceback, a missing `sender` puts every such client in one `default`
conversation, and `input_channel` lets a client pose as another channel. This one answers 400 with
the reason for a body that is not a JSON object, a missing, over-long or reserved sender (see
`bot.channels.senders`), a `message` that is not a string, and `metadata` that is not an object;
it always records its own channel name. Lone surrogates in the text are replaced, so such a
message still gets a polite answer instead of silence.
"""

from __future__ import annotations

import copy
import json
import logging
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Tuple, Union

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from bot.channels.senders import readable_text, sender_problem

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class RequestProblem(ValueError):
    """Why a request cannot be answered; the message goes back to the client."""


def read_message(body: bytes) -> Tuple[str, str, Optional[Dict[str, Any]]]:
    """(sender, text, metadata) from a request body; raises RequestProblem."""
    try:
        payload = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError):
        raise RequestProblem('the body must be a JSON object such as {"sender": "…", "message": "…"}') from None
    if not isinstance(payload, dict):
        raise RequestProblem("the body must be a JSON object, not " + type(payload).__name__)
    problem = sender_problem(payload.get("sender"))
    if problem:
        raise RequestProblem(problem)
    text = payload.get("message")
    if text is None:
        raise RequestProblem("message is required")
    if not isinstance(text, str):
        raise RequestProblem("message must be a string")
    metadata = payload.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise RequestProblem("metadata must be a JSON object")
    return payload["sender"], readable_text(text), metadata


def bad_request(reason: str) -> HTTPResponse:
    return response.json({"status": "failure", "code": 400, "reason": "BadRequest", "message": reason}, status=400)


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> Union[ResponseStream, HTTPResponse]:
            try:
                sender_id, text, metadata = read_message(request.body)
            except RequestProblem as problem:
                return bad_request(str(problem))
            if rasa.utils.endpoints.bool_arg(request, "stream", default=False):
                return response.stream(
                    self.stream_response(on_new_message, text, sender_id, self.name(), metadata),
                    content_type="text/event-stream",
                )
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(text, collector, sender_id, input_channel=self.name(), metadata=copy.deepcopy(metadata))
                )
            except CancelledError:
                logger.error("REST: the client went away before the answer")
            except Exception:  # the text is not logged: it may carry personal data
                logger.exception("REST: the assistant failed on a message")
            return response.json(collector.messages)

        return webhook
