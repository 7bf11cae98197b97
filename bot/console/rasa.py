"""The one call the console makes to Rasa: `POST /model/parse` on its HTTP API (run with --enable-api)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict

import aiohttp

logger = logging.getLogger(__name__)


class RasaUnavailable(Exception):
    """Rasa gave no usable answer; the message is for staff, in Chinese."""


async def parse(rasa_url: str, token: str, text: str, timeout: float = 15.0) -> Dict[str, Any]:
    """Rasa's NLU result for `text`: intent, entities and the FAQ ranking of the ResponseSelector."""
    url = f"{rasa_url.rstrip('/')}/model/parse"
    params = {"token": token} if token else {}
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as client:
            async with client.post(url, params=params, json={"text": text}) as response:
                if response.status in (401, 403):
                    logger.warning("Rasa refused the API token (HTTP %s)", response.status)
                    raise RasaUnavailable("咨询助手拒绝了访问：访问令牌（RASA_API_TOKEN）不对，请联系管理员。")
                if response.status != 200:
                    logger.warning("Rasa answered HTTP %s to a parse request", response.status)
                    raise RasaUnavailable(f"咨询助手暂时无法分析问题（HTTP {response.status}），请稍后再试。")
                data = await response.json(content_type=None)
    except RasaUnavailable:
        raise
    except asyncio.TimeoutError:
        logger.warning("Rasa did not answer within %ss", timeout)
        raise RasaUnavailable("咨询助手没有及时响应，请稍后再试。") from None
    except (aiohttp.ClientError, OSError) as error:
        # The error names only the host and port; the token is in no message we log.
        logger.warning("Rasa is unreachable: %s", error.__class__.__name__)
        raise RasaUnavailable("无法连接咨询助手（Rasa 服务没有启动或地址不对），请稍后再试或联系管理员。") from None
    except ValueError:
        raise RasaUnavailable("咨询助手的回应无法识别，请联系管理员。") from None
    if not isinstance(data, dict):
        raise RasaUnavailable("咨询助手的回应无法识别，请联系管理员。")
    return data
