"""The REST channel refuses what it cannot answer, and no sender id reaches another channel's
conversations."""
import json

import pytest

from bot.channels.rest import GuardedRestInput, RequestProblem, read_message
from bot.channels.senders import MAX_SENDER_LENGTH, readable_text, sender_problem, web_sender, wechat_sender


def body(value):
    return json.dumps(value).encode("utf-8")


def test_a_well_formed_message_is_read():
    assert read_message(body({"sender": "u1", "message": "考试多少分及格"})) == ("u1", "考试多少分及格", None)
    assert read_message(body({"sender": "u1", "message": "你好", "metadata": {"page": "a"}}))[2] == {"page": "a"}


@pytest.mark.parametrize("raw, reason", [
    (b"", "JSON object"), (b"not json", "JSON object"), (b"\xff\xfe", "JSON object"),
    (body(["我的手机号13900001111"]), "not list"), (body("你好"), "not str"), (body(42), "not int"),
    (body({"message": "你好"}), "sender is required"), (body({"sender": "", "message": "你好"}), "sender is required"),
    (body({"sender": "   ", "message": "你好"}), "sender is required"),
    (body({"sender": 7, "message": "你好"}), "sender must be a string"),
    (body({"sender": "x" * (MAX_SENDER_LENGTH + 1), "message": "你好"}), f"at most {MAX_SENDER_LENGTH}"),
    (body({"sender": "wechat:o6_bmjrPTlm6_2sgVt7hMZOPfL2M", "message": "我的考试时间"}), "must not start with"),
    (body({"sender": "WeChat:o6_bmjr", "message": "你好"}), "must not start with"),
    (body({"sender": "web:0123456789abcdef", "message": "你好"}), "must not start with"),
    (body({"sender": "a\nb", "message": "你好"}), "not allowed"),
    (body({"sender": "13900001111", "message": "你好"}), "must not contain"),
    (body({"sender": "zhang.san@example.com", "message": "你好"}), "must not contain"),
    (body({"sender": "u1"}), "message is required"),
    (body({"sender": "u1", "message": 5}), "message must be a string"),
    (body({"sender": "u1", "message": ["你好"]}), "message must be a string"),
    (body({"sender": "u1", "message": {"text": "你好"}}), "message must be a string"),
    (body({"sender": "u1", "message": "你好", "metadata": "x"}), "metadata must be a JSON object"),
], ids=["空的请求体", "不是JSON", "不是UTF-8", "数组", "字符串", "数字", "没有sender", "sender为空", "sender全是空格",
        "sender是数字", "sender太长", "冒充微信用户", "冒充微信用户（大写）", "冒充网页会话", "sender里有换行", "sender是手机号", "sender是邮箱",
        "没有message", "message是数字", "message是数组", "message是对象", "metadata不是对象"])
def test_a_request_that_cannot_be_answered_is_refused_with_its_reason(raw, reason):
    with pytest.raises(RequestProblem) as problem:
        read_message(raw)
    assert reason in str(problem.value)


def test_the_longest_allowed_sender_is_accepted():
    assert read_message(body({"sender": "x" * MAX_SENDER_LENGTH, "message": "你好"}))[0] == "x" * MAX_SENDER_LENGTH


def test_a_lone_surrogate_is_replaced_so_the_message_can_be_answered():
    sender, text, _ = read_message(b'{"sender": "u1", "message": "\\ud800\\u8003\\u8bd5"}')
    assert text == "\ufffd考试"
    text.encode("utf-8")  # storable and loggable
    assert read_message(b'{"sender": "u1", "message": "\\ud83d\\ude00"}')[1] == "😀"  # a real pair stays


def test_channel_namespaces_cannot_be_reached_from_rest():
    for sender in (wechat_sender("o6_bmjr"), web_sender("abc")):
        assert sender_problem(sender) and sender_problem(sender, reserved_allowed=True) is None
    assert readable_text("正常") == "正常"


def test_the_channel_keeps_rasas_name_and_url():
    assert GuardedRestInput.name() == "rest"
