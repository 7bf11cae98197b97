"""Probes of the WeChat webhook in safe mode: replays and unencrypted messages are refused."""
import time
import uuid

import pytest
import requests

from tests import trackers
from tests import wechat_peer as peer

pytestmark = pytest.mark.security


def webhook(servers):
    return f"{servers.base_url}/webhooks/wechat/webhook"


def user_texts(servers, open_id):
    return trackers.user_texts(servers, f"wechat:{open_id}")


def send(servers, args, body):
    return requests.post(webhook(servers), params=args, data=body.encode("utf-8"), timeout=30)


def new_open_id():
    return f"o-probe-{uuid.uuid4().hex[:12]}"


@pytest.mark.parametrize("timestamp", [str(int(time.time()) - 30 * 86400), "0", str(int(time.time()) + 3600)],
                         ids=["30 days old", "zero", "an hour ahead"])
def test_a_signature_outside_the_window_is_refused(servers, timestamp):
    open_id = new_open_id()
    args, body = peer.encrypted_request(peer.text_xml("你好", peer.new_msg_id(), open_id), timestamp=timestamp)
    assert send(servers, args, body).status_code == 403
    assert requests.get(webhook(servers), params=peer.signed_args(timestamp=timestamp, echostr="x"),
                        timeout=30).status_code == 403
    assert user_texts(servers, open_id) == []


def test_a_nonce_cannot_carry_a_second_message(servers):
    first, second = new_open_id(), new_open_id()
    args, body = peer.encrypted_request(peer.text_xml("你好", peer.new_msg_id(), first))
    assert send(servers, args, body).status_code == 200
    # Validly signed and encrypted, but with the nonce the first message used.
    other_args, other = peer.encrypted_request(peer.text_xml("我的考试时间", peer.new_msg_id(), second),
                                               nonce=args["nonce"], timestamp=args["timestamp"])
    assert send(servers, other_args, other).status_code == 403
    verification = peer.signed_args(echostr="x")
    assert requests.get(webhook(servers), params=verification, timeout=30).status_code == 200
    assert requests.get(webhook(servers), params=verification, timeout=30).status_code == 403
    assert user_texts(servers, second) == []


def test_wechat_retrying_the_identical_request_gets_the_same_answer_once(servers):
    open_id = new_open_id()
    args, body = peer.encrypted_request(peer.text_xml("京训钉每天最多学几个小时", peer.new_msg_id(), open_id))
    first, retry = send(servers, args, body), send(servers, args, body)
    assert first.status_code == retry.status_code == 200
    assert peer.decrypt_reply(first.text)["Content"] == peer.decrypt_reply(retry.text)["Content"]
    assert user_texts(servers, open_id) == ["京训钉每天最多学几个小时"]


def test_safe_mode_refuses_unencrypted_messages(servers):
    open_id = new_open_id()
    response = send(servers, peer.signed_args(), peer.text_xml("你好", peer.new_msg_id(), open_id))
    assert response.status_code == 403 and user_texts(servers, open_id) == []


def test_a_wechat_conversation_is_its_own(servers):
    open_id = new_open_id()
    args, body = peer.encrypted_request(peer.text_xml("从业人员考试是开卷吗", peer.new_msg_id(), open_id))
    assert send(servers, args, body).status_code == 200
    requests.post(servers.rest_url, json={"sender": open_id, "message": "我的考试时间"}, timeout=60)
    assert requests.post(servers.rest_url, json={"sender": f"wechat:{open_id}", "message": "我的考试时间"},
                         timeout=60).status_code == 400
    assert user_texts(servers, open_id) == ["从业人员考试是开卷吗"]
