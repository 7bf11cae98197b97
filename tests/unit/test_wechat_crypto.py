"""Safe mode (安全模式) against a peer's vectors: wechatpy's own published crypto test cases."""
import pytest
import xmltodict
from wechatpy import parse_message
from wechatpy.crypto import PrpCrypto, WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from tests import wechat_peer as peer


def test_the_peers_message_decrypts_to_the_known_plaintext():
    plaintext = peer.crypto().decrypt_message(peer.PEER_ENCRYPTED_BODY, peer.PEER_MSG_SIGNATURE,
                                              peer.PEER_TIMESTAMP, peer.PEER_NONCE)
    assert plaintext == peer.PEER_PLAINTEXT
    message = parse_message(plaintext)
    assert (message.type, message.content, message.source, message.id) == (
        "text", "test", "messense", 4363689963896700987)


def test_the_peers_message_as_bytes_decrypts_too():
    plaintext = peer.crypto().decrypt_message(peer.PEER_ENCRYPTED_BODY.encode(), peer.PEER_MSG_SIGNATURE,
                                              peer.PEER_TIMESTAMP, peer.PEER_NONCE)
    assert plaintext == peer.PEER_PLAINTEXT


@pytest.mark.parametrize("field, value", [("signature", "0" * 40), ("timestamp", "1411525904"),
                                          ("nonce", "461056295")])
def test_any_change_to_the_signed_values_is_refused(field, value):
    values = {"signature": peer.PEER_MSG_SIGNATURE, "timestamp": peer.PEER_TIMESTAMP, "nonce": peer.PEER_NONCE,
              field: value}
    with pytest.raises(InvalidSignatureException):
        peer.crypto().decrypt_message(peer.PEER_ENCRYPTED_BODY, values["signature"], values["timestamp"],
                                      values["nonce"])


def test_another_token_or_app_id_is_refused():
    with pytest.raises(InvalidSignatureException):
        peer.crypto(token="654321").decrypt_message(peer.PEER_ENCRYPTED_BODY, peer.PEER_MSG_SIGNATURE,
                                                    peer.PEER_TIMESTAMP, peer.PEER_NONCE)
    with pytest.raises(InvalidAppIdException):
        WeChatCrypto(peer.TOKEN, peer.AES_KEY, "wx0000000000000000").decrypt_message(
            peer.PEER_ENCRYPTED_BODY, peer.PEER_MSG_SIGNATURE, peer.PEER_TIMESTAMP, peer.PEER_NONCE)


def test_encrypting_the_peers_reply_gives_the_peers_ciphertext(monkeypatch):
    monkeypatch.setattr(PrpCrypto, "get_random_string", lambda self: peer.PEER_REPLY_RANDOM)
    encrypted = peer.crypto().encrypt_message(peer.PEER_REPLY_PLAINTEXT, peer.PEER_NONCE, peer.PEER_TIMESTAMP)
    assert encrypted == peer.PEER_REPLY_ENCRYPTED


def test_the_peers_encrypted_reply_decrypts_to_its_plaintext():
    assert peer.decrypt_reply(peer.PEER_REPLY_ENCRYPTED) == xmltodict.parse(peer.PEER_REPLY_PLAINTEXT)["xml"]


def test_the_peers_server_verification_vector():
    # The echo string is covered by the signature, and decrypts with the same key and app id.
    assert peer.signature(peer.TOKEN, peer.PEER_ECHO_TIMESTAMP, peer.PEER_ECHO_NONCE,
                          peer.PEER_ECHO_STR) == peer.PEER_ECHO_SIGNATURE
    assert PrpCrypto(peer.crypto().key).decrypt(peer.PEER_ECHO_STR, peer.APP_ID) == peer.PEER_ECHO_PLAINTEXT
    assert peer.signature(peer.TOKEN, peer.PEER_ECHO_TIMESTAMP, "437374424",
                          peer.PEER_ECHO_STR) != peer.PEER_ECHO_SIGNATURE


def test_plain_request_signature():
    args = peer.signed_args(timestamp="1411443780", nonce="437374425")
    check_signature(peer.TOKEN, args["signature"], args["timestamp"], args["nonce"])
    with pytest.raises(InvalidSignatureException):
        check_signature("654321", args["signature"], args["timestamp"], args["nonce"])


@pytest.mark.parametrize("content", ["从业人员考试是开卷吗", "开卷。\n来源：《文档》第3问" * 200, "a]]>b", "😀 emoji"])
def test_encrypt_then_decrypt_round_trip(content):
    reply = TextReply(source=peer.ACCOUNT, target="o-user", content=content, time=1700000000).render()
    encrypted = peer.crypto().encrypt_message(reply, "12345", "1700000000")
    assert peer.crypto().decrypt_message(encrypted, xmltodict.parse(encrypted)["xml"]["MsgSignature"],
                                         "1700000000", "12345") == reply


def test_a_request_made_by_the_test_peer_round_trips():
    xml = peer.text_xml("你好", 42, "o-user")
    args, body = peer.encrypted_request(xml, timestamp="1700000000", nonce="999")
    assert peer.crypto().decrypt_message(body, args["msg_signature"], args["timestamp"], args["nonce"]) == xml
    check_signature(peer.TOKEN, args["signature"], args["timestamp"], args["nonce"])
