"""The WeChat channel on the real servers: signed XML in, signed (or encrypted) XML out, in each
message mode (明文 plaintext, 兼容 compatible, 安全 safe).

The servers run with wechatpy's published test account (token 123456, its EncodingAESKey and app
id). In safe mode every message is sent encrypted, in compatible mode with the plaintext beside the
ciphertext, in plaintext mode in the clear; each mode's refusals have their own tests.
"""
import time
import uuid

import pytest
import requests

from bench.servers import running_servers
from bot.channels.wechat import NOT_TEXT_REPLY

from tests import trackers
from tests import wechat_peer as peer

pytestmark = pytest.mark.e2e

SORRY = "抱歉，我没有完全理解您的问题"
MODES = ("plaintext", "compatible", "safe")


@pytest.fixture(scope="module", params=MODES)
def wechat(request, tmp_path_factory):
    env = {**peer.WECHAT_ENV, "BOT_PII_KEY": "e2e-test-key", "WECHAT_MESSAGE_MODE": request.param}
    with running_servers(tmp_path_factory.mktemp(f"wechat-{request.param}"), extra_env=env) as running:
        running.mode = request.param
        yield running


def webhook(servers):
    return f"{servers.base_url}/webhooks/wechat/webhook"


def new_open_id():
    return f"o-e2e-{uuid.uuid4().hex[:12]}"


def post(servers, body, args=None):
    """Post a message as WeChat does in the servers' mode; the raw response."""
    if args is None and servers.mode != "plaintext":
        args, body = peer.encrypted_request(body, plaintext_too=servers.mode == "compatible")
    return requests.post(webhook(servers), params=args or peer.signed_args(), data=body.encode("utf-8"),
                         headers={"Content-Type": "text/xml"}, timeout=30)


def read(servers, response):
    """The passive reply's fields, decrypted when the mode encrypts."""
    return peer.read_reply(response.text) if servers.mode == "plaintext" else peer.decrypt_reply(response.text)


def ask(servers, open_id, text, msg_id=None):
    """Send a text message; returns the passive reply's fields."""
    response = post(servers, peer.text_xml(text, msg_id or peer.new_msg_id(), open_id))
    assert response.status_code == 200, response.text
    reply = read(servers, response)
    assert (reply["ToUserName"], reply["FromUserName"], reply["MsgType"]) == (open_id, peer.ACCOUNT, "text")
    return reply


def user_texts(servers, open_id):
    return trackers.user_texts(servers, f"wechat:{open_id}")


def test_a_plaintext_question_gets_a_cited_answer(wechat):
    reply = ask(wechat, new_open_id(), "从业人员考试是开卷吗")
    assert "开卷" in reply["Content"] and "来源：" in reply["Content"]
    assert SORRY not in reply["Content"]


def test_the_other_kind_of_message_is_refused_in_plaintext_and_safe_mode(wechat):
    open_id = new_open_id()
    plain = peer.text_xml("一个班最多多少人", peer.new_msg_id(), open_id)
    args, encrypted = peer.encrypted_request(peer.text_xml("一个班最多多少人", peer.new_msg_id(), open_id))
    statuses = (post(wechat, plain, peer.signed_args()).status_code, post(wechat, encrypted, args).status_code)
    assert statuses == {"plaintext": (200, 403), "compatible": (200, 200), "safe": (403, 200)}[wechat.mode]
    if wechat.mode != "compatible":
        assert user_texts(wechat, open_id) == ["一个班最多多少人"]


def test_an_encrypted_answer_is_never_in_the_clear(wechat):
    if wechat.mode == "plaintext":
        pytest.skip("plaintext mode answers in the clear")
    open_id = new_open_id()
    response = post(wechat, peer.text_xml("一个班最多多少人", peer.new_msg_id(), open_id))
    assert response.status_code == 200
    # Only the envelope's four fields travel; the nonce and signature may hold any digits.
    assert set(peer.read_reply(response.text)) == {"Encrypt", "MsgSignature", "TimeStamp", "Nonce"}
    reply = read(wechat, response)
    assert reply["ToUserName"] == open_id and "999" in reply["Content"] and "来源：" in reply["Content"]
    assert "来源" not in response.text and open_id not in response.text


def test_the_peers_encrypted_message_signed_in_2014_is_refused_as_a_replay(wechat):
    args = peer.signed_args(timestamp=peer.PEER_TIMESTAMP, nonce=peer.PEER_NONCE, encrypt_type="aes",
                            msg_signature=peer.PEER_MSG_SIGNATURE, openid="messense")
    assert post(wechat, peer.PEER_ENCRYPTED_BODY, args).status_code == 403
    assert user_texts(wechat, "messense") == []


@pytest.mark.parametrize("age", [30 * 86400, 400])
def test_a_signature_outside_the_replay_window_is_refused(wechat, age):
    open_id = new_open_id()
    stale = str(int(time.time()) - age)
    if wechat.mode == "plaintext":
        args, body = peer.signed_args(timestamp=stale), peer.text_xml("你好", peer.new_msg_id(), open_id)
    else:
        args, body = peer.encrypted_request(peer.text_xml("你好", peer.new_msg_id(), open_id), timestamp=stale)
    assert requests.post(webhook(wechat), params=args, data=body.encode(), timeout=30).status_code == 403
    assert requests.get(webhook(wechat), params=peer.signed_args(timestamp="0", echostr="x"),
                        timeout=30).status_code == 403
    assert user_texts(wechat, open_id) == []


def test_an_observed_signed_url_cannot_carry_another_persons_message(wechat):
    victim, attacker = new_open_id(), new_open_id()
    if wechat.mode == "plaintext":
        signed = peer.signed_args()
        first = requests.post(webhook(wechat), params=signed, timeout=30,
                              data=peer.text_xml("你好", peer.new_msg_id(), victim).encode())
        forged = peer.text_xml("我的考试时间", peer.new_msg_id(), attacker)
    else:
        signed, body = peer.encrypted_request(peer.text_xml("你好", peer.new_msg_id(), victim))
        first = requests.post(webhook(wechat), params=signed, data=body.encode(), timeout=30)
        forged = peer.text_xml("我的考试时间", peer.new_msg_id(), attacker)  # no ciphertext to match the signature
    assert first.status_code == 200
    refused = requests.post(webhook(wechat), params=signed, data=forged.encode(), timeout=30).status_code
    assert refused == 403 if wechat.mode == "plaintext" else refused in (400, 403)  # no ciphertext: malformed
    assert user_texts(wechat, attacker) == []


def test_a_rest_client_cannot_reach_a_wechat_conversation(wechat):
    open_id = new_open_id()
    ask(wechat, open_id, "从业人员考试是开卷吗")
    rest = f"{wechat.base_url}/webhooks/rest/webhook"
    named = requests.post(rest, json={"sender": f"wechat:{open_id}", "message": "我的考试时间"}, timeout=30)
    bare = requests.post(rest, json={"sender": open_id, "message": "我的考试时间"}, timeout=30)
    assert (named.status_code, bare.status_code) == (400, 200)  # the bare id is a REST conversation of its own
    assert user_texts(wechat, open_id) == ["从业人员考试是开卷吗"]


def test_a_replayed_message_gets_the_same_answer_and_is_processed_once(wechat):
    open_id, msg_id = new_open_id(), peer.new_msg_id()
    first = ask(wechat, open_id, "京训钉每天最多学几个小时", msg_id)
    retry = ask(wechat, open_id, "京训钉每天最多学几个小时", msg_id)
    assert first["Content"] == retry["Content"] and "8小时" in first["Content"]
    assert user_texts(wechat, open_id) == ["京训钉每天最多学几个小时"]


def test_server_verification_echoes_echostr(wechat):
    response = requests.get(webhook(wechat), params=peer.signed_args(echostr="5927782489442352469"), timeout=30)
    assert (response.status_code, response.text) == (200, "5927782489442352469")


def test_a_bad_signature_gets_403(wechat):
    bad = peer.signed_args(token="654321", echostr="x")
    assert requests.get(webhook(wechat), params=bad, timeout=30).status_code == 403
    open_id = new_open_id()
    response = post(wechat, peer.text_xml("从业人员考试是开卷吗", peer.new_msg_id(), open_id), bad)
    assert response.status_code == 403
    assert user_texts(wechat, open_id) == []


@pytest.mark.parametrize("body", ["not xml at all", "<xml><MsgType>text", "<xml><ToUserName>a</ToUserName></xml>"])
def test_malformed_xml_gets_400_and_the_server_keeps_working(wechat, body):
    assert post(wechat, body).status_code == 400
    assert "开卷" in ask(wechat, new_open_id(), "从业人员考试是开卷吗")["Content"]


def test_an_image_gets_the_polite_text(wechat):
    open_id = new_open_id()
    response = post(wechat, peer.media_xml("image", peer.new_msg_id(), open_id))
    assert read(wechat, response)["Content"] == NOT_TEXT_REPLY
    assert user_texts(wechat, open_id) == []


def test_suggestions_are_numbered_and_a_number_chooses_one(wechat):
    open_id = new_open_id()
    suggestions = ask(wechat, open_id, "补贴")["Content"]
    assert suggestions.startswith(SORRY)
    assert "\n1. " in suggestions and "回复 1" in suggestions and suggestions.rstrip().endswith("选择")
    first_title = suggestions.split("\n1. ", 1)[1].split("\n", 1)[0]

    answer = ask(wechat, open_id, "1")["Content"]
    assert "来源：《" in answer and SORRY not in answer
    texts = user_texts(wechat, open_id)
    assert texts[0] == "补贴" and texts[1] != "1" and len(texts) == 2  # the button's payload went to Rasa
    assert first_title  # the option shown is the one chosen: its payload is the FAQ's question
    assert texts[1].rstrip("？?") in first_title or first_title in texts[1]


def test_a_document_choice_by_number(wechat):
    open_id = new_open_id()
    question = ask(wechat, open_id, "多少分及格")["Content"]
    numbered = dict(line.split(". ", 1) for line in question.splitlines() if line[:1].isdigit() and ". " in line)
    number = next(n for n, title in numbered.items() if title == "从业人员培训考试")
    answer = ask(wechat, open_id, number)["Content"]
    assert "60分" in answer and "流程第⑧步" in answer


def test_subscribing_gets_the_welcome_menu(wechat):
    open_id = new_open_id()
    response = post(wechat, peer.event_xml("subscribe", open_id))
    menu = read(wechat, response)["Content"]
    assert "以训兴业" in menu and "1. 从业人员培训考试什么时候考" in menu and menu.endswith("回复 1、2、3、4、5 选择")
    ask(wechat, open_id, "1")
    assert user_texts(wechat, open_id) == ["/greet", "什么时候考试？"]


def test_unsubscribing_gets_success(wechat):
    response = post(wechat, peer.event_xml("unsubscribe", new_open_id()))
    assert (response.status_code, response.text) == (200, "success")


def test_without_a_token_the_channel_refuses_and_says_so_once(servers):
    """The shared servers run with the WeChat variables empty: 403, one log line, REST still works."""
    base = servers["rest"].split("/webhooks/")[0]
    url = f"{base}/webhooks/wechat/webhook"
    args = peer.signed_args(token="", echostr="x")
    assert requests.get(url, params=args, timeout=30).status_code == 403
    for _ in range(2):
        response = requests.post(url, params=args, data=peer.text_xml("你好", peer.new_msg_id(), new_open_id()),
                                 timeout=30)
        assert response.status_code == 403
    log = servers["logs"]["rasa"].read_text(errors="replace")
    assert log.count("WeChat channel is not configured") == 1
    reply = requests.post(servers["rest"], json={"sender": new_open_id(), "message": "你好"}, timeout=30)
    assert reply.status_code == 200 and reply.json()
