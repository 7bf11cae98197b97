"""Start the action server and the Rasa server on the trained model, on spare ports."""
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "current.tar.gz"
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise RuntimeError(f"{url} not up after {timeout}s:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail("no trained model: run `make train` first")
    workdir = tmp_path_factory.mktemp("servers")
    action_port, rasa_port = _free_port(), _free_port()
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n')
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    logs = {name: workdir / f"{name}.log" for name in ("actions", "rasa")}
    processes = {
        "actions": subprocess.Popen(
            [BIN / "rasa", "run", "actions", "--actions", "actions", "--port", str(action_port)],
            cwd=ROOT, env=env, stdout=logs["actions"].open("w"), stderr=subprocess.STDOUT),
        "rasa": subprocess.Popen(
            [BIN / "rasa", "run", "--model", MODEL, "--interface", "127.0.0.1", "--port", str(rasa_port),
             "--credentials", ROOT / "credentials.yml", "--endpoints", endpoints],
            cwd=ROOT, env=env, stdout=logs["rasa"].open("w"), stderr=subprocess.STDOUT),
    }
    try:
        _wait_until_up(f"http://127.0.0.1:{action_port}/health", processes["actions"], logs["actions"])
        _wait_until_up(f"http://127.0.0.1:{rasa_port}/webhooks/rest/", processes["rasa"], logs["rasa"])
        yield {"rest": f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook", "logs": logs}
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
