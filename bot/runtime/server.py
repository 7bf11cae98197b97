"""Starts a Rasa server with the assistant's guards (see bot.runtime.guards) and conversation context
(see bot.context) installed.

    python -m bot.runtime.server run --model models/current.tar.gz --enable-api …

takes exactly the arguments of the `rasa` command, and adds two things:

- request bodies over `BOT_MAX_REQUEST_BYTES` (default 64 KB) get 413 from the server itself, so a
  huge sender id or message never reaches the tracker store, with or without nginx in front;
- with `--enable-api` and no `--auth-token`, the token is read from `RASA_API_TOKEN` (or the file
  named by `RASA_API_TOKEN_FILE`), so it is not on the command line for `ps` to show.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

from bot import settings


def max_request_bytes() -> int:
    return settings.current().max_request_bytes


def api_token() -> str:
    """The HTTP API's token from the environment or its file; empty when neither is set."""
    config = settings.current()
    token, path = config.rasa_api_token, config.rasa_api_token_file
    if not token and path:
        token = Path(path).read_text(encoding="utf-8").strip()
    return token


def rasa_arguments(argv: List[str]) -> List[str]:
    """`argv` with the API token added from the environment when the API is on and none is given."""
    arguments = list(argv)
    gives_token = any(arg in ("--auth-token", "-t") or arg.startswith(("--auth-token=", "-t")) for arg in arguments)
    if "--enable-api" in arguments and not gives_token:
        token = api_token()
        if not token:
            raise SystemExit("--enable-api needs a token: set RASA_API_TOKEN (or RASA_API_TOKEN_FILE)")
        arguments.append(f"--auth-token={token}")
    return arguments


def main(argv: Optional[List[str]] = None) -> None:
    from bot import context
    from bot.runtime import guards, rasa_internals

    settings.check()
    rasa_internals.check()
    arguments = rasa_arguments(sys.argv[1:] if argv is None else argv)
    # Sanic reads SANIC_* settings when Rasa creates its app; this process only, not the action server.
    os.environ["SANIC_REQUEST_MAX_SIZE"] = str(max_request_bytes())
    guards.install()
    context.install()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *arguments]
    rasa_main()


if __name__ == "__main__":
    main()
