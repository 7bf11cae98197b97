"""Staff accounts and console sessions.

Like the other repositories it works inside a session it is given and never commits: the caller owns
the transaction. Passwords are hashed with Argon2id (argon2-cffi's `PasswordHasher`, its default
parameters, rehashed on sign-in when those change). A session token is a random string that only
the browser's cookie holds; the database keeps its SHA-256, so a copy of the table signs no one in.

Failed sign-ins are counted per account: after `MAX_FAILED_SIGN_INS` in a row the account is locked
for `LOCK_DURATION`, during which even the right password is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import List, Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload

from bot.db.models import StaffAccount, StaffSession, utcnow

MIN_PASSWORD_LENGTH = 10
# Long enough for any passphrase; stops a megabyte "password" from tying up the hasher.
MAX_PASSWORD_LENGTH = 256
MAX_NAME_LENGTH = 64
MAX_FAILED_SIGN_INS = 5
LOCK_DURATION = dt.timedelta(minutes=1)
DEFAULT_SESSION_HOURS = 8.0

SIGNED_IN = "ok"
WRONG_CREDENTIALS = "wrong"
LOCKED = "locked"
DISABLED = "disabled"

_hasher = PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against when the name is unknown, so that case takes as long as a wrong password.
    Made on first use: an Argon2 hash costs about 0.1 s, which importing this module must not."""
    return _hasher.hash(secrets.token_urlsafe(16))


class StaffError(ValueError):
    """A request the repository refuses; the message is for staff, in Chinese."""


class StaffNotFound(StaffError, LookupError):
    def __init__(self, name: str):
        super().__init__(f"没有名为“{name}”的工作人员账号。")
        self.name = name


@dataclass(frozen=True)
class SignInResult:
    outcome: str  # SIGNED_IN, WRONG_CREDENTIALS, LOCKED or DISABLED
    account: Optional[StaffAccount] = None  # set when the name exists
    locked_until: Optional[dt.datetime] = None

    @property
    def ok(self) -> bool:
        return self.outcome == SIGNED_IN


def normalize_name(name: str) -> str:
    return unicodedata.normalize("NFKC", name or "").strip()


def name_problem(name: str) -> Optional[str]:
    name = normalize_name(name)
    if not name:
        return "账号名不能为空。"
    if len(name) > MAX_NAME_LENGTH:
        return f"账号名不能超过{MAX_NAME_LENGTH}个字符。"
    if any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in name):
        return "账号名不能包含空格或控制字符。"
    return None


def password_problem(password: str) -> Optional[str]:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        return f"密码至少需要{MIN_PASSWORD_LENGTH}个字符。"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"密码不能超过{MAX_PASSWORD_LENGTH}个字符。"
    return None


def token_digest(token: str) -> str:
    """What is stored for a session token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def csrf_token_for(session_token: str) -> str:
    """The form token of a session, derived from its cookie token: nothing more to store, and it
    cannot be computed from the stored hash."""
    return hmac.new(session_token.encode("utf-8"), b"console-csrf", hashlib.sha256).hexdigest()


def _aware(now: Optional[dt.datetime]) -> dt.datetime:
    now = now or utcnow()
    if now.tzinfo is None:
        raise ValueError("naive datetime: pass a timezone-aware value")
    return now


class StaffRepository:
    def __init__(self, session: Session):
        self.session = session

    # --- accounts ---------------------------------------------------------------------------------

    def get(self, name: str) -> Optional[StaffAccount]:
        return self.session.execute(
            select(StaffAccount).where(StaffAccount.name == normalize_name(name))
        ).scalar_one_or_none()

    def require(self, name: str) -> StaffAccount:
        account = self.get(name)
        if account is None:
            raise StaffNotFound(normalize_name(name))
        return account

    def list(self) -> List[StaffAccount]:
        return list(self.session.execute(select(StaffAccount).order_by(StaffAccount.name)).scalars())

    def add(self, name: str, password: str) -> StaffAccount:
        """A new active account; StaffError if the name is taken or either value is unfit."""
        problem = name_problem(name) or password_problem(password)
        if problem:
            raise StaffError(problem)
        name = normalize_name(name)
        if self.get(name) is not None:
            raise StaffError(f"账号“{name}”已经存在。")
        now = utcnow()
        account = StaffAccount(
            name=name,
            password_hash=_hasher.hash(password),
            is_active=True,
            failed_sign_ins=0,
            created_at=now,
            password_changed_at=now,
        )
        self.session.add(account)
        self.session.flush()
        return account

    def set_password(self, name: str, password: str) -> StaffAccount:
        """New password; clears any lock and ends every session of the account."""
        problem = password_problem(password)
        if problem:
            raise StaffError(problem)
        account = self.require(name)
        account.password_hash = _hasher.hash(password)
        account.password_changed_at = utcnow()
        account.failed_sign_ins = 0
        account.locked_until = None
        self._end_sessions(account)
        self.session.flush()
        return account

    def disable(self, name: str) -> StaffAccount:
        """The account can no longer sign in, and is signed out everywhere."""
        account = self.require(name)
        account.is_active = False
        self._end_sessions(account)
        self.session.flush()
        return account

    def enable(self, name: str) -> StaffAccount:
        account = self.require(name)
        account.is_active = True
        account.failed_sign_ins = 0
        account.locked_until = None
        self.session.flush()
        return account

    def _end_sessions(self, account: StaffAccount) -> None:
        self.session.execute(delete(StaffSession).where(StaffSession.staff_id == account.id))

    # --- sign-in ----------------------------------------------------------------------------------

    def verify_password(self, name: str, password: str, now: Optional[dt.datetime] = None) -> SignInResult:
        """Checks a sign-in attempt and records its outcome on the account (failures, lock, last sign-in).

        An unknown name, a wrong password and an over-long password all give WRONG_CREDENTIALS, after
        the same amount of hashing work.
        """
        now = _aware(now)
        account = self.get(name) if not name_problem(name) else None
        if account is None:
            _verify(_dummy_hash(), password)
            return SignInResult(WRONG_CREDENTIALS)
        if account.locked_until is not None and account.locked_until > now:
            return SignInResult(LOCKED, account, account.locked_until)
        if not _verify(account.password_hash, password):
            account.failed_sign_ins = (account.failed_sign_ins or 0) + 1
            if account.failed_sign_ins >= MAX_FAILED_SIGN_INS:
                account.failed_sign_ins = 0
                account.locked_until = now + LOCK_DURATION
                self.session.flush()
                return SignInResult(LOCKED, account, account.locked_until)
            self.session.flush()
            return SignInResult(WRONG_CREDENTIALS, account)
        # The right password from a disabled account is still refused, but says why.
        if not account.is_active:
            return SignInResult(DISABLED, account)
        account.failed_sign_ins = 0
        account.locked_until = None
        account.last_sign_in_at = now
        if _hasher.check_needs_rehash(account.password_hash):
            account.password_hash = _hasher.hash(password)
        self.session.flush()
        return SignInResult(SIGNED_IN, account)

    # --- sessions ---------------------------------------------------------------------------------

    def create_session(
        self, account: StaffAccount, hours: float = DEFAULT_SESSION_HOURS, now: Optional[dt.datetime] = None
    ) -> tuple[str, StaffSession]:
        """(token for the cookie, stored session). The token is returned once and never stored."""
        now = _aware(now)
        token = secrets.token_urlsafe(32)
        record = StaffSession(
            token_hash=token_digest(token),
            staff_id=account.id,
            created_at=now,
            expires_at=now + dt.timedelta(hours=hours),
        )
        self.session.add(record)
        self.session.flush()
        return token, record

    def get_by_session_token(self, token: Optional[str], now: Optional[dt.datetime] = None) -> Optional[StaffSession]:
        """The live session of an active account for this cookie token; None if unknown, expired or disabled."""
        if not token or len(token) > 256:
            return None
        now = _aware(now)
        record = self.session.execute(
            select(StaffSession)
            .options(joinedload(StaffSession.account))
            .where(StaffSession.token_hash == token_digest(token))
        ).scalar_one_or_none()
        if record is None or record.expires_at <= now or not record.account.is_active:
            return None
        return record

    def delete_session(self, token: Optional[str]) -> bool:
        if not token:
            return False
        result = self.session.execute(delete(StaffSession).where(StaffSession.token_hash == token_digest(token)))
        return bool(result.rowcount)

    def purge_expired(self, now: Optional[dt.datetime] = None) -> int:
        """Deletes expired sessions; returns how many."""
        result = self.session.execute(delete(StaffSession).where(StaffSession.expires_at <= _aware(now)))
        return int(result.rowcount or 0)

    def session_count(self, account: StaffAccount) -> int:
        return len(self.session.execute(select(StaffSession.id).where(StaffSession.staff_id == account.id)).all())


def _verify(password_hash: str, password: str) -> bool:
    if not isinstance(password, str) or len(password) > MAX_PASSWORD_LENGTH:
        # Still do the work, so a long password is not told apart by its speed.
        password = ""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
