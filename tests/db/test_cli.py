import datetime as dt
import io
import json
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.cli.admin import main
from bot.console.repository import StaffRepository
from bot.db import session_scope
from bot.db.migrate import current_revision
from bot.db.repositories import CallbackRepository, RegistrationRepository, UnansweredRepository

from tests.db.people import id_number, with_wrong_check_character

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
HEAD = "0005"  # the newest migration
HEADER = "姓名,身份证号,手机号,邮箱,考试名称,考试日期,考试时间,考试地点"
EXAM = "北京市人力资源市场从业人员培训考试（2026年12月）,2026-12-05,14:00-15:30,线上"


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_db_commands(capsys, database_url):
    shown_url = make_url(database_url).render_as_string(hide_password=True)
    code, out, _ = run(capsys, "--database-url", database_url, "db", "current")
    assert (code, out) == (0, f"当前版本：未迁移；最新版本：{HEAD}（{shown_url}）\n")
    code, out, _ = run(capsys, "--database-url", database_url, "db", "upgrade")
    assert code == 0 and HEAD in out
    assert current_revision(database_url) == HEAD
    code, out, _ = run(capsys, "db", "current", "--database-url", database_url)  # the option may come last
    assert code == 0 and out.startswith(f"当前版本：{HEAD}")
    code, out, _ = run(capsys, "--database-url", database_url, "db", "downgrade", "--revision", "base")
    assert code == 0 and "base" in out
    assert current_revision(database_url) is None


def test_passwords_are_not_printed(capsys, fresh_postgres_url):
    password = make_url(fresh_postgres_url).password
    code, out, _ = run(capsys, "--database-url", fresh_postgres_url, "db", "upgrade")
    assert code == 0 and f":{password}@" not in out and ":***@" in out


def test_import_files_with_exit_codes(capsys, database_url, tmp_path):
    code, out, err = run(capsys, "--database-url", database_url, "import-sessions", str(EXAMPLES / "exam_sessions.csv"))
    assert (code, out, err) == (0, "已导入 5 条考试场次\n", "")
    code, out, _ = run(capsys, "--database-url", database_url, "import-registrations",
                       str(EXAMPLES / "registrations.csv"))
    assert (code, out) == (0, "已导入 6 条培训签到登记\n")

    bad_id = with_wrong_check_character(id_number(sequence=50))
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([HEADER, f"新人,{id_number(sequence=51)},13900139001,new@example.com,{EXAM}",
                              f"错人,{bad_id},13900139002,bad@example.com,{EXAM}",
                              f"重人,{id_number(sequence=52)},13800138000,dup@example.com,{EXAM}"]) + "\n",
                   encoding="utf-8")
    code, out, err = run(capsys, "--database-url", database_url, "import-registrations", str(bad))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith("第3行：身份证号的校验位不对")
    assert lines[1] == "第4行：手机号138****8000已经登记过，不能重复登记。"
    assert "未导入任何记录" in lines[-1]
    assert bad_id not in err and "13900139002" not in err
    with session_scope(database_url) as session:
        assert RegistrationRepository(session).count() == 6


def test_import_migrates_first(capsys, database_url):
    assert current_revision(database_url) is None
    code, _, _ = run(capsys, "--database-url", database_url, "import-sessions", str(EXAMPLES / "exam_sessions.csv"))
    assert code == 0 and current_revision(database_url) == HEAD


def test_usage_errors_exit_with_2(capsys, database_url):
    assert run(capsys, "--database-url", database_url)[0] == 2
    assert run(capsys, "--database-url", database_url, "callbacks", "close", "abc")[0] == 2
    assert run(capsys, "--database-url", database_url, "unanswered", "list", "--limit", "0")[0] == 2
    assert run(capsys, "--database-url", database_url, "db", "downgrade")[0] == 2  # --revision is required
    assert run(capsys, "--help")[0] == 0


def test_callbacks_list_and_close(capsys, migrated_url):
    with session_scope(migrated_url) as session:
        callbacks = CallbackRepository(session)
        first = callbacks.add("王芳", "13800138002", "证书什么时候能查到？", "rest", "user-1").id
        second = callbacks.add("刘洋", "+86 138 0013 8003", "补考怎么报名", "socketio").id

    code, out, _ = run(capsys, "--database-url", migrated_url, "callbacks", "list")
    assert code == 0
    assert out.index("王芳") < out.index("刘洋")
    assert "13800138002" in out and "13800138003" in out  # staff dial the full number
    assert "证书什么时候能查到？" in out and "待处理" in out

    code, out, _ = run(capsys, "--database-url", migrated_url, "callbacks", "close", str(first), "--note", "已回电")
    assert code == 0 and out == f"已关闭回电请求 #{first}（王芳 138****8002）\n"
    assert run(capsys, "--database-url", migrated_url, "callbacks", "close", str(first))[0] == 0  # again: harmless

    code, out, _ = run(capsys, "--database-url", migrated_url, "callbacks", "list", "--json")
    assert [item["id"] for item in json.loads(out)] == [second]
    code, out, _ = run(capsys, "--database-url", migrated_url, "callbacks", "list", "--all", "--json")
    data = json.loads(out)
    assert [(item["id"], item["status"], item["phone"]) for item in data] == [
        (first, "closed", "13800138002"), (second, "open", "13800138003")]
    assert data[0]["staff_note"] == "已回电" and data[0]["closed_at"]
    assert len(data[0]["created_at"]) == len("2026-05-20 16:30")

    code, _, err = run(capsys, "--database-url", migrated_url, "callbacks", "close", "9999")
    assert code == 1 and "没有编号为 9999 的回电请求" in err


def test_callback_times_are_shown_in_beijing_time(capsys, migrated_url):
    with session_scope(migrated_url) as session:
        request = CallbackRepository(session).add("王芳", "13800138002", "问题", "rest")
        request.created_at = dt.datetime(2026, 12, 4, 23, 30, tzinfo=dt.timezone.utc)
    code, out, _ = run(capsys, "--database-url", migrated_url, "callbacks", "list", "--json")
    assert json.loads(out)[0]["created_at"] == "2026-12-05 07:30"


def test_unanswered_list_and_resolve(capsys, migrated_url):
    with session_scope(migrated_url) as session:
        unanswered = UnansweredRepository(session)
        older = unanswered.add("考场在哪里", "rest", [{"key": "exam_place", "question": "在哪里考试？",
                                                    "confidence": 0.31}]).id
        newer = unanswered.add("证书丢了怎么办", "socketio", []).id

    code, out, _ = run(capsys, "--database-url", migrated_url, "unanswered", "list")
    assert code == 0 and out.index("证书丢了怎么办") < out.index("考场在哪里")
    assert "在哪里考试？（0.31）" in out
    code, out, _ = run(capsys, "--database-url", migrated_url, "unanswered", "list", "--limit", "1", "--json")
    assert [item["id"] for item in json.loads(out)] == [newer]

    assert run(capsys, "--database-url", migrated_url, "unanswered", "resolve", str(older))[0] == 0
    code, out, _ = run(capsys, "--database-url", migrated_url, "unanswered", "list", "--json")
    assert [item["id"] for item in json.loads(out)] == [newer]
    code, out, _ = run(capsys, "--database-url", migrated_url, "unanswered", "list", "--all", "--json")
    assert {item["id"]: item["status"] for item in json.loads(out)} == {older: "resolved", newer: "open"}
    assert run(capsys, "--database-url", migrated_url, "unanswered", "resolve", "9999")[0] == 1


def test_database_url_comes_from_the_environment(capsys, monkeypatch, database_url):
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert run(capsys, "db", "upgrade")[0] == 0
    assert current_revision(database_url) == HEAD


def test_an_unreachable_database_is_reported(capsys, tmp_path):
    code, _, err = run(capsys, "--database-url", "postgresql://nobody:secret@127.0.0.1:1/none", "db", "current")
    assert code == 1 and err.startswith("数据库出错：") and "secret" not in err


# --- staff console accounts -----------------------------------------------------------------------

STAFF_PASSWORD = "correct horse battery"


def run_with_stdin(capsys, monkeypatch, text, *argv):
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    return run(capsys, *argv)


def typed_passwords(monkeypatch, *answers):
    """getpass answers, in order; records the prompts."""
    prompts = []
    remaining = list(answers)

    def fake_getpass(prompt=""):
        prompts.append(prompt)
        return remaining.pop(0)

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    return prompts


def staff_sign_in(url, name, password):
    with session_scope(url) as session:
        return StaffRepository(session).verify_password(name, password).outcome


def test_staff_add_with_password_stdin_and_list(capsys, monkeypatch, database_url):
    code, out, err = run_with_stdin(capsys, monkeypatch, STAFF_PASSWORD + "\n",
                                    "--database-url", database_url, "staff", "add", "李老师", "--password-stdin")
    assert (code, out, err) == (0, "已创建工作人员账号：李老师\n", "")
    assert STAFF_PASSWORD not in out
    assert staff_sign_in(database_url, "李老师", STAFF_PASSWORD) == "ok"

    code, out, _ = run(capsys, "--database-url", database_url, "staff", "list")
    assert code == 0 and out.startswith("李老师  启用  创建于 ") and "从未登录" not in out  # signed in above
    code, out, _ = run(capsys, "--database-url", database_url, "staff", "list", "--json")
    [item] = json.loads(out)
    assert (item["name"], item["active"], item["state"]) == ("李老师", True, "启用")
    assert "password" not in json.dumps(item).replace("password_changed_at", "")

    code, _, err = run_with_stdin(capsys, monkeypatch, STAFF_PASSWORD + "\n",
                                  "--database-url", database_url, "staff", "add", "李老师", "--password-stdin")
    assert code == 1 and "已经存在" in err


def test_staff_add_prompts_twice(capsys, monkeypatch, migrated_url):
    prompts = typed_passwords(monkeypatch, STAFF_PASSWORD, STAFF_PASSWORD)
    code, out, _ = run(capsys, "--database-url", migrated_url, "staff", "add", "王老师")
    assert code == 0 and out == "已创建工作人员账号：王老师\n"
    assert len(prompts) == 2 and "至少10个字符" in prompts[0]

    typed_passwords(monkeypatch, STAFF_PASSWORD, STAFF_PASSWORD + "x")
    code, _, err = run(capsys, "--database-url", migrated_url, "staff", "add", "赵老师")
    assert code == 1 and "两次输入的密码不一致" in err

    prompts = typed_passwords(monkeypatch, "short", "short")
    code, _, err = run(capsys, "--database-url", migrated_url, "staff", "add", "赵老师")
    assert code == 1 and "至少需要10个字符" in err and len(prompts) == 1

    prompts = typed_passwords(monkeypatch)
    code, _, err = run(capsys, "--database-url", migrated_url, "staff", "add", "王老师")
    assert code == 1 and "已经存在" in err and prompts == []  # refused before asking for a password

    def cancelled(prompt=""):
        raise EOFError

    monkeypatch.setattr("getpass.getpass", cancelled)
    code, _, err = run(capsys, "--database-url", migrated_url, "staff", "add", "赵老师")
    assert code == 1 and "已取消" in err
    code, out, _ = run(capsys, "--database-url", migrated_url, "staff", "list", "--json")
    assert [item["name"] for item in json.loads(out)] == ["王老师"]


def test_staff_password_from_stdin_is_checked(capsys, monkeypatch, migrated_url):
    code, _, err = run_with_stdin(capsys, monkeypatch, "short\n",
                                  "--database-url", migrated_url, "staff", "add", "李老师", "--password-stdin")
    assert code == 1 and "至少需要10个字符" in err
    code, _, err = run_with_stdin(capsys, monkeypatch, STAFF_PASSWORD + "\n",
                                  "--database-url", migrated_url, "staff", "add", "李 老师", "--password-stdin")
    assert code == 1 and "不能包含空格" in err


def test_staff_disable_enable_and_reset_password(capsys, monkeypatch, migrated_url):
    run_with_stdin(capsys, monkeypatch, STAFF_PASSWORD + "\n",
                   "--database-url", migrated_url, "staff", "add", "李老师", "--password-stdin")
    with session_scope(migrated_url) as session:
        staff = StaffRepository(session)
        token, _ = staff.create_session(staff.get("李老师"))

    code, out, _ = run(capsys, "--database-url", migrated_url, "staff", "disable", "李老师")
    assert code == 0 and out == "已停用账号 李老师，并已退出其全部登录。\n"
    with session_scope(migrated_url) as session:
        assert StaffRepository(session).get_by_session_token(token) is None
    assert staff_sign_in(migrated_url, "李老师", STAFF_PASSWORD) == "disabled"
    code, out, _ = run(capsys, "--database-url", migrated_url, "staff", "list")
    assert "李老师  已停用" in out

    assert run(capsys, "--database-url", migrated_url, "staff", "enable", "李老师")[0] == 0
    assert staff_sign_in(migrated_url, "李老师", STAFF_PASSWORD) == "ok"

    typed_passwords(monkeypatch, "a new long password", "a new long password")
    code, out, _ = run(capsys, "--database-url", migrated_url, "staff", "reset-password", "李老师")
    assert code == 0 and out == "已重设账号 李老师 的密码，并已退出其全部登录。\n"
    assert staff_sign_in(migrated_url, "李老师", STAFF_PASSWORD) == "wrong"
    assert staff_sign_in(migrated_url, "李老师", "a new long password") == "ok"

    code, _, _ = run_with_stdin(capsys, monkeypatch, "yet another password\n", "--database-url", migrated_url,
                                "staff", "reset-password", "李老师", "--password-stdin")
    assert code == 0 and staff_sign_in(migrated_url, "李老师", "yet another password") == "ok"

    prompts = typed_passwords(monkeypatch)
    for command in ("disable", "enable", "reset-password"):
        code, _, err = run(capsys, "--database-url", migrated_url, "staff", command, "王老师")
        assert code == 1 and "没有名为“王老师”的工作人员账号" in err
    assert prompts == []


def test_staff_usage_errors_exit_with_2(capsys, database_url):
    assert run(capsys, "--database-url", database_url, "staff")[0] == 2
    assert run(capsys, "--database-url", database_url, "staff", "add")[0] == 2
    assert run(capsys, "--database-url", database_url, "staff", "remove", "李老师")[0] == 2
