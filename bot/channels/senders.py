"""Whose conversation a message belongs to: one namespace of sender ids per channel.

A WeChat conversation is `wechat:<OpenID>` and a chat-page conversation `web:<session id>`, so a
sender id chosen by a REST client can never address a person on another channel: the REST channel
refuses ids in a reserved namespace. Every channel refuses a missing sender, one longer than
`MAX_SENDER_LENGTH` (an OpenID has 28 characters, a chat-page session id 32) and one that holds
personal data, which would otherwise be stored and logged in the clear as the conversation's key.
"""

from __future__ import annotations

import re
from typing import Optional

from bot import privacy

MAX_SENDER_LENGTH = 128
WECHAT = "wechat:"
WEB = "web:"
RESERVED = (WECHAT, WEB)

# Lone UTF-16 surrogates: JSON can carry them ("\ud800"), but no database or log can store them.
_SURROGATES = re.compile("[\ud800-\udfff]")


def sender_problem(sender: object, reserved_allowed: bool = False) -> Optional[str]:
    """Why `sender` cannot name a conversation, in plain words for the client; None if it can."""
    if sender is None or (isinstance(sender, str) and not sender.strip()):
        return "sender is required: a string that names the conversation"
    if not isinstance(sender, str):
        return "sender must be a string"
    if len(sender) > MAX_SENDER_LENGTH:
        return f"sender must be at most {MAX_SENDER_LENGTH} characters"
    if _SURROGATES.search(sender) or any(ord(character) < 32 for character in sender):
        return "sender contains characters that are not allowed"
    if privacy.redact_text(sender) != sender:  # it would be stored and logged as it is
        return "sender must not contain an ID number, mobile number or e-mail address"
    if not reserved_allowed and sender.lower().startswith(RESERVED):
        return "sender must not start with " + " or ".join(f"'{prefix}'" for prefix in RESERVED)
    return None


def wechat_sender(open_id: str) -> str:
    return WECHAT + open_id


def web_sender(session_id: str) -> str:
    return WEB + session_id


def readable_text(text: str) -> str:
    """`text` with lone surrogates replaced, so it can be stored, logged and answered."""
    return _SURROGATES.sub("\ufffd", text)
