"""The Rasa internals the run-time plug-ins wrap or rely on, checked when a server starts.

`bot.runtime.guards` and `bot.context` wrap a few of Rasa's methods, and one attribute of Rasa's
fail-safe tracker store. None of them is public API, so a Rasa upgrade could rename or reshape one, and
the wrapper would then silently never run. `check()` looks at each before anything is patched and stops
the server with the name of every one that no longer matches.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from typing import List, Tuple


@dataclass(frozen=True)
class Internal:
    module: str
    owner: str
    name: str
    parameters: Tuple[str, ...]  # the leading parameters the wrapper is called with, in order
    why: str


INTERNALS: Tuple[Internal, ...] = (
    Internal(
        "rasa.core.agent",
        "Agent",
        "handle_message",
        ("self", "message"),
        "length and rate limits and the busy reply (guards.guard_handle_message)",
    ),
    Internal(
        "rasa.core.agent",
        "Agent",
        "_create_tracker_store",
        ("store", "domain"),
        "a database failure is reported, not answered from an empty tracker (guards.strict_tracker_store)",
    ),
    Internal(
        "rasa.core.actions.action",
        "RemoteAction",
        "run",
        ("self", "output_channel", "nlg", "tracker", "domain"),
        "a failed or slow custom action gets the busy reply (guards.guard_remote_action)",
    ),
    Internal(
        "rasa.core.processor",
        "MessageProcessor",
        "parse_message",
        ("self", "message", "tracker"),
        "follow-ups read with the previous question (context.contextual_parse)",
    ),
    Internal(
        "rasa.core.tracker_store",
        "FailSafeTrackerStore",
        "__init__",
        ("self", "tracker_store", "on_tracker_store_error"),
        "the fail-safe store keeps its error handler where strict_tracker_store replaces it",
    ),
)
# Attributes a wrapper sets or calls on Rasa's objects, checked in the source since they exist only at run time.
ATTRIBUTES: Tuple[Tuple[str, str, str], ...] = (
    ("rasa.core.tracker_store", "FailSafeTrackerStore", "self._on_tracker_store_error"),
)


def _unwrapped(function):
    while hasattr(function, "__wrapped__"):
        function = function.__wrapped__
    return function


def problems() -> List[str]:
    """Every internal that no longer looks as the wrappers expect; empty when all match."""
    found = []
    for internal in INTERNALS:
        where = f"{internal.module}.{internal.owner}.{internal.name}"
        try:
            owner = getattr(importlib.import_module(internal.module), internal.owner)
            function = _unwrapped(inspect.getattr_static(owner, internal.name))
        except (ImportError, AttributeError):
            found.append(f"{where} is gone ({internal.why})")
            continue
        function = getattr(function, "__func__", function)  # a staticmethod's function
        names = tuple(inspect.signature(function).parameters)[: len(internal.parameters)]
        if names != internal.parameters:
            found.append(f"{where} takes {names}, not {internal.parameters} ({internal.why})")
    for module, owner, attribute in ATTRIBUTES:
        source = inspect.getsource(getattr(importlib.import_module(module), owner))
        if attribute not in source:
            found.append(f"{module}.{owner} no longer sets {attribute}")
    return found


def check() -> None:
    """At a server's start, before anything is patched."""
    found = problems()
    if found:
        raise SystemExit("this Rasa version does not match the assistant's run-time plug-ins:\n" + "\n".join(found))
