"""Rasa replies as WeChat text: numbered options, choosing by number, splitting by UTF-8 bytes."""
import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from bot.channels.rendering import (MAX_PART_BYTES, choose_prompt, render_turn, select_option, split_message,
                                    turn_options)

GUESSES = [{"title": "从业人员培训考试是开卷吗", "payload": "/faq_open_book"},
           {"title": "一个班最多多少人", "payload": "一个班最多多少人？"},
           {"title": "人工咨询", "payload": "我要找人工"}]


def utf8(text):
    return len(text.encode("utf-8"))


def test_plain_messages_are_joined_by_blank_lines():
    assert render_turn([{"text": "第一段"}, {"text": "  第二段\n来源：《文档》 "}]) == "第一段\n\n第二段\n来源：《文档》"


def test_buttons_become_numbered_options_and_a_prompt():
    text = render_turn([{"text": "抱歉，您是不是想问："}, {"text": "请选择：", "buttons": GUESSES}])
    assert text == ("抱歉，您是不是想问：\n\n请选择：\n1. 从业人员培训考试是开卷吗\n2. 一个班最多多少人\n3. 人工咨询"
                    "\n\n回复 1、2、3 选择")


def test_options_are_numbered_across_the_turn():
    text = render_turn([{"text": "A", "buttons": GUESSES[:2]}, {"text": "B", "quick_replies": GUESSES[2:]}])
    assert "1. 从业人员培训考试是开卷吗" in text and "2. 一个班最多多少人" in text and "3. 人工咨询" in text
    assert text.endswith("回复 1、2、3 选择") and text.count("回复") == 1


def test_a_button_without_title_shows_its_payload_and_images_show_their_link():
    text = render_turn([{"buttons": [{"payload": "我要找人工"}]}, {"image": "https://example.invalid/a.png"}])
    assert text == "1. 我要找人工\n\n图片：https://example.invalid/a.png\n\n回复 1 选择"


def test_nothing_to_say_is_empty():
    assert render_turn([]) == "" and render_turn([{"custom": {"x": 1}}]) == ""
    assert choose_prompt(2) == "回复 1、2 选择"


@pytest.mark.parametrize("reply, expected", [("1", "/faq_open_book"), ("2", "一个班最多多少人？"), ("3", "我要找人工"),
                                             (" 2 ", "一个班最多多少人？"), ("２", "一个班最多多少人？"),
                                             ("3。", "我要找人工"), ("0", None), ("4", None), ("12", None),
                                             ("1个", None), ("第1个", None), ("一", None), ("", None)])
def test_a_reply_that_is_just_a_number_selects_that_option(reply, expected):
    assert select_option(reply, GUESSES) == expected


def test_a_number_without_options_is_just_text():
    assert select_option("1", []) is None


def test_options_come_from_the_last_bot_turn_of_rasa_events():
    events = [UserUttered("证书"), BotUttered("old", data={"buttons": [{"title": "旧", "payload": "/old"}]}),
              UserUttered("多少分及格"), ActionExecuted("action_faq"),
              BotUttered("请选择", data={"buttons": GUESSES[:2], "elements": None}), SlotSet("x", 1),
              BotUttered("或者", data={"buttons": GUESSES[2:]}), ActionExecuted("action_listen")]
    assert turn_options(events) == GUESSES
    assert select_option("3", turn_options(events)) == "我要找人工"


def test_options_from_event_dicts_and_a_turn_without_buttons():
    events = [{"event": "user", "text": "a"}, {"event": "bot", "text": "b", "data": {"buttons": GUESSES}}]
    assert turn_options(events) == GUESSES
    assert turn_options(events + [{"event": "user", "text": "1"}, {"event": "bot", "text": "answer"}]) == []
    assert turn_options([]) == []


def test_a_short_answer_is_one_part():
    assert split_message("开卷考试。\n来源：《文档》") == ["开卷考试。\n来源：《文档》"]
    assert split_message("  \n") == []


def test_long_answers_are_split_on_line_boundaries_within_the_byte_limit():
    lines = [f"第{number}行：北京市人力资源市场从业人员培训考试的说明文字。" for number in range(200)]
    text = "\n".join(lines)
    parts = split_message(text)
    assert len(parts) > 1
    assert all(utf8(part) <= MAX_PART_BYTES for part in parts)
    assert "\n".join(parts) == text  # nothing lost, no line cut
    assert all(part.split("\n")[0] in lines for part in parts)


def test_exactly_at_the_limit_and_one_byte_over():
    line = "中" * 666  # 1998 bytes
    assert split_message(line + "\n" + "a") == [line + "\na"]  # 2000 bytes
    assert split_message(line + "\n" + "ab") == [line, "ab"]


def test_a_single_line_longer_than_the_limit_is_cut_between_characters():
    line = "中文" * 1500  # 9000 bytes, no line break
    parts = split_message(line)
    assert "".join(parts) == line
    assert all(utf8(part) <= MAX_PART_BYTES for part in parts)
    assert all(part.encode("utf-8").decode("utf-8") == part for part in parts)


def test_blank_lines_at_a_cut_are_dropped():
    parts = split_message("a" * 1500 + "\n\n\n" + "b" * 1500, limit=2000)
    assert parts == ["a" * 1500, "b" * 1500]
