"""The action server is on loopback and closed without the secret Rasa sends it."""
import re
import subprocess

import pytest
import requests
import yaml

pytestmark = pytest.mark.security

FORGED = {"next_action": "action_lookup_exam", "sender_id": "x",
          "tracker": {"sender_id": "x", "slots": {"exam_id_number": "110108199003071238"},
                      "latest_message": {"text": "", "intent": {}, "entities": []}, "events": [], "paused": False,
                      "followup_action": None, "active_loop": {}, "latest_action_name": None},
          "domain": {}, "version": "3.6.21"}


def action_url(servers):
    endpoints = servers.logs["actions"].parent / "endpoints.yml"
    return yaml.safe_load(endpoints.read_text())["action_endpoint"]["url"]


def test_a_forged_action_call_without_the_secret_is_refused(servers):
    url = action_url(servers)
    assert requests.post(url, json=FORGED, timeout=10).status_code == 401
    assert requests.post(url, json=FORGED, params={"token": "guess"}, timeout=10).status_code == 401
    assert requests.get(url.replace("/webhook", "/actions"), timeout=10).status_code == 401


def test_the_action_server_listens_on_loopback_only(servers):
    port = re.search(r":(\d+)/", action_url(servers)).group(1)
    listening = subprocess.run(["ss", "-ltn"], capture_output=True, text=True).stdout
    bound = [line.split()[3] for line in listening.splitlines()[1:] if line.split()[3].endswith(f":{port}")]
    assert bound and all(address.startswith("127.0.0.1:") for address in bound), bound
