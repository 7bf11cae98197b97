import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from bot.db.imports import ImportError as RowError
from bot.db.imports import import_exam_sessions, import_registrations, parse_date
from bot.db.models import EXAM_KIND_ATA, EXAM_KIND_PRACTITIONER, ExamSession
from bot.db.repositories import ExamSessionRepository, RegistrationRepository

from tests.db.people import id_number, with_wrong_check_character

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
HEADER = "姓名,身份证号,手机号,邮箱,考试名称,考试日期,考试时间,考试地点"
EXAM = "北京市人力资源市场从业人员培训考试（2026年12月）"
SESSION_HEADER = "考试名称,考试类别,等级,考试日期,考试时间,考试地点,报名开始日期,报名截止日期,备注"


def write(tmp_path, lines, name="file.csv", encoding="utf-8", newline="\n"):
    path = tmp_path / name
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def person(name, sequence, phone, email, date="2026-12-05", exam=EXAM, time="14:00-15:30", place="线上"):
    return ",".join([name, id_number(sequence=sequence), phone, email, exam, date, time, place])


def exam_session_count(session):
    return session.execute(select(func.count()).select_from(ExamSession)).scalar_one()


def test_parse_date_accepts_the_usual_forms():
    assert parse_date("2026-12-05") == parse_date("2026/12/05") == parse_date("2026年12月5日") == dt.date(2026, 12, 5)
    assert parse_date(" 2026/12/5 ") == parse_date("2026.12.05") == dt.date(2026, 12, 5)
    assert parse_date("2026-13-05") is None
    assert parse_date("2026-02-30") is None
    assert parse_date("12/05/2026") is None
    assert parse_date("") is None


def test_import_error_reads_with_its_line():
    assert str(RowError(3, "手机号与第2行重复。")) == "第3行：手机号与第2行重复。"
    assert str(RowError(None, "文件是空的。")) == "文件是空的。"


@pytest.mark.parametrize("encoding, newline", [("utf-8-sig", "\r\n"), ("utf-8", "\n"), ("gb18030", "\r\n")],
                         ids=["excel-utf8-with-bom", "utf8-without-bom", "excel-gb18030"])
def test_good_registrations_file(session, tmp_path, encoding, newline):
    path = write(tmp_path, [
        HEADER,
        person("张伟", 1, "13800138000", "zhangwei@example.com"),
        person("李娜", 2, "13800138001", "lina@example.com", date="2026/12/05"),
        "",  # blank lines are skipped
        person("王芳", 3, "13800138002", "wangfang@example.com", date="2026年12月5日"),
        person("刘洋", 4, "13800138003", "liuyang@example.com", exam="企业人力资源管理师四级（2027年第一次）",
               date="2027-05-22", time="09:00-10:30", place="北京市朝阳区"),
    ], encoding=encoding, newline=newline)
    report = import_registrations(session, path)
    assert (report.ok, report.errors, report.added) == (True, [], 4)
    session.commit()

    registrations = RegistrationRepository(session)
    assert registrations.count() == 4
    assert exam_session_count(session) == 2  # three date spellings, one sitting
    wang = registrations.find_by_id_number(id_number(sequence=3))
    assert (wang.name, wang.exam_session.title, wang.exam_session.exam_kind) == ("王芳", EXAM, EXAM_KIND_PRACTITIONER)
    assert wang.exam_session.is_online
    liu = registrations.find_by_id_number(id_number(sequence=4))
    assert (liu.exam_session.exam_kind, liu.exam_session.is_online) == (EXAM_KIND_ATA, False)


def test_columns_may_come_in_any_order_and_existing_sessions_are_reused(session, tmp_path):
    existing = ExamSessionRepository(session).add(exam_kind=EXAM_KIND_PRACTITIONER, title=EXAM,
                                                  exam_date=dt.date(2026, 12, 5), exam_time="14:00-15:30",
                                                  place="线上", notes="已有场次")
    path = write(tmp_path, [
        "考试地点,考试时间,考试日期,考试名称,邮箱,手机号,身份证号,姓名",
        f"线上,14:00-15:30,2026-12-05,{EXAM},a@example.com,13800138000,{id_number().lower()},张伟",
    ])
    report = import_registrations(session, path)
    assert report.ok and report.added == 1
    assert exam_session_count(session) == 1
    assert RegistrationRepository(session).find_by_id_number(id_number()).exam_session is existing


def test_bad_rows_are_all_reported_and_nothing_is_written(session, tmp_path):
    exam = ExamSessionRepository(session).add(exam_kind=EXAM_KIND_PRACTITIONER, title=EXAM,
                                              exam_date=dt.date(2026, 12, 5), exam_time="14:00-15:30", place="线上")
    RegistrationRepository(session).add("赵磊", id_number(sequence=90), "13900139000", "taken@example.com", exam)
    session.commit()

    bad_checksum = with_wrong_check_character(id_number(sequence=3))
    seventeen_digits = id_number(sequence=4)[:17]
    path = write(tmp_path, [
        HEADER,
        person("张伟", 1, "13800138000", "zhangwei@example.com"),  # line 2: fine
        ",".join(["李娜", bad_checksum, "13800138001", "lina@example.com", EXAM, "2026-12-05", "14:00-15:30", "线上"]),
        ",".join(["王芳", seventeen_digits, "13800138002", "wf@example.com", EXAM, "2026-12-05", "14:00-15:30", "线上"]),
        person("刘洋", 5, "13800138000", "liuyang@example.com"),  # line 5: phone of line 2
        person("陈静", 6, "13800138006", "Taken@Example.com"),  # line 6: e-mail already registered
        person("孙丽", 7, "13800138007", "sunli@example.com", date="2026-13-05"),  # line 7: no such month
        person("", 8, "13800138008", "noname@example.com"),  # line 8: no name
        person("周强", 9, "13800138009", "zhouqiang@example.com", exam="另一场考试", date="2026-12-19"),  # fine
    ])
    report = import_registrations(session, path)

    assert not report.ok and report.added == 0
    reasons = {error.line: error.reason for error in report.errors}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8]
    assert [error.line for error in report.errors] == [3, 4, 5, 6, 7, 8]
    assert "校验位" in reasons[3]
    assert "18位" in reasons[4] and "17位" in reasons[4]
    assert reasons[5] == "手机号与第2行重复。"
    assert reasons[6] == "邮箱t***@example.com已经登记过，不能重复登记。"
    assert "考试日期" in reasons[7] and "2026-13-05" in reasons[7]
    assert reasons[8] == "姓名为空。"
    assert str(report.errors[0]).startswith("第3行：")

    text_of_errors = " ".join(str(error) for error in report.errors)
    for raw in (bad_checksum, seventeen_digits, "13800138000", "13800138001"):
        assert raw not in text_of_errors

    assert not session.new and not session.dirty  # nothing waiting to be written either
    session.commit()
    assert RegistrationRepository(session).count() == 1
    assert exam_session_count(session) == 1  # "另一场考试" was not created


def test_every_problem_in_a_row_is_reported(session, tmp_path):
    path = write(tmp_path, [HEADER, ",12345,123,not-an-email,,2026-12-05,,线上"])
    reasons = [error.reason for error in import_registrations(session, path).errors]
    assert reasons == ["姓名为空。", "身份证号应为18位，您输入的是5位。", "手机号应为11位，您输入的是3位。",
                       "邮箱格式不正确。", "考试名称为空。", "考试时间为空。"]


def test_duplicates_within_the_file(session, tmp_path):
    path = write(tmp_path, [
        HEADER,
        person("张伟", 1, "13800138000", "a@example.com"),
        person("李娜", 2, "13800138001", "b@example.com"),
        ",".join(["王芳", id_number(sequence=1).replace("X", "x"), "138-0013-8001", "A@EXAMPLE.COM", EXAM,
                  "2026-12-05", "14:00-15:30", "线上"]),
    ])
    reasons = [str(error) for error in import_registrations(session, path).errors]
    assert reasons == ["第4行：身份证号与第2行重复。", "第4行：手机号与第3行重复。", "第4行：邮箱与第2行重复。"]


def test_excel_scientific_notation_is_explained(session, tmp_path):
    path = write(tmp_path, [HEADER, f"张伟,1.10105E+17,13800138000,a@example.com,{EXAM},2026-12-05,14:00-15:30,线上"])
    [error] = import_registrations(session, path).errors
    assert error.line == 2 and "科学计数法" in error.reason


def test_a_row_with_the_wrong_number_of_cells(session, tmp_path):
    path = write(tmp_path, [HEADER, f"张伟,{id_number()},13800138000,a@example.com,{EXAM},2026-12-05,14:00-15:30",
                            person("李娜", 2, "13800138001", "b@example.com") + ",,"])  # empty trailing cells are fine
    report = import_registrations(session, path)
    assert [(e.line, e.reason) for e in report.errors] == [(2, "这一行有7列，表头有8列。")]


def test_line_numbers_count_physical_lines(session, tmp_path):
    path = write(tmp_path, [HEADER, f'"张\n伟",{id_number()},13800138000,a@example.com,{EXAM},2026-12-05,14:00-15:30,线上',
                            person("", 2, "13800138001", "b@example.com")])
    assert [error.line for error in import_registrations(session, path).errors] == [4]


@pytest.mark.parametrize("header, message", [
    ("姓名,身份证号,手机号,考试名称,考试日期,考试时间,考试地点", "缺少列：邮箱"),
    (HEADER + ",备注", "无法识别的列：备注"),
    (HEADER + ",姓名", "列名重复：姓名"),
])
def test_a_wrong_header_rejects_the_file(session, tmp_path, header, message):
    path = write(tmp_path, [header, person("张伟", 1, "13800138000", "a@example.com")])
    report = import_registrations(session, path)
    assert len(report.errors) == 1
    assert report.errors[0].line == 1 and message in report.errors[0].reason
    assert RegistrationRepository(session).count() == 0


def test_empty_missing_and_undecodable_files(session, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "空" in import_registrations(session, empty).errors[0].reason
    assert "无法读取" in import_registrations(session, tmp_path / "missing.csv").errors[0].reason
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(b"\xff\xfe\x00\x81\x30\x81" * 3 + b"\x80")
    [error] = import_registrations(session, garbage).errors
    assert error.line is None and "编码" in error.reason


# --- Exam sessions --------------------------------------------------------------------------------

def test_example_files_import(session):
    sessions_report = import_exam_sessions(session, EXAMPLES / "exam_sessions.csv")
    assert sessions_report.ok, sessions_report.errors
    registrations_report = import_registrations(session, EXAMPLES / "registrations.csv")
    assert registrations_report.ok, registrations_report.errors
    session.commit()
    assert sessions_report.added == exam_session_count(session) == 5
    assert registrations_report.added == RegistrationRepository(session).count() == 6
    upcoming = ExamSessionRepository(session).upcoming(EXAM_KIND_ATA, dt.date(2027, 1, 1), limit=10)
    assert [(s.exam_date.month, s.level) for s in upcoming] == [(5, "四级/中级"), (5, "三级/高级"), (10, "二级/技师")]


def test_sessions_import_updates_a_known_sitting_instead_of_duplicating_it(session, tmp_path):
    first = write(tmp_path, [
        SESSION_HEADER,
        f"{EXAM},从业人员培训考试,,2026-12-05,14:00-15:30,线上,2026-11-09,2026-12-04,旧备注",
        "企业人力资源管理师四级（2027年第一次）,企业人力资源管理师等级认定,四级/中级,2027-05-22,09:00-10:30,北京市朝阳区,,,",
    ], name="first.csv")
    report = import_exam_sessions(session, first)
    assert (report.ok, report.added, report.updated) == (True, 2, 0)
    session.commit()

    second = write(tmp_path, [
        SESSION_HEADER,
        f"{EXAM},从业人员培训考试,,2026年12月5日,14:00-15:30,线上,2026-11-10,2026-12-03,新备注",
        f"{EXAM},从业人员培训考试,,2026-12-19,14:00-15:30,线上,,,",
    ], name="second.csv")
    report = import_exam_sessions(session, second)
    assert (report.ok, report.added, report.updated) == (True, 1, 1)
    session.commit()
    session.expunge_all()

    assert exam_session_count(session) == 3
    updated = ExamSessionRepository(session).find(EXAM, dt.date(2026, 12, 5), "14:00-15:30", "线上")
    assert (updated.notes, updated.registration_opens, updated.registration_closes) == (
        "新备注", dt.date(2026, 11, 10), dt.date(2026, 12, 3))
    assert (updated.exam_kind, updated.is_online, updated.level) == (EXAM_KIND_PRACTITIONER, True, None)
    ata = ExamSessionRepository(session).upcoming(EXAM_KIND_ATA, dt.date(2027, 1, 1))
    assert [(s.level, s.is_online, s.registration_opens, s.notes) for s in ata] == [("四级/中级", False, None, None)]


def test_bad_sessions_file_is_rejected_whole(session, tmp_path):
    path = write(tmp_path, [
        SESSION_HEADER,
        f"{EXAM},从业人员培训考试,,2026-12-05,14:00-15:30,线上,,,",  # line 2: fine
        f"{EXAM},职业技能考试,,2026-12-06,14:00-15:30,线上,,,",  # line 3: unknown category
        f"{EXAM},从业人员培训考试,,2026-12-07,14:00-15:30,线上,2026-12-01,2026-11-30,",  # closes before opens
        f"{EXAM},从业人员培训考试,,,14:00-15:30,线上,,,",  # line 5: no exam date
        f"{EXAM},从业人员培训考试,,2026/12/05,14:00-15:30,线上,,,",  # line 6: same sitting as line 2
        f"{EXAM},从业人员培训考试,,2026-12-08,14:00-15:30,线上,,2026-12-09,",  # closes after the exam
    ])
    report = import_exam_sessions(session, path)
    assert not report.ok and (report.added, report.updated) == (0, 0)
    reasons = {error.line: error.reason for error in report.errors}
    assert sorted(reasons) == [3, 4, 5, 6, 7]
    assert "考试类别“职业技能考试”无法识别" in reasons[3]
    assert reasons[4] == "报名截止日期早于报名开始日期。"
    assert reasons[5] == "考试日期为空。"
    assert "与第2行是同一场考试" in reasons[6]
    assert reasons[7] == "报名截止日期晚于考试日期。"
    assert exam_session_count(session) == 0


def test_sessions_file_missing_a_column(session, tmp_path):
    path = write(tmp_path, ["考试名称,考试类别,考试日期,考试时间,考试地点", f"{EXAM},从业人员培训考试,2026-12-05,14:00-15:30,线上"])
    [error] = import_exam_sessions(session, path).errors
    assert error.line == 1 and "缺少列：等级、报名开始日期、报名截止日期、备注" in error.reason
    assert session.execute(text("SELECT COUNT(*) FROM exam_sessions")).scalar_one() == 0
