"""Small helpers shared by the form validations."""
from typing import Text

from rasa_sdk import Tracker

# Intents that end a form: the rules then deactivate it and say so.
LEAVING_INTENTS = {"stop", "deny"}


def is_leaving(tracker: Tracker) -> bool:
    """True when the person wants out; the validation returns nothing so the form is rejected."""
    intent: Text = (tracker.latest_message.get("intent") or {}).get("name") or ""
    return intent in LEAVING_INTENTS
