import pytest

from bench.servers import running_servers
from tests import wechat_peer as peer


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    """The action and Rasa servers as `make run` starts them, with WeChat in safe mode (the default
    with an AES key) and the chat page as the one cross-origin caller allowed."""
    env = {**peer.WECHAT_ENV, "BOT_PII_KEY": "security-test-key", "CHAT_ORIGINS": "http://localhost:8080"}
    with running_servers(tmp_path_factory.mktemp("security"), extra_env=env) as running:
        yield running
