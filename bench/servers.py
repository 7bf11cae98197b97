"""Start the action server and the Rasa server on a trained model, on spare loopback ports.

Used by the end-to-end tests and the latency benchmark.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterator, Optional

from bot.cluster import stop_processes, wait_until_up

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MODEL = ROOT / "models" / "current.tar.gz"
BIN = Path(sys.executable).parent
# credentials.yml reads these; unset, the WeChat channel answers nothing but 403.
WECHAT_VARIABLES = ("WECHAT_TOKEN", "WECHAT_APP_ID", "WECHAT_AES_KEY", "WECHAT_APP_SECRET")
# The one page browsers may call Rasa from cross-origin (`make run` allows the chat page on localhost and
# 127.0.0.1; CHAT_ORIGINS overrides both).
DEFAULT_CHAT_ORIGIN = "http://localhost:8080"


@dataclass
class Servers:
    rest_url: str
    logs: Dict[str, Path]
    env: Dict[str, str]
    # Rasa's HTTP API (model/parse, trackers), open only with `api_token`.
    base_url: str = ""
    api_token: str = ""
    processes: Dict[str, subprocess.Popen] = field(default_factory=dict)
    start: Optional[Callable[[str], None]] = None  # (re)starts "actions" or "rasa" and waits until it is up

    @property
    def rasa_pid(self) -> int:
        """The Rasa server's process now (a restart replaces it)."""
        return self.processes["rasa"].pid


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_servers(workdir: Path, model: Path = DEFAULT_MODEL, extra_env: Optional[dict] = None,
                    timeout: float = 240.0) -> Iterator[Servers]:
    if not model.exists():
        raise FileNotFoundError(f"no trained model at {model}: run `make train` first")
    workdir.mkdir(parents=True, exist_ok=True)
    action_port, rasa_port = free_port(), free_port()
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
                         "  token: ${ACTION_SERVER_TOKEN}\n"
                         "tracker_store:\n  type: bot.runtime.tracker_store.RedactingSQLTrackerStore\n")
    # Each run gets its own database and key unless the caller names them.
    api_token = secrets.token_urlsafe(24)
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
           "ACTION_SERVER_TOKEN": secrets.token_urlsafe(24), "RASA_API_TOKEN": api_token,
           "BOT_DATA_DIR": str(workdir / "data"), "DATABASE_URL": f"sqlite:///{workdir / 'data' / 'assistant.db'}",
           **{name: os.environ.get(name, "") for name in WECHAT_VARIABLES},
           **(extra_env or {})}
    logs = {name: workdir / f"{name}.log" for name in ("actions", "rasa")}
    commands = {
        "actions": [BIN / "python", "-m", "bot.runtime.action_server", "--actions", "actions", "--port", str(action_port)],
        # bot.runtime.server is `rasa` with the assistant's guards (busy replies, length and rate limits).
        "rasa": [BIN / "python", "-m", "bot.runtime.server", "run", "--model", model, "--interface", "127.0.0.1",
                 "--port", str(rasa_port), "--credentials", ROOT / "credentials.yml", "--endpoints", endpoints,
                 # bot.runtime.server reads the API token from RASA_API_TOKEN, so `ps` does not show it
                 "--enable-api", "--cors", *env.get("CHAT_ORIGINS", DEFAULT_CHAT_ORIGIN).split()],
    }
    processes: Dict[str, subprocess.Popen] = {}
    health = {"actions": f"http://127.0.0.1:{action_port}/health",
              "rasa": f"http://127.0.0.1:{rasa_port}/webhooks/rest/"}

    def start(name: str) -> None:
        processes[name] = subprocess.Popen(
            [str(part) for part in commands[name]], cwd=ROOT, env=env,
            stdout=logs[name].open("a"), stderr=subprocess.STDOUT)
        wait_until_up(health[name], processes[name], logs[name], timeout, name)

    try:
        for name in commands:
            logs[name].write_text("")
            start(name)
        base_url = f"http://127.0.0.1:{rasa_port}"
        yield Servers(f"{base_url}/webhooks/rest/webhook", logs, env, base_url, api_token, processes, start)
    finally:
        stop_processes(processes.values())
