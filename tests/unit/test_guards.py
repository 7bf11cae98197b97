"""The guards around Rasa's message handling: length and rate limits, busy replies when something is down."""
import asyncio
from types import SimpleNamespace

import pytest
from rasa.core.actions.action import ActionExecutionRejection
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import LockError
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, FollowupAction, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException

from bot.runtime import guards
from bot.settings import SettingsError

RESPONSES = {
    "utter_system_busy": [{"text": "系统繁忙，请稍后再试。"}],
    "utter_message_too_long": [{"text": "您的消息太长了，最多 {max_chars} 个字。"}],
    "utter_slow_down": [{"text": "请稍等片刻再发。"}],
}
DOMAIN = Domain.from_dict({"responses": RESPONSES})


class FakeAgent:
    def __init__(self):
        self.domain = DOMAIN
        self.processor = SimpleNamespace(nlg=TemplatedNaturalLanguageGenerator(DOMAIN.responses))


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def run(coroutine):
    return asyncio.run(coroutine)


@pytest.mark.parametrize("raw, expected", [
    ("30/60", (30, 60.0)),
    ("5/1", (5, 1.0)),
    ("0", (0, 60.0)),
    ("", (30, 60.0)),
], ids=["每分钟30条", "每秒5条", "0表示不限", "没设用默认值"])
def test_rate_limit_setting(monkeypatch, raw, expected):
    monkeypatch.setenv("BOT_RATE_LIMIT", raw)
    assert guards.rate_limit() == expected


@pytest.mark.parametrize("raw", ["很多", "30/0", "-1/60"], ids=["写错了", "窗口为0秒", "负数条"])
def test_a_bad_rate_limit_is_refused(monkeypatch, raw):
    monkeypatch.setenv("BOT_RATE_LIMIT", raw)
    with pytest.raises(SettingsError, match="BOT_RATE_LIMIT"):
        guards.rate_limit()


@pytest.mark.parametrize("raw, expected", [("", 500), ("200", 200)], ids=["默认500字", "设为200字"])
def test_max_message_chars_setting(monkeypatch, raw, expected):
    monkeypatch.setenv("BOT_MAX_MESSAGE_CHARS", raw)
    assert guards.max_message_chars() == expected


@pytest.mark.parametrize("raw", ["-3", "abc", "0"], ids=["负数", "不是数字", "0"])
def test_a_bad_message_length_limit_is_refused(monkeypatch, raw):
    monkeypatch.setenv("BOT_MAX_MESSAGE_CHARS", raw)
    with pytest.raises(SettingsError, match="BOT_MAX_MESSAGE_CHARS"):
        guards.max_message_chars()


def test_the_limit_allows_exactly_its_number_of_messages_per_window_and_each_sender_has_their_own():
    clock = FakeClock()
    limiter = guards.LocalRateLimiter(3, 60, clock=clock)
    assert [run(limiter.allow("甲")) for _ in range(4)] == [True, True, True, False]
    assert run(limiter.allow("乙"))
    clock.now += 59.9
    assert not run(limiter.allow("甲"))  # still the same window
    clock.now += 0.1
    assert run(limiter.allow("甲"))  # a new window


def test_a_limit_of_zero_means_no_limit():
    limiter = guards.LocalRateLimiter(0, 60)
    assert all(run(limiter.allow("甲")) for _ in range(1000))


def handle(original, text="你好", limiter=None, sender="甲"):
    guarded = guards.guard_handle_message(original, limiter_factory=lambda: limiter or guards.LocalRateLimiter(0, 60))
    channel = CollectingOutputChannel()
    result = run(guarded(FakeAgent(), UserMessage(text, channel, sender)))
    return result, [m["text"] for m in channel.messages]


def test_a_message_of_the_maximum_length_is_processed_and_one_character_more_is_refused(monkeypatch):
    monkeypatch.setenv("BOT_MAX_MESSAGE_CHARS", "10")
    processed = []

    async def original(agent, message):
        processed.append(message.text)
        return []

    assert handle(original, "一" * 10) == ([], [])
    result, said = handle(original, "一" * 11)
    assert result is None and said == ["您的消息太长了，最多 10 个字。"]
    assert processed == ["一" * 10]


def test_a_sender_over_the_limit_is_asked_to_slow_down_and_the_message_is_not_processed():
    processed = []

    async def original(agent, message):
        processed.append(message.text)
        return []

    limiter = guards.LocalRateLimiter(1, 60)
    assert handle(original, "第一条", limiter) == ([], [])
    assert handle(original, "第二条", limiter) == (None, ["请稍等片刻再发。"])
    assert processed == ["第一条"]


@pytest.mark.parametrize("error", [LockError("lock store unavailable"), ConnectionRefusedError(), OSError()],
                         ids=["锁服务不可用", "连接被拒绝", "网络错误"])
def test_an_unreachable_store_gets_the_busy_reply_instead_of_silence(error):
    async def original(agent, message):
        raise error

    assert handle(original) == (None, ["系统繁忙，请稍后再试。"])


def test_a_database_outage_gets_the_busy_reply():
    import sqlalchemy.exc

    async def original(agent, message):
        raise sqlalchemy.exc.OperationalError("select 1", {}, Exception("server closed the connection"))

    assert handle(original) == (None, ["系统繁忙，请稍后再试。"])


def test_a_bug_is_not_hidden_as_busy():
    async def original(agent, message):
        raise KeyError("slot")

    with pytest.raises(KeyError):
        handle(original)


def tracker_after(*events):
    return DialogueStateTracker.from_events("甲", [UserUttered("你好"), *events])


def remote_run(original, tracker):
    guarded = guards.guard_remote_action(original)
    action = SimpleNamespace(name=lambda: "action_answer_faq")
    return run(guarded(action, CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(DOMAIN.responses),
                       tracker, DOMAIN))


def test_a_failing_action_says_busy_once_and_ends_the_turn():
    async def original(self, *args):
        raise RasaException("Failed to execute custom action 'action_answer_faq'. Couldn't connect")

    events = remote_run(original, tracker_after())
    assert [type(e) for e in events] == [BotUttered, FollowupAction]
    assert events[0].text == "系统繁忙，请稍后再试。" and events[1].action_name == "action_listen"
    # A second failing action in the same turn does not apologise again.
    again = remote_run(original, tracker_after(BotUttered("系统繁忙，请稍后再试。")))
    assert [type(e) for e in again] == [FollowupAction]


def test_a_failing_form_validation_keeps_the_form_on_its_question():
    from rasa.shared.core.events import ActiveLoop, SlotSet

    async def original(self, *args):
        raise RasaException("Failed to execute custom action 'validate_eligibility_form'")

    tracker = DialogueStateTracker.from_events("甲", [
        ActiveLoop("eligibility_form"), SlotSet("requested_slot", "elig_certificate"), UserUttered("没有证书")])
    guarded = guards.guard_remote_action(original)
    action = SimpleNamespace(name=lambda: "validate_eligibility_form")
    events = run(guarded(action, CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(DOMAIN.responses),
                         tracker, DOMAIN))
    assert [type(e) for e in events] == [BotUttered, SlotSet, FollowupAction]
    assert (events[1].key, events[1].value) == ("elig_certificate", None)


def test_a_hanging_action_server_times_out_into_the_busy_reply(monkeypatch):
    monkeypatch.setenv("BOT_ACTION_TIMEOUT", "0.05")

    async def original(self, *args):
        await asyncio.sleep(10)

    events = remote_run(original, tracker_after())
    assert events[0].text == "系统繁忙，请稍后再试。"


def test_a_working_action_is_untouched_and_a_form_rejection_passes_through():
    async def works(self, *args):
        return [BotUttered("答案")]

    assert [e.text for e in remote_run(works, tracker_after())] == ["答案"]

    async def rejects(self, *args):
        raise ActionExecutionRejection("validate_elig_form")

    with pytest.raises(ActionExecutionRejection):
        remote_run(rejects, tracker_after())


def test_a_failing_tracker_store_raises_instead_of_forgetting_the_conversation():
    from rasa.core.agent import Agent
    from rasa.core.tracker_store import InMemoryTrackerStore

    class BrokenStore(InMemoryTrackerStore):
        async def retrieve(self, sender_id):
            raise ConnectionRefusedError("database restarting")

        async def save(self, tracker):
            raise ConnectionRefusedError("database restarting")

    stock = Agent._create_tracker_store(BrokenStore(DOMAIN), DOMAIN)
    assert run(stock.retrieve("甲")) is None  # Rasa's own behaviour: an empty conversation

    strict = guards.strict_tracker_store(Agent.__dict__["_create_tracker_store"].__func__).__func__(
        BrokenStore(DOMAIN), DOMAIN)
    with pytest.raises(ConnectionRefusedError):
        run(strict.retrieve("甲"))
    with pytest.raises(ConnectionRefusedError):
        run(strict.save(DialogueStateTracker("甲", [])))


def test_install_wraps_once():
    from rasa.core.actions.action import RemoteAction
    from rasa.core.agent import Agent

    original_handle, original_run = Agent.handle_message, RemoteAction.run
    original_create = Agent.__dict__["_create_tracker_store"]
    try:
        guards.install()
        guards.install()
        assert Agent.handle_message.__wrapped__ is original_handle
        assert RemoteAction.run.__wrapped__ is original_run
        assert Agent._create_tracker_store.__wrapped__ is original_create.__func__
    finally:
        Agent.handle_message, RemoteAction.run = original_handle, original_run
        Agent._create_tracker_store = original_create
