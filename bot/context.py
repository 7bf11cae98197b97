"""Reads a message against its conversation before the policies see it (follow-ups, typed buttons).

NLU components see one message; Rasa's processor has the tracker. `install` (called by `bot.runtime.server`,
never on import) wraps `MessageProcessor.parse_message` so that a short follow-up such as "那二级呢"
is parsed as the whole question it stands for (see `bot.nlu.followup`). The parse data's "text" is
the question as understood, which the actions read; the event keeps what the person typed.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Mapping, Optional, Sequence

from bot import settings
from bot.nlu import followup

logger = logging.getLogger(__name__)


def understood(parse_data: Mapping[str, Any]) -> bool:
    from bot.faq.decision import settled
    from bot.knowledge import load_knowledge_base

    return settled(parse_data, load_knowledge_base(), **settings.faq_thresholds())


def options(parse_data: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
    from bot.faq.decision import disambiguation_options
    from bot.knowledge import load_knowledge_base

    return disambiguation_options(parse_data, load_knowledge_base())


def left_document(previous: str, text: str, parse_data: Mapping[str, Any]) -> bool:
    from bot.faq.decision import left_document as left
    from bot.knowledge import load_knowledge_base

    return left(previous, text, parse_data, load_knowledge_base())


def mentioned(words: str) -> bool:
    from bot.knowledge import load_knowledge_base

    return load_knowledge_base().mentions(words)


def _conversation(tracker) -> tuple[List[Dict[str, Any]], List[Mapping[str, Any]], bool, Optional[str]]:
    """The last two user messages' parse data (oldest first), the buttons offered since the last of
    them, whether the assistant then asked which of several things was meant, and the calculation it
    answered then, if any."""
    from rasa.shared.core.events import BotUttered, SlotSet, UserUttered

    users: List[Dict[str, Any]] = []
    buttons: List[Mapping[str, Any]] = []
    clarifying = False
    calculated: Optional[str] = None
    for event in reversed(tracker.events):  # the newest events only, not the whole conversation
        if isinstance(event, SlotSet) and event.key == "last_calculation" and not users and calculated is None:
            calculated = event.value
        if isinstance(event, UserUttered):
            users.insert(0, dict(event.parse_data or {}, text=(event.parse_data or {}).get("text") or event.text))
            if len(users) == followup.TOPIC_WINDOW:
                break
        elif isinstance(event, BotUttered) and not users:
            buttons = buttons or list((event.data or {}).get("buttons") or [])
            clarifying = clarifying or followup.asks_to_clarify(event.text or "")
    return users, buttons, clarifying, calculated


def contextual_parse(original):
    async def parse_message(self, message, tracker=None, only_output_properties: bool = True):
        parse_data = await original(self, message, tracker, only_output_properties)
        if tracker is None or getattr(tracker, "active_loop_name", None):
            return parse_data  # an API parse has no conversation; a form reads its own answers
        if not settings.understanding_enabled("context"):
            return parse_data
        try:
            from rasa.core.channels.channel import UserMessage

            users, buttons, clarifying, calculated = _conversation(tracker)

            async def parse(text: str) -> Dict[str, Any]:
                again = UserMessage(
                    text,
                    sender_id=message.sender_id,
                    input_channel=message.input_channel,
                    message_id=message.message_id,
                    metadata=message.metadata,
                )
                return await original(self, again, tracker, only_output_properties)

            text = str(parse_data.get("text") or message.text or "")
            previous = followup.previous_topic(users)
            continued = await followup.resolve_calculation(text, parse_data, calculated, previous, parse)
            if continued is not None:
                return continued
            fee = await followup.fee_told_in_two(text, parse_data, previous, parse)
            if fee is not None:
                return fee
            situation = followup.situation(text, parse_data, previous)
            if situation is not None:
                return situation
            return await followup.resolve(
                text, parse_data, previous, parse, understood, buttons, clarifying, options, left_document, mentioned
            )
        except Exception:  # context is a help, never a reason to lose the message
            logger.exception("follow-up not resolved")
            return parse_data

    parse_message.__wrapped__ = original
    return parse_message


def install() -> None:
    from rasa.core.processor import MessageProcessor

    from bot.faq.coverage import prepare
    from bot.knowledge import load_knowledge_base

    if not hasattr(MessageProcessor.parse_message, "__wrapped__"):
        MessageProcessor.parse_message = contextual_parse(MessageProcessor.parse_message)
    # Follow-ups are judged with the FAQ decision, so its coverage check is loaded before the first message.
    prepare(load_knowledge_base().vocabulary)
