"""ID numbers (GB 11643), mobile numbers, masks, keyed hashes and redaction."""
import pytest

from bot import privacy

VALID_ID = "11010519491231002X"


@pytest.fixture(autouse=True)
def key(monkeypatch, tmp_path):
    monkeypatch.setenv("BOT_PII_KEY", "unit-test-key")
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path))
    privacy._master_key.cache_clear()
    yield
    privacy._master_key.cache_clear()


@pytest.mark.parametrize("number, problem", [
    (VALID_ID, None),
    ("11010519491231002x", None),
    ("110101199704021888", None),
    ("110105194912310021", "校验位"),
    ("11010519491231002", "18位"),
    ("1101051949123100212", "18位"),
    ("11010519491331002X", "出生日期"),
    ("1101051949123100XX", "前17位"),
], ids=["校验位为X的有效号码", "小写x也有效", "校验位为数字的有效号码", "校验位错一位", "少一位", "多一位",
        "十三月出生", "X不在最后一位"])
def test_id_numbers_are_checked_by_gb11643(number, problem):
    found = privacy.id_number_problem(number)
    assert (found is None) if problem is None else (problem in found)


@pytest.mark.parametrize("number, ok", [
    ("13800138000", True), ("+86 139 1234 5678", True), ("138-0013-8000", True),
    ("12800138000", False), ("1380013800", False), ("010-64400680", False),
], ids=["普通手机号", "带国家码和空格", "带横线", "12开头不是手机号", "少一位", "座机号码"])
def test_mainland_mobile_numbers(number, ok):
    assert (privacy.mobile_problem(number) is None) is ok


def test_masks_keep_only_the_ends():
    assert privacy.mask_id_number(VALID_ID) == "1101**********002X"
    assert privacy.mask_mobile("13800138000") == "138****8000"
    assert privacy.mask_email("Zhang.San@Example.com") == "z***@example.com"


def test_redaction_masks_every_personal_number_in_free_text():
    text = f"我是张三，身份证{VALID_ID}，电话138 0013 8000，座机010-64400680"
    redacted = privacy.redact_text(text)
    assert VALID_ID not in redacted and "138 0013 8000" not in redacted
    assert "1101**********002X" in redacted and "138****8000" in redacted
    assert "010-64400680" in redacted  # office numbers are public, not personal
    assert privacy.redact_text(redacted) == redacted


def test_redaction_reaches_nested_event_data():
    event = {"text": VALID_ID, "parse_data": {"entities": [{"value": "13912345678"}]}, "confidence": 0.9}
    redacted = privacy.redact(event)
    assert privacy.contains_personal_numbers(str(redacted)) == []
    assert redacted["confidence"] == 0.9


def test_keyed_hashes_ignore_case_and_depend_on_the_key(monkeypatch):
    digest = privacy.id_number_digest(VALID_ID)
    assert digest == privacy.id_number_digest(VALID_ID.lower())
    assert VALID_ID not in digest
    monkeypatch.setenv("BOT_PII_KEY", "another-key")
    privacy._master_key.cache_clear()
    assert privacy.id_number_digest(VALID_ID) != digest


def test_without_a_configured_key_one_is_generated_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.delenv("BOT_PII_KEY")
    privacy._master_key.cache_clear()
    first = privacy.mobile_digest("13800138000")
    privacy._master_key.cache_clear()
    assert privacy.mobile_digest("13800138000") == first
    key_file = tmp_path / "pii.key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_encrypted_phone_numbers_round_trip():
    token = privacy.encrypt("13800138000")
    assert "13800138000" not in token and privacy.decrypt(token) == "13800138000"


@pytest.mark.parametrize("text, raw", [
    ("身份证 110108 19900307 1238 查考试", "110108 19900307 1238"),
    ("身份证110108-1990-0307-1238", "110108-1990-0307-1238"),
    ("电话139-0000-1111", "139-0000-1111"),
    ("电话 139 0000 1111", "139 0000 1111"),
    ("邮箱 Zhang.San@example.com 谢谢", "Zhang.San@example.com"),
], ids=["身份证号带空格", "身份证号带连字符", "手机号带连字符", "手机号带空格", "邮箱"])
def test_numbers_with_separators_and_e_mail_are_masked(text, raw):
    redacted = privacy.redact_text(text)
    assert raw not in redacted and privacy.contains_personal_numbers(redacted) == []


def test_an_id_number_with_separators_is_found_for_the_lookup():
    assert privacy.find_id_number("110108 19900307 1238") == "110108199003071238"
    assert privacy.find_mobile("139-0000-1111") == "13900001111"


def test_numbers_in_an_escaped_json_log_line_are_masked():
    line = '{"event": "\\u6211\\u7684\\u624b\\u673a\\u53f713900001111 \\u8eab\\u4efd\\u8bc1110108199003071238"}'
    redacted = privacy.redact_log_text(line)
    assert "13900001111" not in redacted and "110108199003071238" not in redacted


def test_the_log_filter_masks_arguments_the_joined_message_and_tracebacks():
    import logging

    from bot.logs import RedactingLogFilter

    try:
        raise ValueError("身份证110108199003071238")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "text %s and %r", ("13900001111", {"m": "a@b.cn"}),
                                   sys.exc_info())
    assert RedactingLogFilter().filter(record)
    written = logging.Formatter().format(record)
    assert privacy.contains_personal_numbers(written) == [], written
