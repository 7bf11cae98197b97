"""`python -m bot.console`: start the support-staff console.

    python -m bot.console --port 8081

Defaults come from CONSOLE_PORT (8081), CONSOLE_INTERFACE (127.0.0.1), RASA_URL
(http://127.0.0.1:5005), RASA_API_TOKEN, CONSOLE_SESSION_HOURS (8), CONSOLE_SECURE_COOKIES (set to 1
behind https) and DATABASE_URL. Staff accounts: `bot-admin staff add NAME`.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from typing import List, Optional

from bot.console.config import ConsoleConfig


def build_parser(defaults: ConsoleConfig) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.console", description="咨询助手工作人员控制台")
    parser.add_argument("--port", type=int, default=defaults.port, help=f"端口（默认 {defaults.port}，CONSOLE_PORT）")
    parser.add_argument(
        "--interface", default=defaults.interface, help=f"监听地址（默认 {defaults.interface}，CONSOLE_INTERFACE）"
    )
    parser.add_argument(
        "--rasa-url", default=defaults.rasa_url, help=f"Rasa 服务地址（默认 {defaults.rasa_url}，RASA_URL）"
    )
    parser.add_argument(
        "--database-url",
        default=defaults.database_url,
        help="数据库地址（默认取 DATABASE_URL，未设置时用 var/assistant.db）",
    )
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        defaults = ConsoleConfig.from_env()
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    args = build_parser(defaults).parse_args(argv)
    if not 0 < args.port < 65536:
        print(f"端口应在 1 到 65535 之间：{args.port}", file=sys.stderr)
        return 2
    config = dataclasses.replace(
        defaults,
        port=args.port,
        interface=args.interface,
        rasa_url=args.rasa_url.rstrip("/"),
        database_url=args.database_url,
    )
    if not config.rasa_api_token:
        logging.getLogger("bot.console").warning("RASA_API_TOKEN is not set: asking will fail if Rasa requires one")

    from bot.console.app import create_app  # Sanic is imported only when the server really starts

    app = create_app(config)
    app.run(host=config.interface, port=config.port, access_log=False, debug=False, workers=1, motd=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
