"""The WeChat dedup record on SQLite and PostgreSQL: one claim per message, one delivery per answer."""
import datetime as dt
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.channels.dedup import WeChatMessageRepository
from bot.db import session_scope
from bot.db.models import WECHAT_ANSWERED, WECHAT_PROCESSING, WECHAT_PUSHED, WeChatMessage, utcnow


def test_a_message_is_claimed_once(migrated_url):
    with session_scope(migrated_url) as session:
        assert WeChatMessageRepository(session).claim("msg:1") is True
    with session_scope(migrated_url) as session:
        assert WeChatMessageRepository(session).claim("msg:1") is False
        assert WeChatMessageRepository(session).claim("msg:2") is True
    with session_scope(migrated_url) as session:
        record = WeChatMessageRepository(session).get("msg:1")
        assert (record.state, record.reply, record.answered_at) == (WECHAT_PROCESSING, None, None)
        assert record.created_at.tzinfo is not None
        assert WeChatMessageRepository(session).get("msg:3") is None


def test_a_lost_claim_leaves_the_transaction_usable(session):
    messages = WeChatMessageRepository(session)
    assert messages.claim("msg:10") is True
    assert messages.claim("msg:10") is False
    assert messages.claim("msg:11") is True
    session.commit()
    assert session.execute(text("SELECT count(*) FROM wechat_messages")).scalar_one() == 2


def test_the_repository_does_not_commit(migrated_url):
    with session_scope(migrated_url) as session:
        WeChatMessageRepository(session).claim("msg:20")
        session.rollback()
    with session_scope(migrated_url) as session:
        assert WeChatMessageRepository(session).get("msg:20") is None


def test_concurrent_claims_have_one_winner(migrated_url):
    results, barrier = [], threading.Barrier(4)

    def claim():
        barrier.wait()
        with session_scope(migrated_url) as session:
            results.append(WeChatMessageRepository(session).claim("msg:30"))

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [False, False, False, True]


def test_finish_stores_the_redacted_reply_and_marks_it_answered(session):
    messages = WeChatMessageRepository(session)
    messages.claim("msg:40")
    assert messages.finish("msg:40", "您的手机号 13812345678 已登记") == WECHAT_ANSWERED
    record = messages.get("msg:40")
    assert (record.state, record.reply) == (WECHAT_ANSWERED, "您的手机号 138****5678 已登记")
    assert record.answered_at is not None
    assert messages.hand_over("msg:40") is False  # too late: the reply goes back passively


def test_hand_over_first_means_the_answer_is_pushed(session):
    messages = WeChatMessageRepository(session)
    messages.claim("msg:50")
    assert messages.hand_over("msg:50") is True
    assert messages.hand_over("msg:50") is False
    assert messages.finish("msg:50", "答案") == WECHAT_PUSHED
    record = messages.get("msg:50")
    assert (record.state, record.reply) == (WECHAT_PUSHED, "答案")


def test_purge_forgets_old_messages_only(session):
    messages = WeChatMessageRepository(session)
    messages.claim("msg:60")
    messages.claim("msg:61")
    session.flush()
    old = messages.get("msg:60")
    old.created_at = utcnow() - dt.timedelta(days=3)
    session.flush()
    assert messages.purge_before(utcnow() - dt.timedelta(days=2)) == 1
    assert messages.get("msg:60") is None and messages.get("msg:61") is not None


def test_the_state_is_checked_by_the_database(session):
    session.add(WeChatMessage(message_key="msg:70", state="lost"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_the_delivery_store_follows_the_state_machine(migrated_url, monkeypatch):
    """The typed store over this repository: the states and outcomes the delivery module expects."""
    import asyncio

    from bot.channels.wechat_delivery import Claim, Event, Outcome, SqlDeliveryStore, State

    monkeypatch.setenv("DATABASE_URL", migrated_url)
    store = SqlDeliveryStore()

    async def scenario():
        claims = [await store.claim("msg:90"), await store.claim("msg:90")]
        answered = await store.apply("msg:90", Event.REPLY_STORED, "答案 13812345678")
        late_hand_over = await store.apply("msg:90", Event.TIMED_OUT)
        await store.claim("msg:91")
        handed_over = await store.apply("msg:91", Event.HUNG_UP)
        late_reply = await store.apply("msg:91", Event.REPLY_STORED, "晚到的答案")
        return (claims, answered, late_hand_over, handed_over, late_reply, await store.lookup("msg:90"),
                await store.lookup("msg:404"))

    claims, answered, late_hand_over, handed_over, late_reply, found, missing = asyncio.run(scenario())
    assert claims == [Claim.MINE, Claim.SEEN]
    assert answered == late_hand_over == Outcome(State.ANSWERED)  # the reply was stored first: it stays answered
    assert handed_over == late_reply == Outcome(State.PUSHED)
    assert found == Outcome(State.ANSWERED, "答案 138****5678") and missing == Outcome()


def test_the_delivery_store_reports_a_database_that_is_down(monkeypatch):
    import asyncio

    from bot.channels.wechat_delivery import STORE_DOWN, Claim, Event, SqlDeliveryStore

    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg2://nobody@127.0.0.1:1/none")
    store = SqlDeliveryStore()

    async def scenario():
        return (await store.claim("msg:1"), await store.apply("msg:1", Event.REPLY_STORED, "x"),
                await store.lookup("msg:1"))

    assert asyncio.run(scenario()) == (Claim.STORE_DOWN, STORE_DOWN, STORE_DOWN)
