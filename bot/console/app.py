"""The support-staff console: a small Sanic app for staff answering the phone.

This module holds sign-in, sessions and security; each page is a module of its own that registers its
routes (all but sign-in need a session):

    GET  /signin, POST /signin, POST /signout, GET /healthz ("ok", for start-up scripts)   here
    GET  /, POST /ask              ask_pages: what the assistant would answer, its document and confidence
    GET|POST /calculators/eligibility, /calculators/subsidy, /exam-lookup               calculator_pages
    GET  /callbacks, POST /callbacks/<id>/close, POST /unanswered/<id>/resolve           queue_pages
    GET  /unanswered, POST /unanswered/<id>/{assign,out-of-scope,new-faq}, /unanswered/log  inbox_pages
    GET  /reports, /reports.csv                                                          report_pages

Every POST carries the session's CSRF token (the sign-in form a token of its own, tied to a cookie),
and is refused if the browser says it comes from another origin. Database work and password hashing
run in worker threads so a slow disk or Argon2 never stalls the event loop.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from pathlib import Path
from typing import Any, Callable, Dict, Optional, TypeVar

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic, response
from sanic.exceptions import MethodNotSupported, NotFound, PayloadTooLarge, SanicException
from sanic.request import Request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot import settings
from bot.calendar import load_calendar
from bot.console import ask, ask_pages, calculator_pages, inbox_pages, queue_pages, report_pages
from bot.console.config import ConsoleConfig
from bot.console.repository import (
    DISABLED,
    LOCKED,
    MAX_NAME_LENGTH,
    MAX_PASSWORD_LENGTH,
    SIGNED_IN,
    StaffRepository,
    csrf_token_for,
)
from bot.console.security import (
    BASE_HEADERS,
    HSTS,
    NO_STORE,
    STATIC_CACHE,
    SignInThrottle,
    clear_cookie,
    new_form_token,
    same_origin,
    session_cookie_name,
    set_cookie,
    signin_cookie_name,
    tokens_match,
)
from bot.db import migrate, session_scope
from bot.db.repositories import CallbackRepository, UnansweredRepository
from bot.knowledge import load_knowledge_base
from bot.policy.placeholders import render
from bot.rules.consultation import beijing_now, consultation_status, describe_hours, describe_opening, format_beijing

logger = logging.getLogger("bot.console")

HERE = Path(__file__).resolve().parent
PUBLIC_PATHS = {"/signin", "/healthz", "/favicon.ico"}
SIGNIN_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # what new_form_token() makes
# A failed sign-in answers no sooner than this, on top of the password hashing.
FAILED_SIGN_IN_DELAY_SECONDS = 0.5
SIGNIN_FORM_SECONDS = 3600

T = TypeVar("T")


def templates() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["percent"] = ask.percent
    environment.filters["beijing"] = lambda moment: format_beijing(moment) or ""
    return environment


def consultation_banner(now: Optional[dt.datetime] = None) -> Dict[str, Any]:
    """Whether callers can phone the consultation line now, as chat's "现在能打电话吗" answers it."""
    now = now or beijing_now()
    try:
        status = consultation_status(now, load_calendar())
    except Exception:  # a broken override file must not take the console down
        logger.exception("consultation status unavailable")
        return {"known": False}
    return {
        "known": True,
        "is_open": status.is_open,
        "now": f"{status.now:%H:%M}",
        "closes_at": f"{status.closes_at.hour}:{status.closes_at:%M}" if status.closes_at else "",
        "next_opening": describe_opening(status.next_opening, status.now),
        "approximate": status.approximate,
        "hours": describe_hours(),
        "phones": [render(p, "phone") for p in status.phones],
        "citation": status.citation,
    }


def _open_counts(session: Session) -> Dict[str, int]:
    return {
        "callbacks": CallbackRepository(session).count_open(),
        "unanswered": UnansweredRepository(session).count_open(),
    }


def _declared_length(request: Request) -> int:
    try:
        return int(request.headers.get("content-length") or 0)
    except ValueError:
        return 0


def create_app(config: Optional[ConsoleConfig] = None, name: str = "bot_console") -> Sanic:
    config = config or ConsoleConfig.from_env()
    database_url = config.database_url or settings.database_url()
    app = Sanic(name, configure_logging=False)
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    app.config.REQUEST_TIMEOUT = 30
    app.config.KEEP_ALIVE_TIMEOUT = 5
    app.ctx.config = config
    app.ctx.throttle = SignInThrottle()
    env = templates()
    session_cookie = session_cookie_name(config.secure_cookies)
    signin_cookie = signin_cookie_name(config.secure_cookies)
    session_seconds = int(config.session_hours * 3600)

    async def db(work: Callable[[Session], T]) -> T:
        """`work(session)` in one transaction, in a worker thread."""

        def run() -> T:
            with session_scope(database_url) as session:
                return work(session)

        return await asyncio.to_thread(run)

    def page(request: Request, template: str, status: int = 200, **context: Any) -> response.HTTPResponse:
        body = env.get_template(template).render(
            staff=getattr(request.ctx, "staff", None),
            csrf_token=getattr(request.ctx, "csrf", None),
            banner=consultation_banner(),
            counts=getattr(request.ctx, "counts", None),
            path=request.path,
            **context,
        )
        return response.html(body, status=status)

    # --- start-up ---------------------------------------------------------------------------------

    @app.before_server_start
    async def prepare(app_: Sanic, _loop) -> None:
        await asyncio.to_thread(migrate.ensure_schema, database_url)
        await asyncio.to_thread(load_knowledge_base)
        logger.info("staff console ready; Rasa at %s", config.rasa_url)

    # --- every request ----------------------------------------------------------------------------

    @app.middleware("request")
    async def authenticate(request: Request):
        request.ctx.staff = None
        request.ctx.csrf = None
        # Sanic runs this middleware for its own errors too, before the error handler: an oversized body
        # (refused unread) must not be taken for a form without a CSRF token.
        if _declared_length(request) > app.config.REQUEST_MAX_SIZE:
            return page(request, "error.html", status=413, title="内容太长", message="提交的内容太长了，请删减后重试。")
        if request.method == "POST" and not same_origin(request.headers.get("origin"), request.host):
            logger.warning("POST %s refused: cross-origin request", request.path)
            return page(
                request,
                "error.html",
                status=403,
                title="请求被拒绝",
                message="这个请求来自其他网站，已被拒绝。请直接在控制台中操作。",
            )
        if request.path in PUBLIC_PATHS or request.path.startswith("/static/"):
            return None
        token = request.cookies.get(session_cookie)

        def lookup(session: Session):
            record = StaffRepository(session).get_by_session_token(token) if token else None
            if record is None:
                return None
            return record.account.name, _open_counts(session)

        try:
            found = await db(lookup) if token else None
        except SQLAlchemyError as error:
            return database_unavailable(request, error)
        if not token or found is None:  # without a token nothing was looked up
            if request.method in ("GET", "HEAD"):
                return response.redirect("/signin", status=303)
            return page(
                request,
                "error.html",
                status=403,
                title="请重新登录",
                message="登录已过期或尚未登录，请重新登录后再操作。",
                signin_link=True,
            )
        request.ctx.staff, request.ctx.counts = found
        request.ctx.token = token
        request.ctx.csrf = csrf_token_for(token)
        if request.method == "POST" and not tokens_match(request.ctx.csrf, request.form.get("csrf_token")):
            logger.warning("POST %s refused for %s: missing or wrong CSRF token", request.path, request.ctx.staff)
            return page(
                request,
                "error.html",
                status=403,
                title="请求被拒绝",
                message="页面已过期或请求无效，请刷新页面后重试。",
            )
        return None

    @app.middleware("response")
    async def security_headers(request: Request, resp: response.HTTPResponse) -> None:
        for header, value in BASE_HEADERS.items():
            resp.headers[header] = value
        static = request.path.startswith("/static/") and resp.status == 200
        resp.headers["Cache-Control"] = STATIC_CACHE if static else NO_STORE
        if not static:
            resp.headers["Pragma"] = "no-cache"
        if config.secure_cookies:
            resp.headers["Strict-Transport-Security"] = HSTS

    # --- errors: a Chinese page, never a stack trace ----------------------------------------------

    @app.exception(NotFound)
    async def not_found(request: Request, _error):
        return page(request, "error.html", status=404, title="页面不存在", message="没有这个页面。")

    @app.exception(MethodNotSupported)
    async def wrong_method(request: Request, _error):
        return page(request, "error.html", status=405, title="不支持的操作", message="请从控制台页面上的按钮操作。")

    @app.exception(PayloadTooLarge)
    async def too_large(request: Request, _error):
        return page(request, "error.html", status=413, title="内容太长", message="提交的内容太长了，请删减后重试。")

    @app.exception(SanicException)
    async def other_http_error(request: Request, error: SanicException):
        status = getattr(error, "status_code", 400) or 400
        if status >= 500:
            logger.error("request to %s failed: %s", request.path, error.__class__.__name__)
        return page(request, "error.html", status=status, title="请求无法处理", message="请求无法处理，请返回重试。")

    def database_unavailable(request: Request, error: SQLAlchemyError) -> response.HTTPResponse:
        # The driver's message only: statements and their parameters stay out of the log.
        logger.error("database error on %s: %s", request.path, getattr(error, "orig", None) or error.__class__.__name__)
        return page(
            request,
            "error.html",
            status=503,
            title="数据库暂时无法访问",
            message="数据库暂时无法访问，请稍后再试；如果一直这样，请联系管理员。",
        )

    @app.exception(SQLAlchemyError)
    async def database_error(request: Request, error: SQLAlchemyError):
        return database_unavailable(request, error)

    @app.exception(Exception)
    async def unexpected(request: Request, error: Exception):
        logger.error("request to %s failed", request.path, exc_info=error)
        return page(
            request, "error.html", status=500, title="出错了", message="控制台出错了，请稍后再试。问题已记录在日志中。"
        )

    # --- sign-in ----------------------------------------------------------------------------------

    def signin_page(
        request: Request, status: int = 200, error: Optional[str] = None, name: str = "", notice: Optional[str] = None
    ) -> response.HTTPResponse:
        # The cookie is kept while it lasts, so two sign-in tabs (or a stray request that lands here)
        # do not invalidate each other's form.
        form_token = request.cookies.get(signin_cookie) or ""
        if not SIGNIN_TOKEN.fullmatch(form_token):
            form_token = new_form_token()
        resp = page(
            request,
            "signin.html",
            status=status,
            error=error,
            name=name,
            notice=notice,
            signin_token=form_token,
            session_hours=config.session_hours,
        )
        set_cookie(resp, signin_cookie, form_token, SIGNIN_FORM_SECONDS, config.secure_cookies)
        return resp

    @app.get("/signin")
    async def signin_form(request: Request):
        notice = "已退出登录。" if request.args.get("bye") else None
        return signin_page(request, notice=notice)

    @app.post("/signin")
    async def signin(request: Request):
        if not tokens_match(request.cookies.get(signin_cookie), request.form.get("signin_token")):
            return signin_page(request, status=400, error="登录页面已过期，请重新输入账号和密码。")
        client = request.ip or "unknown"
        name = (request.form.get("name") or "").strip()[:MAX_NAME_LENGTH]
        password = (request.form.get("password") or "")[: MAX_PASSWORD_LENGTH + 1]
        throttle: SignInThrottle = app.ctx.throttle
        if throttle.blocked(client, name):
            logger.warning("sign-in refused: too many failures from %s", client)
            return signin_page(request, status=429, error="登录失败次数太多，请1分钟后再试。", name=name)

        previous = request.cookies.get(session_cookie)

        def attempt(session: Session):
            staff = StaffRepository(session)
            staff.purge_expired()
            staff.delete_session(previous)  # a sign-in always starts a fresh session
            result = staff.verify_password(name, password)
            token = None
            if result.ok:
                if result.account is None:  # a sign-in succeeds only for an existing account
                    raise RuntimeError("signed in without an account")
                token = staff.create_session(result.account, config.session_hours)[0]
            return result.outcome, result.account is not None, token

        outcome, known, token = await db(attempt)
        if outcome == SIGNED_IN:
            throttle.succeeded(client, name)
            logger.info("sign-in: %s from %s", name, client)
            resp = response.redirect("/", status=303)
            set_cookie(resp, session_cookie, token, session_seconds, config.secure_cookies)
            clear_cookie(resp, signin_cookie, config.secure_cookies)
            return resp
        throttle.failed(client, name)
        # The name is logged only when it is an account's: a mistyped password in the name field stays out.
        logger.warning("sign-in refused (%s): %s from %s", outcome, name if known else "unknown account", client)
        await asyncio.sleep(FAILED_SIGN_IN_DELAY_SECONDS)
        if outcome == LOCKED:
            return signin_page(
                request, status=429, name=name, error="这个账号连续输错密码次数太多，已暂时锁定，请1分钟后再试。"
            )
        if outcome == DISABLED:
            return signin_page(request, status=403, name=name, error="这个账号已停用，请联系管理员。")
        return signin_page(request, status=401, name=name, error="账号或密码不对，请重新输入。")

    @app.post("/signout")
    async def signout(request: Request):
        token = request.ctx.token
        await db(lambda session: StaffRepository(session).delete_session(token))
        logger.info("sign-out: %s", request.ctx.staff)
        resp = response.redirect("/signin?bye=1", status=303)
        clear_cookie(resp, session_cookie, config.secure_cookies)
        return resp

    @app.get("/healthz")
    async def health(_request: Request):
        return response.text("ok")

    @app.get("/favicon.ico")
    async def favicon(_request: Request):
        return response.empty()  # browsers ask for it on every page; no icon, and no redirect to sign-in

    # --- ask --------------------------------------------------------------------------------------

    ask_pages.register(app, page, config)
    calculator_pages.register(app, db, page)
    queue_pages.register(app, db, page)
    inbox_pages.register(app, db, page)
    report_pages.register(app, db, page)
    app.static("/static", str(HERE / "static"), name="static")
    return app
