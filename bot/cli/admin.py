"""`bot-admin`: the assistant's data, for staff and operators.

    bot-admin db upgrade                       # schema to the newest version
    bot-admin db downgrade --revision base     # drops the assistant's tables (not Rasa's)
    bot-admin db current
    bot-admin import-registrations 登记.csv     # see docs/examples/registrations.csv
    bot-admin import-sessions 考试场次.csv       # see docs/examples/exam_sessions.csv
    bot-admin callbacks list [--all] [--json]
    bot-admin callbacks close 12 --note "已回电，问题已解决"
    bot-admin unanswered list [--all] [--channel phone] [--limit 20] [--json]   # groups, newest first
    bot-admin unanswered add "考试那天有事没去成咋办" [--channel phone]          # a caller's question
    bot-admin unanswered assign 7 hrm_q9_missed_exam                            # → an FAQ's example
    bot-admin unanswered out-of-scope 7                                         # → an out_of_scope example
    bot-admin unanswered new-faq 7                                              # → a draft in knowledge/drafts.yml
    bot-admin unanswered resolve 7
    bot-admin staff add 李老师                  # asks for the password twice (at least 10 characters)
    echo "$PASSWORD" | bot-admin staff add 李老师 --password-stdin
    bot-admin staff list [--json]
    bot-admin staff disable 李老师              # signs the account out everywhere
    bot-admin staff enable 李老师
    bot-admin staff reset-password 李老师 [--password-stdin]
    bot-admin --database-url postgresql://user:pass@host/db callbacks list

Exit codes: 0 done, 1 rejected (bad file, unknown id, database error), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Optional

from cryptography.fernet import InvalidToken
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot import settings
from bot.console.repository import (
    MIN_PASSWORD_LENGTH,
    StaffError,
    StaffRepository,
    name_problem,
    normalize_name,
    password_problem,
)
from bot.db import migrate, session_scope
from bot.db.imports import ImportReport, import_exam_sessions, import_registrations
from bot.db.models import STATUS_NAMES, STATUS_OPEN, STATUS_RESOLVED, CallbackRequest
from bot.db.repositories import CallbackRepository, RecordNotFound, UnansweredRepository
from bot.inbox.grouping import Group
from bot.inbox.service import NEW_FAQ, RESOLUTION_NAMES, Decision, Filters, Inbox
from bot.inbox.training_data import TrainingDataError
from bot.knowledge import load_knowledge_base
from bot.rules.consultation import format_beijing


def _url(args: argparse.Namespace) -> str:
    return getattr(args, "database_url", None) or settings.database_url()


@contextmanager
def _database(args: argparse.Namespace) -> Iterator[Session]:
    """One transaction on the command's database, brought to the latest schema first."""
    url = _url(args)
    migrate.ensure_schema(url)
    with session_scope(url) as session:
        yield session


def _shown_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


# --- db -------------------------------------------------------------------------------------------


def _db_upgrade(args: argparse.Namespace) -> int:
    url = _url(args)
    migrate.upgrade(url, args.revision)
    print(f"数据库已迁移到版本 {migrate.current_revision(url) or 'base'}（{_shown_url(url)}）")
    return 0


def _db_downgrade(args: argparse.Namespace) -> int:
    url = _url(args)
    migrate.downgrade(url, args.revision)
    print(f"数据库已回退到版本 {migrate.current_revision(url) or 'base'}（{_shown_url(url)}）")
    return 0


def _db_current(args: argparse.Namespace) -> int:
    url = _url(args)
    current = migrate.current_revision(url)
    print(f"当前版本：{current or '未迁移'}；最新版本：{migrate.head_revision()}（{_shown_url(url)}）")
    return 0


# --- imports --------------------------------------------------------------------------------------


def _report(report: ImportReport, what: str) -> int:
    if not report.ok:
        for error in report.errors:
            print(error, file=sys.stderr)
        print(f"共 {len(report.errors)} 处问题，未导入任何记录。请改正后重新导入整个文件。", file=sys.stderr)
        return 1
    detail = f"（新增 {report.added} 条，更新 {report.updated} 条）" if report.updated else ""
    print(f"已导入 {report.imported} 条{what}{detail}")
    return 0


def _import_registrations(args: argparse.Namespace) -> int:
    with _database(args) as session:
        report = import_registrations(session, args.file)
    return _report(report, "培训签到登记")


def _import_sessions(args: argparse.Namespace) -> int:
    with _database(args) as session:
        report = import_exam_sessions(session, args.file)
    return _report(report, "考试场次")


# --- callbacks ------------------------------------------------------------------------------------


def _phone(request: CallbackRequest) -> str:
    try:
        return CallbackRepository.phone_number(request)
    except InvalidToken:
        # Encrypted under another BOT_PII_KEY: show what we can rather than fail the whole list.
        return f"{request.phone_masked}（无法解密，请检查 BOT_PII_KEY）"


def _callback_data(request: CallbackRequest) -> Dict[str, Any]:
    return {
        "id": request.id,
        "created_at": format_beijing(request.created_at),
        "name": request.name,
        "phone": _phone(request),
        "question": request.question,
        "channel": request.channel,
        "sender_id": request.sender_id,
        "status": request.status,
        "closed_at": format_beijing(request.closed_at),
        "staff_note": request.staff_note,
    }


def _callbacks_list(args: argparse.Namespace) -> int:
    with _database(args) as session:
        data = [
            _callback_data(request) for request in CallbackRepository(session).list(None if args.all else STATUS_OPEN)
        ]
    if args.json:
        _print_json(data)
        return 0
    if not data:
        print("没有回电请求。" if args.all else "没有待处理的回电请求。")
        return 0
    for item in data:
        print(
            f"#{item['id']}  {item['created_at']}  {item['name']}  {item['phone']}  "
            f"{STATUS_NAMES.get(item['status'], item['status'])}"
        )
        print(f"    问题：{item['question']}")
        if item["closed_at"]:
            print(f"    处理：{item['closed_at']}  {item['staff_note'] or ''}".rstrip())
    return 0


def _callbacks_close(args: argparse.Namespace) -> int:
    with _database(args) as session:
        request = CallbackRepository(session).close(args.id, args.note)
        print(f"已关闭回电请求 #{request.id}（{request.name} {request.phone_masked}）")
    return 0


# --- unanswered -----------------------------------------------------------------------------------


def _group_data(found: Group, status: str) -> Dict[str, Any]:
    return {
        "id": found.id,
        "question": found.text,
        "count": found.count,
        "ids": found.ids,
        "last_asked": format_beijing(found.last_asked),
        "channels": found.channels,
        "candidates": found.candidates,
        "status": status,
    }


@contextmanager
def _inbox(args: argparse.Namespace) -> Iterator[Inbox]:
    with _database(args) as session:
        yield Inbox(session, load_knowledge_base())


def _unanswered_list(args: argparse.Namespace) -> int:
    """Groups of the same or near-same question, the most recently asked first."""
    statuses = [STATUS_OPEN, STATUS_RESOLVED] if args.all else [STATUS_OPEN]
    with _inbox(args) as inbox:
        data = [
            _group_data(found, status)
            for status in statuses
            for found in inbox.groups(Filters(status=status, channel=args.channel), size=10**9).groups
        ][: args.limit]
    if args.json:
        _print_json(data)
        return 0
    if not data:
        print("没有未答问题。" if args.all else "没有待处理的未答问题。")
        return 0
    for item in data:
        channels = "、".join(f"{name}×{count}" for name, count in item["channels"].items())
        print(
            f"#{item['id']}  {item['count']}次  最近 {item['last_asked']}  [{channels}]  "
            f"{STATUS_NAMES.get(item['status'], item['status'])}"
        )
        print(f"    问题：{item['question']}")
        if item["candidates"]:
            guesses = "、".join(f"{c['question'] or c['key']}（{c['confidence']:.2f}）" for c in item["candidates"])
            print(f"    候选：{guesses}")
    return 0


def _unanswered_add(args: argparse.Namespace) -> int:
    with _inbox(args) as inbox:
        record = inbox.log(args.question, args.channel)
        print(f"已记录未答问题 #{record.id}（{args.channel}）")
    return 0


def _decided(decision: Decision) -> int:
    print(f"{RESOLUTION_NAMES[decision.resolution]}：关闭 {decision.closed} 条；{decision.written}。")
    if decision.resolution != NEW_FAQ:
        print("训练数据已改变：运行 make promote 训练、检查并上线新模型。")
    return 0


def _unanswered_assign(args: argparse.Namespace) -> int:
    with _inbox(args) as inbox:
        return _decided(inbox.assign(args.id, args.faq_key, staff="bot-admin"))


def _unanswered_out_of_scope(args: argparse.Namespace) -> int:
    with _inbox(args) as inbox:
        return _decided(inbox.out_of_scope(args.id, staff="bot-admin"))


def _unanswered_new_faq(args: argparse.Namespace) -> int:
    with _inbox(args) as inbox:
        return _decided(inbox.needs_new_faq(args.id, staff="bot-admin"))


def _unanswered_resolve(args: argparse.Namespace) -> int:
    with _database(args) as session:
        record = UnansweredRepository(session).resolve(args.id)
        print(f"已将未答问题 #{record.id} 标记为已处理")
    return 0


# --- staff console accounts -----------------------------------------------------------------------


def _read_password(args: argparse.Namespace) -> str:
    """From one line of standard input with --password-stdin, else typed twice without echo."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass(f"密码（至少{MIN_PASSWORD_LENGTH}个字符）：")
    problem = password_problem(password)
    if problem:
        raise StaffError(problem)
    if getpass.getpass("再输入一次：") != password:
        raise StaffError("两次输入的密码不一致，未作任何修改。")
    return password


def _staff_add(args: argparse.Namespace) -> int:
    with _database(args) as session:  # a taken or unfit name is refused before the password prompt
        problem = name_problem(args.name)
        if problem:
            raise StaffError(problem)
        if StaffRepository(session).get(args.name) is not None:
            raise StaffError(f"账号“{normalize_name(args.name)}”已经存在。")
    password = _read_password(args)
    with session_scope(_url(args)) as session:
        account = StaffRepository(session).add(args.name, password)
        print(f"已创建工作人员账号：{account.name}")
    return 0


def _staff_state(account, now: dt.datetime) -> str:
    if not account.is_active:
        return "已停用"
    if account.locked_until and account.locked_until > now:
        return f"暂时锁定至 {format_beijing(account.locked_until)}"
    return "启用"


def _staff_list(args: argparse.Namespace) -> int:
    now = dt.datetime.now(dt.timezone.utc)
    with _database(args) as session:
        data = [
            {
                "name": account.name,
                "active": account.is_active,
                "state": _staff_state(account, now),
                "created_at": format_beijing(account.created_at),
                "password_changed_at": format_beijing(account.password_changed_at),
                "last_sign_in_at": format_beijing(account.last_sign_in_at),
            }
            for account in StaffRepository(session).list()
        ]
    if args.json:
        _print_json(data)
        return 0
    if not data:
        print("还没有工作人员账号。用 bot-admin staff add 账号名 创建。")
        return 0
    for item in data:
        print(
            f"{item['name']}  {item['state']}  创建于 {item['created_at']}  "
            f"最近登录 {item['last_sign_in_at'] or '从未登录'}"
        )
    return 0


def _staff_disable(args: argparse.Namespace) -> int:
    with _database(args) as session:
        account = StaffRepository(session).disable(args.name)
        print(f"已停用账号 {account.name}，并已退出其全部登录。")
    return 0


def _staff_enable(args: argparse.Namespace) -> int:
    with _database(args) as session:
        account = StaffRepository(session).enable(args.name)
        print(f"已启用账号 {account.name}")
    return 0


def _staff_reset_password(args: argparse.Namespace) -> int:
    with _database(args) as session:
        StaffRepository(session).require(args.name)  # no password prompt for a name that does not exist
    password = _read_password(args)
    with session_scope(_url(args)) as session:
        account = StaffRepository(session).set_password(args.name, password)
        print(f"已重设账号 {account.name} 的密码，并已退出其全部登录。")
    return 0


# --- parser ---------------------------------------------------------------------------------------


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为正整数：{text}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"应为正整数：{text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    # Accepted before or after the command (`bot-admin --database-url X db current` or `... current --database-url X`).
    # The parsers share this action, so its default stays SUPPRESS: a default here would let every
    # subcommand overwrite a value given earlier on the line.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database-url",
        default=argparse.SUPPRESS,
        help="数据库地址（默认取环境变量 DATABASE_URL，未设置时用 var/assistant.db）",
    )
    parser = argparse.ArgumentParser(
        prog="bot-admin",
        parents=[common],
        description="咨询助手数据管理：数据库迁移、导入登记和考试场次、回电请求、未答问题、工作人员账号",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="命令")

    db = commands.add_parser("db", parents=[common], help="数据库结构迁移")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="操作")
    upgrade = db_commands.add_parser("upgrade", parents=[common], help="升级到指定版本（默认最新）")
    upgrade.add_argument("--revision", default="head", help="目标版本，默认 head")
    upgrade.set_defaults(handler=_db_upgrade)
    downgrade = db_commands.add_parser(
        "downgrade", parents=[common], help="回退到指定版本（base 会删除本助手的全部表）"
    )
    downgrade.add_argument("--revision", required=True, help="目标版本，例如 base")
    downgrade.set_defaults(handler=_db_downgrade)
    current = db_commands.add_parser("current", parents=[common], help="显示当前版本")
    current.set_defaults(handler=_db_current)

    registrations = commands.add_parser(
        "import-registrations", parents=[common], help="导入培训签到登记 CSV（有任何一行出错则整个文件都不导入）"
    )
    registrations.add_argument(
        "file",
        metavar="FILE",
        help="CSV 文件，列："
        + "，".join(("姓名", "身份证号", "手机号", "邮箱", "考试名称", "考试日期", "考试时间", "考试地点")),
    )
    registrations.set_defaults(handler=_import_registrations)
    sessions = commands.add_parser(
        "import-sessions",
        parents=[common],
        help="导入考试场次 CSV（已有的场次会被更新；有任何一行出错则整个文件都不导入）",
    )
    sessions.add_argument(
        "file",
        metavar="FILE",
        help="CSV 文件，列：考试名称，考试类别，等级，考试日期，考试时间，考试地点，报名开始日期，报名截止日期，备注",
    )
    sessions.set_defaults(handler=_import_sessions)

    callbacks = commands.add_parser("callbacks", parents=[common], help="回电请求")
    callback_commands = callbacks.add_subparsers(dest="callbacks_command", required=True, metavar="操作")
    callback_list = callback_commands.add_parser("list", parents=[common], help="列出待处理的回电请求（最早的在前）")
    callback_list.add_argument("--all", action="store_true", help="包括已处理的")
    callback_list.add_argument("--json", action="store_true", help="输出 JSON")
    callback_list.set_defaults(handler=_callbacks_list)
    callback_close = callback_commands.add_parser("close", parents=[common], help="标记为已处理")
    callback_close.add_argument("id", type=int, metavar="ID", help="回电请求编号")
    callback_close.add_argument("--note", help="处理说明")
    callback_close.set_defaults(handler=_callbacks_close)

    unanswered = commands.add_parser("unanswered", parents=[common], help="助手没能回答的问题")
    unanswered_commands = unanswered.add_subparsers(dest="unanswered_command", required=True, metavar="操作")
    unanswered_list = unanswered_commands.add_parser(
        "list", parents=[common], help="列出未答问题，相同或几乎相同的问题合为一组（最近问到的在前）"
    )
    unanswered_list.add_argument("--all", action="store_true", help="包括已处理的")
    unanswered_list.add_argument("--channel", help="只看某个渠道（rest、socketio、wechat、phone…）")
    unanswered_list.add_argument("--limit", type=_positive_int, default=100, help="最多显示多少组，默认 100")
    unanswered_list.add_argument("--json", action="store_true", help="输出 JSON")
    unanswered_list.set_defaults(handler=_unanswered_list)
    unanswered_add = unanswered_commands.add_parser("add", parents=[common], help="记录来电者问到、助手答不上的问题")
    unanswered_add.add_argument("question", metavar="问题")
    unanswered_add.add_argument("--channel", default="phone", help="渠道，默认 phone（电话）")
    unanswered_add.set_defaults(handler=_unanswered_add)
    unanswered_assign = unanswered_commands.add_parser(
        "assign", parents=[common], help="把这一组问题归入某个常见问题（成为它的训练样例）"
    )
    unanswered_assign.add_argument("id", type=int, metavar="ID", help="未答问题编号（组内任一条）")
    unanswered_assign.add_argument("faq_key", metavar="FAQ_KEY", help="常见问题编号，例如 jxd_q32_class_size_limit")
    unanswered_assign.set_defaults(handler=_unanswered_assign)
    unanswered_out = unanswered_commands.add_parser(
        "out-of-scope", parents=[common], help="这一组问题不在四份文件的范围内（成为范围外样例）"
    )
    unanswered_out.add_argument("id", type=int, metavar="ID", help="未答问题编号（组内任一条）")
    unanswered_out.set_defaults(handler=_unanswered_out_of_scope)
    unanswered_new = unanswered_commands.add_parser(
        "new-faq", parents=[common], help="需要新增常见问题（在 knowledge/drafts.yml 起草，补全前不参与训练）"
    )
    unanswered_new.add_argument("id", type=int, metavar="ID", help="未答问题编号（组内任一条）")
    unanswered_new.set_defaults(handler=_unanswered_new_faq)
    unanswered_resolve = unanswered_commands.add_parser("resolve", parents=[common], help="标记为已处理")
    unanswered_resolve.add_argument("id", type=int, metavar="ID", help="未答问题编号")
    unanswered_resolve.set_defaults(handler=_unanswered_resolve)

    staff = commands.add_parser("staff", parents=[common], help="工作人员控制台账号")
    staff_commands = staff.add_subparsers(dest="staff_command", required=True, metavar="操作")
    staff_add = staff_commands.add_parser("add", parents=[common], help="创建账号（会要求输入两次密码）")
    staff_add.add_argument("name", metavar="NAME", help="账号名，例如 李老师")
    staff_add.add_argument("--password-stdin", action="store_true", help="从标准输入读取一行作为密码")
    staff_add.set_defaults(handler=_staff_add)
    staff_list = staff_commands.add_parser("list", parents=[common], help="列出账号")
    staff_list.add_argument("--json", action="store_true", help="输出 JSON")
    staff_list.set_defaults(handler=_staff_list)
    staff_disable = staff_commands.add_parser("disable", parents=[common], help="停用账号并退出其全部登录")
    staff_disable.add_argument("name", metavar="NAME", help="账号名")
    staff_disable.set_defaults(handler=_staff_disable)
    staff_enable = staff_commands.add_parser("enable", parents=[common], help="重新启用账号")
    staff_enable.add_argument("name", metavar="NAME", help="账号名")
    staff_enable.set_defaults(handler=_staff_enable)
    staff_reset = staff_commands.add_parser(
        "reset-password", parents=[common], help="重设密码（同时解除锁定并退出其全部登录）"
    )
    staff_reset.add_argument("name", metavar="NAME", help="账号名")
    staff_reset.add_argument("--password-stdin", action="store_true", help="从标准输入读取一行作为新密码")
    staff_reset.set_defaults(handler=_staff_reset_password)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # argparse exits on --help (0) and on wrong usage (2)
        return int(exit_.code or 0)
    try:
        return args.handler(args)
    except (RecordNotFound, StaffError, TrainingDataError) as error:
        print(error, file=sys.stderr)
        return 1
    except (EOFError, KeyboardInterrupt):  # no password typed
        print("已取消，未作任何修改。", file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        # The driver's own message: the statement and its parameters are left out on purpose.
        print(f"数据库出错：{getattr(error, 'orig', None) or error.__class__.__name__}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
