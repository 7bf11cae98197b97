"""Configuration is read in one place, one way: a value that cannot be read is refused, by name."""
import re
from pathlib import Path

import pytest

from bot import settings
from bot.settings import PROJECT_ROOT, VARIABLES, Settings, SettingsError


def test_an_empty_environment_gives_the_safe_defaults():
    config = Settings.from_environ({})
    assert (config.rasa_api_token, config.redis_url, config.database_url) == ("", "", "")
    assert config.chat_interface == config.console_interface == config.action_server_host == "127.0.0.1"
    assert config.rate_limit == (30, 60.0) and config.max_message_chars == 500
    assert settings.database_url() .startswith("sqlite:///") or settings.current().database_url


@pytest.mark.parametrize("name, raw, field, value", [
    ("BOT_FAQ_ANSWER_THRESHOLD", "0.35", "faq_answer_threshold", 0.35),
    ("BOT_RATE_LIMIT", "10/30", "rate_limit", (10, 30.0)),
    ("BOT_RATE_LIMIT", "0", "rate_limit", (0, 60.0)),
    ("CONSOLE_SECURE_COOKIES", "yes", "console_secure_cookies", True),
    ("CONSOLE_SECURE_COOKIES", "off", "console_secure_cookies", False),
    ("BOT_DISABLE", "context, lexicon", "disabled", frozenset({"context", "lexicon"})),
    ("DATABASE_URL", "postgres://u@h/db", "database_url", "postgresql://u@h/db"),
    ("CHAT_PORT", " 9090 ", "chat_port", 9090),
])
def test_a_value_is_read_by_its_kind(name, raw, field, value):
    assert getattr(Settings.from_environ({name: raw}), field) == value


@pytest.mark.parametrize("name, raw", [
    ("BOT_FAQ_ANSWER_THRESHOLD", "1.5"), ("BOT_FAQ_ANSWER_THRESHOLD", "高"), ("BOT_RATE_LIMIT", "many"),
    ("BOT_ACTION_TIMEOUT", "0"), ("CHAT_PORT", "70000"), ("CONSOLE_PORT", "eighty"),
    ("CONSOLE_SECURE_COOKIES", "maybe"), ("WECHAT_REPLAY_WINDOW", "1.5"), ("BOT_MAX_REQUEST_BYTES", "-1"),
])
def test_a_value_that_cannot_be_read_is_refused_by_name(name, raw):
    with pytest.raises(SettingsError, match=name):
        Settings.from_environ({name: raw})


def test_every_bad_value_is_named_at_once_and_stops_a_server():
    with pytest.raises(SystemExit) as stopped:
        settings.check({"CHAT_PORT": "x", "BOT_RATE_LIMIT": "y"})
    assert "CHAT_PORT" in str(stopped.value) and "BOT_RATE_LIMIT" in str(stopped.value)


def test_no_module_reads_the_environment_but_the_settings():
    reads = re.compile(r"os\.environ\.get|os\.getenv|environ\[[\"'][A-Z_]+[\"']\](?!\s*=)")
    readers = [str(p.relative_to(PROJECT_ROOT)) for folder in ("bot", "actions") for p in (PROJECT_ROOT / folder).rglob("*.py")
               if p.name != "settings.py" and reads.search(p.read_text(encoding="utf-8"))]
    assert readers == []


def test_the_readme_documents_every_variable():
    readme = Path(PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert [v.name for v in VARIABLES if f"`{v.name}`" not in readme] == []
