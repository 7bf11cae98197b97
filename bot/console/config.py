"""Console settings, from the environment (with safe defaults) and the command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from bot import settings

# A session lasts one working day at most; a week is the most anyone may configure.
MAX_SESSION_HOURS = 24 * 7


@dataclass(frozen=True)
class ConsoleConfig:
    interface: str = field(default_factory=lambda: _default("console_interface"))
    port: int = field(default_factory=lambda: _default("console_port"))
    rasa_url: str = field(default_factory=lambda: _default("rasa_url"))
    rasa_api_token: str = ""
    session_hours: float = field(default_factory=lambda: _default("console_session_hours"))
    # Set when the console is reached over https (directly or through a proxy): cookies get Secure and
    # the __Host- prefix, and responses carry Strict-Transport-Security.
    secure_cookies: bool = False
    database_url: Optional[str] = None  # None: bot.settings.database_url()
    rasa_timeout_seconds: float = 15.0

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "ConsoleConfig":
        """From the environment, read by bot.settings (a bad value is a SettingsError naming it)."""
        config = settings.current(environ)
        if config.console_session_hours > MAX_SESSION_HOURS:
            raise settings.SettingsError(f"CONSOLE_SESSION_HOURS must be at most {MAX_SESSION_HOURS} hours")
        return cls(
            interface=config.console_interface,
            port=config.console_port,
            rasa_url=config.rasa_url.rstrip("/"),
            rasa_api_token=config.rasa_api_token,
            session_hours=config.console_session_hours,
            secure_cookies=config.console_secure_cookies,
            database_url=config.database_url or None,
        )


def _default(name: str) -> Any:
    """A setting's default, as bot.settings has it (the environment is not read)."""
    return getattr(settings.current({}), name)
