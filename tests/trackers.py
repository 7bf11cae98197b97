"""Reading a conversation back through Rasa's HTTP API, for the end-to-end and security tests."""
from typing import List

import requests


def user_texts(servers, sender: str) -> List[str]:
    """What the person wrote in the conversation `sender`, in order (empty if there is none)."""
    response = requests.get(f"{servers.base_url}/conversations/{sender}/tracker",
                            params={"token": servers.api_token}, timeout=30)
    response.raise_for_status()
    return [event.get("text") for event in response.json()["events"] if event["event"] == "user"]
