"""The WeChat server's side of the conversation, for the WeChat channel tests.

Signs requests as WeChat does (SHA-1 of the sorted token, timestamp and nonce), encrypts messages
for safe mode with wechatpy's `WeChatCrypto`, and reads the passive replies back.

The account settings and the `PEER_*` vectors are wechatpy's own published crypto test cases
(token 123456, that EncodingAESKey, app id wx49f0ab532d5d035a): a ciphertext made by another
implementation, with its signature, timestamp, nonce and the plaintext it must decrypt to.
"""
from __future__ import annotations

import itertools
import secrets
import time
from typing import Dict, Optional, Tuple

import xmltodict
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

TOKEN = "123456"
AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
APP_ID = "wx49f0ab532d5d035a"
APP_SECRET = "test-secret"
ACCOUNT = "gh_0123456789ab"  # the Official Account's own id (ToUserName of incoming messages)

WECHAT_ENV = {"WECHAT_TOKEN": TOKEN, "WECHAT_APP_ID": APP_ID, "WECHAT_AES_KEY": AES_KEY,
              "WECHAT_APP_SECRET": APP_SECRET}

# A message encrypted by the peer, as it arrives (body) with its query parameters.
PEER_ENCRYPTED_BODY = (
    "<xml><ToUserName><![CDATA[wx49f0ab532d5d035a]]></ToUserName>\n"
    "<Encrypt><![CDATA[RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTy"
    "eDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2"
    "/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNd"
    "shoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0"
    "=]]></Encrypt>\n"
    "<AgentID><![CDATA[1]]></AgentID>\n"
    "</xml>"
)
PEER_MSG_SIGNATURE = "74d92dfeb87ba7c714f89d98870ae5eb62dff26d"
PEER_TIMESTAMP = "1411525903"
PEER_NONCE = "461056294"
PEER_PLAINTEXT = (
    "<xml><ToUserName><![CDATA[wx49f0ab532d5d035a]]></ToUserName>\n"
    "<FromUserName><![CDATA[messense]]></FromUserName>\n"
    "<CreateTime>1411525903</CreateTime>\n"
    "<MsgType><![CDATA[text]]></MsgType>\n"
    "<Content><![CDATA[test]]></Content>\n"
    "<MsgId>4363689963896700987</MsgId>\n"
    "<AgentID>1</AgentID>\n"
    "</xml>"
)

# The peer's encryption of a reply, with the random prefix fixed to "1234567890123456".
PEER_REPLY_RANDOM = "1234567890123456"
PEER_REPLY_PLAINTEXT = (
    "<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n"
    "<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n"
    "<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>"
)
PEER_REPLY_ENCRYPTED = (
    "<xml>\n"
    "<Encrypt><![CDATA[9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGs"
    "L8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIX"
    "rx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ3"
    "9xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3]]></Encrypt>\n"
    "<MsgSignature><![CDATA[407518b7649e86ef23978113f92d27afa9296533]]></MsgSignature>\n"
    "<TimeStamp>1411525903</TimeStamp>\n"
    "<Nonce><![CDATA[461056294]]></Nonce>\n"
    "</xml>"
)

# Server verification in the peer's test: the signature covers the echo string too.
PEER_ECHO_SIGNATURE = "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96"
PEER_ECHO_TIMESTAMP = "1411443780"
PEER_ECHO_NONCE = "437374425"
PEER_ECHO_STR = "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q=="
PEER_ECHO_PLAINTEXT = "5927782489442352469"

_ids = itertools.count(int(time.time() * 1000) % 10**9 * 1000)


def signature(*parts: str) -> str:
    signer = WeChatSigner()
    signer.add_data(*parts)
    return signer.signature


def new_msg_id() -> int:
    return next(_ids)


def new_nonce() -> str:
    return str(secrets.randbelow(10**10))


def signed_args(token: str = TOKEN, timestamp: Optional[str] = None, nonce: Optional[str] = None,
                **extra) -> Dict[str, str]:
    """Query arguments signed now (or at `timestamp`) with a fresh nonce, as WeChat sends them."""
    timestamp, nonce = timestamp or str(int(time.time())), nonce or new_nonce()
    return {"signature": signature(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce, **extra}


def text_xml(content: str, msg_id: int, open_id: str, account: str = ACCOUNT, create_time: int = 1700000000) -> str:
    return (f"<xml><ToUserName><![CDATA[{account}]]></ToUserName><FromUserName><![CDATA[{open_id}]]></FromUserName>"
            f"<CreateTime>{create_time}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>")


def media_xml(kind: str, msg_id: int, open_id: str, account: str = ACCOUNT) -> str:
    extra = {
        "image": "<PicUrl><![CDATA[http://example.invalid/a.jpg]]></PicUrl><MediaId><![CDATA[m1]]></MediaId>",
        "voice": "<MediaId><![CDATA[m2]]></MediaId><Format><![CDATA[amr]]></Format>",
        "video": "<MediaId><![CDATA[m3]]></MediaId><ThumbMediaId><![CDATA[t3]]></ThumbMediaId>",
        "location": "<Location_X>39.9</Location_X><Location_Y>116.4</Location_Y><Scale>15</Scale>"
                    "<Label><![CDATA[北京]]></Label>",
        "link": "<Title><![CDATA[t]]></Title><Description><![CDATA[d]]></Description>"
                "<Url><![CDATA[http://example.invalid]]></Url>",
    }.get(kind, "")
    return (f"<xml><ToUserName><![CDATA[{account}]]></ToUserName><FromUserName><![CDATA[{open_id}]]></FromUserName>"
            f"<CreateTime>1700000000</CreateTime><MsgType><![CDATA[{kind}]]></MsgType>{extra}"
            f"<MsgId>{msg_id}</MsgId></xml>")


def event_xml(event: str, open_id: str, create_time: int = 1700000000, account: str = ACCOUNT, key: str = "") -> str:
    return (f"<xml><ToUserName><![CDATA[{account}]]></ToUserName><FromUserName><![CDATA[{open_id}]]></FromUserName>"
            f"<CreateTime>{create_time}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            f"<Event><![CDATA[{event}]]></Event><EventKey><![CDATA[{key}]]></EventKey></xml>")


def crypto(token: str = TOKEN) -> WeChatCrypto:
    return WeChatCrypto(token, AES_KEY, APP_ID)


def encrypted_request(xml: str, token: str = TOKEN, nonce: Optional[str] = None,
                      timestamp: Optional[str] = None, plaintext_too: bool = False) -> Tuple[Dict[str, str], str]:
    """Query arguments and body of a safe-mode request carrying `xml`; with `plaintext_too`, a
    compatible-mode body (the message's fields in the clear beside `Encrypt`)."""
    timestamp, nonce = timestamp or str(int(time.time())), nonce or new_nonce()
    envelope = xmltodict.parse(crypto(token).encrypt_message(xml, nonce, timestamp))["xml"]
    clear = xml.replace("<xml>", "", 1).rsplit("</xml>", 1)[0] if plaintext_too else f"<ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>"
    body = f"<xml>{clear}<Encrypt><![CDATA[{envelope['Encrypt']}]]></Encrypt></xml>"
    args = signed_args(token, timestamp, nonce, encrypt_type="aes", msg_signature=envelope["MsgSignature"])
    return args, body


def decrypt_reply(xml: str) -> Dict[str, str]:
    """A safe-mode passive reply, checked and decrypted, as a dict of its fields."""
    envelope = xmltodict.parse(xml)["xml"]
    plaintext = crypto().decrypt_message(xml, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"])
    return xmltodict.parse(plaintext)["xml"]


def read_reply(xml: str) -> Dict[str, str]:
    """A plaintext passive reply as a dict of its fields."""
    return xmltodict.parse(xml)["xml"]
