"""A scripted session through every channel and its error paths leaves no raw ID number, mobile
number or e-mail address in the database or in any log."""
import time
import uuid

import pytest
import requests

from bot import privacy
from tests import wechat_peer as peer

pytestmark = pytest.mark.security

ID_NUMBER = "110108199003071238"
MOBILE = "13900001111"
EMAIL = "zhang.san@example.com"
# Each raw form a person may type; none may be found anywhere afterwards.
RAW_FORMS = (ID_NUMBER, "110108 19900307 1238", "110108-19900307-1238", MOBILE, "139-0000-1111",
             "139 0000 1111", EMAIL)


def rest(servers, sender, *messages):
    for message in messages:
        requests.post(servers.rest_url, json={"sender": sender, "message": message}, timeout=60)


def wechat(servers, open_id, text):
    args, body = peer.encrypted_request(peer.text_xml(text, peer.new_msg_id(), open_id))
    requests.post(f"{servers.base_url}/webhooks/wechat/webhook", params=args, data=body.encode("utf-8"), timeout=30)


def chat_page(servers, text):
    import socketio

    client = socketio.Client()
    confirmed = []
    client.on("session_confirm", lambda session_id: confirmed.append(session_id))
    replies = []
    client.on("bot_uttered", lambda data: replies.append(data))
    client.connect(servers.base_url, transports=["polling"], socketio_path="/socket.io")
    try:
        client.emit("session_request", {"session_id": uuid.uuid4().hex})
        deadline = time.monotonic() + 30
        while not confirmed and time.monotonic() < deadline:
            time.sleep(0.1)
        client.emit("user_uttered", {"message": text, "session_id": confirmed[0]})
        while not replies and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        client.disconnect()
    return replies


def stored_text(servers):
    """The database files and every log, as text, with JSON escapes undone."""
    data = servers.logs["rasa"].parent / "data"
    texts = [path.read_bytes().decode("utf-8", "replace") for path in data.glob("assistant.db*")]
    texts += [path.read_text(encoding="utf-8", errors="replace") for path in servers.logs.values()]
    return [privacy.unescape_json(text) for text in texts]


def test_no_raw_personal_data_is_stored_or_logged(servers):
    sender = f"pii-{uuid.uuid4().hex[:8]}"
    rest(servers, sender, "我想查一下我的考试时间", "110108 19900307 1238")
    rest(servers, sender, "我想查考试时间", "110108-19900307-1238")
    rest(servers, sender, "我想找人工咨询", "/request_callback", "张三", "139-0000-1111",
         f"我的邮箱是{EMAIL}，身份证{ID_NUMBER}，想问补贴")
    rest(servers, f"{sender}-b", f"邮箱{EMAIL} 手机139 0000 1111 这个补贴怎么领", f"我的手机号{MOBILE}")
    rest(servers, f"{sender}-c", "长" * 600 + MOBILE)  # refused as too long, unprocessed
    # Error paths: bodies the channel refuses, and a message that cannot be encoded.
    requests.post(servers.rest_url, json={"sender": sender, "message": [f"我的手机号{MOBILE} 身份证号{ID_NUMBER}"]},
                  timeout=30)
    requests.post(servers.rest_url, json=[f"{EMAIL} {ID_NUMBER}"], timeout=30)
    requests.post(servers.rest_url, data=('{"sender": "%s", "message": "\\ud800%s %s"}' % (sender, MOBILE, EMAIL)
                                          ).encode(), headers={"Content-Type": "application/json"}, timeout=30)
    wechat(servers, f"o-pii-{uuid.uuid4().hex[:10]}", f"我的身份证号是110108 19900307 1238，手机{MOBILE}，邮箱{EMAIL}")
    assert chat_page(servers, f"我的手机139-0000-1111，邮箱{EMAIL}，身份证{ID_NUMBER}")
    time.sleep(1)  # the last writes reach the files

    found = [(raw, index) for index, text in enumerate(stored_text(servers)) for raw in RAW_FORMS if raw in text]
    assert found == []
    assert any("139****1111" in text for text in stored_text(servers))  # the masked forms are what is kept
