"""The cluster (nginx, two Rasa replicas, two action servers, PostgreSQL, Redis) under faults.

Needs `TEST_CLUSTER_DATABASE_URL` (`make e2e` sets it from `scripts/cluster.sh --prepare`, which
installs Redis and nginx); restarting PostgreSQL needs root, as in CI.
"""
import asyncio
import os
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from bench.cluster_load import run_workload
from bot.cluster import Layout, LocalCluster
from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e

BUSY = "系统繁忙，请稍后再试"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    url = os.environ.get("TEST_CLUSTER_DATABASE_URL", "").strip()
    if not url:
        pytest.fail("TEST_CLUSTER_DATABASE_URL is not set: run `make e2e`, or "
                    "TEST_CLUSTER_DATABASE_URL=$(bash scripts/cluster.sh --prepare) pytest tests/cluster")
    layout = Layout(state_dir=PROJECT_ROOT / "var" / "test-cluster", public_port=5405, api_port=5404,
                    action_pool_port=5455, rasa_ports=(5505, 5506), action_ports=(5555, 5556), redis_port=6579,
                    chat_port=None, console_port=None)
    with LocalCluster(layout, url, extra_env={"BOT_PII_KEY": "cluster-test-key"}) as running:
        yield running


def replies(cluster, sender, text):
    response = requests.post(f"{cluster.public_url}/webhooks/rest/webhook",
                             json={"sender": sender, "message": text}, timeout=60)
    response.raise_for_status()
    return response.json()


def say(cluster, sender, text):
    return "\n".join(m.get("text", "") for m in replies(cluster, sender, text))


def buttons(messages):
    return [b["payload"] for m in messages for b in m.get("buttons", [])]


def tracker(cluster, sender):
    response = requests.get(f"{cluster.api_url}/conversations/{sender}/tracker",
                            params={"token": cluster.api_token}, timeout=30)
    response.raise_for_status()
    return response.json()


def user_texts(cluster, sender):
    return [e["text"] for e in tracker(cluster, sender)["events"] if e["event"] == "user"]


def new_sender(kind):
    return f"{kind}-{uuid.uuid4().hex[:8]}"


def start_eligibility(cluster):
    """A conversation with state: a form in progress and one slot filled."""
    sender = new_sender("state")
    assert "取得这个证书以后" in say(cluster, sender, "我有三级证书 能报二级吗")
    assert tracker(cluster, sender)["slots"]["elig_certificate"] == 3
    return sender


def finish_eligibility(cluster, sender):
    answer = "".join(m.get("text", "") for m in replies(cluster, sender, "拿证后干了5年"))
    assert "抱歉" not in answer
    assert answer.startswith("可申报的最高等级：二级/技师")


def test_load_is_spread_over_both_replicas_and_nothing_is_lost_duplicated_or_reordered(cluster):
    result = asyncio.run(run_workload("cluster", f"{cluster.public_url}/webhooks/rest/webhook", cluster.api_url,
                                      cluster.api_token, conversations=10, messages=8))
    assert result.clean, result.examples
    assert result.replied == 80
    assert set(result.served_by) == {"127.0.0.1:5505", "127.0.0.1:5506"}
    assert min(result.served_by.values()) >= 20


def test_action_servers_killed_gives_a_busy_reply_and_the_conversation_survives_their_restart(cluster):
    sender = start_eligibility(cluster)
    cluster.kill("actions-1")
    cluster.kill("actions-2")
    started = time.monotonic()
    answer = replies(cluster, sender, "5年")
    assert time.monotonic() - started < 5
    assert BUSY in answer[0]["text"]
    state = tracker(cluster, sender)  # the form is still under way, with what it knew
    assert state["active_loop"]["name"] == "eligibility_form" and state["slots"]["elig_certificate"] == 3
    cluster.start("actions-1")
    cluster.start("actions-2")
    finish_eligibility(cluster, sender)


def _postgres_ctl(action):
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout.split()
    version, name = clusters[0], clusters[1]
    subprocess.run(["pg_ctlcluster", version, name, action], check=True)


def test_the_servers_reconnect_after_postgresql_restarts(cluster):
    sender = start_eligibility(cluster)
    _postgres_ctl("restart")
    for _ in range(30):
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0:
            break
        time.sleep(1)
    # No server was restarted: the next message is answered, with the conversation's state intact.
    finish_eligibility(cluster, sender)
    assert tracker(cluster, sender)["slots"]["elig_certificate"] == 3


def test_redis_down_gives_a_clear_busy_reply_and_leaves_the_tracker_untouched(cluster):
    sender = start_eligibility(cluster)
    before = tracker(cluster, sender)["events"]
    cluster.kill("redis")
    try:
        started = time.monotonic()
        assert BUSY in say(cluster, sender, "5年")
        assert time.monotonic() - started < 5
        assert tracker(cluster, sender)["events"] == before
    finally:
        cluster.start("redis")
        time.sleep(0.5)
    finish_eligibility(cluster, sender)


def test_a_replica_killed_under_load_loses_no_conversation(cluster):
    url = f"{cluster.public_url}/webhooks/rest/webhook"
    with ThreadPoolExecutor(1) as pool:
        load = pool.submit(asyncio.run, run_workload("cluster, one replica killed", url, cluster.api_url,
                                                     cluster.api_token, conversations=15, messages=10, think=0.2))
        time.sleep(1.5)
        cluster.kill("rasa-1")
        result = load.result(timeout=300)
    # Whatever was answered is stored once, in order; only messages in flight on the killed replica failed.
    assert (result.lost, result.duplicated, result.reordered_conversations, result.interleaved) == (0, 0, 0, 0), \
        result.examples
    assert result.wrong_replies == 0
    assert result.errors <= 15, result.examples
    assert result.replied + result.errors == 150
    # Every conversation goes on, on the surviving replica, with everything it had.
    for sender in result.senders:
        stored = len(user_texts(cluster, sender))
        assert "开卷" in say(cluster, sender, "从业人员考试是开卷吗")
        assert len(user_texts(cluster, sender)) == stored + 1
    sender = start_eligibility(cluster)
    finish_eligibility(cluster, sender)
