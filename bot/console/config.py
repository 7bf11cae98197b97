"""Console settings, from the environment (with safe defaults) and the command line."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Mapping, Optional

from bot.console.repository import DEFAULT_SESSION_HOURS

logger = logging.getLogger(__name__)

DEFAULT_PORT = 8081
DEFAULT_INTERFACE = "127.0.0.1"
DEFAULT_RASA_URL = "http://127.0.0.1:5005"
# A session lasts one working day at most; a week is the most anyone may configure.
MAX_SESSION_HOURS = 24 * 7
TRUE_WORDS = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class ConsoleConfig:
    interface: str = DEFAULT_INTERFACE
    port: int = DEFAULT_PORT
    rasa_url: str = DEFAULT_RASA_URL
    rasa_api_token: str = ""
    session_hours: float = DEFAULT_SESSION_HOURS
    # Set when the console is reached over https (directly or through a proxy): cookies get Secure and
    # the __Host- prefix, and responses carry Strict-Transport-Security.
    secure_cookies: bool = False
    database_url: Optional[str] = None  # None: bot.settings.database_url()
    rasa_timeout_seconds: float = 15.0

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "ConsoleConfig":
        env = os.environ if environ is None else environ
        return cls(
            interface=env.get("CONSOLE_INTERFACE", "").strip() or DEFAULT_INTERFACE,
            port=_port(env.get("CONSOLE_PORT"), DEFAULT_PORT),
            rasa_url=(env.get("RASA_URL", "").strip() or DEFAULT_RASA_URL).rstrip("/"),
            rasa_api_token=env.get("RASA_API_TOKEN", "").strip(),
            session_hours=_session_hours(env.get("CONSOLE_SESSION_HOURS")),
            secure_cookies=env.get("CONSOLE_SECURE_COOKIES", "").strip().lower() in TRUE_WORDS,
            database_url=env.get("DATABASE_URL", "").strip() or None,
        )


def _port(raw: Optional[str], default: int) -> int:
    if raw is None or not raw.strip():
        return default
    try:
        port = int(raw)
    except ValueError:
        raise ValueError(f"CONSOLE_PORT must be a port number, not {raw!r}") from None
    if not 0 < port < 65536:
        raise ValueError(f"CONSOLE_PORT must be between 1 and 65535, not {port}")
    return port


def _session_hours(raw: Optional[str]) -> float:
    if raw is None or not raw.strip():
        return DEFAULT_SESSION_HOURS
    try:
        hours = float(raw)
    except ValueError:
        hours = float("nan")
    if not 0 < hours <= MAX_SESSION_HOURS:
        logger.warning(
            "CONSOLE_SESSION_HOURS=%r is not a number of hours in (0, %s]; using %s",
            raw,
            MAX_SESSION_HOURS,
            DEFAULT_SESSION_HOURS,
        )
        return DEFAULT_SESSION_HOURS
    return hours
