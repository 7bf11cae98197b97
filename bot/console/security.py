"""Response headers, cookies, CSRF and sign-in throttling for the console."""
from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from typing import Deque, Dict, Optional
from urllib.parse import urlsplit

# No script at all: the pages work with HTML forms and <details> only.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")
BASE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on our own form posts.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
# Every page names the signed-in staff member and most show personal data: none is kept in a cache.
NO_STORE = "no-store"
STATIC_CACHE = "private, max-age=3600"
HSTS = "max-age=31536000"


def session_cookie_name(secure: bool) -> str:
    # The __Host- prefix makes the browser refuse the cookie unless it is Secure, host-only and Path=/.
    return "__Host-console_session" if secure else "console_session"


def signin_cookie_name(secure: bool) -> str:
    return "__Host-console_signin" if secure else "console_signin"


def set_cookie(response, name: str, value: str, max_age: int, secure: bool) -> None:
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["path"] = "/"
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["max-age"] = max_age
    if secure:
        cookie["secure"] = True


def clear_cookie(response, name: str, secure: bool) -> None:
    set_cookie(response, name, "", 0, secure)


def new_form_token() -> str:
    return secrets.token_urlsafe(32)


def tokens_match(expected: Optional[str], given: Optional[str]) -> bool:
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def same_origin(origin: Optional[str], host: str) -> bool:
    """A POST's Origin header, when the browser sends one, must name this console."""
    if origin is None:
        return True  # older browsers and non-browser clients; the CSRF token still applies
    if origin == "null":
        return False
    return urlsplit(origin).netloc.lower() == (host or "").lower()


class SignInThrottle:
    """Failed sign-ins per client address: after `limit` within `window` seconds, refuse for `block`.

    Complements the per-account lock: it also slows down guessing across many account names.
    Kept in memory; a restart forgets it, the account locks stay in the database.
    """

    def __init__(self, limit: int = 10, window: float = 300.0, block: float = 60.0, clock=time.monotonic):
        self.limit, self.window, self.block, self.clock = limit, window, block, clock
        self._failures: Dict[str, Deque[float]] = {}
        self._blocked_until: Dict[str, float] = {}
        self._lock = threading.Lock()

    def blocked(self, client: str) -> bool:
        with self._lock:
            until = self._blocked_until.get(client)
            if until is None:
                return False
            if self.clock() >= until:
                del self._blocked_until[client]
                return False
            return True

    def failed(self, client: str) -> None:
        now = self.clock()
        with self._lock:
            failures = self._failures.setdefault(client, deque())
            failures.append(now)
            while failures and failures[0] <= now - self.window:
                failures.popleft()
            if len(failures) >= self.limit:
                self._blocked_until[client] = now + self.block
                failures.clear()
            if len(self._failures) > 10_000:  # bound the memory an attacker can make us use
                self._failures = {key: value for key, value in self._failures.items() if value}

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)
