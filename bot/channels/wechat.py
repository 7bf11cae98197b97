"""WeChat Official Account (微信公众号) channel, served at `/webhooks/wechat/webhook`.

Configured in credentials.yml (the values come from the environment)::

    bot.channels.wechat.WeChatInput:
      token: ${WECHAT_TOKEN}
      app_id: ${WECHAT_APP_ID}
      aes_key: ${WECHAT_AES_KEY}
      app_secret: ${WECHAT_APP_SECRET}

With an empty token the channel refuses every request (403) and says so once in the log.

Message mode (`WECHAT_MESSAGE_MODE`, WeChat's 明文/兼容/安全模式): `plaintext` accepts only
unencrypted messages, `compatible` both kinds (replying in kind), `safe` only encrypted ones, whose
signature covers the body. The default is `safe` when `WECHAT_AES_KEY` is set, else `plaintext`.
A request whose signed timestamp is outside the replay window, or whose nonce another message
already used, is refused (403; see bot.channels.wechat_replay).

The protocol is wechatpy's: the signature of every request is checked (403 if wrong), a GET with
`echostr` is the server verification, safe-mode messages are decrypted and the replies encrypted
with `WeChatCrypto`, XML is parsed with `wechatpy.parse_message`. Malformed XML gets a 400.

Answers. A text message goes to the assistant as the conversation `wechat:<OpenID>`, so each person
keeps one conversation that no other channel can address. The answer goes back as the passive reply
if it is ready within the reply budget (4.5 s of WeChat's 5). Otherwise the request gets `success`
and the answer goes through the customer-service message API (`WeChatClient.message.send_text`) when
it is ready. A passive reply carries one message of at most 2048 bytes, so an answer longer than
`MAX_PART_BYTES` is split on line boundaries: the first part goes passively, the others through the
customer-service API right after, in order.

Retries. WeChat sends a message again when it got no answer in time. Each message is claimed once,
by MsgId (events: OpenID + CreateTime), and delivered once (bot.channels.wechat_delivery): a retry
is never given to the assistant again; it gets the stored reply, or `success` when the answer went
(or will go) through the customer-service API (bot.channels.wechat_api).

WeChat has no buttons: options are numbered ("回复 1、2、3 选择"), and a reply that is just a number
sends that button's payload. The options are read from the conversation in the tracker store, so
any replica can map the number. Subscribing gets the welcome menu (`/greet`); images, voice and
other message types get a short note that only text is understood; unsubscribing and other events
get `success`.
"""

from __future__ import annotations

import enum
import inspect
import logging
import re
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, Mapping, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from bot import privacy, settings
from bot.channels.rendering import render_turn, select_option, turn_options
from bot.channels.senders import MAX_SENDER_LENGTH, WECHAT, wechat_sender
from bot.channels.wechat_api import CustomerService
from bot.channels.wechat_delivery import Delivery, DeliveryStore, SqlDeliveryStore, Turn
from bot.channels.wechat_replay import ReplayGuard, body_digest, nonce_store, replay_window

logger = logging.getLogger(__name__)

SUCCESS = "success"
NOT_TEXT_REPLY = "目前只能识别文字消息，请用文字描述您的问题。"
FAILURE_REPLY = "抱歉，系统暂时出了点问题，请稍后再试，或拨打咨询电话。"
GREET_PAYLOAD = "/greet"
SUBSCRIBE_EVENTS = ("subscribe", "subscribe_scan")

DEFAULT_REPLY_BUDGET = 4.5  # seconds of WeChat's 5 for a passive reply
MAX_BODY_BYTES = 64 * 1024  # WeChat's callbacks are a few hundred bytes
MAX_OPEN_ID_LENGTH = MAX_SENDER_LENGTH - len(WECHAT)  # OpenIDs have 28 characters

XML_CONTENT_TYPE = "application/xml; charset=utf-8"
TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"

# Characters XML 1.0 does not allow, even inside CDATA.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class MessageMode(enum.Enum):
    PLAINTEXT = "plaintext"  # 明文模式
    COMPATIBLE = "compatible"  # 兼容模式
    SAFE = "safe"  # 安全模式

    @classmethod
    def named(cls, raw: str, aes_key: str) -> "MessageMode":
        """The mode `raw` names; empty: safe with an AES key, else plaintext."""
        default = cls.SAFE if aes_key else cls.PLAINTEXT
        raw = (raw or "").strip().lower()
        if not raw:
            return default
        try:
            return cls(raw)
        except ValueError:
            logger.error("WECHAT_MESSAGE_MODE=%r is not plaintext, compatible or safe; using %s", raw, default.value)
            return default

    def accepts(self, encrypted: bool) -> bool:
        return self is MessageMode.COMPATIBLE or encrypted == (self is MessageMode.SAFE)


@dataclass
class WeChatResponse:
    status: int
    body: str = ""
    content_type: str = TEXT_CONTENT_TYPE


FORBIDDEN = WeChatResponse(403, "forbidden")
BAD_REQUEST = WeChatResponse(400, "bad request")
NOTHING_TO_SAY = WeChatResponse(200, SUCCESS)


def _setting(credentials: Mapping[str, Any], name: str, fallback: str = "") -> str:
    """`name` from credentials.yml, else `fallback` (the environment's value, from bot.settings)."""
    value = credentials.get(name)
    return fallback if value is None or not str(value).strip() else str(value).strip()


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


def _message_key(message: Any) -> str:
    """What identifies a message across WeChat's retries (its documented deduplication keys)."""
    if message.type == "event":
        return f"event:{message.source}:{message.time}:{message.event}"
    return f"msg:{message.id}" if message.id else f"text:{message.source}:{message.time}"


def _xml_safe(text: str) -> str:
    """Text that fits in wechatpy's CDATA sections."""
    return _NOT_XML.sub("", text).replace("]]>", "]]]]><![CDATA[>")


class WeChatInput(InputChannel):
    """Rasa input channel for a WeChat Official Account (plaintext, compatible and safe mode)."""

    @classmethod
    def name(cls) -> Text:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WeChatInput":
        credentials = credentials or {}
        config = settings.current()
        budget = _setting(credentials, "reply_budget")
        return cls(
            token=_setting(credentials, "token"),
            app_id=_setting(credentials, "app_id"),
            aes_key=_setting(credentials, "aes_key"),
            app_secret=_setting(credentials, "app_secret"),
            reply_budget=float(budget) if budget else DEFAULT_REPLY_BUDGET,
            message_mode=_setting(credentials, "message_mode", config.wechat_message_mode),
            replay=ReplayGuard(
                replay_window(_setting(credentials, "replay_window", str(config.wechat_replay_window))), nonce_store()
            ),
        )

    def __init__(
        self,
        token: str = "",
        app_id: str = "",
        aes_key: str = "",
        app_secret: str = "",
        reply_budget: float = DEFAULT_REPLY_BUDGET,
        message_mode: str = "",
        replay: Optional[ReplayGuard] = None,
        store: Optional[DeliveryStore] = None,
    ) -> None:
        self.token = (token or "").strip()
        self.app_id = (app_id or "").strip()
        self.aes_key = (aes_key or "").strip()
        self.reply_budget = reply_budget
        self.mode = MessageMode.named(message_mode, self.aes_key)
        self.replay = replay or ReplayGuard()
        self.crypto: Optional[WeChatCrypto] = None
        if self.token and self.aes_key:
            try:
                self.crypto = WeChatCrypto(self.token, self.aes_key, self.app_id)
            except Exception:  # a wrong key must not stop the server
                logger.error(
                    "WeChat: WECHAT_AES_KEY is not a valid EncodingAESKey (43 characters); "
                    "encrypted messages will be refused"
                )
        if self.token and self.mode is not MessageMode.PLAINTEXT and self.crypto is None:
            logger.error(
                "WeChat: %s mode needs a valid WECHAT_AES_KEY; %s messages will be refused",
                self.mode.value,
                "all" if self.mode is MessageMode.SAFE else "encrypted",
            )
        self.customer_service = CustomerService(self.app_id, (app_secret or "").strip())
        self.delivery = Delivery(store or SqlDeliveryStore(), self.customer_service.send, reply_budget)
        self._told_not_configured = False

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

    async def handle(
        self, method: str, args: Mapping[str, str], body: bytes, on_new_message: OnNewMessage, agent: Any = None
    ) -> WeChatResponse:
        """Answer one request to the webhook; never raises."""
        deadline = time.monotonic() + self.reply_budget
        if not self.configured:
            if not self._told_not_configured:
                self._told_not_configured = True
                logger.warning(
                    "WeChat channel is not configured (WECHAT_TOKEN is empty): "
                    "every request to /webhooks/wechat/webhook is refused"
                )
            return FORBIDDEN
        timestamp, nonce = args.get("timestamp") or "", args.get("nonce") or ""
        try:
            check_signature(self.token, args.get("signature") or "", timestamp, nonce)
        except InvalidSignatureException:
            logger.warning("WeChat: request with a wrong signature refused")
            return FORBIDDEN
        if not self.replay.fresh(timestamp):
            logger.warning("WeChat: request signed outside the replay window refused")
            return FORBIDDEN
        if method.upper() == "GET":
            if not await self.replay.first_use(nonce):
                logger.warning("WeChat: server verification with a nonce already used refused")
                return FORBIDDEN
            return WeChatResponse(200, args.get("echostr") or "")
        if method.upper() != "POST":
            return WeChatResponse(405, "method not allowed")
        if len(body) > MAX_BODY_BYTES:
            return BAD_REQUEST

        encrypted = (args.get("encrypt_type") or "raw").lower() == "aes"
        if not self.mode.accepts(encrypted):
            logger.warning(
                "WeChat: %s message refused in %s mode", "encrypted" if encrypted else "unencrypted", self.mode.value
            )
            return FORBIDDEN
        if encrypted:
            if self.crypto is None:
                logger.warning("WeChat: encrypted message refused: WECHAT_AES_KEY is not set or not valid")
                return FORBIDDEN
            try:
                xml = self.crypto.decrypt_message(body, args.get("msg_signature") or "", timestamp, nonce)
            except (InvalidSignatureException, InvalidAppIdException):
                logger.warning("WeChat: encrypted message with a wrong signature or app id refused")
                return FORBIDDEN
            except Exception:
                logger.warning("WeChat: encrypted message could not be decrypted")
                return BAD_REQUEST
        else:
            xml = body
        try:
            message = _parsed(xml)
        except Exception:
            logger.warning("WeChat: malformed message refused")
            return BAD_REQUEST
        if not await self.replay.first_use(nonce, body_digest(body)):
            logger.warning("WeChat: a nonce already used by another request refused (replay)")
            return FORBIDDEN

        try:
            content = await self._reply_for(message, deadline, on_new_message, agent)
        except Exception:
            logger.exception("WeChat: could not answer a %s message", message.type)
            content = None
        if not content:
            return NOTHING_TO_SAY
        return self._passive_reply(message, content, timestamp, nonce, encrypted)

    def _passive_reply(self, message: Any, content: str, timestamp: str, nonce: str, encrypted: bool) -> WeChatResponse:
        xml = TextReply(message=message, content=_xml_safe(content)).render()
        if encrypted and self.crypto is not None:
            xml = self.crypto.encrypt_message(xml, nonce, timestamp or None)
        return WeChatResponse(200, xml, XML_CONTENT_TYPE)

    async def _reply_for(
        self, message: Any, deadline: float, on_new_message: OnNewMessage, agent: Any
    ) -> Optional[str]:
        """The passive reply's text, or None for `success`."""
        if message.type == "text":
            text = (message.content or "").strip()
            if not text:
                return None
            return await self._converse(
                Turn(_message_key(message), message.source),
                text,
                deadline,
                on_new_message,
                agent,
                choose_by_number=True,
            )
        if message.type == "event":
            if message.event in SUBSCRIBE_EVENTS:
                return await self._converse(
                    Turn(_message_key(message), message.source),
                    GREET_PAYLOAD,
                    deadline,
                    on_new_message,
                    agent,
                    choose_by_number=False,
                )
            return None  # unsubscribe, menu clicks, location reports…
        return NOT_TEXT_REPLY

    # --- The assistant's answer -----------------------------------------------------------------

    async def _converse(
        self, turn: Turn, text: str, deadline: float, on_new_message: OnNewMessage, agent: Any, choose_by_number: bool
    ) -> Optional[str]:
        async def answer() -> str:
            chosen = await self._chosen_payload(text, agent, turn.open_id) if choose_by_number else text
            return await self._answer(turn, chosen, on_new_message)

        return await self.delivery.reply(turn, answer, deadline)

    async def _answer(self, turn: Turn, text: str, on_new_message: OnNewMessage) -> str:
        """The assistant's rendered (and redacted) reply to `text`."""
        collector = CollectingOutputChannel()
        try:
            await on_new_message(
                UserMessage(
                    text, collector, wechat_sender(turn.open_id), input_channel=self.name(), message_id=turn.key
                )
            )
            reply = render_turn(collector.messages)
        except Exception:
            logger.exception("WeChat: the assistant failed on %s", turn.key)
            reply = render_turn(collector.messages) or FAILURE_REPLY
        return privacy.redact_text(reply)

    async def _chosen_payload(self, text: str, agent: Any, open_id: str) -> str:
        """The payload of the numbered option `text` names, from the last bot turn; else `text`."""
        if not any(character.isdigit() for character in text):
            return text
        store = getattr(agent, "tracker_store", None)
        if store is None:
            return text
        try:
            tracker = await store.retrieve(wechat_sender(open_id))
        except Exception:
            logger.exception("WeChat: could not read the conversation to map a numbered option")
            return text
        if tracker is None:
            return text
        return select_option(text, turn_options(tracker.events)) or text

    async def wait_for_background_tasks(self) -> None:
        """Let pushes and stores still running finish (tests, shutdown)."""
        await self.delivery.wait_for_background_tasks()
