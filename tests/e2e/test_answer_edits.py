"""An answer edited in the knowledge base is served by the running assistant, without retraining."""
import shutil
import time
import uuid

import pytest
import requests

from bench.servers import running_servers
from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e

QUESTION = "以训兴业补贴标准是多少"
LINE = "      按每人每课时{training_subsidy.rates.点播免费}元或{training_subsidy.rates.点播付费}元补贴给单位。\n"
EDITED = "      按每名参培职工每课时{training_subsidy.rates.点播免费}元或{training_subsidy.rates.点播付费}元补贴给所在单位。\n"


@pytest.fixture(scope="module")
def own_knowledge(tmp_path_factory):
    """Servers reading a copy of the knowledge base, so that the test can edit it."""
    root = tmp_path_factory.mktemp("answer-edits")
    folder = root / "knowledge"
    shutil.copytree(PROJECT_ROOT / "knowledge", folder)
    with running_servers(root / "servers", extra_env={"BOT_KNOWLEDGE_DIR": str(folder)}) as running:
        yield running.rest_url, folder


def ask(url: str) -> str:
    response = requests.post(url, json={"sender": f"e2e-{uuid.uuid4().hex[:8]}", "message": QUESTION}, timeout=30)
    response.raise_for_status()
    return "\n".join(message.get("text", "") for message in response.json())


def test_an_edited_answer_is_served_within_seconds(own_knowledge):
    url, folder = own_knowledge
    assert "按每人每课时10元或25元补贴给单位" in ask(url)
    path = folder / "003_jxd_part1.yml"
    text = path.read_text(encoding="utf-8")
    assert text.count(LINE) == 1
    path.write_text(text.replace(LINE, EDITED), encoding="utf-8")
    deadline = time.monotonic() + 10
    while "按每名参培职工每课时10元或25元补贴给所在单位" not in ask(url):
        assert time.monotonic() < deadline, "the edited answer was not served within 10 seconds"
        time.sleep(0.5)
    assert "来源：《以训兴业政策及京训钉平台百问百答》" in ask(url)
