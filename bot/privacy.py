"""Personal data: validate, mask, hash and encrypt ID numbers, phone numbers and e-mail addresses.

Raw ID and phone numbers are never stored or logged: the database keeps a keyed hash
(to find and deduplicate) and a masked form (to show); a callback phone number, which
staff must dial, is kept encrypted. The key comes from `BOT_PII_KEY`; without it a
random key is generated once into the data directory.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any, List, Optional

from bot import settings

# GB 11643-1999: weights of the first 17 digits, and the check character for each sum mod 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARACTERS = "10X98765432"

# Written whole or with spaces or hyphens between the digits: "110108 19900307 1238", "139-0000-1111".
ID_LIKE = re.compile(r"(?<![0-9A-Za-z])(\d(?:[ -]?\d){16}[ -]?[\dXx]|\d{15})(?![0-9A-Za-z])")
MOBILE_LIKE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?(1[3-9](?:[ -]?\d){9})(?![0-9])")
EMAIL_LIKE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# A JSON log line writes non-ASCII text as \uXXXX, which hides where a number starts ("\u53f713900001111").
JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
MOBILE = re.compile(r"1[3-9]\d{9}")


class PersonalDataError(ValueError):
    """A value that cannot be an ID number, mobile number or e-mail address; the message is for the user."""


# --- ID numbers -----------------------------------------------------------------------------------


def normalize_id_number(text: str) -> str:
    return re.sub(r"[\s-]", "", text or "").upper()


def id_check_character(first_17_digits: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first_17_digits, ID_WEIGHTS))
    return ID_CHECK_CHARACTERS[total % 11]


def id_number_problem(text: str, today: Optional[dt.date] = None) -> Optional[str]:
    """None for a valid 18-character ID number; otherwise why not, in plain Chinese."""
    number = normalize_id_number(text)
    if len(number) != 18:
        return f"身份证号应为18位，您输入的是{len(number)}位。"
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return "身份证号前17位应为数字，最后一位为数字或X。"
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "身份证号中的出生日期不是有效日期。"
    if birth.year < 1900 or birth > (today or dt.date.today()):
        return "身份证号中的出生日期不合理。"
    if id_check_character(number[:17]) != number[17]:
        return "身份证号的校验位不对，可能有一位输错了。"
    return None


def find_id_number(text: str) -> Optional[str]:
    """The first 18-character ID-like string in a message, valid or not (the caller checks it)."""
    for match in ID_LIKE.finditer(text or ""):
        number = normalize_id_number(match.group(1))
        if len(number) == 18:
            return number
    return None


def mask_id_number(number: str) -> str:
    number = normalize_id_number(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


# --- Mobile numbers -------------------------------------------------------------------------------


def normalize_mobile(text: str) -> str:
    digits = re.sub(r"[\s()（）-]", "", text or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def mobile_problem(text: str) -> Optional[str]:
    """None for a mainland mobile number (11 digits starting 13–19); otherwise why not."""
    number = normalize_mobile(text)
    if MOBILE.fullmatch(number):
        return None
    if not number.isdigit():
        return "手机号只能包含数字。"
    if len(number) != 11:
        return f"手机号应为11位，您输入的是{len(number)}位。"
    return "这不是有效的大陆手机号（应以13至19开头）。"


def find_mobile(text: str) -> Optional[str]:
    match = MOBILE_LIKE.search(text or "")
    return normalize_mobile(match.group(1)) if match else None


def mask_mobile(number: str) -> str:
    number = normalize_mobile(number)
    return number[:3] + "****" + number[-4:]


# --- E-mail ---------------------------------------------------------------------------------------


def normalize_email(text: str) -> str:
    return (text or "").strip().lower()


def email_problem(text: str) -> Optional[str]:
    return None if EMAIL_LIKE.fullmatch(normalize_email(text)) else "邮箱格式不正确。"


def mask_email(address: str) -> str:
    local, _, domain = normalize_email(address).partition("@")
    return f"{local[:1]}***@{domain}"


# --- Redaction ------------------------------------------------------------------------------------


def redact_text(text: str) -> str:
    """Replace every ID-like and mobile-like number and every e-mail address in free text by its masked form."""
    if not text:
        return text
    text = ID_LIKE.sub(lambda m: mask_id_number(m.group(1)), text)
    text = MOBILE_LIKE.sub(lambda m: mask_mobile(m.group(1)), text)
    return EMAIL_LIKE.sub(lambda m: mask_email(m.group(0)), text)


def unescape_json(text: str) -> str:
    """JSON \\uXXXX escapes as the characters they stand for (surrogates stay escaped: they cannot be written)."""

    def character(match: re.Match) -> str:
        code = int(match.group(1), 16)
        return match.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)

    return JSON_ESCAPE.sub(character, text)


def redact_log_text(text: str) -> str:
    """`redact_text` for a log line, which may be JSON with its non-ASCII text escaped."""
    if not text:
        return text
    redacted = redact_text(text)
    if "\\u" in text:
        readable = unescape_json(text)
        if redact_text(readable) != readable:
            return redact_text(readable)
    return redacted


def redact(value: Any) -> Any:
    """Redact every string inside nested dicts and lists (events, parse data, metadata)."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {redact_text(key) if isinstance(key, str) else key: redact(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(redact(item) for item in value)
    return value


def contains_personal_numbers(text: str) -> List[str]:
    """The raw ID-like and mobile-like numbers and e-mail addresses in `text` (for tests and audits)."""
    found = [m.group(1) for m in ID_LIKE.finditer(text or "")]
    found += [m.group(1) for m in MOBILE_LIKE.finditer(text or "")]
    return found + [m.group(0) for m in EMAIL_LIKE.finditer(text or "")]


# --- Keys, hashing, encryption --------------------------------------------------------------------


def _generated_key_file() -> Path:
    return settings.data_dir() / "pii.key"


def _read_or_create_key_file(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting together must not write two different keys.
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


@lru_cache(maxsize=8)
def _master_key(env_key: Optional[str], key_file: Path) -> bytes:
    return env_key.encode() if env_key else _read_or_create_key_file(key_file)


def master_key() -> bytes:
    from bot import settings

    return _master_key(settings.current().pii_key or None, _generated_key_file())


def _subkey(purpose: str) -> bytes:
    return hmac.new(master_key(), purpose.encode(), hashlib.sha256).digest()


def pii_digest(kind: str, normalized_value: str) -> str:
    """Keyed hash (HMAC-SHA256) of a normalized value; `kind` keeps ID, phone and e-mail hashes apart."""
    return hmac.new(_subkey("digest"), f"{kind}:{normalized_value}".encode(), hashlib.sha256).hexdigest()


def id_number_digest(number: str) -> str:
    return pii_digest("id", normalize_id_number(number))


def mobile_digest(number: str) -> str:
    return pii_digest("mobile", normalize_mobile(number))


def email_digest(address: str) -> str:
    return pii_digest("email", normalize_email(address))


def _fernet():
    from cryptography.fernet import Fernet

    return Fernet(base64.urlsafe_b64encode(_subkey("encrypt")))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()
