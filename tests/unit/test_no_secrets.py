"""No secret is committed: configuration reads secrets from the environment."""
import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]

# wechatpy's published crypto test vectors: a peer's test cases, not an account's keys.
PUBLISHED_TEST_VECTORS = {"kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR", "wx49f0ab532d5d035a"}
SECRET_VARIABLES = ("BOT_PII_KEY", "RASA_API_TOKEN", "ACTION_SERVER_TOKEN", "WECHAT_TOKEN", "WECHAT_AES_KEY", "WECHAT_APP_SECRET",
                    "DATABASE_URL", "REDIS_URL")
SECRET_KEYS = {"password", "token", "aes_key", "app_secret", "secret", "auth_token", "api_key"}


def tracked_files():
    try:
        names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / name for name in names.splitlines() if (ROOT / name).is_file()]


def texts(suffixes=None):
    for path in tracked_files():
        if suffixes and path.suffix not in suffixes:
            continue
        try:
            yield path, path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue


def test_no_private_key_or_cloud_credential_is_committed():
    pattern = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----|AKIA[0-9A-Z]{16}|ghp_[0-9A-Za-z]{36}")
    found = [str(path.relative_to(ROOT)) for path, text in texts() if pattern.search(text)]
    assert not found


def _secret_values(node, trail=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _secret_values(value, trail + (str(key),))
    elif isinstance(node, list):
        for value in node:
            yield from _secret_values(value, trail)
    elif trail and trail[-1].lower() in SECRET_KEYS and node not in (None, ""):
        yield ".".join(trail), str(node)


@pytest.mark.parametrize("name", ["credentials.yml", "endpoints.yml", "deploy/endpoints.cluster.yml"])
def test_configuration_takes_every_secret_from_the_environment(name):
    config = yaml.safe_load((ROOT / name).read_text(encoding="utf-8")) or {}
    literal = [(key, value) for key, value in _secret_values(config) if not re.fullmatch(r"\$\{\w+\}", value)]
    assert not literal


def test_no_secret_variable_is_given_a_value_in_a_committed_file():
    assignment = re.compile(r"\b(" + "|".join(SECRET_VARIABLES) + r")\s*[=:]\s*[\"']?([A-Za-z0-9+/_\-]{16,})")
    found = []
    for path, text in texts({".py", ".sh", ".yml", ".yaml", ".env", ".service", ".ini", ".cfg", ".toml", ""}):
        if path.is_relative_to(ROOT / "tests"):
            continue  # tests set throw-away keys for their own servers
        for match in assignment.finditer(text):
            if match.group(2) not in PUBLISHED_TEST_VECTORS:
                found.append(f"{path.relative_to(ROOT)}: {match.group(1)}")
    assert not found


def test_the_scanner_would_catch_a_committed_value():
    assignment = re.compile(r"\b(" + "|".join(SECRET_VARIABLES) + r")\s*[=:]\s*[\"']?([A-Za-z0-9+/_\-]{16,})")
    assert assignment.search('export WECHAT_APP_SECRET="3f1c9a7be2d44c0f8a6b5d1e7c9f2a31"')
    assert not assignment.search('WECHAT_APP_SECRET="${WECHAT_APP_SECRET:-}"')
    assert list(_secret_values({"lock_store": {"password": "hunter2hunter2"}}))
