"""`python -m bot.web [--port 8080] [--rasa-url http://127.0.0.1:5005] [--host 127.0.0.1]`

Defaults come from `CHAT_PORT`, `RASA_PUBLIC_URL` and `CHAT_INTERFACE`. `--rasa-url` is the Rasa server
this server forwards the page's socket.io traffic to; browsers only ever talk to this server.
"""

from __future__ import annotations

import argparse
import logging
from typing import List, Optional

from aiohttp import web

from bot import settings
from bot.web.server import PERSISTENT_SESSIONS, create_app

PERSISTENCE_CHOICES = {"on": True, "off": False}


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    config = settings.check()
    parser = argparse.ArgumentParser(prog="python -m bot.web", description="网站咨询聊天页面")
    parser.add_argument(
        "--port",
        type=int,
        default=config.chat_port,
        help="port to listen on (env CHAT_PORT, default 8080)",
    )
    parser.add_argument(
        "--host",
        default=config.chat_interface,
        help="address to listen on (env CHAT_INTERFACE, default 127.0.0.1)",
    )
    parser.add_argument(
        "--rasa-url",
        default=config.rasa_public_url,
        help="the Rasa server with the socketio channel (env RASA_PUBLIC_URL, default http://127.0.0.1:5005)",
    )
    parser.add_argument(
        "--session-persistence",
        choices=sorted(PERSISTENCE_CHOICES),
        default=config.chat_session_persistence,
        help="keep one Rasa conversation across reloads and reconnections; needs Rasa's "
        "socketio channel from bot/channels/socketio.py (env CHAT_SESSION_PERSISTENCE)",
    )
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-8s %(name)s  - %(message)s")
    app = create_app(args.rasa_url, PERSISTENCE_CHOICES[args.session_persistence])
    logger = logging.getLogger("bot.web")
    logger.info("chat page on http://%s:%d, Rasa at %s", args.host, args.port, args.rasa_url)
    if not app[PERSISTENT_SESSIONS]:
        logger.warning(
            "session persistence off: each page connection starts a new Rasa conversation; "
            "the transcript stays in the browser"
        )
    # No access log: every open page polls Rasa through here several times a minute.
    web.run_app(app, host=args.host, port=args.port, access_log=None, print=None)


if __name__ == "__main__":
    main()
