"""Staff import registrations; candidates ask for their exam, results date and a callback; nothing raw is kept."""
import csv
import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_REGISTRATIONS = ROOT / "docs" / "examples" / "registrations.csv"
ADMIN = Path(sys.executable).parent / "bot-admin"
UNREGISTERED_ID = "110101199704021888"
CALLBACK_PHONE = "13912345678"


def say(servers, sender, text):
    response = requests.post(servers["rest"], json={"sender": sender, "message": text}, timeout=30)
    response.raise_for_status()
    return "\n".join(reply.get("text", "") for reply in response.json())


def admin(servers, *arguments):
    return subprocess.run([str(ADMIN), *arguments], env=servers["env"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def registered(servers):
    """The example sign-in export, imported as staff would; returns its first row."""
    result = admin(servers, "import-registrations", str(EXAMPLE_REGISTRATIONS))
    assert result.returncode == 0, result.stdout + result.stderr
    with EXAMPLE_REGISTRATIONS.open(encoding="utf-8-sig") as handle:
        return next(csv.DictReader(handle))


def new_sender():
    return f"e2e-{uuid.uuid4().hex[:8]}"


def test_an_id_number_in_the_question_gets_the_exam_at_once(servers, registered):
    reply = say(servers, new_sender(), f"我的身份证号是{registered['身份证号']}，我哪天考试")
    year, month, day = (int(part) for part in registered["考试日期"].split("-"))
    assert f"{year}年{month}月{day}日" in reply
    assert registered["考试时间"] in reply and "考试当天不得进行培训签到登记" in reply
    assert registered["身份证号"] not in reply
    assert "来源：" in reply


def test_the_assistant_asks_for_the_id_number_and_rejects_a_wrong_check_digit(servers, registered):
    sender = new_sender()
    assert "身份证号" in say(servers, sender, "我什么时候考试")
    wrong = registered["身份证号"][:17] + ("0" if registered["身份证号"][17] != "0" else "1")
    assert "校验位" in say(servers, sender, wrong)
    assert registered["考试时间"] in say(servers, sender, registered["身份证号"])


def test_no_registration_is_said_kindly(servers, registered):
    reply = say(servers, new_sender(), f"身份证{UNREGISTERED_ID} 查一下我的考试时间")
    assert "没有查到" in reply and "培训签到登记" in reply


def test_the_results_date_follows_the_exam_looked_up(servers, registered):
    sender = new_sender()
    say(servers, sender, f"我的身份证号是{registered['身份证号']}，我哪天考试")
    reply = say(servers, sender, "结果什么时候录入")
    assert "5个工作日" in reply and "来源：" in reply


def test_the_consultation_hours_are_answered_from_the_clock(servers):
    reply = say(servers, new_sender(), "现在能打电话吗")
    assert ("正在咨询时间内" in reply) or ("不在咨询时间" in reply and "下次可以打电话的时间" in reply)


def test_an_evening_visitor_leaves_a_callback_that_staff_can_list(servers):
    sender = new_sender()
    assert "称呼" in say(servers, sender, "预约回电")
    assert "手机号" in say(servers, sender, "王女士")
    assert "11位" in say(servers, sender, "123456")
    assert "问题" in say(servers, sender, CALLBACK_PHONE)
    assert "已登记您的回电请求" in say(servers, sender, "以训兴业补贴怎么申请")

    listed = admin(servers, "callbacks", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    requests_listed = json.loads(listed.stdout)
    mine = [r for r in requests_listed if r["name"] == "王女士"]
    assert mine and mine[0]["phone"] == CALLBACK_PHONE and mine[0]["channel"] == "rest"


def test_no_raw_id_or_phone_number_is_in_the_database_or_the_logs(servers, registered):
    """Runs last: everything typed above must be stored and logged masked only."""
    say(servers, new_sender(), f"我的手机号{CALLBACK_PHONE}，身份证{UNREGISTERED_ID}")
    data_dir = Path(servers["env"]["BOT_DATA_DIR"])
    stored = b"".join(path.read_bytes() for path in data_dir.glob("assistant.db*"))
    logs = b"".join(path.read_bytes() for path in servers["logs"].values())
    for secret in (registered["身份证号"], UNREGISTERED_ID, CALLBACK_PHONE, registered["手机号"]):
        assert secret.encode() not in stored, "raw number in the database"
        assert secret.encode() not in logs, "raw number in the logs"
    assert b"events" in stored  # the tracker store really wrote here
