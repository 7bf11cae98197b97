"""WeChat's customer-service message API: answers that miss the passive reply's 5-second window,
and the parts of a long answer after the first."""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import List

from bot.channels.wechat_tokens import token_storage

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10.0


class CustomerService:
    def __init__(self, app_id: str, app_secret: str) -> None:
        self.app_id, self.app_secret = app_id, app_secret
        self._client = None
        self._lock = threading.Lock()

    @property
    def configured(self) -> bool:
        return bool(self.app_id and self.app_secret)

    @property
    def client(self):
        """The API client, created once (it keeps the access token until it expires; with `REDIS_URL`
        the token is shared by every replica, so they do not each fetch one)."""
        with self._lock:
            if self._client is None:
                from wechatpy import WeChatClient

                self._client = WeChatClient(
                    self.app_id, self.app_secret, timeout=TIMEOUT_SECONDS, session=token_storage()
                )
            return self._client

    async def send(self, open_id: str, parts: List[str]) -> None:
        """Send `parts` in order; failures are logged, never raised."""
        if not parts:
            return
        if not self.configured:
            logger.warning(
                "WeChat: cannot send %d message(s) through the customer-service API: "
                "WECHAT_APP_ID or WECHAT_APP_SECRET is empty",
                len(parts),
            )
            return
        try:
            await asyncio.to_thread(self._send_texts, open_id, parts)
        except Exception as error:  # the text is not logged: it may quote the question
            logger.error(
                "WeChat: customer-service message failed: %s (errcode %s)",
                type(error).__name__,
                getattr(error, "errcode", None),
            )

    def _send_texts(self, open_id: str, parts: List[str]) -> None:
        client = self.client
        with self._lock:  # one sender at a time: ordered parts, one token fetch
            for part in parts:
                client.message.send_text(open_id, part)
