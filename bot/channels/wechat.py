"""WeChat Official Account (微信公众号) channel, served at `/webhooks/wechat/webhook`.

Configured in credentials.yml (the values come from the environment)::

    bot.channels.wechat.WeChatInput:
      token: ${WECHAT_TOKEN}
      app_id: ${WECHAT_APP_ID}
      aes_key: ${WECHAT_AES_KEY}
      app_secret: ${WECHAT_APP_SECRET}

With an empty token the channel refuses every request (403) and says so once in the log. Without
an AES key, safe-mode (`encrypt_type=aes`) messages are refused; plaintext ones still work.

The protocol is wechatpy's: the signature of every request is checked (403 if wrong), a GET with
`echostr` is the server verification, safe-mode messages are decrypted and the replies encrypted
with `WeChatCrypto`, XML is parsed with `wechatpy.parse_message`. Malformed XML gets a 400.

Answers. A text message goes to the assistant with the user's OpenID as sender id, so each person
keeps one conversation. The answer goes back as the passive reply if it is ready within the reply
budget (4.5 s of WeChat's 5). Otherwise the request gets `success` and the answer goes through the
customer-service message API (`WeChatClient.message.send_text`) when it is ready. A passive reply
carries one message of at most 2048 bytes, so an answer longer than `MAX_PART_BYTES` is split on
line boundaries: the first part goes passively, the others through the customer-service API right
after, in order.

Retries. WeChat sends a message again when it got no answer in time. Each message is claimed once
in the database (`bot.channels.dedup`), by MsgId (events: OpenID + CreateTime); a retry is never
given to the assistant again: it gets the stored reply, or `success` when the answer went (or will
go) through the customer-service API. A retry that arrives while the first request is still being
answered waits for it, within its own budget.

WeChat has no buttons: options are numbered ("回复 1、2、3 选择"), and a reply that is just a number
sends that button's payload. The options are read from the conversation in the tracker store, so
any replica can map the number. Subscribing gets the welcome menu (`/greet`); images, voice and
other message types get a short note that only text is understood; unsubscribing and other events
get `success`.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import inspect
import logging
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Set, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.session import SessionStorage
from wechatpy.utils import check_signature

from bot import privacy
from bot.channels.dedup import WeChatMessageRepository
from bot.channels.rendering import render_turn, select_option, split_message, turn_options
from bot.db.models import WECHAT_ANSWERED, WECHAT_PUSHED, utcnow

logger = logging.getLogger(__name__)

SUCCESS = "success"
NOT_TEXT_REPLY = "目前只能识别文字消息，请用文字描述您的问题。"
FAILURE_REPLY = "抱歉，系统暂时出了点问题，请稍后再试，或拨打咨询电话。"
GREET_PAYLOAD = "/greet"
SUBSCRIBE_EVENTS = ("subscribe", "subscribe_scan")

DEFAULT_REPLY_BUDGET = 4.5  # seconds of WeChat's 5 for a passive reply
RETRY_POLL_SECONDS = 0.2
MAX_BODY_BYTES = 64 * 1024  # WeChat's callbacks are a few hundred bytes
MAX_OPEN_ID_LENGTH = 128  # OpenIDs have 28 characters
CUSTOMER_SERVICE_TIMEOUT = 10.0
KEEP_RECORDS = dt.timedelta(days=2)
PURGE_EVERY_SECONDS = 3600.0

XML_CONTENT_TYPE = "application/xml; charset=utf-8"
TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"

# Characters XML 1.0 does not allow, even inside CDATA.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


@dataclass
class WeChatResponse:
    status: int
    body: str = ""
    content_type: str = TEXT_CONTENT_TYPE


FORBIDDEN = WeChatResponse(403, "forbidden")
BAD_REQUEST = WeChatResponse(400, "bad request")
NOTHING_TO_SAY = WeChatResponse(200, SUCCESS)


@dataclass
class _Turn:
    """One message being answered by this process."""

    key: str
    sender_id: str
    handed_over: bool = False  # the request gave up waiting: the answer must be pushed


def _setting(credentials: Mapping[str, Any], name: str) -> str:
    value = credentials.get(name)
    return "" if value is None else str(value).strip()


def _parsed(xml: Any) -> Any:
    """The wechatpy message in `xml`; raises if it is not a well-formed message from someone."""
    message = parse_message(xml)
    if message is None or not isinstance(message.source, str) or not message.source.strip():
        raise ValueError("no sender")
    if len(message.source) > MAX_OPEN_ID_LENGTH:
        raise ValueError("not an OpenID")
    int(message.id or 0), int(message.time or 0)  # numeric fields must be numbers
    if message.type == "text" and not isinstance(message.content or "", str):
        raise ValueError("content is not text")
    return message


def _xml_safe(text: str) -> str:
    """Text that fits in wechatpy's CDATA sections."""
    return _NOT_XML.sub("", text).replace("]]>", "]]]]><![CDATA[>")


def token_storage():
    """Where wechatpy keeps the access token: Redis when `REDIS_URL` is set, else this process."""
    import os

    from wechatpy.session.memorystorage import MemoryStorage

    url = os.environ.get("REDIS_URL", "").strip()
    if not url:
        return MemoryStorage()
    import redis

    return SharedTokenStorage(redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2))


class SharedTokenStorage(SessionStorage):
    """wechatpy's session storage in Redis, falling back to this process's memory while Redis is down
    (a token fetched twice is better than a customer-service message not sent)."""

    PREFIX = "bot:wechat"

    def __init__(self, client) -> None:
        from wechatpy.session.memorystorage import MemoryStorage
        from wechatpy.session.redisstorage import RedisStorage

        self.shared, self.local = RedisStorage(client, prefix=self.PREFIX), MemoryStorage()

    def _try(self, method: str, *args, **kwargs):
        try:
            return getattr(self.shared, method)(*args, **kwargs)
        except Exception as error:  # redis.exceptions.RedisError and socket errors alike
            logger.warning("WeChat token storage in Redis unavailable, using memory: %s", error)
            return getattr(self.local, method)(*args, **kwargs)

    def get(self, key, default=None):
        return self._try("get", key, default)

    def set(self, key, value, ttl=None):
        self.local.set(key, value, ttl)
        self._try("set", key, value, ttl)

    def delete(self, key):
        self.local.delete(key)
        self._try("delete", key)

    def __getitem__(self, key):  # wechatpy's base class forgets to return
        return self.get(key)


class WeChatInput(InputChannel):
    """Rasa input channel for a WeChat Official Account (plaintext and safe mode)."""

    @classmethod
    def name(cls) -> Text:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WeChatInput":
        credentials = credentials or {}
        budget = _setting(credentials, "reply_budget")
        return cls(token=_setting(credentials, "token"), app_id=_setting(credentials, "app_id"),
                   aes_key=_setting(credentials, "aes_key"), app_secret=_setting(credentials, "app_secret"),
                   reply_budget=float(budget) if budget else DEFAULT_REPLY_BUDGET)

    def __init__(self, token: str = "", app_id: str = "", aes_key: str = "", app_secret: str = "",
                 reply_budget: float = DEFAULT_REPLY_BUDGET) -> None:
        self.token = (token or "").strip()
        self.app_id = (app_id or "").strip()
        self.aes_key = (aes_key or "").strip()
        self.app_secret = (app_secret or "").strip()
        self.reply_budget = reply_budget
        self.crypto: Optional[WeChatCrypto] = None
        if self.token and self.aes_key:
            try:
                self.crypto = WeChatCrypto(self.token, self.aes_key, self.app_id)
            except Exception:  # a wrong key must not stop the server
                logger.error("WeChat: WECHAT_AES_KEY is not a valid EncodingAESKey (43 characters); "
                             "safe-mode messages will be refused")
        self._client = None
        self._client_lock = threading.Lock()
        self._tasks: Set[asyncio.Task] = set()
        self._told_not_configured = False
        self._last_purge = 0.0

    # --- Sanic ----------------------------------------------------------------------------------

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        module = inspect.getmodule(self)
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", module.__name__ if module else None)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "configured": self.configured})

        @webhook.route("/webhook", methods=["GET", "POST"])
        async def receive(request: Request) -> HTTPResponse:
            args = {name: request.args.get(name) for name in request.args}
            agent = getattr(request.app.ctx, "agent", None)
            result = await self.handle(request.method, args, request.body or b"", on_new_message, agent)
            return response.text(result.body, status=result.status, content_type=result.content_type)

        return webhook

    # --- The protocol ---------------------------------------------------------------------------

    @property
    def configured(self) -> bool:
        return bool(self.token)

    async def handle(self, method: str, args: Mapping[str, str], body: bytes, on_new_message: OnNewMessage,
                     agent: Any = None) -> WeChatResponse:
        """Answer one request to the webhook; never raises."""
        deadline = time.monotonic() + self.reply_budget
        if not self.configured:
            if not self._told_not_configured:
                self._told_not_configured = True
                logger.warning("WeChat channel is not configured (WECHAT_TOKEN is empty): "
                               "every request to /webhooks/wechat/webhook is refused")
            return FORBIDDEN
        timestamp, nonce = args.get("timestamp") or "", args.get("nonce") or ""
        try:
            check_signature(self.token, args.get("signature") or "", timestamp, nonce)
        except InvalidSignatureException:
            logger.warning("WeChat: request with a wrong signature refused")
            return FORBIDDEN
        if method.upper() == "GET":
            return WeChatResponse(200, args.get("echostr") or "")
        if method.upper() != "POST":
            return WeChatResponse(405, "method not allowed")
        if len(body) > MAX_BODY_BYTES:
            return BAD_REQUEST

        encrypted = (args.get("encrypt_type") or "raw").lower() == "aes"
        if encrypted:
            if self.crypto is None:
                logger.warning("WeChat: safe-mode message refused: WECHAT_AES_KEY is not set or not valid")
                return FORBIDDEN
            try:
                xml = self.crypto.decrypt_message(body, args.get("msg_signature") or "", timestamp, nonce)
            except (InvalidSignatureException, InvalidAppIdException):
                logger.warning("WeChat: safe-mode message with a wrong signature or app id refused")
                return FORBIDDEN
            except Exception:
                logger.warning("WeChat: safe-mode message could not be decrypted")
                return BAD_REQUEST
        else:
            xml = body
        try:
            message = _parsed(xml)
        except Exception:
            logger.warning("WeChat: malformed message refused")
            return BAD_REQUEST

        try:
            content = await self._reply_for(message, deadline, on_new_message, agent)
        except Exception:
            logger.exception("WeChat: could not answer a %s message", message.type)
            content = None
        if not content:
            return NOTHING_TO_SAY
        return self._passive_reply(message, content, timestamp, nonce, encrypted)

    def _passive_reply(self, message: Any, content: str, timestamp: str, nonce: str,
                       encrypted: bool) -> WeChatResponse:
        xml = TextReply(message=message, content=_xml_safe(content)).render()
        if encrypted and self.crypto is not None:
            xml = self.crypto.encrypt_message(xml, nonce, timestamp or None)
        return WeChatResponse(200, xml, XML_CONTENT_TYPE)

    async def _reply_for(self, message: Any, deadline: float, on_new_message: OnNewMessage,
                         agent: Any) -> Optional[str]:
        """The passive reply's text, or None for `success`."""
        if message.type == "text":
            text = (message.content or "").strip()
            if not text:
                return None
            key = f"msg:{message.id}" if message.id else f"text:{message.source}:{message.time}"
            return await self._converse(_Turn(key, message.source), text, deadline, on_new_message, agent,
                                        choose_by_number=True)
        if message.type == "event":
            if message.event in SUBSCRIBE_EVENTS:
                key = f"event:{message.source}:{message.time}:subscribe"
                return await self._converse(_Turn(key, message.source), GREET_PAYLOAD, deadline, on_new_message,
                                            agent, choose_by_number=False)
            return None  # unsubscribe, menu clicks, location reports…
        return NOT_TEXT_REPLY

    # --- One answer, once -----------------------------------------------------------------------

    async def _converse(self, turn: _Turn, text: str, deadline: float, on_new_message: OnNewMessage,
                        agent: Any, choose_by_number: bool) -> Optional[str]:
        claimed = await self._db("claim", turn.key)
        if claimed is False:
            logger.info("WeChat: %s received again; not processed twice", turn.key)
            return await self._earlier_reply(turn.key, deadline)
        self._maybe_purge()
        if choose_by_number:
            text = await self._chosen_payload(text, turn.sender_id, agent)
        task = self._spawn(self._answer(turn, text, on_new_message))
        try:
            reply = await asyncio.wait_for(asyncio.shield(task), timeout=max(0.0, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            reply = await asyncio.shield(self._spawn(self._stop_waiting(turn, task, can_reply=True)))
            if reply is None:
                return None
        except asyncio.CancelledError:  # WeChat hung up
            self._spawn(self._stop_waiting(turn, task, can_reply=False))
            raise
        parts = split_message(reply)
        if len(parts) > 1:
            self._spawn(self._push(turn.sender_id, parts[1:], after=0.5))
        return parts[0] if parts else None

    async def _stop_waiting(self, turn: _Turn, task: "asyncio.Task[str]", can_reply: bool) -> Optional[str]:
        """The request stops waiting for the answer: the reply if it is still this request's to send
        passively, else None, and then the answer is (or will be) pushed unless a retry collects it."""
        handed_over = await self._db("hand_over", turn.key)
        if handed_over is False or (handed_over is None and task.done()):
            if can_reply:
                return await task  # stored (or ready) meanwhile
            if handed_over is False:
                return None  # stored as answered: WeChat's retry collects it
        if task.done():
            self._spawn(self._push(turn.sender_id, split_message(task.result())))
        else:
            turn.handed_over = True  # `_answer` pushes it when it is ready
            logger.info("WeChat: %s not answered within %.1f s; the answer will be pushed",
                        turn.key, self.reply_budget)
        return None

    async def _answer(self, turn: _Turn, text: str, on_new_message: OnNewMessage) -> str:
        """Ask the assistant, store the rendered reply; push it if the request stopped waiting."""
        collector = CollectingOutputChannel()
        try:
            await on_new_message(UserMessage(text, collector, turn.sender_id, input_channel=self.name(),
                                             message_id=turn.key))
            reply = render_turn(collector.messages)
        except Exception:
            logger.exception("WeChat: the assistant failed on %s", turn.key)
            reply = render_turn(collector.messages) or FAILURE_REPLY
        reply = privacy.redact_text(reply)
        await self._db("finish", turn.key, reply)
        if turn.handed_over:
            await self._push(turn.sender_id, split_message(reply))
        return reply

    async def _earlier_reply(self, key: str, deadline: float) -> Optional[str]:
        """For a retry: the stored reply's first part, or None when it was pushed or is not ready in time."""
        while True:
            found = await self._db("lookup", key)
            if found is None:
                return None
            state, reply = found
            if state == WECHAT_ANSWERED:
                parts = split_message(reply or "")
                return parts[0] if parts else None
            if state == WECHAT_PUSHED:
                return None
            if time.monotonic() + RETRY_POLL_SECONDS > deadline:
                return None
            await asyncio.sleep(RETRY_POLL_SECONDS)

    async def _chosen_payload(self, text: str, sender_id: str, agent: Any) -> str:
        """The payload of the numbered option `text` names, from the last bot turn; else `text`."""
        if not any(character.isdigit() for character in text):
            return text
        store = getattr(agent, "tracker_store", None)
        if store is None:
            return text
        try:
            tracker = await store.retrieve(sender_id)
        except Exception:
            logger.exception("WeChat: could not read the conversation to map a numbered option")
            return text
        if tracker is None:
            return text
        return select_option(text, turn_options(tracker.events)) or text

    # --- Database ---------------------------------------------------------------------------------

    async def _db(self, operation: str, *args: Any) -> Any:
        """Run a repository operation in a thread, in its own transaction; None if the database fails."""
        try:
            return await asyncio.to_thread(_run_in_database, operation, *args)
        except Exception:
            logger.exception("WeChat: database operation %s failed", operation)
            return None

    def _maybe_purge(self) -> None:
        now = time.monotonic()
        if now - self._last_purge < PURGE_EVERY_SECONDS:
            return
        self._last_purge = now
        self._spawn(self._db("purge", utcnow() - KEEP_RECORDS))

    # --- Customer-service messages ----------------------------------------------------------------

    @property
    def client(self):
        """The API client, created once (it keeps the access token until it expires; with `REDIS_URL`
        the token is shared by every replica, so they do not each fetch one)."""
        with self._client_lock:
            if self._client is None:
                from wechatpy import WeChatClient

                self._client = WeChatClient(self.app_id, self.app_secret, timeout=CUSTOMER_SERVICE_TIMEOUT,
                                            session=token_storage())
            return self._client

    async def _push(self, open_id: str, parts: List[str], after: float = 0.0) -> None:
        """Send `parts` in order through the customer-service API; failures are logged."""
        if not parts:
            return
        if not (self.app_id and self.app_secret):
            logger.warning("WeChat: cannot send %d message(s) through the customer-service API: "
                           "WECHAT_APP_ID or WECHAT_APP_SECRET is empty", len(parts))
            return
        if after:
            await asyncio.sleep(after)  # let the passive reply arrive first
        try:
            await asyncio.to_thread(self._send_texts, open_id, parts)
        except Exception as error:  # the text is not logged: it may quote the question
            logger.error("WeChat: customer-service message failed: %s (errcode %s)", type(error).__name__,
                         getattr(error, "errcode", None))

    def _send_texts(self, open_id: str, parts: List[str]) -> None:
        client = self.client
        with self._client_lock:  # one sender at a time: ordered parts, one token fetch
            for part in parts:
                client.message.send_text(open_id, part)

    def _spawn(self, coroutine: Awaitable[Any]) -> asyncio.Task:
        """Run `coroutine` in the background, holding a reference to it until it ends."""
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def wait_for_background_tasks(self) -> None:
        """Let pushes and stores still running finish (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


def _run_in_database(operation: str, *args: Any) -> Any:
    from bot.storage import database_session

    with database_session() as session:
        repository = WeChatMessageRepository(session)
        if operation == "lookup":
            record = repository.get(args[0])
            return None if record is None else (record.state, record.reply)
        if operation == "purge":
            return repository.purge_before(args[0])
        return getattr(repository, operation)(*args)
