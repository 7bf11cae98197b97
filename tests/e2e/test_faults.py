"""Faults and guards on a Rasa server of their own: the action server killed mid-conversation,
an over-long message, a sender who writes too fast."""
import time
import uuid

import pytest
import requests

from bench.servers import running_servers
from tests.e2e.test_rest_channel import joined

pytestmark = pytest.mark.e2e

BUSY = "系统繁忙，请稍后再试"
RATE_LIMIT = 6  # messages per minute and sender on this server


@pytest.fixture(scope="module")
def own_servers(tmp_path_factory):
    with running_servers(tmp_path_factory.mktemp("faults"),
                         extra_env={"BOT_PII_KEY": "e2e-test-key", "BOT_RATE_LIMIT": f"{RATE_LIMIT}/60",
                                    "BOT_MAX_MESSAGE_CHARS": "200"}) as running:
        yield running


def say(servers, sender, text):
    response = requests.post(servers.rest_url, json={"sender": sender, "message": text}, timeout=60)
    response.raise_for_status()
    return response.json()


def slots(servers, sender):
    response = requests.get(f"{servers.base_url}/conversations/{sender}/tracker",
                            params={"token": servers.api_token}, timeout=30)
    response.raise_for_status()
    return response.json()["slots"]


def test_a_killed_action_server_gets_a_polite_busy_reply_and_the_conversation_survives(own_servers):
    sender = f"fault-{uuid.uuid4().hex[:8]}"
    assert "累计工作了几年" in joined(say(own_servers, sender, "我能报几级"))
    assert slots(own_servers, sender)["elig_work_years"] is None

    own_servers.processes["actions"].kill()
    own_servers.processes["actions"].wait()
    started = time.monotonic()
    replies = say(own_servers, sender, "我干了6年人事 没有证书")
    assert time.monotonic() - started < 5
    assert BUSY in joined(replies)
    assert joined(replies).count(BUSY) == 1
    assert slots(own_servers, sender)["elig_work_years"] is None

    own_servers.start("actions")
    replies = say(own_servers, sender, "我干了6年人事 没有证书")
    assert "抱歉" not in joined(replies)
    assert joined(replies).startswith("可申报的最高等级：四级/中级工")
    assert slots(own_servers, sender)["elig_work_years"] == 6


def test_an_over_long_message_is_refused_politely_and_not_processed(own_servers):
    sender = f"long-{uuid.uuid4().hex[:8]}"
    text = joined(say(own_servers, sender, "我想问一下考试的事情。" * 30))
    assert "太长" in text and "200" in text
    response = requests.get(f"{own_servers.base_url}/conversations/{sender}/tracker",
                            params={"token": own_servers.api_token}, timeout=30)
    assert not [e for e in response.json()["events"] if e["event"] == "user"]
    assert "开卷" in joined(say(own_servers, sender, "从业人员考试是开卷吗"))


def test_a_sender_writing_too_fast_is_asked_to_slow_down_and_others_are_not(own_servers):
    sender, other = f"fast-{uuid.uuid4().hex[:8]}", f"calm-{uuid.uuid4().hex[:8]}"
    for _ in range(RATE_LIMIT):
        assert "稍等" not in joined(say(own_servers, sender, "你好"))
    assert "稍等片刻" in joined(say(own_servers, sender, "你好"))
    assert "稍等" not in joined(say(own_servers, other, "你好"))


def test_the_api_refuses_requests_without_the_token(own_servers):
    sender = f"api-{uuid.uuid4().hex[:8]}"
    assert requests.get(f"{own_servers.base_url}/conversations/{sender}/tracker", timeout=10).status_code == 401
    assert requests.put(f"{own_servers.base_url}/model", json={"model_file": "/tmp/x.tar.gz"},
                        timeout=10).status_code == 401
