"""The WeChat delivery state machine, against an in-memory store that can be taken down.

The SQL store (bot.channels.dedup) has its own tests in tests/db; here every path of "who sends the
answer" is checked: passively, to a retry, or pushed, and never twice.
"""
import asyncio
import time

import pytest

from bot.channels.wechat_delivery import (STORE_DOWN, Claim, Delivery, Event, Outcome, State, Turn,
                                          transition)

KEY, OPEN_ID, ANSWER = "msg:1", "o-person", "答案"


class FakeStore:
    """The records in memory, with the SQL store's semantics; `down` makes every call fail."""

    def __init__(self):
        self.records = {}
        self.down = False

    async def claim(self, key):
        if self.down:
            return Claim.STORE_DOWN
        if key in self.records:
            return Claim.SEEN
        self.records[key] = [State.PROCESSING, None]
        return Claim.MINE

    async def apply(self, key, event, reply=None):
        if self.down:
            return STORE_DOWN
        record = self.records.get(key)
        if record is None:  # never claimed (the store was down then)
            return Outcome()
        record[0] = transition(record[0], event)
        if reply is not None:
            record[1] = reply
        return Outcome(record[0])

    async def lookup(self, key):
        if self.down:
            return STORE_DOWN
        state, reply = self.records.get(key, [None, None])
        return Outcome(state, reply)

    async def purge(self, before):
        return STORE_DOWN if self.down else Outcome()


class Pushes(list):
    async def __call__(self, open_id, parts):
        self.append((open_id, list(parts)))


def run(coroutine):
    return asyncio.run(coroutine)


@pytest.mark.parametrize("state, event, store_down, after", [
    (State.PROCESSING, Event.REPLY_STORED, False, State.ANSWERED),
    (State.PROCESSING, Event.TIMED_OUT, False, State.PUSHED),
    (State.PROCESSING, Event.HUNG_UP, False, State.PUSHED),
    (State.ANSWERED, Event.TIMED_OUT, False, State.ANSWERED),
    (State.ANSWERED, Event.HUNG_UP, False, State.ANSWERED),
    (State.ANSWERED, Event.HUNG_UP, True, State.PUSHED),
    (State.ANSWERED, Event.TIMED_OUT, True, State.ANSWERED),
    (State.PUSHED, Event.REPLY_STORED, False, State.PUSHED),
    (State.PUSHED, Event.REPLY_STORED, True, State.PUSHED),
], ids=["回答先好了就等着被动回复", "等不及了就改为推送", "微信断开了也改为推送",
        "已回答的请求超时仍由它回复", "已回答而微信断开由重试取回", "已回答而微信断开且库不可用只能推送",
        "已回答且还能回复时库不可用也照样回复", "已改推送的回答好了仍推送", "库不可用时推送也不会变回被动"])
def test_the_state_after_each_event(state, event, store_down, after):
    assert transition(state, event, store_down) is after


def test_a_turn_is_due_for_a_push_once_when_handed_over_and_ready():
    turn = Turn(KEY, OPEN_ID)
    assert not turn.settle(Event.TIMED_OUT, Outcome(State.PUSHED))
    assert turn.settle(Event.REPLY_STORED, Outcome(State.PUSHED), ANSWER)
    assert not turn.settle(Event.HUNG_UP, Outcome(State.PUSHED))  # already due: not twice


def test_a_turn_handed_over_while_the_store_was_down_stays_handed_over():
    turn = Turn(KEY, OPEN_ID)
    turn.settle(Event.TIMED_OUT, STORE_DOWN)
    assert turn.settle(Event.REPLY_STORED, Outcome(State.ANSWERED), ANSWER) and turn.state is State.PUSHED


async def answered(delay=0.0, gate=None):
    if gate is not None:
        await gate.wait()
    await asyncio.sleep(delay)
    return ANSWER


def test_an_answer_within_the_budget_goes_back_passively_and_is_stored():
    store, pushes = FakeStore(), Pushes()

    async def scenario():
        delivery = Delivery(store, pushes, 1.0)
        reply = await delivery.reply(Turn(KEY, OPEN_ID), answered, time.monotonic() + 1.0)
        await delivery.wait_for_background_tasks()
        return reply

    assert run(scenario()) == ANSWER and pushes == [] and store.records[KEY] == [State.ANSWERED, ANSWER]


def test_a_slow_answer_is_pushed_once_and_a_retry_gets_success():
    store, pushes = FakeStore(), Pushes()

    async def scenario():
        delivery = Delivery(store, pushes, 0.05)
        first = await delivery.reply(Turn(KEY, OPEN_ID), lambda: answered(0.2), time.monotonic() + 0.05)
        retry = await delivery.reply(Turn(KEY, OPEN_ID), lambda: answered(), time.monotonic() + 0.05)
        await delivery.wait_for_background_tasks()
        return first, retry

    assert run(scenario()) == (None, None)
    assert pushes == [(OPEN_ID, [ANSWER])] and store.records[KEY][0] is State.PUSHED


def test_a_retry_waits_for_the_answer_being_made_and_gets_it():
    store, pushes = FakeStore(), Pushes()

    async def scenario():
        delivery = Delivery(store, pushes, 1.0)
        calls = []

        async def answer():
            calls.append(1)
            return await answered(0.3)

        first = asyncio.ensure_future(delivery.reply(Turn(KEY, OPEN_ID), answer, time.monotonic() + 1.0))
        await asyncio.sleep(0.05)
        retry = await delivery.reply(Turn(KEY, OPEN_ID), answer, time.monotonic() + 1.0)
        return await first, retry, calls

    first, retry, calls = run(scenario())
    assert first == retry == ANSWER and calls == [1] and pushes == []


@pytest.mark.parametrize("down_from, event, returned, pushed", [
    ("start", Event.TIMED_OUT, ANSWER, False),
    ("start", Event.HUNG_UP, None, True),
    ("never", Event.HUNG_UP, None, False),
    ("after answer", Event.HUNG_UP, None, True),
    ("after answer", Event.TIMED_OUT, ANSWER, False),
], ids=["库一直不可用而请求还能回复：被动回复", "库一直不可用而微信断开：推送",
        "库正常而微信断开：留给重试取回", "回答存好后库不可用且微信断开：重试未必取得到，推送",
        "回答存好后库不可用而请求还能回复：被动回复"])
def test_stopping_to_wait_delivers_the_answer_once(down_from, event, returned, pushed):
    store, pushes = FakeStore(), Pushes()

    async def scenario():
        delivery = Delivery(store, pushes, 1.0)
        turn = Turn(KEY, OPEN_ID)
        store.down = down_from == "start"
        await store.claim(KEY)
        task = delivery.spawn(delivery._answer(turn, answered))
        await task
        store.down = down_from != "never"
        result = await delivery._stop_waiting(turn, task, event)
        await delivery.wait_for_background_tasks()
        return result

    assert run(scenario()) == returned
    assert pushes == ([(OPEN_ID, [ANSWER])] if pushed else [])


def test_the_answer_and_the_hand_over_racing_push_exactly_once():
    store, pushes = FakeStore(), Pushes()

    async def scenario():
        delivery = Delivery(store, pushes, 0.0)
        gate = asyncio.Event()
        turn = Turn(KEY, OPEN_ID)
        await store.claim(KEY)
        task = delivery.spawn(delivery._answer(turn, lambda: answered(gate=gate)))
        stopping = delivery.spawn(delivery._stop_waiting(turn, task, Event.TIMED_OUT))
        gate.set()
        await asyncio.gather(task, stopping)
        await delivery.wait_for_background_tasks()

    run(scenario())
    assert pushes == [(OPEN_ID, [ANSWER])]


def test_with_the_store_down_throughout_the_answer_still_goes_back():
    store, pushes = FakeStore(), Pushes()
    store.down = True

    async def scenario():
        delivery = Delivery(store, pushes, 1.0)
        return await delivery.reply(Turn(KEY, OPEN_ID), answered, time.monotonic() + 1.0)

    assert run(scenario()) == ANSWER and pushes == []


def test_a_store_back_after_a_failed_claim_does_not_make_the_answer_go_twice():
    store, pushes = FakeStore(), Pushes()

    async def scenario():
        delivery = Delivery(store, pushes, 1.0)
        store.down = True
        turn = Turn(KEY, OPEN_ID)
        claim = await store.claim(KEY)
        store.down = False  # back before the answer is stored: there is no record to store it in
        reply = await delivery._answer(turn, answered)
        await delivery.wait_for_background_tasks()
        return claim, reply, turn.state

    assert run(scenario()) == (Claim.STORE_DOWN, ANSWER, State.ANSWERED) and pushes == []


@pytest.mark.parametrize("answer_first", [True, False], ids=["回答先存好", "先改为推送"])
def test_the_answer_and_the_hand_over_in_either_order_push_at_most_once(answer_first):
    store, pushes = FakeStore(), Pushes()

    async def scenario():
        delivery = Delivery(store, pushes, 0.0)
        turn = Turn(KEY, OPEN_ID)
        await store.claim(KEY)
        gate = asyncio.Event()
        task = delivery.spawn(delivery._answer(turn, lambda: answered(gate=gate)))
        if answer_first:
            gate.set()
            await task
            result = await delivery._stop_waiting(turn, task, Event.HUNG_UP)
        else:
            result = await delivery._stop_waiting(turn, task, Event.HUNG_UP)
            gate.set()
            await task
        await delivery.wait_for_background_tasks()
        return result

    assert run(scenario()) is None
    # Stored first: WeChat's retry collects it from the store. Handed over first: pushed once.
    assert pushes == ([] if answer_first else [(OPEN_ID, [ANSWER])])


def test_a_long_answer_sends_its_first_part_passively_and_pushes_the_rest():
    store, pushes = FakeStore(), Pushes()
    long_answer = "\n".join(f"第{n}条：补贴申请说明。" for n in range(400))

    async def scenario():
        delivery = Delivery(store, pushes, 1.0)

        async def answer():
            return long_answer

        first = await delivery.reply(Turn(KEY, OPEN_ID), answer, time.monotonic() + 1.0)
        await delivery.wait_for_background_tasks()
        return first

    first = run(scenario())
    assert first.startswith("第0条") and len(pushes) == 1
    assert "\n".join([first, *pushes[0][1]]) == long_answer
