import pytest

from bench.servers import running_servers


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    with running_servers(tmp_path_factory.mktemp("servers"), extra_env={"BOT_PII_KEY": "e2e-test-key"}) as running:
        yield {"rest": running.rest_url, "logs": running.logs, "env": running.env,
               "base_url": running.base_url, "api_token": running.api_token}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS

    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: run `bash scripts/browser.sh` (installs Debian's chromium and CJK fonts)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
