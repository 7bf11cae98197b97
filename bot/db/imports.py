"""All-or-nothing CSV imports of registrations and exam sessions.

Staff export these files from Excel or from the registration system. Every row is checked first;
only a file without a single problem is written, so fixing the file and importing it again is
always safe. Nothing is committed here: the caller owns the transaction.

Problems are reported per physical CSV line (the header is line 1), in Chinese, and never quote
a raw ID number or phone number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple, Union

from sqlalchemy.orm import Session

from bot import privacy
from bot.db.models import EXAM_KIND_ATA, EXAM_KIND_PRACTITIONER, ONLINE_PLACE, ExamSession
from bot.db.repositories import EMAIL_LABEL, ID_NUMBER_LABEL, PHONE_LABEL, ExamSessionRepository, RegistrationRepository

REGISTRATION_COLUMNS = ("姓名", "身份证号", "手机号", "邮箱", "考试名称", "考试日期", "考试时间", "考试地点")
SESSION_COLUMNS = (
    "考试名称",
    "考试类别",
    "等级",
    "考试日期",
    "考试时间",
    "考试地点",
    "报名开始日期",
    "报名截止日期",
    "备注",
)

# 考试类别 as written in the file (the Chinese name, or the stored code) -> exam_kind.
EXAM_KIND_BY_CATEGORY = {
    "从业人员培训考试": EXAM_KIND_PRACTITIONER,
    "北京市人力资源市场从业人员培训考试": EXAM_KIND_PRACTITIONER,
    EXAM_KIND_PRACTITIONER: EXAM_KIND_PRACTITIONER,
    "企业人力资源管理师等级认定": EXAM_KIND_ATA,
    EXAM_KIND_ATA: EXAM_KIND_ATA,
}

# Longest values the columns hold (see bot.db.models).
MAX_LENGTHS = {"姓名": 100, "考试名称": 200, "考试时间": 40, "考试地点": 200, "等级": 40}

DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
# Excel shows long digit strings in scientific notation and saves them that way, losing digits.
SCIENTIFIC_NOTATION = re.compile(r"\d(\.\d+)?[eE]\+?\d+")
ENCODINGS = ("utf-8-sig", "gb18030")  # UTF-8 with or without BOM; Excel on Chinese Windows saves GB18030/GBK


# Named as the import API documents it; a plain record, never raised, so it does not matter that it
# hides the built-in ImportError inside this module (which therefore never catches that one).
@dataclass(frozen=True)
class ImportError:  # noqa: A001
    """One problem: `line` is the physical line in the file (header = 1), None for the file as a whole."""

    line: Optional[int]
    reason: str

    def __str__(self) -> str:
        return f"第{self.line}行：{self.reason}" if self.line else self.reason


@dataclass
class ImportReport:
    errors: List[ImportError] = field(default_factory=list)
    added: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def imported(self) -> int:
        return self.added + self.updated


class _FileRejected(Exception):
    def __init__(self, reason: str, line: Optional[int] = None):
        super().__init__(reason)
        self.error = ImportError(line, reason)


@dataclass
class _Row:
    line: int
    values: Dict[str, str]


def parse_date(text: str) -> Optional[dt.date]:
    """2026-12-05, 2026/12/5, 2026.12.05 or 2026年12月5日; None if it is not a real date in one of those forms."""
    match = DATE.fullmatch((text or "").strip())
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _checked_date(text: str) -> dt.date:
    """A required date of a row that passed its checks, so it is a real date."""
    parsed = parse_date(text)
    if parsed is None:
        raise ValueError("a required date was not checked before import")
    return parsed


def exam_kind_for_title(title: str) -> str:
    return EXAM_KIND_ATA if "人力资源管理师" in title else EXAM_KIND_PRACTITIONER


def _decode(path: Union[str, Path]) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise _FileRejected(f"无法读取文件 {path}：{error.strerror or error}") from error
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _FileRejected("无法识别文件编码，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入。")


def _read_rows(path: Union[str, Path], columns: Sequence[str]) -> Tuple[List[_Row], List[ImportError]]:
    """The data rows (blank lines skipped) and the rows whose shape is wrong; raises _FileRejected."""
    reader = csv.reader(io.StringIO(_decode(path), newline=""))
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise _FileRejected(f"文件是空的。第一行应为表头：{','.join(columns)}") from None
    except csv.Error as error:
        raise _FileRejected(f"无法按 CSV 读取表头：{error}", line=1) from error
    _check_header(header, columns)

    rows: List[_Row] = []
    errors: List[ImportError] = []
    while True:
        line = reader.line_num + 1  # where the next record starts; a quoted cell may span lines
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise _FileRejected(f"无法按 CSV 读取：{error}", line=line) from error
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < len(header) or any(cell.strip() for cell in cells[len(header) :]):
            errors.append(ImportError(line, f"这一行有{len(cells)}列，表头有{len(header)}列。"))
            continue
        rows.append(_Row(line, {name: cell.strip() for name, cell in zip(header, cells)}))
    return rows, errors


def _check_header(header: List[str], columns: Sequence[str]) -> None:
    problems = []
    missing = [name for name in columns if name not in header]
    if missing:
        problems.append(f"缺少列：{'、'.join(missing)}")
    unknown = [name or f"第{index}列（无列名）" for index, name in enumerate(header, 1) if name not in columns]
    if unknown:
        problems.append(f"无法识别的列：{'、'.join(unknown)}")
    repeated = sorted({name for name in header if name and header.count(name) > 1}, key=header.index)
    if repeated:
        problems.append(f"列名重复：{'、'.join(repeated)}")
    if problems:
        raise _FileRejected("表头不对，" + "；".join(problems) + f"。表头应为：{','.join(columns)}（顺序不限）", line=1)


def _required(values: Dict[str, str], name: str, problems: List[str]) -> str:
    value = values[name]
    if not value:
        problems.append(f"{name}为空。")
    elif name in MAX_LENGTHS and len(value) > MAX_LENGTHS[name]:
        problems.append(f"{name}太长（最多{MAX_LENGTHS[name]}个字）。")
    return value


def _date(values: Dict[str, str], name: str, problems: List[str], required: bool) -> Optional[dt.date]:
    text = values[name]
    if not text:
        if required:
            problems.append(f"{name}为空。")
        return None
    parsed = parse_date(text)
    if parsed is None:
        problems.append(f"{name}“{privacy.redact_text(text)}”无法识别，请写成 2026-12-05 这样的日期。")
    return parsed


def _run(path: Union[str, Path], columns: Sequence[str], check) -> Tuple[List[_Row], ImportReport]:
    report = ImportReport()
    try:
        rows, report.errors = _read_rows(path, columns)
    except _FileRejected as rejected:
        report.errors = [rejected.error]
        return [], report
    for row in rows:
        report.errors.extend(ImportError(row.line, privacy.redact_text(reason)) for reason in check(row))
    report.errors.sort(key=lambda error: error.line or 0)
    return rows, report


# --- Registrations --------------------------------------------------------------------------------


def import_registrations(session: Session, path: Union[str, Path]) -> ImportReport:
    """Adds every registration in the file, or none if any row has a problem."""
    registrations = RegistrationRepository(session)
    first_line_with: Dict[Tuple[str, str], int] = {}  # (label, normalized value) -> first line

    def check(row: _Row) -> Iterator[str]:
        problems: List[str] = []
        values = row.values
        _required(values, "姓名", problems)
        id_number = _required(values, "身份证号", problems)
        if id_number and SCIENTIFIC_NOTATION.fullmatch(id_number):
            problems.append("身份证号被 Excel 存成了科学计数法，请把这一列设为“文本”格式后重新导出。")
            id_number = ""
        elif id_number and (problem := privacy.id_number_problem(id_number)):
            problems.append(problem)
            id_number = ""
        phone = _required(values, "手机号", problems)
        if phone and (problem := privacy.mobile_problem(phone)):
            problems.append(problem)
            phone = ""
        email = _required(values, "邮箱", problems)
        if email and (problem := privacy.email_problem(email)):
            problems.append(problem)
            email = ""
        for name in ("考试名称", "考试时间", "考试地点"):
            _required(values, name, problems)
        _date(values, "考试日期", problems, required=True)

        valid = {
            ID_NUMBER_LABEL: (id_number, privacy.normalize_id_number, privacy.mask_id_number),
            PHONE_LABEL: (phone, privacy.normalize_mobile, privacy.mask_mobile),
            EMAIL_LABEL: (email, privacy.normalize_email, privacy.mask_email),
        }
        for label, (value, normalize, _) in valid.items():
            if value:
                first = first_line_with.setdefault((label, normalize(value)), row.line)
                if first != row.line:
                    problems.append(f"{label}与第{first}行重复。")
        for label in registrations.conflicts(id_number or None, phone or None, email or None):
            value, _, mask = valid[label]
            problems.append(f"{label}{mask(value)}已经登记过，不能重复登记。")
        return iter(problems)

    rows, report = _run(path, REGISTRATION_COLUMNS, check)
    if not report.ok:
        return report

    exam_sessions = ExamSessionRepository(session)
    sittings: Dict[Tuple[str, dt.date, str, str], ExamSession] = {}
    for row in rows:
        values = row.values
        key = (values["考试名称"], _checked_date(values["考试日期"]), values["考试时间"], values["考试地点"])
        if key not in sittings:
            sittings[key] = exam_sessions.find_or_create(*key, exam_kind=exam_kind_for_title(key[0]))
        registrations.add(values["姓名"], values["身份证号"], values["手机号"], values["邮箱"], sittings[key])
        report.added += 1
    return report


# --- Exam sessions --------------------------------------------------------------------------------


def import_exam_sessions(session: Session, path: Union[str, Path]) -> ImportReport:
    """Adds new sittings and updates the ones already known (same 名称, 日期, 时间, 地点); all or nothing."""
    first_line_with: Dict[Tuple[str, Optional[dt.date], str, str], int] = {}
    categories = "“从业人员培训考试”或“企业人力资源管理师等级认定”"

    def check(row: _Row) -> Iterator[str]:
        problems: List[str] = []
        values = row.values
        title = _required(values, "考试名称", problems)
        category = _required(values, "考试类别", problems)
        if category and category not in EXAM_KIND_BY_CATEGORY:
            problems.append(f"考试类别“{category}”无法识别，应为{categories}。")
        if len(values["等级"]) > MAX_LENGTHS["等级"]:
            problems.append(f"等级太长（最多{MAX_LENGTHS['等级']}个字）。")
        exam_date = _date(values, "考试日期", problems, required=True)
        exam_time = _required(values, "考试时间", problems)
        place = _required(values, "考试地点", problems)
        opens = _date(values, "报名开始日期", problems, required=False)
        closes = _date(values, "报名截止日期", problems, required=False)
        if opens and closes and closes < opens:
            problems.append("报名截止日期早于报名开始日期。")
        if exam_date and closes and closes > exam_date:
            problems.append("报名截止日期晚于考试日期。")
        if exam_date and opens and opens > exam_date:
            problems.append("报名开始日期晚于考试日期。")
        if title and exam_date and exam_time and place:
            first = first_line_with.setdefault((title, exam_date, exam_time, place), row.line)
            if first != row.line:
                problems.append(f"与第{first}行是同一场考试（考试名称、日期、时间、地点都相同）。")
        return iter(problems)

    rows, report = _run(path, SESSION_COLUMNS, check)
    if not report.ok:
        return report

    exam_sessions = ExamSessionRepository(session)
    for row in rows:
        values = row.values
        key = (values["考试名称"], _checked_date(values["考试日期"]), values["考试时间"], values["考试地点"])
        fields = dict(
            exam_kind=EXAM_KIND_BY_CATEGORY[values["考试类别"]],
            level=values["等级"] or None,
            is_online=values["考试地点"] == ONLINE_PLACE,
            registration_opens=parse_date(values["报名开始日期"]),
            registration_closes=parse_date(values["报名截止日期"]),
            notes=values["备注"] or None,
        )
        existing = exam_sessions.find(*key)
        if existing is None:
            exam_sessions.add(title=key[0], exam_date=key[1], exam_time=key[2], place=key[3], **fields)
            report.added += 1
        else:
            for name, value in fields.items():
                setattr(existing, name, value)
            report.updated += 1
    session.flush()
    return report
