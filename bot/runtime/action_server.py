"""The action server: rasa_sdk's app, on loopback unless told otherwise, and closed without the shared secret.

    ACTION_SERVER_TOKEN=… python -m bot.runtime.action_server --port 5055 [--host 127.0.0.1]

rasa_sdk 3.6 binds to `SANIC_HOST` (default 0.0.0.0) and checks no credential, so anyone who reached the
port could run any action with a forged tracker (an exam lookup by someone else's ID number, a callback
insert). Here every request but `/health` must carry the secret that Rasa's `action_endpoint` sends as its
`token` (endpoints.yml: `token: ${ACTION_SERVER_TOKEN}`), in the `token` query parameter or as
`Authorization: Bearer …`; without it the answer is 401. An error answer never echoes the request body,
which holds the conversation.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import sys
from typing import List, Optional

from bot import settings

logger = logging.getLogger(__name__)

TOKEN_VARIABLE = "ACTION_SERVER_TOKEN"
HOST_VARIABLE = "ACTION_SERVER_HOST"
DEFAULT_PORT = 5055
OPEN_PATHS = frozenset({"/health"})


def presented_token(args, headers) -> str:
    """The secret a request carries: Rasa's `?token=` or an `Authorization: Bearer` header."""
    given = args.get("token") or ""
    if not given:
        scheme, _, value = (headers.get("authorization") or "").partition(" ")
        given = value.strip() if scheme.lower() == "bearer" else ""
    return given


def authorised(token: str, given: str) -> bool:
    return bool(token) and bool(given) and hmac.compare_digest(given.encode(), token.encode())


def create_app(token: str, actions: str = "actions"):
    """rasa_sdk's app with the secret checked before every request and errors answered without the body."""
    from rasa_sdk import endpoint
    from sanic import response

    if not token:
        raise ValueError(f"the action server needs a secret: set {TOKEN_VARIABLE}")
    app = endpoint.create_app(actions, cors_origins=[])

    @app.on_request
    async def require_secret(request):
        if request.path in OPEN_PATHS:
            return None
        if not authorised(token, presented_token(request.args, request.headers)):
            return response.json({"error": "unauthorized"}, status=401)
        return None

    @app.exception(Exception)
    async def failed(request, exception: Exception):
        # rasa_sdk's own handler logs the request and returns its body: the tracker, with what people wrote.
        logger.error("action request failed: %s", type(exception).__name__, exc_info=exception)
        return response.json({"error": "the action failed"}, status=500)

    return app


async def _prepare_knowledge(app, loop) -> None:
    """The knowledge base and the coverage check loaded before the first request, not during it."""
    from bot.faq.coverage import prepare
    from bot.knowledge import load_knowledge_base

    prepare(load_knowledge_base().vocabulary)


def parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--host",
        default=settings.current().action_server_host,
        help=f"interface to listen on (default: {HOST_VARIABLE}, else loopback)",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--actions", default="actions")
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    config = settings.check()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    token = config.action_server_token
    if not token:
        print(f"{TOKEN_VARIABLE} is not set: the action server does not run without its secret", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO)
    from bot.logs import install_log_redaction

    install_log_redaction()
    app = create_app(token, args.actions)
    app.register_listener(_prepare_knowledge, "before_server_start")
    app.run(host=args.host, port=args.port, access_log=False, motd=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
