"""The WeChat channel with a fake assistant: signatures, both modes, message types, retries, pushes.

The database is a SQLite file per test; the customer-service API is faked at the HTTP level
(`requests.Session.request`), so wechatpy's client, with its access-token cache, runs for real.
"""
import asyncio
import json
import logging
from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Sanic
from sqlalchemy import select

from bot import privacy
from bot.channels import wechat
from bot.channels.wechat import FAILURE_REPLY, NOT_TEXT_REPLY, WeChatInput
from bot.channels.wechat_replay import ReplayGuard
from bot.channels.wechat_tokens import SharedTokenStorage
from bot.db import dispose_engines, session_scope
from bot.db.models import WeChatMessage

from tests import wechat_peer as peer

OPEN_ID = "o6_bmjrPTlm6_2sgVt7hMZOPfL2M"
SENDER = "wechat:" + OPEN_ID  # its conversation
ANSWER = "开卷考试，可以带教材。\n来源：《北京市人力资源市场从业人员培训考试》第3问"
GUESSES = [{"title": "从业人员培训考试", "payload": "/choose_practitioner"},
           {"title": "京训钉", "payload": "/choose_jxd"}]


@pytest.fixture(autouse=True)
def database(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BOT_PII_KEY", "unit-test-key")
    privacy._master_key.cache_clear()
    yield url
    dispose_engines()
    privacy._master_key.cache_clear()


class FakeTrackerStore:
    def __init__(self):
        self.events = {}

    async def retrieve(self, sender_id):
        events = self.events.get(sender_id)
        return None if events is None else SimpleNamespace(sender_id=sender_id, events=list(events))


class FakeAssistant:
    """Stands in for Rasa: `answer(text)` gives the messages of a turn; records what it was sent."""

    def __init__(self, answer=None, delay=0.0):
        self.answer = answer or (lambda text: [{"text": ANSWER}])
        self.delay = delay
        self.received = []
        self.agent = SimpleNamespace(tracker_store=FakeTrackerStore())

    async def __call__(self, message):
        self.received.append((message.sender_id, message.text, message.input_channel))
        if self.delay:
            await asyncio.sleep(self.delay)
        messages = self.answer(message.text)
        events = self.agent.tracker_store.events.setdefault(message.sender_id, [])
        events.append(UserUttered(message.text))
        for item in messages:
            events.append(BotUttered(item.get("text"), data={"buttons": item.get("buttons")}))
            await message.output_channel.send_response(message.sender_id, dict(item))

    @property
    def texts(self):
        return [text for _, text, _ in self.received]


class FakeWeChatApi:
    """requests.Session.request for api.weixin.qq.com: an access token, then customer-service sends."""

    def __init__(self, errcode=0):
        self.errcode = errcode
        self.token_requests = 0
        self.sent = []

    def install(self, monkeypatch):
        api = self

        def request(session, method, url, params=None, data=None, **kwargs):
            return api.handle(method, url, params, data)

        monkeypatch.setattr(requests.Session, "request", request)
        return self

    def handle(self, method, url, params, data):
        parsed = urlparse(url)
        assert parsed.hostname == "api.weixin.qq.com", url
        if parsed.path.endswith("/token"):
            self.token_requests += 1
            assert params["appid"] == peer.APP_ID and params["secret"] == peer.APP_SECRET
            return self.response(url, {"access_token": f"token-{self.token_requests}", "expires_in": 7200})
        assert parsed.path.endswith("/message/custom/send")
        query = {**parse_qs(parsed.query), **(params or {})}
        body = json.loads(data.decode("utf-8") if isinstance(data, bytes) else data)
        self.sent.append({"access_token": query["access_token"], **body})
        return self.response(url, {"errcode": self.errcode, "errmsg": "ok" if not self.errcode else "denied"})

    @staticmethod
    def response(url, payload):
        response = requests.Response()
        response.status_code = 200
        response._content = json.dumps(payload).encode("utf-8")
        response.url = url
        response.request = requests.Request("POST", url).prepare()
        return response

    @property
    def texts(self):
        return [item["text"]["content"] for item in self.sent]


@pytest.fixture
def wechat_api(monkeypatch):
    return FakeWeChatApi().install(monkeypatch)


def channel(**settings):
    """A channel that accepts both kinds of message (compatible mode); the modes have their own tests."""
    defaults = dict(token=peer.TOKEN, app_id=peer.APP_ID, aes_key=peer.AES_KEY, app_secret=peer.APP_SECRET,
                    message_mode="compatible")
    return WeChatInput(**{**defaults, **settings})


def run(coroutine):
    return asyncio.run(coroutine)


async def post(ch, assistant, xml, args=None, settle=True):
    result = await ch.handle("POST", args or peer.signed_args(), xml.encode("utf-8"), assistant, assistant.agent)
    if settle:
        await ch.wait_for_background_tasks()
    return result


def reply_content(result):
    assert result.status == 200 and result.content_type.startswith("application/xml")
    return peer.read_reply(result.body)["Content"]


def records():
    with session_scope() as session:
        return [(row.message_key, row.state, row.reply) for row in session.execute(select(WeChatMessage)).scalars()]


# --- Configuration and signatures ---------------------------------------------------------------

def test_without_a_token_every_request_is_refused_and_logged_once(caplog):
    ch = WeChatInput.from_credentials({"token": "", "app_id": "", "aes_key": "", "app_secret": ""})
    assistant = FakeAssistant()
    with caplog.at_level(logging.WARNING, logger="bot.channels.wechat"):
        get = run(ch.handle("GET", peer.signed_args(token="", echostr="hello"), b"", assistant))
        first = run(post(ch, assistant, peer.text_xml("你好", 1, OPEN_ID), peer.signed_args(token="")))
        second = run(post(ch, assistant, peer.text_xml("你好", 2, OPEN_ID)))
    assert (get.status, first.status, second.status) == (403, 403, 403)
    assert assistant.received == []
    warnings = [record for record in caplog.records if "not configured" in record.getMessage()]
    assert len(warnings) == 1


def test_credentials_with_none_values_and_a_bad_aes_key_do_not_crash(caplog):
    assert not WeChatInput.from_credentials(None).configured
    assert not WeChatInput.from_credentials({"token": None}).configured
    with caplog.at_level(logging.ERROR, logger="bot.channels.wechat"):
        ch = WeChatInput.from_credentials({"token": "123456", "aes_key": "too-short", "app_id": peer.APP_ID})
    assert ch.configured and ch.crypto is None
    assert any("EncodingAESKey" in record.getMessage() for record in caplog.records)
    assistant = FakeAssistant()
    args, body = peer.encrypted_request(peer.text_xml("你好", 3, OPEN_ID))
    assert run(post(ch, assistant, body, args)).status == 403
    # An AES key makes safe mode the default: unencrypted messages are refused too.
    assert ch.mode is wechat.MessageMode.SAFE
    assert run(post(ch, assistant, peer.text_xml("你好", 4, OPEN_ID))).status == 403
    assert assistant.received == []


def test_server_verification_echoes_echostr():
    ch = channel()
    result = run(ch.handle("GET", peer.signed_args(echostr="5927782489442352469"), b"", FakeAssistant()))
    assert (result.status, result.body) == (200, "5927782489442352469")


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("change", ["signature", "timestamp", "nonce", "missing", "other token"])
def test_a_bad_signature_is_refused(method, change):
    args = peer.signed_args(echostr="x")
    if change == "missing":
        del args["signature"]
    elif change == "other token":
        args = peer.signed_args(token="654321", echostr="x")
    else:
        args[change] = args[change] + "1"
    assistant = FakeAssistant()
    result = run(channel().handle(method, args, peer.text_xml("你好", 5, OPEN_ID).encode(), assistant, assistant.agent))
    assert result.status == 403 and assistant.received == []


def test_safe_mode_with_a_bad_message_signature_is_refused():
    assistant = FakeAssistant()
    args, body = peer.encrypted_request(peer.text_xml("你好", 6, OPEN_ID))
    args["msg_signature"] = "0" * 40
    assert run(post(channel(), assistant, body, args)).status == 403
    args.pop("msg_signature")
    assert run(post(channel(), assistant, body, args)).status == 403
    assert assistant.received == []


def test_safe_mode_without_an_aes_key_is_refused_but_plaintext_works():
    ch, assistant = channel(aes_key=""), FakeAssistant()
    args, body = peer.encrypted_request(peer.text_xml("你好", 7, OPEN_ID))
    assert run(post(ch, assistant, body, args)).status == 403
    assert reply_content(run(post(ch, assistant, peer.text_xml("你好", 8, OPEN_ID)))) == ANSWER


@pytest.mark.parametrize("body", ["", "not xml", "<xml><MsgType>text", "<root><MsgType>text</MsgType></root>",
                                  "<xml><ToUserName>a</ToUserName></xml>", "<xml>text</xml>",
                                  "<xml><MsgType><![CDATA[text]]></MsgType><Content>hi</Content></xml>",
                                  "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]><xml>&a;</xml>",
                                  peer.text_xml("hi", 1, OPEN_ID).replace("<MsgId>1<", "<MsgId>abc<"),
                                  peer.text_xml("hi", 1, "<a>nested</a>").replace("<![CDATA[<a>nested</a>]]>",
                                                                                  "<a>nested</a>"),
                                  peer.text_xml("hi", 1, OPEN_ID).replace("<![CDATA[hi]]>", "<b>hi</b>"),
                                  peer.text_xml("hi", 1, "o" * 129)],
                         ids=["empty", "text", "unclosed", "wrong root", "no type", "no fields", "no sender",
                              "entities", "bad MsgId", "nested sender", "nested content", "long sender"])
def test_malformed_xml_gets_400(body):
    assistant = FakeAssistant()
    result = run(post(channel(), assistant, body))
    assert result.status == 400 and assistant.received == []


def test_malformed_xml_inside_safe_mode_gets_400_and_oversized_bodies_too():
    assistant = FakeAssistant()
    args, body = peer.encrypted_request("<xml><MsgType>text")
    assert run(post(channel(), assistant, body, args)).status == 400
    huge = peer.text_xml("长" * 40000, 9, OPEN_ID)
    assert run(post(channel(), assistant, huge)).status == 400
    assert assistant.received == []


# --- Answers ------------------------------------------------------------------------------------

def test_a_text_message_gets_a_passive_xml_reply_from_the_assistant():
    assistant = FakeAssistant()
    result = run(post(channel(), assistant, peer.text_xml("从业人员考试是开卷吗", 10, OPEN_ID)))
    reply = peer.read_reply(result.body)
    assert reply["Content"] == ANSWER and reply["MsgType"] == "text"
    assert (reply["ToUserName"], reply["FromUserName"]) == (OPEN_ID, peer.ACCOUNT)
    assert assistant.received == [(SENDER, "从业人员考试是开卷吗", "wechat")]  # the conversation is the OpenID's
    assert records() == [("msg:10", "answered", ANSWER)]


def test_safe_mode_reply_is_encrypted_and_signed():
    assistant = FakeAssistant()
    args, body = peer.encrypted_request(peer.text_xml("从业人员考试是开卷吗", 11, OPEN_ID), nonce="4242")
    result = run(post(channel(), assistant, body, args))
    assert result.status == 200 and "<Encrypt>" in result.body and ANSWER not in result.body
    envelope = peer.read_reply(result.body)
    assert envelope["Nonce"] == "4242" and envelope["TimeStamp"] == args["timestamp"]
    reply = peer.decrypt_reply(result.body)  # checks MsgSignature
    assert reply["Content"] == ANSWER and reply["ToUserName"] == OPEN_ID
    assert assistant.texts == ["从业人员考试是开卷吗"]


def test_the_peers_encrypted_message_is_answered_to_its_sender():
    assistant = FakeAssistant()
    args = peer.signed_args(timestamp=peer.PEER_TIMESTAMP, nonce=peer.PEER_NONCE, encrypt_type="aes",
                            msg_signature=peer.PEER_MSG_SIGNATURE, openid="messense")
    signed_then = ReplayGuard(clock=lambda: int(peer.PEER_TIMESTAMP) + 10)
    result = run(post(channel(replay=signed_then), assistant, peer.PEER_ENCRYPTED_BODY, args))
    reply = peer.decrypt_reply(result.body)
    assert (reply["Content"], reply["ToUserName"], reply["FromUserName"]) == (ANSWER, "messense", peer.APP_ID)
    assert assistant.received == [("wechat:messense", "test", "wechat")]
    assert records()[0][0] == "msg:4363689963896700987"


def test_reply_text_that_would_break_cdata_is_still_valid_xml():
    assistant = FakeAssistant(answer=lambda text: [{"text": "a]]>b <c> & d\x07"}])
    assert reply_content(run(post(channel(), assistant, peer.text_xml("x", 12, OPEN_ID)))) == "a]]>b <c> & d"


@pytest.mark.parametrize("kind", ["image", "voice", "video", "shortvideo", "location", "link", "miniprogrampage",
                                  "something_new"])
def test_other_message_types_get_the_polite_text_without_the_assistant(kind):
    assistant = FakeAssistant()
    result = run(post(channel(), assistant, peer.media_xml(kind, 13, OPEN_ID)))
    assert reply_content(result) == NOT_TEXT_REPLY == "目前只能识别文字消息，请用文字描述您的问题。"
    assert assistant.received == []


def test_subscribe_gets_the_welcome_menu_with_numbered_options():
    assistant = FakeAssistant(answer=lambda text: [{"text": "您好！我是咨询助手。", "buttons": GUESSES}])
    content = reply_content(run(post(channel(), assistant, peer.event_xml("subscribe", OPEN_ID))))
    assert assistant.received == [(SENDER, "/greet", "wechat")]
    assert content == "您好！我是咨询助手。\n1. 从业人员培训考试\n2. 京训钉\n\n回复 1、2 选择"


def test_subscribing_by_qr_code_is_welcomed_too():
    assistant = FakeAssistant(answer=lambda text: [{"text": "您好！"}])
    result = run(post(channel(), assistant, peer.event_xml("subscribe", OPEN_ID, key="qrscene_123")))
    assert reply_content(result) == "您好！" and assistant.texts == ["/greet"]


@pytest.mark.parametrize("event", ["unsubscribe", "CLICK", "VIEW", "LOCATION"])
def test_unsubscribe_and_other_events_get_success(event):
    assistant = FakeAssistant()
    result = run(post(channel(), assistant, peer.event_xml(event, OPEN_ID)))
    assert (result.status, result.body) == (200, "success") and assistant.received == []


def test_a_number_selects_the_option_of_the_last_bot_turn():
    def answer(text):
        if text == "多少分及格":
            return [{"text": "两份文件的说法不同，您问的是哪一个？", "buttons": GUESSES}]
        return [{"text": f"答案：{text}"}]

    ch, assistant = channel(), FakeAssistant(answer=answer)
    first = reply_content(run(post(ch, assistant, peer.text_xml("多少分及格", 20, OPEN_ID))))
    assert first.endswith("1. 从业人员培训考试\n2. 京训钉\n\n回复 1、2 选择")
    assert reply_content(run(post(ch, assistant, peer.text_xml("2", 21, OPEN_ID)))) == "答案：/choose_jxd"
    # The options were answered: a number now is just a number.
    assert reply_content(run(post(ch, assistant, peer.text_xml("1", 22, OPEN_ID)))) == "答案：1"
    assert assistant.texts == ["多少分及格", "/choose_jxd", "1"]


def test_a_number_out_of_range_or_from_another_person_is_sent_as_it_is():
    ch, assistant = channel(), FakeAssistant(answer=lambda text: [{"text": "请选择", "buttons": GUESSES}])
    run(post(ch, assistant, peer.text_xml("多少分及格", 23, OPEN_ID)))
    run(post(ch, assistant, peer.text_xml("3", 24, OPEN_ID)))
    run(post(ch, assistant, peer.text_xml("1", 25, "o-someone-else")))
    assert assistant.texts == ["多少分及格", "3", "1"]


def test_the_assistant_failing_gets_an_apology():
    async def broken(message):
        raise RuntimeError("boom")

    broken.agent = None
    result = run(channel().handle("POST", peer.signed_args(), peer.text_xml("你好", 26, OPEN_ID).encode(), broken))
    assert reply_content(result) == FAILURE_REPLY


def test_no_reply_from_the_assistant_gets_success():
    assistant = FakeAssistant(answer=lambda text: [])
    result = run(post(channel(), assistant, peer.text_xml("你好", 27, OPEN_ID)))
    assert (result.status, result.body) == (200, "success")


# --- Retries ------------------------------------------------------------------------------------

def test_a_retry_gets_the_same_reply_and_is_not_processed_twice():
    replies = iter(["第一次的回答", "第二次的回答"])
    ch, assistant = channel(), FakeAssistant(answer=lambda text: [{"text": next(replies)}])
    xml = peer.text_xml("从业人员考试是开卷吗", 30, OPEN_ID)
    first = reply_content(run(post(ch, assistant, xml)))
    retry = reply_content(run(post(ch, assistant, xml, peer.signed_args(nonce="2"))))
    another_replica = reply_content(run(post(channel(), assistant, xml, peer.signed_args(nonce="3"))))
    assert first == retry == another_replica == "第一次的回答"
    assert len(assistant.received) == 1


def test_a_retry_during_processing_waits_for_the_answer():
    async def scenario():
        ch, assistant = channel(), FakeAssistant(delay=0.5)
        xml = peer.text_xml("从业人员考试是开卷吗", 31, OPEN_ID)
        first = asyncio.create_task(post(ch, assistant, xml, settle=False))
        while not assistant.received:
            await asyncio.sleep(0.01)
        retry = await post(ch, assistant, xml, peer.signed_args(nonce="2"), settle=False)
        return await first, retry, assistant

    first, retry, assistant = run(scenario())
    assert reply_content(first) == reply_content(retry) == ANSWER
    assert len(assistant.received) == 1


def test_a_retry_that_cannot_wait_long_enough_gets_success(wechat_api):
    async def scenario():
        ch, assistant = channel(reply_budget=4.0), FakeAssistant(delay=1.0)
        xml = peer.text_xml("从业人员考试是开卷吗", 32, OPEN_ID)
        first = asyncio.create_task(post(ch, assistant, xml, settle=False))
        while not assistant.received:
            await asyncio.sleep(0.01)
        impatient = channel(reply_budget=0.3)  # another replica with less time left
        retry = await post(impatient, assistant, xml, peer.signed_args(nonce="2"), settle=False)
        result = await first
        await ch.wait_for_background_tasks()
        return result, retry, assistant

    first, retry, assistant = run(scenario())
    assert reply_content(first) == ANSWER
    assert (retry.status, retry.body) == (200, "success")
    assert len(assistant.received) == 1 and wechat_api.sent == []


def test_concurrent_deliveries_of_one_message_are_answered_once():
    async def scenario():
        ch, assistant = channel(), FakeAssistant(delay=0.3)
        xml = peer.text_xml("从业人员考试是开卷吗", 33, OPEN_ID)
        results = await asyncio.gather(*(post(ch, assistant, xml, peer.signed_args(nonce=str(n)), settle=False)
                                         for n in range(3)))
        return results, assistant

    results, assistant = run(scenario())
    assert [reply_content(result) for result in results] == [ANSWER] * 3
    assert len(assistant.received) == 1


def test_a_subscribe_event_delivered_twice_is_welcomed_once():
    ch, assistant = channel(), FakeAssistant(answer=lambda text: [{"text": "您好！"}])
    xml = peer.event_xml("subscribe", OPEN_ID, create_time=1700000123)
    assert reply_content(run(post(ch, assistant, xml))) == reply_content(run(post(ch, assistant, xml))) == "您好！"
    assert assistant.texts == ["/greet"]
    assert records() == [(f"event:{OPEN_ID}:1700000123:subscribe", "answered", "您好！")]


def test_only_the_redacted_reply_is_stored_never_the_question():
    assistant = FakeAssistant(answer=lambda text: [{"text": "已记录您的手机号 13812345678"}])
    question = "我的身份证号是110101199003077777，手机13812345678"
    content = reply_content(run(post(channel(), assistant, peer.text_xml(question, 34, OPEN_ID))))
    assert content == "已记录您的手机号 138****5678"
    stored = records()
    assert stored == [("msg:34", "answered", "已记录您的手机号 138****5678")]
    assert "110101199003077777" not in repr(stored) and "13812345678" not in repr(stored)


# --- Customer-service messages ------------------------------------------------------------------

def test_a_slow_answer_gets_success_then_goes_through_the_customer_service_api(wechat_api):
    async def scenario():
        ch, assistant = channel(reply_budget=0.1), FakeAssistant(delay=0.4)
        first = await post(ch, assistant, peer.text_xml("从业人员考试是开卷吗", 40, OPEN_ID))
        second = await post(ch, assistant, peer.text_xml("一个班最多多少人", 41, OPEN_ID))
        retry = await post(ch, assistant, peer.text_xml("从业人员考试是开卷吗", 40, OPEN_ID))
        return first, second, retry, assistant

    first, second, retry, assistant = run(scenario())
    assert [(r.status, r.body) for r in (first, second, retry)] == [(200, "success")] * 3
    assert wechat_api.sent == [
        {"access_token": "token-1", "touser": OPEN_ID, "msgtype": "text", "text": {"content": ANSWER}}] * 2
    assert wechat_api.token_requests == 1  # the access token is cached by the client
    assert len(assistant.received) == 2  # the retry was not processed again
    assert [state for _, state, _ in records()] == ["pushed", "pushed"]


def test_a_long_answer_goes_first_part_passively_and_the_rest_through_the_api(wechat_api):
    lines = [f"第{number}条：以训兴业培训补贴的申请条件和办理流程说明。" for number in range(150)]
    assistant = FakeAssistant(answer=lambda text: [{"text": "\n".join(lines)}])
    ch = channel()
    content = reply_content(run(post(ch, assistant, peer.text_xml("补贴怎么申请", 42, OPEN_ID))))
    assert len(content.encode("utf-8")) <= 2000 and content.startswith("第0条")
    assert all(len(text.encode("utf-8")) <= 2000 for text in wechat_api.texts) and wechat_api.texts
    assert "\n".join([content] + wechat_api.texts) == "\n".join(lines)
    # A retry gets the first part again; the rest is not sent twice.
    sent = len(wechat_api.sent)
    assert reply_content(run(post(ch, assistant, peer.text_xml("补贴怎么申请", 42, OPEN_ID)))) == content
    assert len(wechat_api.sent) == sent and len(assistant.received) == 1


def test_when_wechat_hangs_up_the_answer_is_pushed(wechat_api):
    async def scenario():
        ch, assistant = channel(), FakeAssistant(delay=0.4)
        xml = peer.text_xml("从业人员考试是开卷吗", 46, OPEN_ID)
        request = asyncio.create_task(post(ch, assistant, xml, settle=False))
        while not assistant.received:  # the message is with the assistant
            await asyncio.sleep(0.01)
        request.cancel()
        with pytest.raises(asyncio.CancelledError):
            await request
        await ch.wait_for_background_tasks()
        retry = await post(ch, assistant, xml)
        return retry, assistant

    retry, assistant = run(scenario())
    assert wechat_api.texts == [ANSWER] and retry.body == "success" and len(assistant.received) == 1
    assert records() == [("msg:46", "pushed", ANSWER)]


def test_customer_service_errors_are_logged_not_raised(monkeypatch, caplog):
    api = FakeWeChatApi(errcode=48001).install(monkeypatch)  # no permission for this API
    with caplog.at_level(logging.ERROR, logger="bot.channels.wechat_api"):
        result = run(post(channel(reply_budget=0.05), FakeAssistant(delay=0.2), peer.text_xml("你好", 43, OPEN_ID)))
    assert result.body == "success" and len(api.sent) == 1
    assert any("customer-service message failed" in record.getMessage() for record in caplog.records)


def test_without_app_secret_a_slow_answer_is_logged_and_dropped(wechat_api, caplog):
    with caplog.at_level(logging.WARNING, logger="bot.channels.wechat_api"):
        result = run(post(channel(reply_budget=0.05, app_secret=""), FakeAssistant(delay=0.2),
                          peer.text_xml("你好", 44, OPEN_ID)))
    assert result.body == "success" and wechat_api.sent == [] and wechat_api.token_requests == 0
    assert any("WECHAT_APP_SECRET" in record.getMessage() for record in caplog.records)


def test_the_client_is_created_once_and_lazily():
    service = channel().customer_service
    assert service._client is None
    assert service.client is service.client and service.client.appid == peer.APP_ID


class FakeRedis:
    def __init__(self, data=None, broken=False):
        self.data = {} if data is None else data
        self.broken = broken

    def _check(self):
        if self.broken:
            raise ConnectionError("redis down")

    def get(self, key):
        self._check()
        return self.data.get(key)

    def set(self, key, value, ex=None):
        self._check()
        self.data[key] = value

    def delete(self, key):
        self._check()
        self.data.pop(key, None)


def test_without_redis_the_access_token_stays_in_this_process(monkeypatch):
    from wechatpy.session.memorystorage import MemoryStorage

    monkeypatch.delenv("REDIS_URL", raising=False)
    assert isinstance(channel().customer_service.client.session, MemoryStorage)


def test_with_redis_every_replica_shares_one_access_token(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/2")
    assert isinstance(channel().customer_service.client.session, SharedTokenStorage)
    shared = {}
    first, second = SharedTokenStorage(FakeRedis(shared)), SharedTokenStorage(FakeRedis(shared))
    first.set("wx_access_token", "TOKEN-1", ttl=7200)
    assert second.get("wx_access_token") == "TOKEN-1" and second["wx_access_token"] == "TOKEN-1"
    second.delete("wx_access_token")
    assert first.get("wx_access_token") is None


def test_the_access_token_is_kept_in_memory_while_redis_is_down():
    storage = SharedTokenStorage(FakeRedis(broken=True))
    storage.set("wx_access_token", "TOKEN-2", ttl=7200)
    assert storage.get("wx_access_token") == "TOKEN-2"


def test_a_database_failure_does_not_stop_the_answer(monkeypatch):
    def broken(*args):
        raise RuntimeError("database down")

    monkeypatch.setattr("bot.storage.database_session", broken)
    assistant = FakeAssistant()
    assert reply_content(run(post(channel(), assistant, peer.text_xml("你好", 45, OPEN_ID)))) == ANSWER


# --- Sanic --------------------------------------------------------------------------------------

def test_the_blueprint_serves_the_webhook_under_webhooks_wechat():
    from rasa.core.channels.channel import register

    app = Sanic("wechat_routes_test")
    register([channel()], app, route="/webhooks/")
    routes = {(route.path, method) for route in app.router.routes for method in route.methods}
    assert ("webhooks/wechat/webhook", "GET") in routes and ("webhooks/wechat/webhook", "POST") in routes
    assert ("webhooks/wechat", "GET") in routes or ("webhooks/wechat/", "GET") in routes
