"""Starts a Rasa server or action server with the assistant's guards (see bot.guards) and
conversation context (see bot.context) installed.

    python -m bot.server run --model models/current.tar.gz --enable-api --auth-token …

takes exactly the arguments of the `rasa` command.
"""
from __future__ import annotations

import sys
from typing import List, Optional


def main(argv: Optional[List[str]] = None) -> None:
    from bot import context, guards

    guards.install()
    context.install()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
