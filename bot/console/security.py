"""Response headers, cookies, CSRF and sign-in throttling for the console."""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from typing import Deque, Dict, Optional, Tuple
from urllib.parse import urlsplit

# Our own one small script only (static/console.js: the question box focused and selected after each
# result); every page works without it, with HTML forms and <details>.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
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


MAX_TRACKED = 10_000  # keys of failures kept before stale ones are forgotten


class _FailureWindow:
    """Failures per key: after `limit` within `window` seconds, the key is refused for `block`."""

    def __init__(self, limit: int, window: float, block: float, clock) -> None:
        self.limit, self.window, self.block, self.clock = limit, window, block, clock
        self._failures: Dict[Tuple[str, ...], Deque[float]] = {}
        self._blocked_until: Dict[Tuple[str, ...], float] = {}
        self._prune_above = MAX_TRACKED

    def blocked(self, key: Tuple[str, ...]) -> bool:
        until = self._blocked_until.get(key)
        if until is None:
            return False
        if self.clock() >= until:
            del self._blocked_until[key]
            return False
        return True

    def failed(self, key: Tuple[str, ...]) -> None:
        now = self.clock()
        failures = self._failures.setdefault(key, deque())
        failures.append(now)
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if len(failures) >= self.limit:
            self._blocked_until[key] = now + self.block
            failures.clear()
        if len(self._failures) > self._prune_above:
            self._prune(now)

    def _prune(self, now: float) -> None:
        """Forget failures outside the window and finished blocks, so an attacker cycling through
        names cannot grow memory without bound; prune again only once the table has doubled."""
        recent = now - self.window
        self._failures = {item: times for item, times in self._failures.items() if times and times[-1] > recent}
        self._blocked_until = {item: until for item, until in self._blocked_until.items() if until > now}
        self._prune_above = max(MAX_TRACKED, 2 * len(self._failures))

    def forget(self, key: Tuple[str, ...]) -> None:
        self._failures.pop(key, None)


class SignInThrottle:
    """Failed sign-ins per account name and client address: after `limit` within `window` seconds
    that account is refused from that address for `block`, so one person mistyping (or someone
    guessing) behind a shared proxy does not lock out colleagues. Guessing across many account names
    from one address is slowed by `address_limit`; the per-account lock in the database stops
    guessing one account from many addresses. Kept in memory; a restart forgets it.
    """

    def __init__(
        self,
        limit: int = 10,
        window: float = 300.0,
        block: float = 60.0,
        address_limit: int = 100,
        clock=time.monotonic,
    ):
        self._pairs = _FailureWindow(limit, window, block, clock)
        self._addresses = _FailureWindow(address_limit, window, block, clock)
        self._lock = threading.Lock()

    @staticmethod
    def _pair(client: str, account: str) -> Tuple[str, str]:
        return client, (account or "").strip().lower()

    def blocked(self, client: str, account: str) -> bool:
        with self._lock:
            return self._pairs.blocked(self._pair(client, account)) or self._addresses.blocked((client,))

    def failed(self, client: str, account: str) -> None:
        with self._lock:
            self._pairs.failed(self._pair(client, account))
            self._addresses.failed((client,))

    def succeeded(self, client: str, account: str) -> None:
        with self._lock:
            self._pairs.forget(self._pair(client, account))
