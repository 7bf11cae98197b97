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
