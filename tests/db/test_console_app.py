"""The staff console over HTTP: a real server in a subprocess, on SQLite and on PostgreSQL, with a
stub in place of Rasa's /model/parse so no model is needed."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import re
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import create_engine, select, text, update
from sqlalchemy.engine import make_url

from bench.servers import free_port
from bot.cluster import stop_processes, wait_until_up
from bot.console.repository import StaffRepository
from bot.db import dispose_engines, session_scope
from bot.db.migrate import upgrade
from bot.db.models import StaffSession
from bot.db.repositories import CallbackRepository, UnansweredRepository
from tests.db.conftest import TEST_PII_KEY
from tests.db.databases import drop_database

ROOT = Path(__file__).resolve().parents[2]
RASA_TOKEN = "stub-rasa-token"
PASSWORD = "a long enough password"
PHONE = "13912345678"


def ranking(*entries):
    return [{"id": index, "confidence": confidence, "intent_response_key": f"faq/{key}"}
            for index, (key, confidence) in enumerate(entries)]


PARSES = {
    "从业人员考试是开卷吗": ("faq", ranking(("hrm_q10_exam_content", 0.91), ("ask_open_book", 0.05),
                                        ("ata_closed_book", 0.02), ("jxd_q32_class_size_limit", 0.01))),
    "班级": ("faq", ranking(("jxd_q32_class_size_limit", 0.40), ("jxd_q33_one_class_all_staff", 0.38),
                           ("jxd_q53_one_learner_one_class", 0.10))),
    "我干了8年人事能报几级": ("ask_eligibility", ranking(("hrm_q10_exam_content", 0.02))),
}


class StubRasa(BaseHTTPRequestHandler):
    """POST /model/parse?token=… like Rasa's HTTP API; "出故障" gets a 500, a wrong token a 401."""

    def do_POST(self):  # noqa: N802 (http.server's naming)
        parts = urlsplit(self.path)
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        self.server.requests.append(body.get("text"))
        if parts.path != "/model/parse" or parse_qs(parts.query).get("token") != [RASA_TOKEN]:
            return self._reply(401, {"message": "unauthorized"})
        if body.get("text") == "出故障":
            return self._reply(500, {"message": "boom"})
        intent, faq_ranking = PARSES.get(body.get("text"), ("out_of_scope", []))
        return self._reply(200, {
            "text": body.get("text"), "intent": {"name": intent, "confidence": 0.9}, "entities": [],
            "response_selector": {"all_retrieval_intents": ["faq"],
                                  "faq": {"response": {}, "ranking": faq_ranking}},
        })

    def _reply(self, status, data):
        payload = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def stub_rasa():
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubRasa)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def console_database(request, tmp_path_factory):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('console') / 'assistant.db'}"
        return
    admin_url = os.environ.get("TEST_POSTGRES_URL", "").strip()
    if not admin_url:
        if os.environ.get("BOT_REQUIRE_POSTGRES") == "1":
            pytest.fail("TEST_POSTGRES_URL is not set, and BOT_REQUIRE_POSTGRES=1")
        pytest.skip("TEST_POSTGRES_URL is not set")
    name = f"bot_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        dispose_engines()
        drop_database(admin, name)
        admin.dispose()


def start_console(database_url, rasa_url, workdir):
    """`python -m bot.console` on a spare port; returns (process, base URL, log path) once it answers."""
    port = free_port()
    log = workdir / "console.log"
    # The inbox writes training data: into copies, never into the project's own files.
    knowledge, nlu = workdir / "knowledge", workdir / "nlu"
    shutil.copytree(ROOT / "knowledge", knowledge)
    nlu.mkdir()
    shutil.copy(ROOT / "data/nlu/out_of_scope.yml", nlu / "out_of_scope.yml")
    env = {**os.environ, "DATABASE_URL": database_url, "BOT_DATA_DIR": str(workdir),
           "BOT_PII_KEY": TEST_PII_KEY, "RASA_URL": rasa_url, "RASA_API_TOKEN": RASA_TOKEN,
           "CONSOLE_SESSION_HOURS": "8", "PYTHONPATH": str(ROOT),
           "BOT_KNOWLEDGE_DIR": str(knowledge), "BOT_NLU_DATA_DIR": str(nlu)}
    with log.open("w") as output:
        process = subprocess.Popen([sys.executable, "-m", "bot.console", "--port", str(port)], cwd=ROOT, env=env,
                                   stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/healthz", process, log, 60, "console")
    except RuntimeError as error:
        stop(process)
        pytest.fail(str(error))
    return process, base, log


def stop(process):
    stop_processes([process], timeout=15)


@pytest.fixture(scope="module")
def console(console_database, stub_rasa, tmp_path_factory):
    """The console with three staff accounts; yields its base URL, database and log."""
    upgrade(console_database)
    with session_scope(console_database) as session:
        staff = StaffRepository(session)
        staff.add("李老师", PASSWORD)
        staff.add("锁定测试", PASSWORD)
        staff.add("停用测试", PASSWORD)
    process, base, log = start_console(console_database, f"http://127.0.0.1:{stub_rasa.server_port}",
                                       tmp_path_factory.mktemp("console-run"))
    try:
        yield {"url": base, "database": console_database, "log": log}
    finally:
        stop(process)


@pytest.fixture(scope="module")
def console_without_rasa(tmp_path_factory):
    """The console on SQLite with RASA_URL naming a port where nothing listens."""
    workdir = tmp_path_factory.mktemp("console-no-rasa")
    database_url = f"sqlite:///{workdir / 'assistant.db'}"
    upgrade(database_url)
    with session_scope(database_url) as session:
        StaffRepository(session).add("李老师", PASSWORD)
    process, base, log = start_console(database_url, f"http://127.0.0.1:{free_port()}", workdir)
    try:
        yield {"url": base, "database": database_url, "log": log}
    finally:
        stop(process)


def form_token(html, name="csrf_token"):
    match = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert match, html[:2000]
    return match.group(1)


def sign_in(console, name="李老师", password=PASSWORD):
    client = requests.Session()
    page = client.get(f"{console['url']}/signin")
    response = client.post(f"{console['url']}/signin", allow_redirects=False,
                           data={"name": name, "password": password, "signin_token": form_token(page.text, "signin_token")})
    return client, response


@pytest.fixture
def staff_client(console):
    client, response = sign_in(console)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    home = client.get(f"{console['url']}/")
    client.csrf = form_token(home.text)
    return client


def post(client, console, path, **data):
    return client.post(f"{console['url']}{path}", data={"csrf_token": client.csrf, **data}, allow_redirects=False)


# --- access ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/calculators/eligibility", "/calculators/subsidy", "/callbacks",
                                  "/unanswered", "/reports", "/reports.csv", "/no-such-page"])
def test_every_page_needs_a_session(console, path):
    response = requests.get(f"{console['url']}{path}", allow_redirects=False)
    assert response.status_code == 303 and response.headers["Location"] == "/signin"


def test_a_post_without_a_session_is_refused(console, stub_rasa):
    before = len(stub_rasa.requests)
    response = requests.post(f"{console['url']}/ask", data={"question": "考试"}, allow_redirects=False)
    assert response.status_code == 403 and "请重新登录" in response.text
    assert len(stub_rasa.requests) == before


def test_security_headers(console, staff_client):
    for path in ("/signin", "/", "/callbacks"):
        response = staff_client.get(f"{console['url']}{path}")
        assert response.status_code == 200
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"
        assert "Strict-Transport-Security" not in response.headers  # plain http here
    css = requests.get(f"{console['url']}/static/console.css")
    assert css.status_code == 200 and "Noto Sans CJK SC" in css.text and "@import" not in css.text


def test_pages_load_nothing_from_elsewhere(console, staff_client):
    for path in ("/", "/calculators/eligibility", "/calculators/subsidy", "/callbacks", "/unanswered", "/reports"):
        html = staff_client.get(f"{console['url']}{path}").text
        assert not re.search(r'(src|href)="(https?:)?//', html), path
        # One script, our own; nothing inline (the policy allows only 'self').
        assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/console.js" defer>'], path


def test_errors_are_chinese_pages(console, staff_client):
    response = staff_client.get(f"{console['url']}/no-such-page")
    assert response.status_code == 404 and "页面不存在" in response.text
    response = staff_client.post(f"{console['url']}/ask", data={"csrf_token": staff_client.csrf,
                                                                 "question": "问" * 70_000})
    assert response.status_code == 413 and "太长" in response.text


# --- sign-in --------------------------------------------------------------------------------------

def test_sign_in_sets_a_strict_http_only_cookie_and_stores_only_its_hash(console):
    client, response = sign_in(console)
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert "console_session=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Secure" not in cookie and "Max-Age=28800" in cookie
    token = client.cookies["console_session"]
    with session_scope(console["database"]) as session:
        stored = session.execute(select(StaffSession.token_hash)).scalars().all()
    assert token not in stored and len(stored[0]) == 64
    assert "李老师" in client.get(f"{console['url']}/").text


def test_signing_in_again_replaces_the_session(console):
    client, _ = sign_in(console)
    old = client.cookies["console_session"]
    page = client.get(f"{console['url']}/signin")
    response = client.post(f"{console['url']}/signin", allow_redirects=False, data={
        "name": "李老师", "password": PASSWORD, "signin_token": form_token(page.text, "signin_token")})
    assert response.status_code == 303 and client.cookies["console_session"] != old
    again = requests.get(f"{console['url']}/", cookies={"console_session": old}, allow_redirects=False)
    assert again.status_code == 303


def test_a_wrong_password_is_refused(console):
    client, response = sign_in(console, password="not the password")
    assert response.status_code == 401 and "账号或密码不对" in response.text
    assert "console_session" not in client.cookies
    assert "not the password" not in response.text
    client, response = sign_in(console, name="没有这个人")
    assert response.status_code == 401 and "账号或密码不对" in response.text


def test_sign_in_without_the_form_token_is_refused(console):
    response = requests.post(f"{console['url']}/signin", data={"name": "李老师", "password": PASSWORD},
                             allow_redirects=False)
    assert response.status_code == 400 and "已过期" in response.text


def test_the_sign_in_form_survives_other_requests(console):
    """A browser fetches /favicon.ico and may open other pages meanwhile: the form it shows stays valid."""
    client = requests.Session()
    token = form_token(client.get(f"{console['url']}/signin").text, "signin_token")
    assert client.get(f"{console['url']}/favicon.ico", allow_redirects=False).status_code == 204
    assert client.get(f"{console['url']}/callbacks").url.endswith("/signin")  # redirected to a second form
    response = client.post(f"{console['url']}/signin", allow_redirects=False,
                           data={"name": "李老师", "password": PASSWORD, "signin_token": token})
    assert response.status_code == 303
    assert "console_signin=;" in response.headers["Set-Cookie"] or "Max-Age=0" in response.headers["Set-Cookie"]


def test_five_wrong_passwords_lock_the_account(console):
    for _ in range(4):
        assert sign_in(console, "锁定测试", "wrong password")[1].status_code == 401
    _, response = sign_in(console, "锁定测试", "wrong password")
    assert response.status_code == 429 and "锁定" in response.text
    _, response = sign_in(console, "锁定测试", PASSWORD)  # even the right password, for a minute
    assert response.status_code == 429


def test_someone_guessing_behind_the_office_proxy_does_not_block_colleagues(console):
    """Every request here comes from 127.0.0.1, like staff behind one proxy."""
    statuses = [sign_in(console, "没有这个人", "guess")[1].status_code for _ in range(11)]
    assert statuses[0] == 401 and statuses[-1] == 429  # locked out, that name from this address
    assert sign_in(console)[1].status_code == 303  # a colleague at the same address signs in


def test_a_disabled_account_is_signed_out_and_refused(console):
    client, response = sign_in(console, "停用测试")
    assert response.status_code == 303
    with session_scope(console["database"]) as session:
        StaffRepository(session).disable("停用测试")
    assert client.get(f"{console['url']}/", allow_redirects=False).status_code == 303
    _, response = sign_in(console, "停用测试")
    assert response.status_code == 403 and "已停用" in response.text


def test_an_expired_session_must_sign_in_again(console):
    client, _ = sign_in(console)
    assert client.get(f"{console['url']}/", allow_redirects=False).status_code == 200
    with session_scope(console["database"]) as session:
        session.execute(update(StaffSession).values(
            expires_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)))
    response = client.get(f"{console['url']}/", allow_redirects=False)
    assert response.status_code == 303 and response.headers["Location"] == "/signin"


def test_sign_out_ends_the_session(console, staff_client):
    token = staff_client.cookies["console_session"]
    response = post(staff_client, console, "/signout")
    assert response.status_code == 303 and response.headers["Location"] == "/signin?bye=1"
    assert "Max-Age=0" in response.headers["Set-Cookie"]
    assert "已退出登录" in staff_client.get(f"{console['url']}/signin?bye=1").text
    again = requests.get(f"{console['url']}/", cookies={"console_session": token}, allow_redirects=False)
    assert again.status_code == 303


# --- CSRF -----------------------------------------------------------------------------------------

def test_posts_need_the_session_csrf_token(console, staff_client, stub_rasa):
    before = len(stub_rasa.requests)
    for data in ({"question": "班级"}, {"question": "班级", "csrf_token": "forged"}):
        response = staff_client.post(f"{console['url']}/ask", data=data, allow_redirects=False)
        assert response.status_code == 403 and "请求被拒绝" in response.text
    other, _ = sign_in(console)
    other_csrf = form_token(other.get(f"{console['url']}/").text)
    assert other_csrf != staff_client.csrf
    response = staff_client.post(f"{console['url']}/ask", data={"question": "班级", "csrf_token": other_csrf})
    assert response.status_code == 403
    assert len(stub_rasa.requests) == before


def test_cross_origin_posts_are_refused(console, staff_client):
    response = staff_client.post(f"{console['url']}/ask", data={"question": "班级", "csrf_token": staff_client.csrf},
                                 headers={"Origin": "http://evil.example"})
    assert response.status_code == 403


# --- ask ------------------------------------------------------------------------------------------

def test_ask_shows_the_answer_source_confidence_and_two_candidates(console, staff_client):
    response = post(staff_client, console, "/ask", question="从业人员考试是开卷吗")
    assert response.status_code == 200
    html = response.text
    assert "会直接回答" in html
    assert "开卷考试，共35道单选题和15道多选题。" in html
    assert "来源：《关于北京市人力资源市场从业人员培训考试若干问题的说明（2021年版）》常见问题第10问" in html
    assert "置信度 91.0%" in html
    assert "其他候选" in html and "考试是开卷还是闭卷？" in html and "置信度 5.0%" in html
    assert "人力资源管理师是开卷还是闭卷？" in html and "置信度 2.0%" in html
    assert "一个培训班最多多少人？" not in html  # only the next two
    assert html.count('<details class="candidate"') == 2
    # Which document, and the confidence in words; the box is ready for the next caller's question.
    assert '<span class="badge doc">从业人员培训考试说明（2021年版）</span>' in html
    assert '<span class="badge sure">有把握</span>' in html
    assert 'id="question"' in html and 'data-select="yes"' in html and 'src="/static/console.js"' in html
    script = staff_client.get(f"{console['url']}/static/console.js")
    assert script.status_code == 200 and "select()" in script.text
    assert "script-src 'self'" in script.headers["Content-Security-Policy"]


def test_ask_shows_when_the_assistant_is_unsure(console, staff_client):
    html = post(staff_client, console, "/ask", question="班级").text
    assert "没有把握" in html and "最可能的答案" in html and "一个培训班最多多少人？" in html


def test_ask_names_another_intent_and_links_its_tool(console, staff_client):
    html = post(staff_client, console, "/ask", question="我干了8年人事能报几级").text
    assert "问能申报几级" in html and "ask_eligibility" in html
    assert 'href="/calculators/eligibility"' in html and "申报等级计算" in html


def test_ask_escapes_what_it_shows(console, staff_client):
    html = post(staff_client, console, "/ask", question='<script>alert("x")</script>').text
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_an_empty_question_is_explained(console, staff_client):
    html = post(staff_client, console, "/ask", question="  ").text
    assert "请先输入来电人的问题" in html


def test_a_failing_rasa_gives_a_chinese_error_not_a_500(console, staff_client):
    response = post(staff_client, console, "/ask", question="出故障")
    assert response.status_code == 200 and "咨询助手暂时无法分析问题（HTTP 500）" in response.text


def test_an_out_of_scope_question_is_refused_honestly(console, staff_client):
    html = post(staff_client, console, "/ask", question="今天天气怎么样").text
    assert "没有把握" in html and "不在四份文件的范围内" in html and "知识库里没有相近的常见问题" in html


def test_an_unreachable_rasa_gives_a_chinese_error(console_without_rasa):
    client, response = sign_in(console_without_rasa)
    client.csrf = form_token(client.get(f"{console_without_rasa['url']}/").text)
    response = post(client, console_without_rasa, "/ask", question="从业人员考试是开卷吗")
    assert response.status_code == 200
    assert "无法连接咨询助手" in response.text and 'value="从业人员考试是开卷吗"' in response.text
    assert "Traceback" not in console_without_rasa["log"].read_text()


# --- calculators ----------------------------------------------------------------------------------

def test_the_eligibility_calculator(console, staff_client):
    html = post(staff_client, console, "/calculators/eligibility", years="8").text
    assert "可申报的最高等级：四级/中级工" in html and "来源：" in html
    html = post(staff_client, console, "/calculators/eligibility", years="-3").text
    assert "不能是负数" in html and 'value="-3"' in html


def test_the_subsidy_calculator(console, staff_client):
    html = post(staff_client, console, "/calculators/subsidy", free="60", paid="40", employees="1").text
    assert "每人1400元" in html and "该政策受理已于2021年12月31日截止" in html and "就高" in html
    html = post(staff_client, console, "/calculators/subsidy", paid="99999").text
    assert "超出了一年内可能学完的课时" in html


def test_the_calculator_forms(console, staff_client):
    html = staff_client.get(f"{console['url']}/calculators/eligibility").text
    assert "三级/高级工" in html and "专科及以上" in html
    html = staff_client.get(f"{console['url']}/calculators/subsidy").text
    assert "点播免费" in html and "线下" in html


# --- work queues ----------------------------------------------------------------------------------

def test_callbacks_show_the_full_number_and_close_with_a_note(console, staff_client):
    with session_scope(console["database"]) as session:
        request_id = CallbackRepository(session).add("王女士", PHONE, "补贴怎么申请", "rest", "someone").id
    html = staff_client.get(f"{console['url']}/callbacks").text
    assert f'href="tel:{PHONE}"' in html and "王女士" in html and "补贴怎么申请" in html

    response = post(staff_client, console, f"/callbacks/{request_id}/close", note=f"已回电 {PHONE}")
    assert response.status_code == 303 and response.headers["Location"] == f"/callbacks?closed={request_id}"
    html = staff_client.get(f"{console['url']}/callbacks?closed={request_id}").text
    assert f"已关闭回电请求 #{request_id}" in html and f'id="callback-{request_id}"' not in html
    html = staff_client.get(f"{console['url']}/callbacks?all=1").text
    assert f'id="callback-{request_id}"' in html and "已处理" in html and "已回电 139****5678" in html
    with session_scope(console["database"]) as session:
        assert CallbackRepository(session).get(request_id).status == "closed"

    response = post(staff_client, console, "/callbacks/999999/close")
    assert response.headers["Location"] == "/callbacks?missing=1"


def test_unanswered_questions_list_and_resolve(console, staff_client):
    with session_scope(console["database"]) as session:
        question_id = UnansweredRepository(session).add(
            "考场在哪里", "rest", [{"key": "jxd_q32_class_size_limit", "question": "一个培训班最多多少人？",
                                    "confidence": 0.31}]).id
    html = staff_client.get(f"{console['url']}/unanswered").text
    assert "考场在哪里" in html and "一个培训班最多多少人？" in html and "置信度 31.0%" in html
    response = post(staff_client, console, f"/unanswered/{question_id}/resolve")
    assert response.status_code == 303 and response.headers["Location"].startswith("/unanswered?done=")
    html = staff_client.get(f"{console['url']}/unanswered").text
    assert f'id="group-{question_id}"' not in html


def test_the_inbox_groups_questions_and_assigns_a_group_to_an_faq(console, staff_client):
    with session_scope(console["database"]) as session:
        repository = UnansweredRepository(session)
        first = repository.add("培训班人数有没有上限", "wechat", []).id
        second = repository.add("培训班人数有没有上限？", "rest", []).id
        other = repository.add("公租房怎么申请呢", "rest", []).id
    html = staff_client.get(f"{console['url']}/unanswered").text
    assert f'id="group-{second}"' in html and f'id="group-{first}"' not in html and "2 次" in html

    html = staff_client.get(f"{console['url']}/unanswered?channel=wechat").text
    assert f'id="group-{first}"' in html and f'id="group-{other}"' not in html and "1 次" in html

    response = post(staff_client, console, f"/unanswered/{first}/assign", back="/unanswered?channel=rest",
                    next=str(other), faq_key="jxd_q32_class_size_limit 一个培训班最多多少人？")
    location = response.headers["Location"]
    assert response.status_code == 303 and location.startswith("/unanswered?channel=rest&done=")
    assert location.endswith(f"#group-{other}"), "the page keeps its place: the next group"
    knowledge = Path(console["log"]).parent / "knowledge" / "003_jxd_part1.yml"
    assert "- 培训班人数有没有上限？" in knowledge.read_text(encoding="utf-8")
    html = staff_client.get(f"{console['url']}{location.split('#')[0]}").text
    assert "已归入常见问题：关闭 2 条" in html and f'id="group-{second}"' not in html

    response = post(staff_client, console, f"/unanswered/{other}/out-of-scope", back="/evil.example/")
    assert response.headers["Location"].startswith("/unanswered?done=")
    nlu = Path(console["log"]).parent / "nlu" / "out_of_scope.yml"
    assert "- 公租房怎么申请呢" in nlu.read_text(encoding="utf-8")
    response = post(staff_client, console, f"/unanswered/{other}/out-of-scope")
    assert "problem=" in response.headers["Location"]


def test_staff_log_a_callers_question(console, staff_client):
    response = post(staff_client, console, "/unanswered/log", question="  培训证书丢了 能补吗 ")
    assert response.status_code == 303
    html = staff_client.get(f"{console['url']}/unanswered?channel=phone").text
    assert "培训证书丢了 能补吗" in html
    response = post(staff_client, console, "/unanswered/log", question="   ")
    assert "problem=" in response.headers["Location"]


def test_the_home_page_has_the_ask_box_and_the_consultation_banner(console, staff_client):
    html = staff_client.get(f"{console['url']}/").text
    assert 'action="/ask"' in html and 'name="question"' in html
    assert 'id="consultation"' in html and ("现在是咨询时间" in html or "现在不在咨询时间" in html)
    assert "周一至周五" in html


def test_the_log_holds_no_phone_number_nor_password(console, staff_client):
    time.sleep(0.5)
    log = console["log"].read_text(encoding="utf-8", errors="replace")
    assert "sign-in: 李老师" in log and "sign-in refused (wrong): 李老师" in log
    assert "unknown account" in log and "没有这个人" not in log
    assert PHONE not in log and PASSWORD not in log and "wrong password" not in log
    assert "Traceback" not in log


def test_a_calculator_opened_from_a_question_is_filled_in_and_shows_the_verdict_first(console, staff_client):
    html = staff_client.get(f"{console['url']}/calculators/eligibility",
                            params={"q": "我干了6年人事 有四级证 拿证后干了5年 大专 能报几级"}).text
    assert "可申报的最高等级：三级/高级工" in html
    assert html.index("可申报的最高等级") < html.index('<form method="post" action="/calculators/eligibility"')
    assert 'name="years" value="6"' in html and '<option value="四级/中级工" selected>' in html
    html = staff_client.get(f"{console['url']}/calculators/subsidy",
                            params={"q": "我们公司20个人 每人学了免费课30课时 付费课20课时 能补多少"}).text
    assert "每人700元，20人共14000元" in html and "2021年12月31日截止" in html
    assert html.index("每人700元") < html.index('<form method="post" action="/calculators/subsidy"')


def test_the_report_page_shows_the_figures_and_exports_them(console, staff_client):
    with session_scope(console["database"]) as session:
        UnansweredRepository(session).add("积分落户的分数线是多少", "wechat", [])
        CallbackRepository(session).add("赵先生", PHONE, "补贴到账时间", "rest", "someone")
    html = staff_client.get(f"{console['url']}/reports?days=7").text
    assert "<svg" in html and "每天的消息数（按渠道）" in html and "回答情况" in html
    assert "积分落户的分数线是多少" in html and "等待回电 <strong>" in html
    assert "<strong>7 天</strong>" in html
    exported = staff_client.get(f"{console['url']}/reports.csv?days=7")
    assert exported.status_code == 200 and exported.headers["Content-Type"].startswith("text/csv")
    text = exported.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "日期,合计" and "积分落户的分数线是多少" in text
    assert requests.get(f"{console['url']}/reports", allow_redirects=False).status_code == 303


def test_the_exam_date_is_looked_up_by_id_number_and_the_number_is_masked(console, staff_client):
    from bot.db.models import EXAM_KIND_PRACTITIONER
    from bot.db.repositories import ExamSessionRepository, RegistrationRepository

    number = "11010519491231002X"
    with session_scope(console["database"]) as session:
        exam = ExamSessionRepository(session).add(exam_kind=EXAM_KIND_PRACTITIONER, title="北京市人力资源市场从业人员培训考试", exam_date=dt.date(2026, 12, 18),
                                                  exam_time="14:00-15:30", place="线上")
        RegistrationRepository(session).add("王芳", number, PHONE, "wf@example.com", exam)
    html = post(staff_client, console, "/exam-lookup", id_number=number).text
    assert "2026年12月18日" in html and "14:00-15:30" in html and "1101**********002X" in html
    assert number not in html and number not in console["log"].read_text(encoding="utf-8")
    assert "来源：《关于北京市人力资源市场从业人员培训考试若干问题的说明（2021年版）》" in html
    html = post(staff_client, console, "/exam-lookup", id_number="110105194912310021").text
    assert 'role="alert"' in html and "校验" in html
    html = post(staff_client, console, "/exam-lookup", id_number="110101199003077777").text
    assert "没有查到" in html or 'role="alert"' in html
