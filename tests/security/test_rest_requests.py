"""Probes of Rasa's REST channel: bad shapes and senders get 400, huge bodies 413, text that cannot
be stored still gets an answer, and only the chat page may call it from a browser."""
import uuid

import pytest
import requests

from tests import trackers

pytestmark = pytest.mark.security

HEADERS = {"Content-Type": "application/json"}


def post(servers, data, headers=HEADERS):
    return requests.post(servers.rest_url, data=data, headers=headers, timeout=60)


def tracker_exists(servers, sender):
    """The conversation has a message from its person."""
    return bool(trackers.user_texts(servers, sender))


@pytest.mark.parametrize("data", [
    '["我的手机号13900001111 身份证号110108199003071238"]', '"你好"', "42", "null", "not json", "",
    '{"message": "你好"}', '{"sender": "", "message": "你好"}', '{"sender": 12, "message": "你好"}',
    '{"sender": "probe", "message": 5}', '{"sender": "probe", "message": ["你好"]}', '{"sender": "probe"}',
    '{"sender": "probe", "message": "你好", "metadata": []}',
], ids=["array", "string", "number", "null", "not JSON", "empty", "no sender", "empty sender", "numeric sender",
        "numeric message", "array message", "no message", "array metadata"])
def test_a_body_that_cannot_be_answered_gets_400_with_a_reason(servers, data):
    response = post(servers, data.encode("utf-8"))
    assert response.status_code == 400 and response.json()["message"]


def test_no_client_shares_a_default_conversation(servers):
    assert post(servers, '{"message": "你好"}'.encode()).status_code == 400
    assert not tracker_exists(servers, "default")


def test_an_over_long_sender_is_refused_and_writes_nothing(servers):
    sender = "x" * 129
    assert post(servers, f'{{"sender": "{sender}", "message": "你好"}}'.encode()).status_code == 400
    assert not tracker_exists(servers, sender)
    assert post(servers, f'{{"sender": "{"x" * 128}", "message": "你好"}}'.encode()).status_code == 200
    assert tracker_exists(servers, "x" * 128)


@pytest.mark.parametrize("size", [1_000_000, 70 * 1024])
def test_a_body_over_64_kb_is_refused_by_the_rasa_server_itself(servers, size):
    response = post(servers, f'{{"sender": "{"y" * size}", "message": "你好"}}'.encode())
    assert response.status_code == 413


def test_a_body_just_under_64_kb_is_read_and_its_long_message_refused_politely(servers):
    sender = f"probe-{uuid.uuid4().hex[:8]}"
    response = post(servers, f'{{"sender": "{sender}", "message": "{"长" * 20_000}"}}'.encode())
    assert response.status_code == 200 and response.json()[0]["text"]
    assert not tracker_exists(servers, sender)  # refused before NLU, nothing written


@pytest.mark.parametrize("prefix", ["wechat:", "WECHAT:", "web:"])
def test_a_rest_sender_cannot_name_another_channels_conversation(servers, prefix):
    response = post(servers, f'{{"sender": "{prefix}o6_bmjrPTlm6_2sgVt7hMZOPfL2M", "message": "我的考试时间"}}'.encode())
    assert response.status_code == 400


def test_a_lone_surrogate_still_gets_a_polite_answer(servers):
    sender = f"probe-{uuid.uuid4().hex[:8]}"
    response = post(servers, ('{"sender": "%s", "message": "\\ud800考试多少分及格"}' % sender).encode())
    assert response.status_code == 200 and response.json() and all(m.get("text") for m in response.json())
    assert tracker_exists(servers, sender)


def test_a_client_cannot_pose_as_another_channel(servers):
    sender = f"probe-{uuid.uuid4().hex[:8]}"
    post(servers, ('{"sender": "%s", "message": "你好", "input_channel": "wechat"}' % sender).encode())
    events = requests.get(f"{servers.base_url}/conversations/{sender}/tracker",
                          params={"token": servers.api_token}, timeout=30).json()["events"]
    assert {event["input_channel"] for event in events if event["event"] == "user"} == {"rest"}


def test_only_the_chat_page_may_call_from_a_browser(servers):
    body = '{"sender": "cors-probe", "message": "你好"}'.encode()
    evil = post(servers, body, {**HEADERS, "Origin": "https://evil.example"})
    assert evil.headers.get("Access-Control-Allow-Origin") not in ("https://evil.example", "*")
    preflight = requests.options(servers.rest_url, timeout=30, headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert preflight.headers.get("Access-Control-Allow-Origin") not in ("https://evil.example", "*")
    page = post(servers, body, {**HEADERS, "Origin": "http://localhost:8080"})
    assert page.headers.get("Access-Control-Allow-Origin") == "http://localhost:8080"
