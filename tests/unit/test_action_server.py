"""The action server's secret: what a request carries, and when it opens the actions."""
import pytest

from bot.runtime import action_server


@pytest.mark.parametrize("args, headers, given", [
    ({"token": "abc"}, {}, "abc"), ({}, {"authorization": "Bearer abc"}, "abc"),
    ({}, {"authorization": "Basic abc"}, ""), ({}, {}, ""),
], ids=["Rasa的token参数", "Bearer请求头", "别的认证方式不算", "什么都没带"])
def test_the_secret_a_request_carries(args, headers, given):
    assert action_server.presented_token(args, headers) == given


@pytest.mark.parametrize("token, given, allowed", [
    ("s3cret", "s3cret", True), ("s3cret", "guess", False), ("s3cret", "", False), ("", "", False),
], ids=["正确的密钥", "猜的密钥", "没带密钥", "服务端没有密钥时谁都不放行"])
def test_only_the_shared_secret_opens_the_actions(token, given, allowed):
    assert action_server.authorised(token, given) is allowed


def test_there_is_no_action_server_without_a_secret(monkeypatch, capsys):
    monkeypatch.delenv(action_server.TOKEN_VARIABLE, raising=False)
    with pytest.raises(ValueError):
        action_server.create_app("")
    assert action_server.main(["--port", "0"]) == 2
    assert action_server.TOKEN_VARIABLE in capsys.readouterr().err


def test_it_listens_on_loopback_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv(action_server.HOST_VARIABLE, raising=False)
    assert action_server.parse_args([]).host == "127.0.0.1"
    monkeypatch.setenv(action_server.HOST_VARIABLE, "10.0.0.5")
    assert action_server.parse_args([]).host == "10.0.0.5"
