"""Rasa replies as WeChat text: no buttons there, so options are numbered and chosen by number.

- `render_turn` joins the messages of one turn into one text; the buttons of the turn are listed as
  "1. 标题", "2. 标题"… (numbered across the whole turn) and followed by "回复 1、2 选择".
- `select_option` maps a reply that is just such a number to the button's payload.
- `turn_options` reads the buttons of the latest bot turn from a conversation's events, so every
  replica finds the options in the tracker store rather than in its own memory. It numbers the
  buttons exactly as `render_turn` did.
- `split_message` cuts a long text on line boundaries into parts of at most `MAX_PART_BYTES` bytes
  of UTF-8 (WeChat's limit for a text reply or a customer-service text message is 2048).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Dict, Iterable, List, Optional

MAX_PART_BYTES = 2000
OPTION_KEYS = ("buttons", "quick_replies")

_NUMBER = re.compile(r"\d{1,3}")
_TRAILING_PUNCTUATION = "。.、，,！!"


def _options_of(message: Dict[str, Any]) -> List[Dict[str, Any]]:
    options: List[Dict[str, Any]] = []
    for key in OPTION_KEYS:
        options.extend(option for option in (message.get(key) or []) if isinstance(option, dict))
    return options


def option_label(option: Dict[str, Any]) -> str:
    return str(option.get("title") or option.get("payload") or "").strip()


def choose_prompt(count: int) -> str:
    return "回复 " + "、".join(str(number) for number in range(1, count + 1)) + " 选择"


def render_turn(messages: Iterable[Dict[str, Any]]) -> str:
    """The text of one turn: each message's text (and image or attachment link), options numbered."""
    blocks: List[str] = []
    count = 0
    for message in messages:
        lines: List[str] = []
        text = (message.get("text") or "").strip()
        if text:
            lines.append(text)
        if message.get("image"):
            lines.append(f"图片：{message['image']}")
        if message.get("attachment"):
            attachment = message["attachment"]
            link = attachment.get("payload", {}).get("src") if isinstance(attachment, dict) else attachment
            if link:
                lines.append(f"附件：{link}")
        for option in _options_of(message):
            count += 1
            lines.append(f"{count}. {option_label(option)}")
        if lines:
            blocks.append("\n".join(lines))
    if count:
        blocks.append(choose_prompt(count))
    return "\n\n".join(blocks)


def turn_options(events: Iterable[Any]) -> List[Dict[str, Any]]:
    """The buttons of the bot messages after the last user message, in the order they were shown.

    `events` are Rasa events (objects with `.data` for bot messages) or their dict form.
    """
    turns: List[List[Dict[str, Any]]] = []
    for event in reversed(list(events)):
        kind = event.get("event") if isinstance(event, dict) else getattr(event, "type_name", None)
        if kind == "user":
            break
        if kind == "bot":
            data = event.get("data") if isinstance(event, dict) else getattr(event, "data", None)
            turns.append(_options_of(data or {}))
    return [option for options in reversed(turns) for option in options]


def select_option(text: str, options: List[Dict[str, Any]]) -> Optional[str]:
    """The payload of option `text` if the text is just its number ("1", "１", "2。"), else None."""
    if not options or not text:
        return None
    number = unicodedata.normalize("NFKC", text).strip().rstrip(_TRAILING_PUNCTUATION).strip()
    if not _NUMBER.fullmatch(number):
        return None
    index = int(number)
    if not 1 <= index <= len(options):
        return None
    option = options[index - 1]
    return str(option.get("payload") or option.get("title") or "") or None


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _cut_long_line(line: str, limit: int) -> List[str]:
    """A single line longer than `limit` bytes, cut between characters."""
    pieces: List[str] = []
    current: List[str] = []
    size = 0
    for character in line:
        width = _utf8_len(character)
        if size + width > limit and current:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(character)
        size += width
    if current:
        pieces.append("".join(current))
    return pieces


def split_message(text: str, limit: int = MAX_PART_BYTES) -> List[str]:
    """`text` in parts of at most `limit` bytes of UTF-8, cut at line ends where possible.

    Blank lines at the edges of a part are dropped; an empty text gives no parts.
    """
    text = (text or "").strip()
    if not text:
        return []
    if _utf8_len(text) <= limit:
        return [text]
    parts: List[str] = []
    current: List[str] = []
    size = 0

    def flush() -> None:
        nonlocal current, size
        part = "\n".join(current).strip("\n")
        if part.strip():
            parts.append(part)
        current, size = [], 0

    for line in text.split("\n"):
        for piece in _cut_long_line(line, limit) if _utf8_len(line) > limit else [line]:
            extra = _utf8_len(piece) + (1 if current else 0)
            if current and size + extra > limit:
                flush()
                extra = _utf8_len(piece)
            current.append(piece)
            size += extra
    flush()
    return parts
