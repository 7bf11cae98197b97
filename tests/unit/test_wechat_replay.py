"""Replayed WeChat requests are refused: stale or future timestamps, and nonces used by another
message; the message modes accept exactly their kind of message."""
import asyncio
import time

import pytest

from bot.channels import wechat_replay
from bot.channels.wechat import MessageMode, WeChatInput
from bot.channels.wechat_replay import MemoryNonceStore, RedisNonceStore, ReplayGuard
from bot.settings import SettingsError

from tests import wechat_peer as peer
from tests.unit.test_wechat_channel import OPEN_ID, FakeAssistant, database, reply_content  # noqa: F401

NOW = 1_800_000_000


def guard(window=300):
    return ReplayGuard(window, MemoryNonceStore(), clock=lambda: NOW)


@pytest.mark.parametrize("timestamp, fresh", [
    (str(NOW), True), (str(NOW - 300), True), (str(NOW - 301), False), (str(NOW + 300), True),
    (str(NOW + 301), False), (str(NOW - 30 * 86400), False), ("0", False), ("", False), ("abc", False),
], ids=["刚签的", "正好5分钟前", "5分钟零1秒前", "快5分钟", "快了5分钟零1秒", "30天前", "时间戳为0", "没有时间戳", "不是数字"])
def test_a_timestamp_must_be_within_the_window(timestamp, fresh):
    assert guard().fresh(timestamp) is fresh


def test_the_window_is_configurable_and_a_bad_value_is_refused(monkeypatch):
    monkeypatch.setenv("WECHAT_REPLAY_WINDOW", "60")
    assert wechat_replay.replay_window() == 60
    for bad in ("0", "-5", "五分钟", "1.5"):
        monkeypatch.setenv("WECHAT_REPLAY_WINDOW", bad)
        with pytest.raises(SettingsError, match="WECHAT_REPLAY_WINDOW"):
            wechat_replay.replay_window()
        # The same value in credentials.yml gives the default, with an error in the log.
        assert wechat_replay.replay_window(bad) == wechat_replay.DEFAULT_WINDOW_SECONDS
    assert not ReplayGuard(60, clock=lambda: NOW).fresh(str(NOW - 61))


def run(coroutine):
    return asyncio.run(coroutine)


def test_a_nonce_used_by_another_request_is_refused():
    check = guard()
    assert run(check.first_use("123", "body-1"))
    assert not run(check.first_use("123", "body-2"))
    assert run(check.first_use("124", "body-2"))


def test_the_identical_request_again_is_a_retry_only_for_a_short_while():
    clock = [NOW]
    check = ReplayGuard(300, MemoryNonceStore(clock=lambda: clock[0]), clock=lambda: clock[0])
    assert run(check.first_use("123", "msg:1"))
    clock[0] += wechat_replay.RETRY_GRACE_SECONDS
    assert run(check.first_use("123", "msg:1"))
    clock[0] += 1
    assert not run(check.first_use("123", "msg:1"))


def test_a_nonce_is_forgotten_after_twice_the_window():
    clock = [0.0]
    store = MemoryNonceStore(clock=lambda: clock[0])
    assert run(store.remember("n", "a", 600)) is None
    clock[0] = 599
    assert run(store.remember("n", "b", 600)) == "a"
    clock[0] = 601
    assert run(store.remember("n", "b", 600)) is None


@pytest.mark.parametrize("nonce", ["", "x" * 65])
def test_a_missing_or_absurd_nonce_is_refused(nonce):
    assert not run(guard().first_use(nonce, "msg:1"))


class FakeAsyncRedis:
    def __init__(self, broken=False):
        self.data, self.broken, self.expiries = {}, broken, {}

    async def set(self, key, value, nx=False, ex=None):
        if self.broken:
            raise ConnectionError("redis down")
        if nx and key in self.data:
            return None
        self.data[key], self.expiries[key] = value.encode(), ex
        return True

    async def get(self, key):
        if self.broken:
            raise ConnectionError("redis down")
        return self.data.get(key)


def test_with_redis_every_replica_sees_the_nonce(monkeypatch):
    shared = FakeAsyncRedis()
    monkeypatch.setattr("bot.runtime.redis_client.async_redis", lambda *args, **kwargs: shared)
    first = ReplayGuard(300, RedisNonceStore("redis://127.0.0.1:1/0"), clock=lambda: NOW)
    second = ReplayGuard(300, RedisNonceStore("redis://127.0.0.1:1/0"), clock=lambda: NOW)
    assert run(first.first_use("777", "msg:1"))
    assert not run(second.first_use("777", "msg:2"))
    assert shared.expiries == {"bot:wechat:nonce:777": 600}


def test_while_redis_is_down_nonces_are_checked_in_memory(monkeypatch):
    monkeypatch.setattr("bot.runtime.redis_client.async_redis", lambda *args, **kwargs: FakeAsyncRedis(broken=True))
    check = ReplayGuard(300, RedisNonceStore("redis://127.0.0.1:1/0"), clock=lambda: NOW)
    assert run(check.first_use("888", "msg:1"))
    assert not run(check.first_use("888", "msg:2"))


def test_the_nonce_store_is_redis_only_when_configured(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert isinstance(wechat_replay.nonce_store(), MemoryNonceStore)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    assert isinstance(wechat_replay.nonce_store(), RedisNonceStore)


# --- The channel ---------------------------------------------------------------------------------

def channel(mode="", aes_key=peer.AES_KEY):
    return WeChatInput(token=peer.TOKEN, app_id=peer.APP_ID, aes_key=aes_key, app_secret=peer.APP_SECRET,
                       message_mode=mode)


async def post(ch, assistant, body, args):
    result = await ch.handle("POST", args, body.encode("utf-8"), assistant, assistant.agent)
    await ch.wait_for_background_tasks()
    return result


@pytest.mark.parametrize("age", [31 * 86400, 301, -301])
def test_the_channel_refuses_a_request_signed_outside_the_window(age):
    assistant = FakeAssistant()
    stale = peer.signed_args(timestamp=str(int(time.time()) - age))
    assert run(post(channel("plaintext"), assistant, peer.text_xml("你好", 1, OPEN_ID), stale)).status == 403
    zero = peer.signed_args(timestamp="0")
    assert run(post(channel("plaintext"), assistant, peer.text_xml("你好", 2, OPEN_ID), zero)).status == 403
    get = run(channel().handle("GET", peer.signed_args(timestamp="0", echostr="x"), b"", assistant))
    assert get.status == 403 and assistant.received == []


def test_an_observed_signed_url_cannot_carry_another_message():
    ch, assistant = channel("plaintext"), FakeAssistant()
    signed = peer.signed_args()
    assert reply_content(run(post(ch, assistant, peer.text_xml("你好", 3, OPEN_ID), signed)))
    forged = peer.text_xml("我的考试时间", 4, "o-someone-else")
    assert run(post(ch, assistant, forged, signed)).status == 403
    assert assistant.texts == ["你好"]


def test_a_seen_request_cannot_fetch_the_answer_for_someone_else():
    ch, assistant = channel("plaintext"), FakeAssistant()
    signed = peer.signed_args()
    victim = peer.text_xml("我的考试时间", 5, OPEN_ID)
    answer = reply_content(run(post(ch, assistant, victim, signed)))
    same_message_other_sender = peer.text_xml("我的考试时间", 5, "o-attacker")
    assert run(post(ch, assistant, same_message_other_sender, signed)).status == 403
    assert reply_content(run(post(ch, assistant, victim, signed))) == answer  # WeChat's identical retry
    assert assistant.texts == ["我的考试时间"]


def test_a_server_verification_cannot_be_replayed():
    ch, assistant = channel(), FakeAssistant()
    signed = peer.signed_args(echostr="abc")
    assert run(ch.handle("GET", signed, b"", assistant)).status == 200
    assert run(ch.handle("GET", signed, b"", assistant)).status == 403


@pytest.mark.parametrize("raw, aes_key, mode", [
    ("", peer.AES_KEY, MessageMode.SAFE), ("", "", MessageMode.PLAINTEXT), ("Compatible", "", MessageMode.COMPATIBLE),
    ("plaintext", peer.AES_KEY, MessageMode.PLAINTEXT), ("安全", peer.AES_KEY, MessageMode.SAFE),
    ("secure", "", MessageMode.PLAINTEXT),
], ids=["有密钥默认安全模式", "无密钥默认明文模式", "兼容模式", "有密钥也可选明文模式", "写错的值用默认值（有密钥）",
        "写错的值用默认值（无密钥）"])
def test_the_message_mode_setting(raw, aes_key, mode):
    assert MessageMode.named(raw, aes_key) is mode


def test_the_mode_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("WECHAT_MESSAGE_MODE", "compatible")
    ch = WeChatInput.from_credentials({"token": peer.TOKEN, "aes_key": peer.AES_KEY, "app_id": peer.APP_ID})
    assert ch.mode is MessageMode.COMPATIBLE


@pytest.mark.parametrize("mode, plain, encrypted, both", [
    ("plaintext", 200, 403, 403), ("compatible", 200, 200, 200), ("safe", 403, 200, 200),
])
def test_each_mode_accepts_its_messages(mode, plain, encrypted, both):
    ch, assistant = channel(mode), FakeAssistant()
    plain_result = run(post(ch, assistant, peer.text_xml("你好", 10, OPEN_ID), peer.signed_args()))
    args, body = peer.encrypted_request(peer.text_xml("你好", 11, OPEN_ID))
    encrypted_result = run(post(ch, assistant, body, args))
    args, body = peer.encrypted_request(peer.text_xml("你好", 12, OPEN_ID), plaintext_too=True)
    both_result = run(post(ch, assistant, body, args))
    assert (plain_result.status, encrypted_result.status, both_result.status) == (plain, encrypted, both)
    for result in (encrypted_result, both_result):
        if result.status == 200:  # an encrypted message gets an encrypted reply
            assert peer.decrypt_reply(result.body)["Content"]
    assert len(assistant.received) == [plain, encrypted, both].count(200)
