"""What a local user can see of the running servers: no token on a command line, no readable
database, nothing listening beyond loopback."""
import re
import stat
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.security


def test_the_api_token_is_not_on_any_command_line(servers):
    for process in servers.processes.values():
        command_line = Path(f"/proc/{process.pid}/cmdline").read_bytes().decode("utf-8", "replace")
        assert servers.api_token not in command_line
        assert servers.env["ACTION_SERVER_TOKEN"] not in command_line


def test_the_database_is_readable_by_its_owner_only(servers):
    database = servers.logs["rasa"].parent / "data" / "assistant.db"
    assert database.exists() and stat.S_IMODE(database.stat().st_mode) == 0o600


def test_every_server_listens_on_loopback_only(servers):
    listening = subprocess.run(["ss", "-ltnp"], capture_output=True, text=True).stdout
    pids = {str(process.pid) for process in servers.processes.values()}
    bound = [line.split()[3] for line in listening.splitlines()[1:]
             if any(f"pid={pid}," in line for pid in pids)]
    assert bound and all(re.match(r"(127\.0\.0\.1|\[::1\]):\d+$", address) for address in bound), bound
