"""Reply texts for exam look-ups, result dates, certification months and consultation hours.

Every text names its source; the facts come from the database, the calendar and the policy parameters.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable, List, Optional, Sequence

from bot.policy.documents import document
from bot.policy.parameters import load_parameters
from bot.policy.placeholders import fill, render
from bot.rules.consultation import ConsultationStatus, describe_hours, describe_opening
from bot.rules.exam_dates import ResultsDeadline, format_chinese_date

ATA_BUSINESS_PHONE = "{ata_certification.contacts.business.contact} {ata_certification.contacts.business.number}"
APPROXIMATE_NOTE = "（该年度的节假日安排尚未收录，此日期按周一至周五推算，仅供参考，如遇节假日顺延。）"


def _hrm_citation() -> str:
    return document("000").citation


def _ata_phone(on: dt.date) -> str:
    return fill(ATA_BUSINESS_PHONE, on)


def _deadline_line(deadline: ResultsDeadline) -> str:
    line = (
        f"如果通过（{_pass_mark(deadline.exam_date)}分及以上），考试结束后{deadline.working_days}个工作日内，"
        f"即{format_chinese_date(deadline.deadline)}前，通过人员信息录入北京市人力资源市场管理信息系统。"
    )
    return line + (APPROXIMATE_NOTE if deadline.approximate else "")


def _pass_mark(on: dt.date) -> int:
    return load_parameters("hrm_practitioner_exam").value("pass_mark", on)


def exam_found_reply(
    masked_id: str,
    title: str,
    exam_date: dt.date,
    exam_time: str,
    place: str,
    notes: Optional[str],
    deadline: ResultsDeadline,
) -> str:
    lines = [
        f"查到了（身份证号 {masked_id}）：",
        f"· 考试：{title}",
        f"· 日期：{format_chinese_date(exam_date)}",
        f"· 时间：{exam_time or '见培训签到登记界面'}",
        f"· 地点：{place or '见培训签到登记界面'}",
    ]
    if notes:
        lines.append(f"· 备注：{notes}")
    lines += [
        "考试须知：",
        "1. 考试当天再次扫描培训签到登记二维码，输入自己的身份证号进入考试；个人信息请直接按照最新、准确的信息填写。",
        "2. 考试当天不得进行培训签到登记。",
        f"3. 提交试卷后即可看到考试结果。{_deadline_line(deadline)}",
        f"来源：{_hrm_citation()}流程第⑦⑧步、常见问题第11问；考试安排来自培训签到登记记录。",
    ]
    return "\n".join(lines)


def exam_not_found_reply(masked_id: str) -> str:
    return "\n".join(
        [
            f"没有查到身份证号 {masked_id} 的培训签到登记记录。可能还没有登记，或者登记记录还没有同步到这里。",
            "培训签到登记的方法：打开“北京市人力资源市场从业人员线上培训”系列课，观看“线上培训考试说明”，"
            "用微信扫描其中的培训签到登记二维码，填写信息、预览核对无误后提交，登记界面上会显示考试时间。"
            "如果之前登记过，再扫一次二维码也能看到考试时间。",
            f"来源：{_hrm_citation()}流程第④⑤步、常见问题第2问、第7问。",
        ]
    )


def ask_exam_date_reply(today: dt.date) -> str:
    """The rule first, so a general question is answered even if the person gives no date."""
    days = load_parameters("hrm_practitioner_exam").value("results_entry_working_days", today)
    return (
        f"通过考试的，考试结束后{days}个工作日内，通过人员信息录入北京市人力资源市场管理信息系统"
        f"（来源：{_hrm_citation()}流程第⑧步）。\n"
        "告诉我您哪天考试，我帮您算出具体日期，例如“12月5日”“2026-12-05”或“昨天”。"
    )


def results_date_reply(deadline: ResultsDeadline) -> str:
    return "\n".join(
        [
            f"考试日期：{format_chinese_date(deadline.exam_date)}。",
            _deadline_line(deadline),
            "“工作日”已扣除周末和法定节假日，并计入调休上班日。",
            f"来源：{_hrm_citation()}流程第⑧步。",
        ]
    )


def next_certification_reply(sessions: Sequence, today: dt.date) -> str:
    """From the exam-session table when it lists upcoming ATA sessions, else from the notice's months."""
    if sessions:
        lines = ["接下来的企业人力资源管理师等级认定安排："]
        for session in sessions:
            window = ""
            if session.registration_opens or session.registration_closes:
                opens = format_chinese_date(session.registration_opens) if session.registration_opens else "见通知"
                closes = format_chinese_date(session.registration_closes) if session.registration_closes else "见通知"
                window = f"，报名 {opens} 至 {closes}"
            level = f"（{session.level}）" if session.level else ""
            lines.append(
                f"· {format_chinese_date(session.exam_date)} {session.exam_time or ''}"
                f"{level}，{session.place or '地点见通知'}{window}"
            )
        lines.append("来源：考试安排表；每批次的报名信息以微信公众号“ATA 评价中心”发布为准。")
        return "\n".join(lines)
    parameter = load_parameters("ata_certification")["certification_months"]
    months: List[int] = sorted(parameter.on(today))
    year, month = next_month_among(months, today)
    month_names = "、".join(f"{m}月" for m in months)
    notice_year = parameter.in_force_since(today).year
    later = (
        f"（{year}年的认定安排尚未公布，这是按{notice_year}年通知的月份推算的，实际以当年通知为准）"
        if year > notice_year
        else ""
    )
    ended = (
        f"请注意：我们收录的认定通知只涵盖{notice_year}年，{today.year}年的安排以最新发布的通知为准。"
        if today.year > notice_year
        else ""
    )
    return "\n".join(
        filter(
            None,
            [
                ended,
                f"{notice_year}年的认定通知中，企业人力资源管理师四个等级的认定月份都是{month_names}。"
                f"按这个安排，下一次认定在{year}年{month}月{later}。",
                f"目前还没有收到具体批次的日期，请以微信公众号“ATA 评价中心”发布的报名信息为准，也可电话咨询{_ata_phone(today)}。",
                f"来源：{parameter.citation}。",
            ],
        )
    )


def next_month_among(months: Iterable[int], today: dt.date) -> tuple:
    """The first listed month after the current one; the current month may already be under way."""
    months = sorted(months)
    later = [m for m in months if m > today.month]
    return (today.year, later[0]) if later else (today.year + 1, months[0])


def _phones(status: ConsultationStatus) -> str:
    return render(list(status.phones), "phone")


def consultation_reply(status: ConsultationStatus) -> str:
    now_text = f"现在是北京时间{status.now:%H:%M}"
    if status.is_open:
        if status.closes_at is None:
            raise ValueError("an open consultation window must have a closing time")
        return "\n".join(
            [
                f"{now_text}，正在咨询时间内，可以直接打电话：{_phones(status)}。"
                f"本时段到 {status.closes_at.hour}:{status.closes_at:%M} 结束（咨询时间是{describe_hours()}）。",
                f"企业人力资源管理师等级认定的问题请联系{_ata_phone(status.now.date())}。",
                f"来源：{_hrm_citation()}三、其他问题。",
            ]
        )
    opening = describe_opening(status.next_opening, status.now)
    note = APPROXIMATE_NOTE if status.approximate else ""
    return "\n".join(
        [
            f"{now_text}，不在咨询时间。咨询时间是{describe_hours()}。",
            f"下次可以打电话的时间：{opening}{note}，电话 {_phones(status)}。",
            f"来源：{_hrm_citation()}三、其他问题。",
        ]
    )


def callback_saved_reply(number: int, masked_phone: str, status: ConsultationStatus) -> str:
    if status.is_open:
        when = "工作人员会在本咨询时段内尽快给您回电。"
    else:
        note = APPROXIMATE_NOTE if status.approximate else ""
        when = f"工作人员会在咨询时间回电，最早 {describe_opening(status.next_opening, status.now)}{note}。"
    return f"已登记您的回电请求（编号 {number}），回拨号码 {masked_phone}。{when}请留意来电。"
