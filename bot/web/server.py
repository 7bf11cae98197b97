"""The chat page's server: static files, `/config.js`, `/health`, and `/socket.io/` forwarded to Rasa.

The page talks to Rasa's socketio channel through this server, on the page's own origin:

- Rasa creates its Socket.IO server with `cors_allowed_origins=[]`, so it sends no CORS headers and a
  browser refuses its HTTP long-polling responses to a page on another port;
- Rasa's Socket.IO websocket transport does not work under Sanic 21.12 (the server closes the socket
  right after the Engine.IO handshake), so "websocket only" is not an option either.

So the page uses Socket.IO's HTTP long-polling transport, and this server forwards `/socket.io/`
requests to Rasa unchanged. The browser only needs this one port; Rasa can stay on loopback.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Optional

import aiohttp
from aiohttp import web
from yarl import URL

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
SOCKET_PATH = "/socket.io/"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".md": "text/markdown; charset=utf-8",
    "": "text/plain; charset=utf-8",  # LICENSE
}
# Our own files change with the code: the browser revalidates them (ETag / Last-Modified, cheap 304s).
REVALIDATE = "no-cache"
# Vendored files change only when refreshed on purpose (see static/vendor/VENDORED.md).
VENDOR_CACHE = "public, max-age=604800"
# Everything is served from this origin; no inline script, no outside font or CDN.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)

# Engine.IO long-polling holds a GET open for up to pingInterval + pingTimeout (25 s + 20 s).
UPSTREAM_TIMEOUT = aiohttp.ClientTimeout(total=90, connect=10)
FORWARDED_REQUEST_HEADERS = ("Content-Type", "Accept", "User-Agent")

RASA_URL = web.AppKey("rasa_url", str)
PERSISTENT_SESSIONS = web.AppKey("persistent_sessions", bool)
UPSTREAM = web.AppKey("upstream", aiohttp.ClientSession)


def page_config(persistent_sessions: bool) -> dict:
    return {
        # Same origin: this server forwards SOCKET_PATH to Rasa.
        "socketUrl": "",
        "socketPath": SOCKET_PATH,
        "transports": ["polling"],
        # False: each connection uses its own socket id as Rasa's session id (see rasa_keeps_session_rooms).
        "persistentSessions": persistent_sessions,
        "storageKey": "bj-training-chat/v1",
    }


async def index(request: web.Request) -> web.StreamResponse:
    return _file_response(STATIC_DIR / "index.html", REVALIDATE)


async def config_js(request: web.Request) -> web.Response:
    config = json.dumps(page_config(request.app[PERSISTENT_SESSIONS]), ensure_ascii=False)
    return web.Response(
        text=f"window.CHAT_CONFIG = {config};\n",
        content_type="text/javascript",
        charset="utf-8",
        headers={"Cache-Control": "no-store"},
    )


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"}, headers={"Cache-Control": "no-store"})


async def static_file(request: web.Request) -> web.StreamResponse:
    relative = request.match_info["path"]
    path = (STATIC_DIR / relative).resolve()
    if not path.is_relative_to(STATIC_DIR) or not path.is_file() or path.suffix not in CONTENT_TYPES:
        raise web.HTTPNotFound()
    vendored = path.is_relative_to(STATIC_DIR / "vendor")
    return _file_response(path, VENDOR_CACHE if vendored else REVALIDATE)


def _file_response(path: Path, cache_control: str) -> web.FileResponse:
    return web.FileResponse(path, headers={"Content-Type": CONTENT_TYPES[path.suffix], "Cache-Control": cache_control})


async def socketio_proxy(request: web.Request) -> web.Response:
    """Forward one Engine.IO long-polling request to Rasa and its answer back, unchanged."""
    query = request.rel_url.raw_query_string
    upstream = URL(request.app[RASA_URL] + SOCKET_PATH + (f"?{query}" if query else ""), encoded=True)
    headers = {name: request.headers[name] for name in FORWARDED_REQUEST_HEADERS if name in request.headers}
    # The browser's address: in front of several replicas, nginx keeps each browser on one of them.
    headers["X-Forwarded-For"] = ", ".join(filter(None, [request.headers.get("X-Forwarded-For"), request.remote]))
    body = await request.read()
    try:
        async with request.app[UPSTREAM].request(
            request.method, upstream, data=body or None, headers=headers, allow_redirects=False
        ) as answer:
            payload = await answer.read()
            content_type = answer.headers.get("Content-Type", "text/plain; charset=UTF-8")
            status = answer.status
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        logger.warning(
            "Rasa socket.io unreachable at %s: %s", request.app[RASA_URL], str(error) or type(error).__name__
        )
        return web.Response(status=502, text="Rasa server unreachable", headers={"Cache-Control": "no-store"})
    return web.Response(
        status=status, body=payload, headers={"Content-Type": content_type, "Cache-Control": "no-store"}
    )


@web.middleware
async def security_headers(request: web.Request, handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if response.content_type == "text/html":
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    return response


def create_app(rasa_url: str, persistent_sessions: Optional[bool] = None) -> web.Application:
    """The chat page's application. Persistent sessions need the channel in bot/channels/socketio.py."""
    app = web.Application(middlewares=[security_headers])
    app[RASA_URL] = rasa_url.rstrip("/")
    app[PERSISTENT_SESSIONS] = True if persistent_sessions is None else persistent_sessions

    async def upstream_session(app: web.Application):
        # Every open page holds one long-poll: no small pool limit on the way to Rasa.
        async with aiohttp.ClientSession(timeout=UPSTREAM_TIMEOUT, connector=aiohttp.TCPConnector(limit=0)) as session:
            app[UPSTREAM] = session
            yield

    app.cleanup_ctx.append(upstream_session)
    app.router.add_get("/", index)
    app.router.add_get("/config.js", config_js)
    app.router.add_get("/health", health)
    app.router.add_get("/static/{path:.+}", static_file)
    app.router.add_route("GET", SOCKET_PATH, socketio_proxy)
    app.router.add_route("POST", SOCKET_PATH, socketio_proxy)
    return app
