import pytest

from bench.servers import running_servers


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    with running_servers(tmp_path_factory.mktemp("servers"), extra_env={"BOT_PII_KEY": "e2e-test-key"}) as running:
        yield {"rest": running.rest_url, "logs": running.logs, "env": running.env}
