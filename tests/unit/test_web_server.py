"""The chat page's server (bot/web): files and their headers, /config.js, /health, the socket.io forwarding."""
import asyncio
import json
import re

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from yarl import URL

from bot.web import server
from bot.web.__main__ import parse_args

STATIC = server.STATIC_DIR


def run(scenario, rasa_url="http://127.0.0.1:9", persistent_sessions=False, upstream=None):
    """Run `scenario(client)` against the chat app (and, if given, a fake Rasa app as its upstream)."""
    async def main():
        rasa = None
        url = rasa_url
        if upstream is not None:
            rasa = TestServer(upstream)
            await rasa.start_server()
            url = str(rasa.make_url(""))
        client = TestClient(TestServer(server.create_app(url, persistent_sessions)))
        await client.start_server()
        try:
            return await scenario(client)
        finally:
            await client.close()
            if rasa is not None:
                await rasa.close()
    return asyncio.run(main())


def test_health_answers_200():
    async def scenario(client):
        response = await client.get("/health")
        return response.status, await response.json()
    assert run(scenario) == (200, {"status": "ok"})


@pytest.mark.parametrize("path, content_type, cache", [
    ("/", "text/html; charset=utf-8", "no-cache"),
    ("/static/chat.js", "text/javascript; charset=utf-8", "no-cache"),
    ("/static/chat.css", "text/css; charset=utf-8", "no-cache"),
    ("/static/icon.svg", "image/svg+xml", "no-cache"),
    ("/static/vendor/socket.io.min.js", "text/javascript; charset=utf-8", "public, max-age=604800"),
    ("/static/vendor/LICENSE", "text/plain; charset=utf-8", "public, max-age=604800"),
    ("/config.js", "text/javascript; charset=utf-8", "no-store"),
])
def test_files_have_their_content_type_and_cache_policy(path, content_type, cache):
    async def scenario(client):
        response = await client.get(path)
        await response.read()
        return response.status, response.headers
    status, headers = run(scenario)
    assert status == 200
    assert headers["Content-Type"] == content_type
    assert headers["Cache-Control"] == cache
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_page_allows_nothing_from_elsewhere():
    async def scenario(client):
        response = await client.get("/")
        return response.headers["Content-Security-Policy"], await response.text()
    policy, html = run(scenario)
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "<script>" not in html  # no inline script: the policy forbids it


@pytest.mark.parametrize("name", ["index.html", "chat.js", "chat.css"])
def test_every_asset_is_local(name):
    text = (STATIC / name).read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"(https?:)?//", text)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", text)
    assert "@import" not in text and "fonts.googleapis" not in text


def test_page_text_is_never_written_as_html():
    script = (STATIC / "chat.js").read_text(encoding="utf-8")
    assert not re.search(r"\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write", script)


@pytest.mark.parametrize("path", ["/static/..%2Fserver.py", "/static/vendor/..%2F..%2Fserver.py", "/static/nothing.js",
                                  "/static/vendor"])
def test_nothing_outside_the_static_files_is_served(path):
    async def scenario(client):
        response = await client.get(URL(path, encoded=True))
        return response.status
    assert run(scenario) == 404


@pytest.mark.parametrize("persistent", [True, False])
def test_config_names_the_socket_path_on_this_origin(persistent):
    async def scenario(client):
        return await (await client.get("/config.js")).text()
    text = run(scenario, persistent_sessions=persistent)
    assert text.startswith("window.CHAT_CONFIG = ")
    config = json.loads(text[len("window.CHAT_CONFIG = "):].rstrip().rstrip(";"))
    assert config["socketUrl"] == "" and config["socketPath"] == "/socket.io/"
    assert config["transports"] == ["polling"]
    assert config["persistentSessions"] is persistent


def fake_rasa():
    """A stand-in for Rasa's Engine.IO endpoint that shows what it received."""
    async def engine_io(request):
        return web.Response(
            text=json.dumps({"method": request.method, "query": request.query_string,
                             "body": (await request.read()).decode(), "type": request.headers.get("Content-Type")}),
            content_type="text/plain", charset="UTF-8")
    app = web.Application()
    app.router.add_route("*", "/socket.io/", engine_io)
    return app


def test_socket_io_requests_are_forwarded_to_rasa_unchanged():
    async def scenario(client):
        get = await client.get("/socket.io/?EIO=4&transport=polling&t=abc")
        post = await client.post("/socket.io/?EIO=4&transport=polling&sid=x%2By",
                                 data='42["user_uttered",{"message":"考试是开卷吗"}]'.encode(),
                                 headers={"Content-Type": "text/plain;charset=UTF-8"})
        return [(r.status, r.headers["Content-Type"], r.headers["Cache-Control"], json.loads(await r.text()))
                for r in (get, post)]
    (get_status, get_type, get_cache, got), (post_status, _, _, posted) = run(scenario, upstream=fake_rasa())
    assert (get_status, get_type, get_cache) == (200, "text/plain; charset=UTF-8", "no-store")
    assert got == {"method": "GET", "query": "EIO=4&transport=polling&t=abc", "body": "", "type": None}
    assert post_status == 200
    assert posted["method"] == "POST" and posted["query"] == "EIO=4&transport=polling&sid=x%2By"
    assert posted["body"] == '42["user_uttered",{"message":"考试是开卷吗"}]'
    assert posted["type"] == "text/plain;charset=UTF-8"


def test_an_unreachable_rasa_gives_502():
    async def scenario(client):
        response = await client.get("/socket.io/?EIO=4&transport=polling")
        return response.status
    assert run(scenario, rasa_url="http://127.0.0.1:9") == 502


def test_command_line_defaults_come_from_the_environment(monkeypatch):
    for name in ("CHAT_PORT", "CHAT_INTERFACE", "RASA_PUBLIC_URL", "CHAT_SESSION_PERSISTENCE"):
        monkeypatch.delenv(name, raising=False)
    args = parse_args([])
    assert (args.port, args.host, args.rasa_url, args.session_persistence) == \
        (8080, "127.0.0.1", "http://127.0.0.1:5005", "on")
    monkeypatch.setenv("CHAT_PORT", "9090")
    monkeypatch.setenv("CHAT_INTERFACE", "0.0.0.0")
    monkeypatch.setenv("RASA_PUBLIC_URL", "http://rasa:5005")
    args = parse_args([])
    assert (args.port, args.host, args.rasa_url) == (9090, "0.0.0.0", "http://rasa:5005")
    assert parse_args(["--port", "8088", "--rasa-url", "http://127.0.0.1:5006"]).port == 8088


def test_the_vendored_client_is_the_version_named_in_vendored_md():
    vendor = STATIC / "vendor"
    header = (vendor / "socket.io.min.js").read_text(encoding="utf-8")[:200]
    version = re.search(r"Socket\.IO v(\d+\.\d+\.\d+)", header).group(1)
    notes = (vendor / "VENDORED.md").read_text(encoding="utf-8")
    assert f"| {version} |" in notes and f"VERSION={version}" in notes
    assert (vendor / "LICENSE").read_text(encoding="utf-8").startswith("The MIT License")
