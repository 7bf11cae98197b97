import pytest

from bench.servers import running_servers


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    with running_servers(tmp_path_factory.mktemp("servers")) as running:
        yield {"rest": running.rest_url, "logs": running.logs}
