"""Configuration from environment variables, with safe defaults: the one place they are read.

`current()` reads the environment on call, never at import, so that tests and servers can set it first.
Every variable is listed in `VARIABLES` with its default, and read one way: a value that cannot be read
is a `SettingsError` naming the variable. Each server calls `check()` when it starts, so a bad value
stops it at once with that message instead of surfacing in the middle of a conversation.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Callable, Dict, FrozenSet, List, Mapping, Optional, Tuple

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


class SettingsError(ValueError):
    """A variable whose value cannot be read; the message names it and says what it should be."""


def _text(raw: str) -> str:
    return raw


def _path(raw: str) -> Path:
    return Path(raw)


def _number(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError("must be a number") from None
    if not value >= 0:
        raise SettingsError("must be a number, 0 or more")
    return value


def _positive_number(raw: str) -> float:
    value = _number(raw)
    if value <= 0:
        raise SettingsError("must be a number above 0")
    return value


def _share(raw: str) -> float:
    value = _number(raw)
    if value > 1:
        raise SettingsError("must be between 0 and 1")
    return value


def _positive_int(raw: str) -> int:
    if not raw.isdigit() or int(raw) <= 0:
        raise SettingsError("must be a whole number above 0")
    return int(raw)


def _port(raw: str) -> int:
    port = _positive_int(raw)
    if port > 65535:
        raise SettingsError("must be a port number between 1 and 65535")
    return port


def _switch(raw: str) -> bool:
    word = raw.lower()
    if word not in TRUE_WORDS | FALSE_WORDS:
        raise SettingsError("must be on or off")
    return word in TRUE_WORDS


def _rate(raw: str) -> Tuple[int, float]:
    """ "30/60": 30 messages per sender in any 60 seconds; "0": no limit."""
    count, _, window = raw.partition("/")
    if not count.isdigit():
        raise SettingsError("must be messages/seconds such as 30/60, or 0 for no limit")
    return int(count), _positive_number(window) if window else 60.0


def _names(raw: str) -> FrozenSet[str]:
    return frozenset(part.strip() for part in raw.split(",") if part.strip())


def _database_url(raw: str) -> str:
    # Heroku-style URLs name the dialect "postgres", which SQLAlchemy 1.4 no longer accepts.
    return "postgresql://" + raw[len("postgres://") :] if raw.startswith("postgres://") else raw


@dataclass(frozen=True)
class Variable:
    name: str
    field: str
    read: Callable[[str], Any]
    default: Any


VARIABLES: Tuple[Variable, ...] = (
    Variable("BOT_KNOWLEDGE_DIR", "knowledge_dir", _path, PROJECT_ROOT / "knowledge"),
    Variable("BOT_NLU_DATA_DIR", "nlu_data_dir", _path, PROJECT_ROOT / "data" / "nlu"),
    Variable("BOT_FAQ_ANSWER_THRESHOLD", "faq_answer_threshold", _share, 0.2),
    Variable("BOT_FAQ_MIN_TOP_SHARE", "faq_min_top_share", _share, 0.65),
    Variable("BOT_FAQ_SUGGESTION_FLOOR", "faq_suggestion_floor", _share, 0.05),
    Variable("BOT_DISABLE", "disabled", _names, frozenset()),
    Variable("BOT_DATA_DIR", "data_dir", _path, PROJECT_ROOT / "var"),
    Variable("DATABASE_URL", "database_url", _database_url, ""),
    Variable("BOT_HOLIDAY_OVERRIDES", "holiday_overrides", _path, PROJECT_ROOT / "bot/policy/holiday_overrides.yml"),
    Variable("BOT_PII_KEY", "pii_key", _text, ""),
    Variable("BOT_MAX_MESSAGE_CHARS", "max_message_chars", _positive_int, 500),
    Variable("BOT_MAX_REQUEST_BYTES", "max_request_bytes", _positive_int, 64 * 1024),
    Variable("BOT_RATE_LIMIT", "rate_limit", _rate, (30, 60.0)),
    Variable("BOT_ACTION_TIMEOUT", "action_timeout", _positive_number, 15.0),
    Variable("REDIS_URL", "redis_url", _text, ""),
    Variable("RASA_API_TOKEN", "rasa_api_token", _text, ""),
    Variable("RASA_API_TOKEN_FILE", "rasa_api_token_file", _text, ""),
    Variable("ACTION_SERVER_TOKEN", "action_server_token", _text, ""),
    Variable("ACTION_SERVER_HOST", "action_server_host", _text, "127.0.0.1"),
    Variable("CHAT_PORT", "chat_port", _port, 8080),
    Variable("CHAT_INTERFACE", "chat_interface", _text, "127.0.0.1"),
    Variable("RASA_PUBLIC_URL", "rasa_public_url", _text, "http://127.0.0.1:5005"),
    Variable("CHAT_SESSION_PERSISTENCE", "chat_session_persistence", _text, "on"),
    Variable("CONSOLE_PORT", "console_port", _port, 8081),
    Variable("CONSOLE_INTERFACE", "console_interface", _text, "127.0.0.1"),
    Variable("RASA_URL", "rasa_url", _text, "http://127.0.0.1:5005"),
    Variable("CONSOLE_SESSION_HOURS", "console_session_hours", _positive_number, 8.0),
    Variable("CONSOLE_SECURE_COOKIES", "console_secure_cookies", _switch, False),
    Variable("WECHAT_TOKEN", "wechat_token", _text, ""),
    Variable("WECHAT_APP_ID", "wechat_app_id", _text, ""),
    Variable("WECHAT_AES_KEY", "wechat_aes_key", _text, ""),
    Variable("WECHAT_APP_SECRET", "wechat_app_secret", _text, ""),
    Variable("WECHAT_MESSAGE_MODE", "wechat_message_mode", _text, ""),
    Variable("WECHAT_REPLAY_WINDOW", "wechat_replay_window", _positive_int, 300),
)


@dataclass(frozen=True)
class Settings:
    knowledge_dir: Path
    nlu_data_dir: Path  # the hand-written training files the inbox adds to (out_of_scope.yml)
    faq_answer_threshold: float
    faq_min_top_share: float
    faq_suggestion_floor: float
    disabled: FrozenSet[str]  # parts of understanding switched off for the ablation (BOT_DISABLE=context,lexicon)
    data_dir: Path  # where the SQLite database and generated keys live; ignored by git
    database_url: str  # "" means a SQLite file in data_dir (see `database_url()`)
    holiday_overrides: Path
    pii_key: str
    max_message_chars: int
    max_request_bytes: int
    rate_limit: Tuple[int, float]  # (messages, window in seconds); 0 messages: no limit
    action_timeout: float
    redis_url: str  # one Redis for the lock store, the rate limits and WeChat (each its own database)
    rasa_api_token: str
    rasa_api_token_file: str
    action_server_token: str
    action_server_host: str
    chat_port: int
    chat_interface: str
    rasa_public_url: str
    chat_session_persistence: str
    console_port: int
    console_interface: str
    rasa_url: str
    console_session_hours: float
    console_secure_cookies: bool
    wechat_token: str
    wechat_app_id: str
    wechat_aes_key: str
    wechat_app_secret: str
    wechat_message_mode: str
    wechat_replay_window: int

    @classmethod
    def from_environ(cls, environ: Optional[Mapping[str, str]] = None) -> "Settings":
        """Raises SettingsError listing every variable whose value cannot be read."""
        env = os.environ if environ is None else environ
        values: Dict[str, Any] = {}
        problems: List[str] = []
        for variable in VARIABLES:
            raw = (env.get(variable.name) or "").strip()
            try:
                values[variable.field] = variable.read(raw) if raw else variable.default
            except SettingsError as problem:
                problems.append(f"{variable.name}={raw!r} {problem}")
        if problems:
            raise SettingsError("; ".join(problems))
        return cls(**values)

    def enabled(self, part: str) -> bool:
        return part not in self.disabled


assert {v.field for v in VARIABLES} == {f.name for f in fields(Settings)}, "every setting has one variable"


def current(environ: Optional[Mapping[str, str]] = None) -> Settings:
    """The settings as the environment gives them now."""
    return Settings.from_environ(environ)


def check(environ: Optional[Mapping[str, str]] = None) -> Settings:
    """At a server's start: the settings, or exit with every bad variable named."""
    try:
        return current(environ)
    except SettingsError as problem:
        raise SystemExit(f"configuration: {problem}") from None


def understanding_enabled(part: str) -> bool:
    """`BOT_DISABLE=context,lexicon` switches those parts of understanding off, for the ablation in
    docs/benchmarks.md (default: everything on)."""
    return current().enabled(part)


def knowledge_dir() -> Path:
    return current().knowledge_dir


def faq_answer_threshold() -> float:
    """Minimum ResponseSelector confidence to answer an FAQ without asking."""
    return current().faq_answer_threshold


def faq_min_top_share() -> float:
    """Minimum share of the best FAQ's confidence over the best two, to answer without asking."""
    return current().faq_min_top_share


def faq_suggestion_floor() -> float:
    """Minimum confidence for an FAQ to be offered as a '您是不是想问' button."""
    return current().faq_suggestion_floor


def faq_thresholds() -> dict:
    """The settings of `bot.faq.decision.decide`, as keyword arguments: three thresholds, and whether a
    question's subject must be one the documents speak of (`BOT_DISABLE=coverage` for the ablation)."""
    settings = current()
    return {
        "answer_threshold": settings.faq_answer_threshold,
        "suggestion_floor": settings.faq_suggestion_floor,
        "min_top_share": settings.faq_min_top_share,
        "check_coverage": settings.enabled("coverage"),
    }


def data_dir() -> Path:
    return current().data_dir


def database_url() -> str:
    """`DATABASE_URL` (e.g. postgresql://user:pass@host/db), else a SQLite file in the data directory."""
    settings = current()
    return settings.database_url or f"sqlite:///{settings.data_dir / 'assistant.db'}"


def holiday_overrides_path() -> Path:
    """The working-day override file (see bot/policy/holiday_overrides.yml)."""
    return current().holiday_overrides
