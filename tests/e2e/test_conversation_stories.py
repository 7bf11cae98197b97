"""The stories in tests/conversations, played through the REST channel with the conversation in view."""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
import requests
import yaml

pytestmark = pytest.mark.e2e

STORIES = Path(__file__).resolve().parents[1] / "conversations" / "followups.yml"


def expected_turns(story: Dict[str, Any]) -> List[Tuple[str, str, List[str]]]:
    """(message, intent, actions after it) for each user step of a story."""
    turns: List[Tuple[str, str, List[str]]] = []
    for step in story["steps"]:
        if "user" in step:
            turns.append((step["user"].strip(), step["intent"], []))
        elif "action" in step:
            turns[-1][2].append(step["action"])
    return turns


def understood_as(servers, sender: str) -> List[Tuple[str, List[str]]]:
    """The intent of each user message in the tracker and the actions that followed it."""
    response = requests.get(f"{servers['base_url']}/conversations/{sender}/tracker",
                            params={"token": servers["api_token"]}, timeout=30)
    response.raise_for_status()
    turns: List[Tuple[str, List[str]]] = []
    for event in response.json()["events"]:
        if event["event"] == "user":
            intent = event["parse_data"]["intent"]
            turns.append((intent.get("full_retrieval_intent_name") or intent["name"], []))
        elif event["event"] == "action" and turns and event["name"] != "action_listen":
            turns[-1][1].append(event["name"])
    return turns


@pytest.mark.parametrize("story", yaml.safe_load(STORIES.read_text(encoding="utf-8"))["stories"],
                         ids=lambda story: story["story"])
def test_story_holds_in_conversation(servers, story):
    sender = f"story-{uuid.uuid4().hex[:8]}"
    turns = expected_turns(story)
    for text, _, _ in turns:
        requests.post(servers["rest"], json={"sender": sender, "message": text}, timeout=60).raise_for_status()
    assert understood_as(servers, sender) == [(intent, actions) for _, intent, actions in turns]
