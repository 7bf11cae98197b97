"""Rasa's tracker store on our database: no raw ID or mobile number in the stored events."""
import asyncio
import logging

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from bot import privacy
from bot.logs import RedactingLogFilter
from bot.runtime.tracker_store import RedactingSQLTrackerStore

ID_NUMBER = "11010519491231002X"
PHONE = "13912345678"
DOMAIN = Domain.from_dict({
    "intents": ["ask_my_exam_date"],
    "slots": {"exam_id_number": {"type": "text", "mappings": [{"type": "custom"}]}},
})


def conversation(sender: str) -> DialogueStateTracker:
    message = f"我的身份证号是{ID_NUMBER}，电话{PHONE}，我哪天考试"
    events = [
        ActionExecuted("action_listen"),
        UserUttered(message, intent={"name": "ask_my_exam_date", "confidence": 1.0},
                    entities=[{"entity": "phone", "value": PHONE, "start": 0, "end": 11}],
                    parse_data={"text": message, "intent": {"name": "ask_my_exam_date", "confidence": 1.0},
                                "entities": [{"entity": "phone", "value": PHONE}]},
                    input_channel="rest"),
        SlotSet("exam_id_number", ID_NUMBER),
        BotUttered(f"正在查询 {ID_NUMBER}"),
        ActionExecuted("action_listen"),
    ]
    return DialogueStateTracker.from_events(sender, events, slots=DOMAIN.slots)


def stored_rows(url: str):
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text("SELECT * FROM events"))]
    finally:
        engine.dispose()


def test_stored_events_hold_only_masked_numbers(database_url):
    store = RedactingSQLTrackerStore(domain=DOMAIN, host=database_url)
    asyncio.run(store.save(conversation("visitor-1")))

    rows = stored_rows(database_url)
    assert len(rows) == 5
    everything = " ".join(str(value) for row in rows for value in row)
    assert ID_NUMBER not in everything and ID_NUMBER.lower() not in everything
    assert PHONE not in everything
    assert privacy.mask_id_number(ID_NUMBER) in everything and privacy.mask_mobile(PHONE) in everything


def test_a_retrieved_conversation_shows_the_masked_text_and_slot(database_url):
    store = RedactingSQLTrackerStore(domain=DOMAIN, host=database_url)
    asyncio.run(store.save(conversation("visitor-2")))

    tracker = asyncio.run(store.retrieve("visitor-2"))
    assert tracker.latest_message.text.startswith("我的身份证号是1101**********002X")
    assert tracker.get_slot("exam_id_number") == "1101**********002X"


def test_a_later_turn_adds_only_its_own_events(database_url):
    store = RedactingSQLTrackerStore(domain=DOMAIN, host=database_url)
    tracker = conversation("visitor-3")
    asyncio.run(store.save(tracker))
    tracker.update(UserUttered("谢谢"))
    asyncio.run(store.save(tracker))
    assert len(stored_rows(database_url)) == 6


def test_without_a_url_the_store_uses_the_assistants_database(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'nested' / 'assistant.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    store = RedactingSQLTrackerStore(domain=DOMAIN)
    asyncio.run(store.save(conversation("visitor-4")))
    assert (tmp_path / "nested" / "assistant.db").exists()
    assert len(stored_rows(url)) == 5


def test_log_records_are_masked_before_any_handler_writes_them():
    record = logging.LogRecord("rasa", logging.INFO, __file__, 1, "user said %s", (f"身份证{ID_NUMBER}",), None)
    assert RedactingLogFilter().filter(record) is True
    assert record.getMessage() == "user said 身份证1101**********002X"
