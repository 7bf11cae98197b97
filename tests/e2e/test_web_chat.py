"""The website chat page (`python -m bot.web`) in headless Chromium, on a phone-sized screen.

Starts the action server and Rasa on the trained model, then the chat server in front of them, and
holds a conversation the way a visitor would: the welcome menu, a question with a cited answer, a
vague question and one of its suggestions, 人工咨询, a reload, and a dropped connection.
Screenshots of every step go to results/browser/.
"""
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect

from bench.servers import ROOT, free_port, running_servers
from bot.cluster import stop_processes, wait_until_up
from tests.e2e.browser import SCREENSHOTS

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 375, "height": 667}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "zh-CN"}
# The first replies can take several seconds on 2 cores.
REPLY_MS = 60_000
SORRY = "抱歉，我没有完全理解您的问题"


class ChatServer:
    """`python -m bot.web` on a spare port, which the test can stop and start again."""

    def __init__(self, rasa_url: str, env: dict, log: Path):
        self.port, self.rasa_url, self.env, self.log = free_port(), rasa_url, env, log
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process = None

    def start(self, timeout: float = 60.0) -> None:
        with self.log.open("a") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot.web", "--port", str(self.port), "--rasa-url", self.rasa_url],
                cwd=ROOT, env=self.env, stdout=output, stderr=subprocess.STDOUT)
        wait_until_up(self.url + "health", self.process, self.log, timeout, "chat server")

    def stop(self) -> None:
        if self.process:
            stop_processes([self.process])


@pytest.fixture(scope="module")
def chat_server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("web-chat")
    with running_servers(workdir / "servers", extra_env={"BOT_PII_KEY": "e2e-test-key"}) as servers:
        server = ChatServer(servers.base_url, servers.env, workdir / "chat.log")
        server.rasa = servers
        server.start()
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"web-chat-{name}.png"))


def bot_messages(page: Page):
    return page.locator(".message.bot")


def ask(page: Page, text: str) -> int:
    """Type and send a question; return how many assistant messages there were before it."""
    before = bot_messages(page).count()
    page.fill("#input", text)
    page.press("#input", "Enter")
    expect(page.locator(".message.user").last).to_have_text(text)
    return before


def wait_for_reply(page: Page, before: int, pattern: str):
    """The first assistant message after the first `before` ones whose text matches `pattern`."""
    expect(bot_messages(page).nth(before)).to_be_visible(timeout=REPLY_MS)
    deadline = time.monotonic() + REPLY_MS / 1000
    while time.monotonic() < deadline:
        texts = bot_messages(page).all_inner_texts()[before:]
        for offset, text in enumerate(texts):
            if re.search(pattern, text):
                return bot_messages(page).nth(before + offset)
        time.sleep(0.2)
    raise AssertionError(f"no reply matching {pattern!r} after message {before}: {bot_messages(page).all_inner_texts()}")


def test_a_visitor_on_a_phone_asks_chooses_a_suggestion_reaches_a_person_and_reloads(chat_server, page):
    page.goto(chat_server.url)

    # The welcome: the domain's greeting with its menu as buttons; 人工咨询 always in the header.
    welcome = bot_messages(page).first
    expect(welcome).to_contain_text("以训兴业", timeout=REPLY_MS)
    expect(welcome.locator(".quick-reply")).to_have_count(5)
    expect(welcome.locator(".quick-reply").first).to_be_enabled()
    expect(page.locator("header #human")).to_be_visible()
    expect(page.locator("header #human")).to_have_text("人工咨询")
    # Readable on a phone: 16px+ text, line-height about 1.6, nothing wider than the screen.
    bubble = welcome.locator(".bubble")
    assert float(bubble.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 16
    assert 1.5 <= bubble.evaluate("e => parseFloat(getComputedStyle(e).lineHeight) / "
                                  "parseFloat(getComputedStyle(e).fontSize)") <= 1.75
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    expect(page.locator("#input")).to_be_in_viewport()
    shot(page, "01-welcome")

    # A question gets its answer with the "来源：" citation on its own, quieter line.
    before = ask(page, "从业人员考试是开卷吗")
    answer = wait_for_reply(page, before, "来源：")
    expect(answer).to_contain_text("开卷")
    expect(answer.locator(".source")).to_contain_text("来源：《")
    expect(page.locator("#typing")).to_be_hidden()
    assert answer.locator(".source").evaluate("e => getComputedStyle(e).color") != \
        answer.locator(".bubble p:not(.source)").first.evaluate("e => getComputedStyle(e).color")
    shot(page, "02-cited-answer")

    # Something vague: the assistant is unsure and offers suggestions; clicking one answers it.
    before = ask(page, "补贴")
    unsure = wait_for_reply(page, before, "您是不是想问")
    expect(unsure).to_contain_text(SORRY)
    # After a practitioner-exam answer, its consultation line; phone numbers are tel: links (a Beijing
    # number with its area code), so a phone can call at once.
    expect(unsure.locator('a[href="tel:01064400680"]')).to_have_text("010-64400680")
    suggestions = unsure.locator(".quick-reply")
    expect(suggestions.first).to_be_visible()
    assert suggestions.count() >= 2
    shot(page, "03-suggestions")
    title = suggestions.first.inner_text()
    before = bot_messages(page).count()
    suggestions.first.click()
    expect(page.locator(".message.user").last).to_have_text(title)
    for index in range(suggestions.count()):
        expect(suggestions.nth(index)).to_be_disabled()
    chosen_answer = wait_for_reply(page, before, "来源：")
    expect(chosen_answer).not_to_contain_text(SORRY)
    shot(page, "04-suggestion-answered")

    # 人工咨询 in the header after a 京训钉 answer: whom to ask about 京训钉, not the other documents' lines.
    before = bot_messages(page).count()
    page.click("header #human")
    expect(page.locator(".message.user").last).to_have_text("人工咨询")
    contact = wait_for_reply(page, before, "平台服务人员")
    expect(contact).not_to_contain_text("65181122")
    shot(page, "05-human")

    # A reload shows the same conversation, with the used suggestions still disabled, and no new greeting.
    transcript = page.locator("#messages").inner_text()
    count = page.locator(".message").count()
    session_id = page.evaluate("JSON.parse(localStorage.getItem('bj-training-chat/v1')).sessionId")
    assert session_id
    page.reload()
    expect(page.locator(".message")).to_have_count(count)
    assert page.locator("#messages").inner_text() == transcript
    reloaded_suggestions = bot_messages(page).filter(has_text="您是不是想问").last.locator(".quick-reply")
    expect(reloaded_suggestions.first).to_be_disabled()
    expect(reloaded_suggestions.first).to_have_class(re.compile(r"\bchosen\b"))
    page.wait_for_timeout(3000)
    expect(page.locator(".message")).to_have_count(count)  # no second welcome
    shot(page, "06-reloaded")

    # And the conversation goes on after the reload.
    before = ask(page, "一个班最多多少人")
    expect(wait_for_reply(page, before, "来源：")).to_contain_text("999")
    shot(page, "07-after-reload")

    # Rasa kept one conversation across the reload, under the same session id (in the chat page's namespace).
    assert page.evaluate("JSON.parse(localStorage.getItem('bj-training-chat/v1')).sessionId") == session_id
    tracker = requests.get(f"{chat_server.rasa.base_url}/conversations/web:{session_id}/tracker",
                           params={"token": chat_server.rasa.api_token}, timeout=30).json()
    said = [event.get("text") for event in tracker["events"] if event["event"] == "user"]
    assert "从业人员考试是开卷吗" in said and "一个班最多多少人" in said


def test_a_dropped_connection_is_announced_and_the_chat_recovers(chat_server, page):
    page.goto(chat_server.url)
    expect(bot_messages(page).first).to_contain_text("以训兴业", timeout=REPLY_MS)
    status = page.locator("#status")
    expect(status).to_be_hidden()

    chat_server.stop()
    try:
        expect(status).to_have_text("连接中断，正在重连…", timeout=REPLY_MS)
        shot(page, "08-connection-lost")
    finally:
        chat_server.start()
    expect(status).to_be_hidden(timeout=REPLY_MS)

    before = ask(page, "考試是開卷還是閉卷")
    expect(wait_for_reply(page, before, "来源：")).to_contain_text("开卷")
    shot(page, "09-reconnected")


def test_text_is_never_read_as_html(chat_server, page):
    page.goto(chat_server.url)
    expect(bot_messages(page).first).to_contain_text("以训兴业", timeout=REPLY_MS)
    markup = '<img src=x onerror="document.body.dataset.owned=1"><b>粗体</b>'
    ask(page, markup)
    expect(page.locator(".message.user").last.locator("img, b")).to_have_count(0)
    page.wait_for_timeout(500)
    assert page.evaluate("document.body.dataset.owned") is None


def test_a_new_chat_clears_the_transcript_and_starts_a_new_session(chat_server, page):
    page.goto(chat_server.url)
    expect(bot_messages(page).first).to_contain_text("以训兴业", timeout=REPLY_MS)
    before = ask(page, "一个班最多多少人")
    wait_for_reply(page, before, "来源：")
    stored = "JSON.parse(localStorage.getItem('bj-training-chat/v1'))"
    first_session = page.evaluate(f"{stored}.sessionId")

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("header #new-chat")
    expect(bot_messages(page)).to_have_count(1, timeout=REPLY_MS)
    expect(bot_messages(page).first).to_contain_text("以训兴业")
    expect(page.locator(".message.user")).to_have_count(0)
    assert page.evaluate(f"{stored}.sessionId") not in (None, first_session)
    assert len(page.evaluate(f"{stored}.entries")) == 1
