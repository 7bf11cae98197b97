"""What `bot.runtime.server` adds to Rasa's command line, and the database file's permissions."""
import stat

import pytest

from bot.runtime import server
from bot.db.engine import keep_private


def test_the_api_token_comes_from_the_environment_not_the_command_line(monkeypatch):
    monkeypatch.setenv("RASA_API_TOKEN", "-starts-with-a-dash")
    arguments = server.rasa_arguments(["run", "--enable-api", "--port", "5005"])
    assert arguments[-1] == "--auth-token=-starts-with-a-dash"  # "=": argparse would read "-…" as an option


def test_the_api_token_can_come_from_a_file(monkeypatch, tmp_path):
    monkeypatch.delenv("RASA_API_TOKEN", raising=False)
    (tmp_path / "token").write_text("from-a-file\n")
    monkeypatch.setenv("RASA_API_TOKEN_FILE", str(tmp_path / "token"))
    assert server.rasa_arguments(["run", "--enable-api"])[-1] == "--auth-token=from-a-file"


def test_a_token_given_on_the_command_line_is_kept_and_no_api_needs_none(monkeypatch):
    monkeypatch.setenv("RASA_API_TOKEN", "env")
    assert server.rasa_arguments(["run", "--enable-api", "--auth-token=given"]).count("--auth-token=env") == 0
    monkeypatch.delenv("RASA_API_TOKEN")
    assert server.rasa_arguments(["run", "--port", "5005"]) == ["run", "--port", "5005"]


def test_the_api_is_never_opened_without_a_token(monkeypatch):
    monkeypatch.delenv("RASA_API_TOKEN", raising=False)
    monkeypatch.delenv("RASA_API_TOKEN_FILE", raising=False)
    with pytest.raises(SystemExit):
        server.rasa_arguments(["run", "--enable-api"])


@pytest.mark.parametrize("raw, limit", [("", 65536), ("1024", 1024)])
def test_the_request_size_limit(monkeypatch, raw, limit):
    monkeypatch.setenv("BOT_MAX_REQUEST_BYTES", raw)
    assert server.max_request_bytes() == limit


@pytest.mark.parametrize("raw", ["0", "lots"])
def test_a_bad_request_size_limit_stops_the_server_at_start(monkeypatch, raw):
    monkeypatch.setenv("BOT_MAX_REQUEST_BYTES", raw)
    with pytest.raises(SystemExit, match="BOT_MAX_REQUEST_BYTES"):
        server.main(["run"])


def test_the_database_file_is_readable_by_its_owner_only(tmp_path):
    new = tmp_path / "var" / "assistant.db"
    keep_private(new)
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    old = tmp_path / "old.db"
    old.write_bytes(b"")
    old.chmod(0o644)
    keep_private(old)
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
