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
    """Each message through REST; the replies' texts."""
    replies = []
    for message in messages:
        response = requests.post(servers.rest_url, json={"sender": sender, "message": message}, timeout=60)
        assert response.status_code == 200, response.text
        replies += [reply.get("text") or "" for reply in response.json()]
    return replies


def wechat(servers, open_id, text):
    """A safe-mode text message; the passive reply's text."""
    args, body = peer.encrypted_request(peer.text_xml(text, peer.new_msg_id(), open_id))
    response = requests.post(f"{servers.base_url}/webhooks/wechat/webhook", params=args, data=body.encode("utf-8"),
                             timeout=30)
    assert response.status_code == 200, response.text
    return peer.decrypt_reply(response.text)["Content"]


def status_of(servers, status, **request):
    response = requests.post(timeout=30, **request)
    assert response.status_code == status, response.text


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
    lookup = rest(servers, sender, "我想查一下我的考试时间", "110108 19900307 1238")
    assert any("1101**********1238" in text for text in lookup)  # the look-up ran, and answered masked
    rest(servers, sender, "我想查考试时间", "110108-19900307-1238")
    callback = rest(servers, sender, "我想找人工咨询", "/request_callback", "张三", "139-0000-1111",
                    f"我的邮箱是{EMAIL}，身份证{ID_NUMBER}，想问补贴")
    assert any("139****1111" in text for text in callback)  # the callback request was stored
    rest(servers, f"{sender}-b", f"邮箱{EMAIL} 手机139 0000 1111 这个补贴怎么领", f"我的手机号{MOBILE}")
    rest(servers, f"{sender}-c", "长" * 600 + MOBILE)  # refused as too long, unprocessed
    # Error paths: bodies the channels refuse, a message that cannot be encoded, a sender that is a number.
    rest_json = {"url": servers.rest_url, "headers": {"Content-Type": "application/json"}}
    status_of(servers, 400, json={"sender": sender, "message": [f"我的手机号{MOBILE} 身份证号{ID_NUMBER}"]},
            url=servers.rest_url)
    status_of(servers, 400, json=[f"{EMAIL} {ID_NUMBER}"], url=servers.rest_url)
    status_of(servers, 400, json={"sender": MOBILE, "message": "你好"}, url=servers.rest_url)
    status_of(servers, 413, data=f'{{"sender": "{sender}", "message": "{MOBILE * 7000}"}}'.encode(), **rest_json)
    status_of(servers, 200, data=('{"sender": "%s", "message": "\\ud800%s %s"}' % (sender, MOBILE, EMAIL)).encode(),
            **rest_json)
    open_id = f"o-pii-{uuid.uuid4().hex[:10]}"
    assert wechat(servers, open_id, f"我的身份证号是110108 19900307 1238，手机{MOBILE}，邮箱{EMAIL}")
    args, body = peer.encrypted_request(f"<xml><FromUserName>{open_id}</FromUserName><Content>{MOBILE}")
    status_of(servers, 400, url=f"{servers.base_url}/webhooks/wechat/webhook", params=args, data=body.encode())
    assert chat_page(servers, f"我的手机139-0000-1111，邮箱{EMAIL}，身份证{ID_NUMBER}")
    time.sleep(1)  # the last writes reach the files

    found = [(raw, index) for index, text in enumerate(stored_text(servers)) for raw in RAW_FORMS if raw in text]
    assert found == []
    assert any("139****1111" in text for text in stored_text(servers))  # the masked forms are what is kept
