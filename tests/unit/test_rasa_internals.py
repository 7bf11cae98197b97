"""The Rasa internals the guards and the context hook wrap still look as they expect."""
import pytest

from bot.runtime import rasa_internals
from bot.runtime.rasa_internals import Internal


def test_this_rasa_matches_every_wrapped_internal():
    assert rasa_internals.problems() == []


def test_a_renamed_internal_is_reported(monkeypatch):
    gone = Internal("rasa.core.agent", "Agent", "handle_message_v2", ("self", "message"), "limits")
    monkeypatch.setattr(rasa_internals, "INTERNALS", (gone,))
    assert rasa_internals.problems() == ["rasa.core.agent.Agent.handle_message_v2 is gone (limits)"]
    with pytest.raises(SystemExit, match="handle_message_v2"):
        rasa_internals.check()


def test_a_reshaped_internal_is_reported(monkeypatch):
    reshaped = Internal("rasa.core.actions.action", "RemoteAction", "run", ("self", "tracker"), "busy reply")
    monkeypatch.setattr(rasa_internals, "INTERNALS", (reshaped,))
    assert "RemoteAction.run takes" in rasa_internals.problems()[0]


def test_an_internal_already_wrapped_is_checked_as_rasa_wrote_it(monkeypatch):
    from rasa.core.agent import Agent

    from bot.runtime import guards

    monkeypatch.setattr(Agent, "handle_message", guards.guard_handle_message(Agent.handle_message))
    assert hasattr(Agent.handle_message, "__wrapped__")
    assert rasa_internals.problems() == []
