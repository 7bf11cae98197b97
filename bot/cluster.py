"""The production topology on one machine, on loopback: Redis, two Rasa replicas, two action servers,
nginx in front, and the chat page and staff console; PostgreSQL is the system's own server.

    python -m bot.cluster            # what `make run-cluster` runs after preparing PostgreSQL

`LocalCluster` is also what the load and fault benchmarks start, kill and restart.
docs/deployment.md describes the same topology on several machines.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

import requests

from bot import settings

ROOT = settings.PROJECT_ROOT
BIN = Path(sys.executable).parent
NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
CLUSTER_ENDPOINTS = ROOT / "deploy" / "endpoints.cluster.yml"
STOCK_LOCK_STORE = "redis"  # Rasa's own RedisLockStore, for comparison only


@dataclass
class Layout:
    state_dir: Path = field(default_factory=lambda: settings.data_dir() / "cluster")
    model: Path = ROOT / "models" / "current.tar.gz"
    bind: str = "127.0.0.1"
    public_port: int = 5005  # nginx: channels
    api_port: int = 5004  # nginx: Rasa's HTTP API, loopback only
    action_pool_port: int = 5055  # nginx: action servers
    rasa_ports: Tuple[int, ...] = (5105, 5106)
    action_ports: Tuple[int, ...] = (5155, 5156)
    redis_port: int = 6379
    chat_port: Optional[int] = 8080
    console_port: Optional[int] = 8081
    lock_store: str = "atomic"  # or "stock"


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float, name: str = "server") -> None:
    """Until `url` answers 200; fails with the end of the log if the process exits or time runs out."""

    def tail() -> str:
        return log.read_text(errors="replace")[-3000:] if log.exists() else ""

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited early:\n{tail()}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{name} not up at {url} after {timeout:.0f}s:\n{tail()}")


def stop_processes(processes: Iterable[subprocess.Popen], timeout: float = 20.0) -> None:
    """SIGTERM to each one still running, then wait for all; one not gone after `timeout` is killed."""
    processes = list(processes)
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        raise RuntimeError("nginx is not installed: run scripts/cluster.sh (installs Debian's nginx-light)")
    return found


class LocalCluster:
    def __init__(self, layout: Layout, database_url: str, extra_env: Optional[Dict[str, str]] = None) -> None:
        self.layout = layout
        self.database_url = database_url
        config = settings.current()
        self.api_token = config.rasa_api_token or secrets.token_urlsafe(32)
        self.logs = layout.state_dir / "logs"
        self.processes: Dict[str, subprocess.Popen] = {}
        self.env = {
            **os.environ,
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "DATABASE_URL": database_url,
            "RASA_API_TOKEN": self.api_token,
            "ACTION_SERVER_TOKEN": config.action_server_token or secrets.token_urlsafe(32),
            # One Redis: the rate limits in database 2 (the URL's), the lock store in its own (endpoints).
            "REDIS_URL": f"redis://127.0.0.1:{layout.redis_port}/2",
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{layout.action_pool_port}/webhook",
            # credentials.yml names these; Rasa refuses to start unless each is set, empty or not.
            "WECHAT_TOKEN": config.wechat_token,
            "WECHAT_APP_ID": config.wechat_app_id,
            "WECHAT_AES_KEY": config.wechat_aes_key,
            "WECHAT_APP_SECRET": config.wechat_app_secret,
            **(extra_env or {}),
        }

    # -- what runs ---------------------------------------------------------------------------
    @property
    def public_url(self) -> str:
        return f"http://127.0.0.1:{self.layout.public_port}"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.layout.api_port}"

    def _endpoints(self) -> Path:
        if self.layout.lock_store == "atomic":
            return CLUSTER_ENDPOINTS
        stock = self.layout.state_dir / "endpoints.stock.yml"
        # Rasa's own lock store takes a host and a port, not a URL.
        stock.write_text(
            CLUSTER_ENDPOINTS.read_text()
            .replace("type: bot.runtime.lock_store.AtomicRedisLockStore", f"type: {STOCK_LOCK_STORE}")
            .replace("url: ${REDIS_URL}", f"url: 127.0.0.1\n  port: {self.layout.redis_port}")
        )
        return stock

    def _nginx_conf(self) -> Path:
        layout = self.layout
        state = layout.state_dir.resolve()
        for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (state / "nginx-tmp" / folder).mkdir(parents=True, exist_ok=True)
        servers = lambda ports: "\n".join(  # noqa: E731
            f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=5s;" for port in ports
        )
        text = (
            NGINX_TEMPLATE.read_text()
            .replace("@STATE@", str(state))
            .replace("@BIND@", layout.bind)
            .replace("@PUBLIC_PORT@", str(layout.public_port))
            .replace("@API_PORT@", str(layout.api_port))
            .replace("@ACTION_PORT@", str(layout.action_pool_port))
            .replace("@RASA_SERVERS@", servers(layout.rasa_ports))
            .replace("@ACTION_SERVERS@", servers(layout.action_ports))
        )
        conf = state / "nginx.conf"
        conf.write_text(text)
        return conf

    @cached_property
    def commands(self) -> Dict[str, Tuple[List[str], Optional[str]]]:
        """name → (command, health URL); made once, with the files they read (nginx.conf, endpoints)."""
        layout = self.layout
        redis_dir = layout.state_dir / "redis"
        redis_dir.mkdir(parents=True, exist_ok=True)
        commands: Dict[str, Tuple[List[str], Optional[str]]] = {
            "redis": (
                [
                    "redis-server",
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    str(layout.redis_port),
                    "--dir",
                    str(redis_dir),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                None,
            ),
        }
        for number, port in enumerate(layout.action_ports, 1):
            commands[f"actions-{number}"] = (
                [str(BIN / "python"), "-m", "bot.runtime.action_server", "--actions", "actions", "--port", str(port)],
                f"http://127.0.0.1:{port}/health",
            )
        endpoints = self._endpoints()
        for number, port in enumerate(layout.rasa_ports, 1):
            commands[f"rasa-{number}"] = (
                [
                    str(BIN / "python"),
                    "-m",
                    "bot.runtime.server",
                    "run",
                    "--model",
                    str(layout.model),
                    "--interface",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--credentials",
                    str(ROOT / "credentials.yml"),
                    "--endpoints",
                    str(endpoints),
                    "--enable-api",
                ],  # the token: RASA_API_TOKEN
                f"http://127.0.0.1:{port}/webhooks/rest/",
            )
        commands["nginx"] = (
            [
                _nginx_binary(),
                "-p",
                str(layout.state_dir.resolve()),
                "-c",
                str(self._nginx_conf()),
                "-g",
                "daemon off;",
            ],
            None,
        )
        if layout.chat_port:
            commands["chat"] = (
                [str(BIN / "python"), "-m", "bot.web", "--port", str(layout.chat_port), "--rasa-url", self.public_url],
                f"http://127.0.0.1:{layout.chat_port}/",
            )
        if layout.console_port:
            commands["console"] = ([str(BIN / "python"), "-m", "bot.console", "--port", str(layout.console_port)], None)
        return commands

    # -- starting and stopping -------------------------------------------------------------
    def start(self, name: str, timeout: float = 300) -> None:
        health = self._spawn(name)
        if health:
            self._wait(name, health, timeout)

    def _spawn(self, name: str) -> Optional[str]:
        command, health = self.commands[name]
        env = dict(self.env)
        if name == "console":
            env["RASA_URL"] = self.api_url
        self.logs.mkdir(parents=True, exist_ok=True)
        with (self.logs / f"{name}.log").open("a") as log:  # the child keeps its own copy
            self.processes[name] = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return health

    def start_all(self, timeout: float = 400) -> None:
        # Rasa replicas load the model in parallel; everything else is quick.
        for name in self.commands:
            if name.startswith("rasa-"):
                self._spawn(name)
            else:
                self.start(name, timeout)
        for name, (_, health) in self.commands.items():
            if name.startswith("rasa-") and health:
                self._wait(name, health, timeout)
        self._wait("nginx", f"{self.public_url}/webhooks/rest/", timeout)

    def _wait(self, name: str, url: str, timeout: float) -> None:
        wait_until_up(url, self.processes[name], self.logs / f"{name}.log", timeout, name)

    def log_tail(self, name: str, chars: int = 3000) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    def kill(self, name: str) -> None:
        """SIGKILL, as a crash would: no clean shutdown."""
        process = self.processes.get(name)
        if process and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for name, process in self.processes.items():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill(name)

    def __enter__(self) -> "LocalCluster":
        try:
            self.start_all()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.cluster", description="在本机启动多副本部署")
    parser.add_argument(
        "--database-url",
        default=settings.current().database_url,
        help="PostgreSQL URL (env DATABASE_URL); scripts/cluster.sh prepares a local one",
    )
    parser.add_argument("--lock-store", choices=("atomic", "stock"), default="atomic")
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgresql"):
        parser.error("the cluster needs PostgreSQL: set DATABASE_URL (scripts/cluster.sh does)")
    cluster = LocalCluster(Layout(lock_store=args.lock_store), args.database_url)
    # `kill` or systemd's stop: stop every process the cluster started, as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with cluster:
        layout = cluster.layout
        print(f"Chat page:      http://localhost:{layout.chat_port}")
        print(f"Staff console:  http://localhost:{layout.console_port}")
        print(
            f"Channels:       {cluster.public_url}/webhooks/rest/webhook  (nginx → Rasa on "
            f"{', '.join(map(str, layout.rasa_ports))})"
        )
        print(f"Rasa API:       {cluster.api_url}  (token: RASA_API_TOKEN)")
        print("Ctrl-C stops everything.", flush=True)
        try:
            while all(p.poll() is None for p in cluster.processes.values()):
                time.sleep(1)
            stopped = [name for name, p in cluster.processes.items() if p.poll() is not None]
            print(f"stopped unexpectedly: {', '.join(stopped)}; see {cluster.logs}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    sys.exit(main())
