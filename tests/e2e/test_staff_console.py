"""The staff console in Debian's Chromium, on the trained model: sign in, ask, calculate, work the callback
queue, sign out. Screenshots go to results/browser/."""
from __future__ import annotations

import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests

from bench.servers import free_port, running_servers
from bot.cluster import stop_processes, wait_until_up
from tests.e2e.browser import SCREENSHOTS

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ADMIN = Path(sys.executable).parent / "bot-admin"
STAFF = "测试员"
PASSWORD = "e2e console password"
CALLBACK_PHONE = "13987654321"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    with running_servers(tmp_path_factory.mktemp("console-servers"),
                         extra_env={"BOT_PII_KEY": "e2e-console-key"}) as running:
        yield running


@pytest.fixture(scope="module")
def console(servers, tmp_path_factory):
    added = subprocess.run([str(ADMIN), "staff", "add", STAFF, "--password-stdin"], input=PASSWORD + "\n",
                           env=servers.env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert added.returncode == 0, added.stdout + added.stderr
    port = free_port()
    log = tmp_path_factory.mktemp("console") / "console.log"
    env = {**servers.env, "RASA_URL": servers.base_url, "RASA_API_TOKEN": servers.api_token}
    with log.open("w") as output:
        process = subprocess.Popen([sys.executable, "-m", "bot.console", "--port", str(port)], cwd=ROOT, env=env,
                                   stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/healthz", process, log, 90, "console")
        yield {"url": base, "log": log}
    finally:
        stop_processes([process])


@pytest.fixture(scope="module")
def callback_request(servers):
    """A visitor leaves a callback request through the REST channel, as in chat."""
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    for text in ("预约回电", "赵先生", CALLBACK_PHONE, "以训兴业补贴怎么申请"):
        response = requests.post(servers.rest_url, json={"sender": sender, "message": text}, timeout=60)
        response.raise_for_status()
    assert "已登记您的回电请求" in "".join(reply.get("text", "") for reply in response.json())
    return "赵先生"


def shot(page, name):
    page.screenshot(path=str(SCREENSHOTS / f"console-{name}.png"), full_page=True)


def sign_in(page, console, password=PASSWORD):
    page.goto(f"{console['url']}/signin")
    page.fill("input[name=name]", STAFF)
    page.fill("input[name=password]", password)
    page.click("form.stack button[type=submit]")


def test_staff_console_in_a_browser(browser, console, callback_request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    blocked = []
    page.on("request", lambda request: blocked.append(request.url)
            if not request.url.startswith(console["url"]) else None)

    # Every page needs a session.
    page.goto(f"{console['url']}/")
    assert page.url.endswith("/signin")
    shot(page, "01-signin")

    # A wrong password is refused.
    sign_in(page, console, password="not the password at all")
    assert "账号或密码不对" in page.inner_text(".error")
    shot(page, "02-wrong-password")

    sign_in(page, console)
    assert page.url == f"{console['url']}/"
    assert STAFF in page.inner_text(".signout")
    banner = page.inner_text("#consultation")
    assert "现在是咨询时间" in banner or "现在不在咨询时间" in banner

    # Ask: the answer, its source, its confidence, and two more candidates that open on a click.
    page.fill("input[name=question]", "从业人员考试是开卷吗")
    page.click("form.ask button[type=submit]")
    result = page.locator("section.result")
    result.wait_for()
    # The box is ready for the next caller's question: focused, its text selected.
    assert page.evaluate("document.activeElement.id") == "question"
    assert page.evaluate("window.getSelection().toString() || document.activeElement.value.substring("
                         "document.activeElement.selectionStart, document.activeElement.selectionEnd)") == "从业人员考试是开卷吗"
    text = result.inner_text()
    assert "来源：" in text and re.search(r"置信度 \d+\.\d%", text)
    assert "开卷" in page.inner_text(".main-answer")
    candidates = page.locator("details.candidate")
    assert candidates.count() == 2
    first = candidates.nth(0)
    assert not first.locator(":scope > .answer").is_visible()
    first.locator(":scope > summary").click()
    assert first.locator(":scope > .answer").is_visible()
    assert "置信度" in first.locator(":scope > summary").inner_text()
    # The answer names its document and its confidence in words; the box is ready for the next question.
    assert "从业人员培训考试说明" in page.inner_text(".main-answer .badge.doc")
    assert page.inner_text(".main-answer .badge.sure") == "有把握"
    shot(page, "03-ask")

    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "04-ask-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The caller's follow-up is read with the previous question, as in the chat.
    page.fill("input[name=question]", "京训钉单位账号的密码忘了怎么找回")
    page.click("form.ask button[type=submit]")
    page.locator("section.result").wait_for()
    page.fill("input[name=question]", "学员的呢")
    page.click("form.ask button[type=submit]")
    page.locator("section.result .context").wait_for()
    assert "学员" in page.inner_text("section.result .context")
    assert "身份证" in page.inner_text(".main-answer")

    # A calculation request is not an FAQ: the intent is named, with a link to its tool.
    page.fill("input[name=question]", "我干了6年人事，能报几级")
    page.click("form.ask button[type=submit]")
    assert "ask_eligibility" in page.inner_text("section.result .intent")
    page.click("section.result a.tool")
    assert "/calculators/eligibility?q=" in page.url
    # Filled in from the question, with the verdict at the top.
    assert page.input_value("input[name=years]") == "6"
    assert "可申报的最高等级" in page.inner_text("section.result .headline")
    shot(page, "05a-eligibility-from-question")

    # Eligibility: 8 years, no certificate.
    page.fill("input[name=years]", "8")
    page.click("form.grid button[type=submit]")
    assert "可申报的最高等级" in page.inner_text("section.result .headline")
    assert "来源：" in page.inner_text("section.result")
    shot(page, "05-eligibility")
    page.fill("input[name=years]", "-2")
    page.click("form.grid button[type=submit]")
    assert "不能是负数" in page.inner_text(".error")

    # Subsidy: 60 free and 40 paid 课时.
    page.click("nav >> text=补贴估算")
    page.fill("input[name=free]", "60")
    page.fill("input[name=paid]", "40")
    page.click("form.grid button[type=submit]")
    assert "每人1400元" in page.inner_text("section.result .headline")
    shot(page, "06-subsidy")

    # The callback left in chat, with the full number to dial; close it with a note.
    page.click("nav >> text=回电请求")
    item = page.locator("article.item", has_text=callback_request)
    assert item.count() == 1
    assert CALLBACK_PHONE in item.locator(".phone").inner_text()
    shot(page, "07-callbacks")
    item.locator("input[name=note]").fill("已回电，补贴流程已说明")
    item.locator("button[type=submit]").click()
    assert "已关闭回电请求" in page.inner_text(".notice")
    assert page.locator("article.item", has_text=callback_request).count() == 0
    shot(page, "08-callback-closed")

    page.click("nav >> text=未答问题")
    assert "未答问题" in page.inner_text("h1")
    assert page.locator("form.filters").count() == 1 and page.locator("form.log").count() == 1
    shot(page, "10-inbox")

    page.click("nav >> text=报表")
    assert page.locator("svg.chart").count() == 2
    assert "回答情况" in page.inner_text("main")
    shot(page, "11-reports")

    # Sign out: back to the sign-in page, and the console is closed again.
    page.click("form.signout button")
    assert page.url.endswith("/signin?bye=1") and "已退出登录" in page.inner_text(".notice")
    page.goto(f"{console['url']}/callbacks")
    assert page.url.endswith("/signin")
    shot(page, "09-signed-out")

    assert blocked == []  # nothing loaded from anywhere else
    context.close()

    log = console["log"].read_text(encoding="utf-8", errors="replace")
    assert CALLBACK_PHONE not in log and PASSWORD not in log and "Traceback" not in log
    assert f"sign-in: {STAFF}" in log
