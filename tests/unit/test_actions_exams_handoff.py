"""Exam look-up, results date, next certification, consultation hours and callbacks: events and response names."""
import asyncio
import datetime as dt

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.exams as exams
import actions.handoff as handoff
from bot import privacy
from bot.db.engine import dispose_engines
from bot.db.models import CallbackRequest
from bot.db.repositories import CallbackRepository, ExamSessionRepository, RegistrationRepository
from bot.storage import database_session

REGISTERED_ID = "11010519491231002X"
UNREGISTERED_ID = "110101199704021888"
BAD_CHECK_DIGIT = "110105194912310021"
BEIJING = dt.timezone(dt.timedelta(hours=8))
WEDNESDAY_MORNING = dt.datetime(2026, 11, 25, 9, 30, tzinfo=BEIJING)
WEDNESDAY_EVENING = dt.datetime(2026, 11, 25, 19, 0, tzinfo=BEIJING)


@pytest.fixture(autouse=True)
def database(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'assistant.db'}")
    monkeypatch.setenv("BOT_PII_KEY", "test-key-for-actions")
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path))
    privacy._master_key.cache_clear()
    with database_session() as session:
        exam = ExamSessionRepository(session).add(
            exam_kind="hrm_practitioner", title="北京市人力资源市场从业人员培训考试", exam_date=dt.date(2026, 12, 5),
            exam_time="14:00-15:30", place="线上", is_online=True)
        RegistrationRepository(session).add("张三", REGISTERED_ID, "13800138000", "zhang@example.com", exam)
    yield
    dispose_engines()
    privacy._master_key.cache_clear()


def run(action, text="", slots=None, intent="inform", active_loop=None, channel="rest"):
    events = [{"event": "user", "text": text, "input_channel": channel, "parse_data": {}}]
    tracker = Tracker("user-1", {"requested_slot": None, **(slots or {})},
                      {"text": text, "intent": {"name": intent}}, events, False, None,
                      {"name": active_loop} if active_loop else {}, "action_listen")
    dispatcher = CollectingDispatcher()
    result = asyncio.run(action.run(dispatcher, tracker, {}))
    return result, dispatcher.messages


def slots_set(events):
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def responses(messages):
    return [m.get("response") for m in messages]


# --- exam look-up ---------------------------------------------------------------------------------

def test_an_id_number_in_the_first_message_completes_the_lookup_form():
    events, messages = run(exams.ValidateExamLookupForm(), f"我的身份证号是{REGISTERED_ID}，我哪天考试",
                           intent="ask_my_exam_date")
    assert slots_set(events) == {"exam_id_number": REGISTERED_ID, "requested_slot": None}
    assert messages == []


def test_a_wrong_check_digit_is_explained_and_asked_again():
    events, messages = run(exams.ValidateExamLookupForm(), BAD_CHECK_DIGIT,
                           slots={"requested_slot": "exam_id_number"})
    assert slots_set(events) == {"exam_id_number": None, "requested_slot": "exam_id_number"}
    assert responses(messages) == ["utter_input_problem"]
    assert "校验位" in messages[0]["problem"]


def test_a_short_number_is_explained_and_asked_again():
    events, messages = run(exams.ValidateExamLookupForm(), "11010519491231",
                           slots={"requested_slot": "exam_id_number"})
    assert slots_set(events)["requested_slot"] == "exam_id_number"
    assert "18位" in messages[0]["problem"]


def test_a_question_without_a_number_asks_for_it():
    events, messages = run(exams.ValidateExamLookupForm(), "我什么时候考试", intent="ask_my_exam_date")
    assert slots_set(events) == {"requested_slot": "exam_id_number"}
    assert messages == []


def test_stop_leaves_the_lookup_to_the_rules():
    events, _ = run(exams.ValidateExamLookupForm(), "算了", intent="stop",
                    slots={"requested_slot": "exam_id_number"})
    assert events == []


def test_a_registered_person_gets_their_exam_and_the_number_is_forgotten():
    events, messages = run(exams.ActionLookupExam(), slots={"exam_id_number": REGISTERED_ID.lower()})
    assert responses(messages) == ["utter_exam_found"]
    assert slots_set(events) == {"exam_id_number": None, "exam_date": "2026-12-05"}
    text = messages[0]["text"]
    assert "2026年12月5日" in text and "14:00-15:30" in text and "线上" in text
    assert REGISTERED_ID not in text and privacy.mask_id_number(REGISTERED_ID) in text
    assert "来源：" in text


def test_no_registration_is_said_kindly_with_how_to_register():
    events, messages = run(exams.ActionLookupExam(), slots={"exam_id_number": UNREGISTERED_ID})
    assert responses(messages) == ["utter_exam_not_found"]
    assert slots_set(events) == {"exam_id_number": None}
    assert "培训签到登记" in messages[0]["text"] and UNREGISTERED_ID not in messages[0]["text"]


def test_the_lookup_never_trusts_an_unchecked_number():
    events, messages = run(exams.ActionLookupExam(), slots={"exam_id_number": BAD_CHECK_DIGIT})
    assert responses(messages) == ["utter_ask_exam_id_number"]


def test_a_database_failure_gets_a_polite_busy_reply(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody:nothing@127.0.0.1:1/none")
    events, messages = run(exams.ActionLookupExam(), slots={"exam_id_number": REGISTERED_ID})
    assert responses(messages) == ["utter_service_unavailable"]
    assert slots_set(events) == {"exam_id_number": None}


# --- results date and next certification ---------------------------------------------------------

def test_the_results_form_reads_the_date_from_the_question(monkeypatch):
    monkeypatch.setattr(exams, "today", lambda: dt.date(2026, 11, 25))
    events, _ = run(exams.ValidateResultsDateForm(), "我12月5日考试，结果什么时候录入", intent="ask_results_date")
    assert slots_set(events) == {"exam_date": "2026-12-05", "requested_slot": None}


def test_the_results_form_uses_the_date_already_looked_up():
    events, _ = run(exams.ValidateResultsDateForm(), "结果什么时候录入", intent="ask_results_date",
                    slots={"exam_date": "2026-12-05"})
    assert slots_set(events) == {"requested_slot": None}


def test_the_results_form_asks_for_a_date_it_cannot_read():
    events, messages = run(exams.ValidateResultsDateForm(), "不记得了", slots={"requested_slot": "exam_date"})
    assert slots_set(events)["requested_slot"] == "exam_date"
    assert responses(messages) == ["utter_input_problem"]


def test_results_are_entered_five_working_days_after_the_exam_across_national_day():
    events, messages = run(exams.ActionResultsDate(), slots={"exam_date": "2026-09-30"})
    assert responses(messages) == ["utter_results_date"]
    # 10-01..10-07 are holidays; 10-08 (Thu), 10-09 (Fri), 10-10 (make-up Sat), 10-12, 10-13.
    assert "2026年10月13日" in messages[0]["text"]


def test_next_certification_comes_from_the_session_table_when_it_lists_one(monkeypatch):
    monkeypatch.setattr(exams, "today", lambda: dt.date(2026, 11, 25))
    with database_session() as session:
        ExamSessionRepository(session).add(
            exam_kind="ata_hrm", title="企业人力资源管理师等级认定", level="三级/高级", exam_date=dt.date(2027, 5, 15),
            exam_time="09:00-11:00", place="北京", is_online=False)
    _, messages = run(exams.ActionNextCertification())
    assert responses(messages) == ["utter_next_certification"]
    assert "2027年5月15日" in messages[0]["text"]


def test_next_certification_falls_back_to_the_months_in_the_notice(monkeypatch):
    monkeypatch.setattr(exams, "today", lambda: dt.date(2026, 11, 25))
    _, messages = run(exams.ActionNextCertification())
    assert "2027年5月" in messages[0]["text"] and "5月、10月" in messages[0]["text"]


# --- consultation hours and hand-over -------------------------------------------------------------

@pytest.mark.parametrize("action", [handoff.ActionConsultationStatus(), handoff.ActionHandOver()],
                         ids=["现在能打电话吗", "我要找人工"])
def test_during_the_hours_the_numbers_are_given_now(monkeypatch, action):
    monkeypatch.setattr(handoff, "beijing_now", lambda: WEDNESDAY_MORNING)
    _, messages = run(action)
    assert responses(messages)[0] == "utter_consultation_open"
    assert "010-64400680" in messages[0]["text"]
    assert "utter_offer_callback" not in responses(messages)


@pytest.mark.parametrize("action", [handoff.ActionConsultationStatus(), handoff.ActionHandOver()],
                         ids=["晚上问能不能打电话", "晚上要找人工"])
def test_outside_the_hours_the_next_opening_and_a_callback_are_offered(monkeypatch, action):
    monkeypatch.setattr(handoff, "beijing_now", lambda: WEDNESDAY_EVENING)
    _, messages = run(action)
    assert responses(messages) == ["utter_consultation_closed", "utter_offer_callback"]
    assert "明天（周四）9:00" in messages[0]["text"]
    assert {"title": "预约回电", "payload": "/request_callback"} in messages[1]["buttons"]


def run_after(action, earlier_slots, now, monkeypatch):
    """`action` in a conversation whose earlier turns set `earlier_slots` (in that order)."""
    monkeypatch.setattr(handoff, "beijing_now", lambda: now)
    events = [{"event": "slot", "name": name, "value": value} for name, value in earlier_slots]
    tracker = Tracker("user-1", dict(earlier_slots), {"text": "我要找人工", "intent": {"name": "request_human"}},
                      events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages


@pytest.mark.parametrize("earlier, expected, absent", [
    ([("topic_document", "001")], "65181122-5769", "010-64400680"),
    ([("topic_document", "002")], "省级考试组织机构", "010-64400680"),
    ([("topic_document", "003")], "平台服务人员", "010-64400680"),
    ([("last_calculation", "eligibility")], "65181122-5769", "010-64400680"),
    ([("topic_document", "001"), ("last_calculation", "subsidy")], "平台服务人员", "65181122"),
], ids=["问完ATA认定找人工给张老师电话", "问完人事考试网找人工给省级考试机构", "问完京训钉找人工给平台服务人员",
        "算完能报几级找人工给ATA电话", "先问ATA后算补贴找人工按最近的补贴"])
def test_hand_over_names_the_contact_of_the_document_at_hand(monkeypatch, earlier, expected, absent):
    messages = run_after(handoff.ActionHandOver(), earlier, WEDNESDAY_EVENING, monkeypatch)
    assert responses(messages) == ["utter_contact_document"]
    assert expected in messages[0]["contact"] and absent not in messages[0]["contact"]


def test_hand_over_after_a_practitioner_exam_question_uses_the_consultation_hours(monkeypatch):
    messages = run_after(handoff.ActionHandOver(), [("topic_document", "000")], WEDNESDAY_EVENING, monkeypatch)
    assert responses(messages) == ["utter_consultation_closed", "utter_offer_callback"]


# --- callback form ---------------------------------------------------------------------------------

def test_the_callback_phone_is_validated_as_a_mainland_mobile():
    events, messages = run(handoff.ValidateCallbackForm(), "1234567",
                           slots={"callback_name": "张女士", "requested_slot": "callback_phone"})
    assert slots_set(events) == {"callback_phone": None, "requested_slot": "callback_phone"}
    assert responses(messages) == ["utter_input_problem"]


def test_a_valid_phone_is_kept_encrypted_in_the_slot():
    events, messages = run(handoff.ValidateCallbackForm(), "13912345678",
                           slots={"callback_name": "张女士", "requested_slot": "callback_phone"})
    slots = slots_set(events)
    assert slots["callback_phone"].startswith(handoff.ENCRYPTED_PREFIX)
    assert "13912345678" not in slots["callback_phone"]
    assert slots["requested_slot"] == "callback_question"
    assert messages == []


def test_a_name_that_is_not_a_name_is_asked_again():
    events, messages = run(handoff.ValidateCallbackForm(), "？？", slots={"requested_slot": "callback_name"})
    assert slots_set(events)["requested_slot"] == "callback_name"
    assert responses(messages) == ["utter_input_problem"]


def test_the_question_is_stored_without_raw_numbers():
    events, _ = run(handoff.ValidateCallbackForm(), "身份证11010519491231002X查不到考试",
                    slots={"callback_name": "张女士", "callback_phone": "enc:x", "requested_slot": "callback_question"})
    slots = slots_set(events)
    assert REGISTERED_ID not in slots["callback_question"]
    assert slots["requested_slot"] is None


def test_a_submitted_callback_is_stored_and_the_call_time_said(monkeypatch):
    monkeypatch.setattr(handoff, "beijing_now", lambda: WEDNESDAY_EVENING)
    phone_slot = handoff.ENCRYPTED_PREFIX + privacy.encrypt("13912345678")
    events, messages = run(handoff.ActionSubmitCallback(), channel="socketio", slots={
        "callback_name": "张女士", "callback_phone": phone_slot, "callback_question": "补贴怎么申请"})
    assert responses(messages) == ["utter_callback_saved"]
    assert "139****5678" in messages[0]["text"] and "明天（周四）9:00" in messages[0]["text"]
    assert slots_set(events) == {"callback_name": None, "callback_phone": None, "callback_question": None}
    with database_session() as session:
        [request] = CallbackRepository(session).list()
        assert (request.name, request.channel, request.question) == ("张女士", "socketio", "补贴怎么申请")
        assert CallbackRepository.phone_number(request) == "13912345678"
        assert "13912345678" not in (request.phone_encrypted or "")


def test_a_lost_phone_number_is_not_stored_as_a_callback():
    _, messages = run(handoff.ActionSubmitCallback(), slots={
        "callback_name": "张女士", "callback_phone": "139****5678", "callback_question": "补贴怎么申请"})
    assert responses(messages) == ["utter_input_problem"]
    with database_session() as session:
        assert session.query(CallbackRequest).count() == 0


def test_asking_for_the_exam_date_states_the_rule_first():
    _, messages = run(exams.ActionAskExamDate())
    assert responses(messages) == ["utter_ask_exam_date"]
    assert "5个工作日" in messages[0]["text"] and "来源：" in messages[0]["text"]
