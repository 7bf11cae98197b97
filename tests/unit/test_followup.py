"""Follow-ups read against the previous question, and typed replies to "您问的是哪一个？"."""
import asyncio

import pytest

from bot.nlu import followup

CHOICES = [{"title": "从业人员培训考试", "payload": "从业人员培训考试多少分及格？"},
           {"title": "京训钉课程考试", "payload": "京训钉课程考试多少分合格？"},
           {"title": "企业人力资源管理师认定", "payload": "企业人力资源管理师认定多少分及格？"}]


@pytest.mark.parametrize("previous, message, expected", [
    ("人力资源管理师四级多少钱", "那二级呢", "人力资源管理师二级多少钱"),
    ("单位账号密码忘了怎么办", "学员的呢", "学员账号密码忘了怎么办"),
    ("ATA报名怎么缴费", "人事考试网的呢？", "人事考试网报名怎么缴费"),
    ("四级技能考核多少钱", "理论知识的呢", "四级理论知识多少钱"),
    ("线下培训要提交培训方案吗", "如果是线上", "线上培训要提交培训方案吗"),
], ids=["问完四级费用问二级", "问完单位密码问学员", "问完ATA问人事考试网", "问完技能考核问理论知识", "线下换成线上"])
def test_a_follow_up_swaps_a_term_of_the_same_kind(previous, message, expected):
    assert followup.rewrite(previous, message) == followup.Rewrite(expected, swapped=True)


def test_a_follow_up_without_a_counterpart_is_added_to_the_previous_question():
    assert followup.rewrite("以训兴业补贴标准是多少", "线下的呢") == followup.Rewrite(
        "以训兴业补贴标准是多少 线下", swapped=False, only_terms=False)


def test_a_follow_up_that_repeats_the_subject_adds_nothing():
    assert followup.rewrite("四级多少钱", "四级呢") is None


@pytest.mark.parametrize("message, shaped", [
    ("那二级呢", True), ("学员的呢？", True), ("如果是线下", True), ("那要是过期了", True),
    ("四级多少钱", False), ("单位账号密码忘了怎么找回呢这个问题我想了很久了到底怎么办", False),
], ids=["那X呢", "X的呢", "如果是X", "那要是X", "完整问题", "长问题以呢结尾"])
def test_what_counts_as_a_follow_up(message, shaped):
    assert followup.is_follow_up(message) is shaped


@pytest.mark.parametrize("typed, payload", [
    ("从业人员的", "从业人员培训考试多少分及格？"),
    ("京训钉那个", "京训钉课程考试多少分合格？"),
    ("ATA企业人力资源管理师那个", "企业人力资源管理师认定多少分及格？"),
], ids=["从业人员的", "京训钉那个", "ATA企业人力资源管理师那个"])
def test_a_typed_choice_is_the_button_it_names(typed, payload):
    assert followup.match_button(typed, CHOICES)["payload"] == payload


@pytest.mark.parametrize("typed", ["考试的", "都不是", ""], ids=["两个都有考试", "都不是", "空"])
def test_a_typed_reply_naming_no_single_button_matches_none(typed):
    assert followup.match_button(typed, CHOICES) is None


def parsed(intent, text, confident=True):
    return {"text": text, "intent": {"name": intent, "confidence": 0.9 if confident else 0.2}}


class FakeParser:
    """Parses by a table; records what it was asked."""

    def __init__(self, table):
        self.table, self.asked = table, []

    async def __call__(self, text):
        self.asked.append(text)
        return self.table.get(text, parsed("nlu_fallback", text, confident=False))


def understood(parse_data):
    return parse_data["intent"]["name"] not in ("nlu_fallback", "out_of_scope") and \
        parse_data["intent"]["confidence"] >= 0.5


def resolve(text, alone, previous, table, buttons=(), clarifying=False, left_document=followup.stays_in_document):
    parser = FakeParser(table)
    result = asyncio.run(followup.resolve(text, alone, previous, parser, understood, buttons, clarifying,
                                          left_document=left_document))
    return result, parser.asked


def test_an_elliptical_message_is_answered_as_the_whole_question():
    result, asked = resolve("那二级呢", parsed("faq", "那二级呢"), "人力资源管理师四级多少钱",
                            {"人力资源管理师二级多少钱": parsed("ask_fee", "人力资源管理师二级多少钱")})
    assert asked == ["人力资源管理师二级多少钱"]
    assert result["intent"]["name"] == "ask_fee"
    assert result["text"] == "人力资源管理师二级多少钱" and result["original_text"] == "那二级呢"


def test_without_a_previous_question_the_message_is_left_as_it_is():
    alone = parsed("nlu_fallback", "那二级呢", confident=False)
    result, asked = resolve("那二级呢", alone, None, {})
    assert result is alone and asked == []


def test_a_whole_question_after_na_keeps_its_own_understood_meaning():
    alone = parsed("faq", "那第一次怎么登录")
    result, asked = resolve("那第一次怎么登录", alone, "学员要自己注册京训钉账号吗", {})
    assert result is alone and asked == []


@pytest.mark.parametrize("intent", ["stop", "deny", "affirm", "greet", "thank"])
def test_conversation_control_is_never_read_as_a_follow_up(intent):
    alone = parsed(intent, "算了")
    result, asked = resolve("算了", alone, "四级多少钱", {})
    assert result is alone and asked == []


def test_a_clear_calculator_question_is_not_rewritten():
    alone = parsed("ask_eligibility", "那我做了五年人事呢")
    result, asked = resolve("那我做了五年人事呢", alone, "四级报名条件是什么", {})
    assert result is alone and asked == []


def test_a_typed_reply_to_a_clarifying_question_follows_the_button():
    result, asked = resolve("从业人员的", parsed("faq", "从业人员的"), "考试多少分及格", {
        "从业人员培训考试多少分及格？": parsed("faq", "从业人员培训考试多少分及格？")}, CHOICES, clarifying=True)
    assert asked == ["从业人员培训考试多少分及格？"] and result["original_text"] == "从业人员的"


def test_a_clarification_naming_no_button_is_read_with_the_question_it_clarifies():
    combined = "证书在哪个网站能查 企业人力资源管理师"
    result, asked = resolve("企业人力资源管理师的", parsed("faq", "企业人力资源管理师的", confident=False),
                            "证书在哪个网站能查", {combined: parsed("faq", combined)}, buttons=(), clarifying=True)
    assert asked == [combined] and result["text"] == combined


@pytest.mark.parametrize("earlier, expected", [
    ([parsed("faq", "四级多少钱")], "四级多少钱"),
    ([parsed("faq", "四级多少钱"), parsed("thank", "谢谢")], "四级多少钱"),
    ([parsed("faq", "四级多少钱"), parsed("thank", "谢谢"), parsed("greet", "你好")], None),
    ([parsed("faq", "/refine_eligibility")], None),
], ids=["上一句", "隔一句谢谢", "太久以前", "按钮指令"])
def test_the_question_a_follow_up_continues(earlier, expected):
    assert followup.previous_topic(earlier) == expected


def test_a_long_message_not_understood_is_read_by_its_question_part():
    text = "我刚在京训钉上帮公司注册好了账号，第一次弄这个，不太懂流程。注册完是不是就可以直接建班了？"
    question = "注册完是不是就可以直接建班了？"
    result, asked = resolve(text, parsed("nlu_fallback", text, confident=False), None,
                            {question: parsed("faq", question)})
    assert asked == [question]
    assert result["text"] == question and result["original_text"] == text


def test_a_long_message_understood_as_a_whole_is_not_cut():
    text = "我刚在京训钉上帮公司注册好了账号，第一次弄这个，不太懂流程。注册完是不是就可以直接建班了？"
    alone = parsed("faq", text)
    result, asked = resolve(text, alone, None, {})
    assert result is alone and asked == []


@pytest.mark.parametrize("text, parts", [
    ("我对这次考试心里没底。想有针对性地复习一下。试卷的内容主要是从哪里出的？",
     ["试卷的内容主要是从哪里出的？", "想有针对性地复习一下。试卷的内容主要是从哪里出的？"]),
    ("一句话的问题没有句号也很长很长很长很长很长很长很长很长很长很长", []),
    ("前面说了很多很多的情况。怎么办？", ["前面说了很多很多的情况。怎么办？"]),
], ids=["最后一句和最后两句", "只有一句", "太短的最后一句不单独用"])
def test_the_question_parts_of_a_long_message(text, parts):
    assert followup.question_parts(text) == parts


def test_the_previous_question_decides_between_two_buttons_the_typed_words_name_alike():
    buttons = [{"title": "企业人力资源管理师证书怎么查询", "payload": "查询"},
               {"title": "企业人力资源管理师证书怎么领取", "payload": "领取"}]
    assert followup.match_button("企业人力资源管理师的", buttons) is None
    assert followup.match_button("企业人力资源管理师的", buttons, previous="证书在哪个网站能查询")["payload"] == "查询"


def test_a_follow_up_settles_the_choice_its_whole_question_would_ask():
    which_password = [{"title": "京训钉学员", "payload": "学员登录密码错误怎么办？"},
                      {"title": "京训钉单位", "payload": "单位账号密码忘了怎么找回？"}]
    whole = "学员账号的密码忘了怎么找回"
    learner = "学员登录密码错误怎么办？"
    parser = FakeParser({whole: parsed("faq", whole), learner: parsed("faq", learner)})
    result = asyncio.run(followup.resolve("学员的呢", parsed("faq", "学员的呢"), "单位账号的密码忘了怎么找回", parser,
                                          understood, options=lambda p: which_password if p["text"] == whole else []))
    assert parser.asked == [whole, "学员登录密码错误怎么办？"]
    assert result["text"] == "学员登录密码错误怎么办？" and result["original_text"] == "学员的呢"


def test_a_swapped_follow_up_keeps_its_whole_question_even_when_unsure():
    whole = "人力资源管理师二级多少钱"
    result, _ = resolve("那二级呢", parsed("faq", "那二级呢"), "人力资源管理师四级多少钱",
                        {whole: parsed("faq", whole, confident=False)})
    assert result["text"] == whole


def test_a_new_subject_in_one_word_is_not_added_to_the_previous_question():
    alone = parsed("nlu_fallback", "补贴", confident=False)
    result, asked = resolve("补贴", alone, "从业人员考试是开卷吗", {"从业人员考试是开卷吗 补贴": parsed("faq", "x")})
    assert result is alone and asked == []


def test_a_short_question_without_its_subject_continues_the_previous_one():
    whole = "人力资源市场从业人员考试通过以后，信息会录到哪里 多久能录进去"
    result, asked = resolve("多久能录进去", parsed("nlu_fallback", "多久能录进去", confident=False),
                            "人力资源市场从业人员考试通过以后，信息会录到哪里", {whole: parsed("faq", whole)})
    assert asked == [whole] and result["text"] == whole



@pytest.mark.parametrize("previous, message, whole", [
    ("以训兴业点播付费课每人每课时补贴多少钱？", "那免费课呢", "以训兴业免费课每人每课时补贴多少钱？"),
    ("点播的免费课每课时补多少？", "付费的呢", "点播的付费课每课时补多少？"),
], ids=["那免费课呢的课不另加", "付费的呢保留课字"])
def test_a_course_swapped_in_keeps_one_ke(previous, message, whole):
    rewritten = followup.rewrite(previous, message)
    assert rewritten is not None and rewritten.text == whole and rewritten.only_terms


def test_a_course_named_in_two_words_is_one_course():
    rewritten = followup.rewrite("点播的免费课程每人每课时补多少钱", "那自有课录播的呢")
    assert rewritten is not None and rewritten.text == "自有课录播的课程每人每课时补多少钱"


@pytest.mark.parametrize("previous, message", [
    ("人力资源管理师四级多少钱", "二级和三级呢"), ("人力资源管理师四级多少钱", "不是四级是二级呢")],
    ids=["两个等级一起问", "更正不是追问"])
def test_no_single_rewrite_for_two_terms_of_a_kind_or_a_correction(previous, message):
    assert followup.rewrite(previous, message) is None


def test_a_clear_question_with_its_own_subject_is_not_merged_into_the_previous_one():
    alone = parsed("faq", "人事考试网准考证怎么打印呢")
    result, asked = resolve("人事考试网准考证怎么打印呢", alone, "ATA怎么报名", {})
    assert result is alone and asked == []


def test_an_out_of_scope_follow_up_is_not_turned_into_the_previous_answer():
    alone = parsed("out_of_scope", "那驾照呢")
    result, asked = resolve("那驾照呢", alone, "ATA怎么报名", {"ATA怎么报名 驾照": parsed("faq", "x")})
    assert result is alone and asked == []


def test_an_appended_rewrite_that_is_not_understood_is_not_used():
    alone = parsed("nlu_fallback", "那要是过期了", confident=False)
    result, _ = resolve("那要是过期了", alone, "准考证怎么打印", {})
    assert result is alone


def test_buttons_of_a_reply_that_asked_nothing_do_not_catch_a_clear_question():
    greeting = [{"title": "人力资源管理师认定收费", "payload": "/fees"}]
    alone = parsed("faq", "人力资源管理师什么时候考")
    result, asked = resolve("人力资源管理师什么时候考", alone, None, {}, buttons=greeting)
    assert result is alone and asked == []


@pytest.mark.parametrize("message, part", [
    ("不对，我说的是二级", "二级"), ("不是三级，是二级", "二级"), ("我说错了，应该是理论知识", "理论知识"),
    ("错了，3个人", "3个人"), ("那二级呢", None), ("四级多少钱", None),
], ids=["不对我说的是", "不是X是Y", "说错了应该是", "错了加人数", "追问不是更正", "新问题不是更正"])
def test_what_a_correction_puts_right(message, part):
    assert followup.correction_part(message) == part


@pytest.mark.parametrize("previous, message, expected", [
    ("三级一共多少钱", "不对，我说的是二级", "二级一共多少钱"),
    ("四级要交多少钱", "那如果理论没过，补考呢", "四级要交多少钱理论没过补考"),
    ("二级总费用多少？", "我们有6个人要报呢，一共多少", "二级总费用多少我们有6个人要报呢一共多少"),
    ("二级总费用多少", "那四级呢", "四级总费用多少"),
    ("二级综合评审没过，补考多少钱", "说错了，没过的是理论知识，综合评审过了", "二级没过的是理论知识综合评审过了"),
    ("二级理论知识没过", "我综合评审也没过，技能过了", "二级理论知识没过，我综合评审也没过，技能过了"),
    ("二级理论知识没过，补考多少钱", "那四级的理论也没过呢", "四级理论知识没过，补考多少钱理论也没过"),
    ("二级的", "理论知识和综合评审两门没过", "二级理论知识和综合评审两门没过"),
], ids=["更正等级", "追问补考", "追问人数", "追问另一等级", "更正没过的科目", "又一科也没过", "另一等级也没过",
        "先说等级再说没过的科目"])
def test_a_follow_up_of_a_fee_is_read_with_its_question(previous, message, expected):
    assert followup.calculation_question(previous, message) == expected


def test_a_long_new_question_after_a_fee_is_not_read_with_it():
    assert followup.calculation_question("三级一共多少钱", "我们单位的员工想参加京训钉上的培训应该先做什么准备工作") is None


def _parse_as(intents):
    async def parse(text):
        return {"text": text, "intent": {"name": intents.get(text, "faq")}}
    return parse


def test_a_fee_correction_is_parsed_as_the_corrected_fee_question():
    parse = _parse_as({"二级一共多少钱": "ask_fee"})
    result = asyncio.run(followup.resolve_calculation(
        "不对，我说的是二级", {"text": "不对，我说的是二级", "intent": {"name": "ask_eligibility"}}, "fee",
        "三级一共多少钱", parse))
    assert result["text"] == "二级一共多少钱" and result["intent"]["name"] == "ask_fee"
    assert result["original_text"] == "不对，我说的是二级"


@pytest.mark.parametrize("calculated, message, intent", [
    ("subsidy", "人数改成30", "ask_subsidy"), ("subsidy", "那如果全换成付费课呢", "ask_subsidy"),
    ("subsidy", "付费课怎么买", None), ("eligibility", "哦还有之前做了五年行政", "ask_eligibility"),
    ("eligibility", "四级考试什么时候报名", None), (None, "人数改成30", None),
    ("eligibility", "能报三级吗", "ask_eligibility"), (None, "能报三级吗", None),
], ids=["补贴后改人数", "补贴后换类型", "补贴后问别的", "等级后补充年限", "等级后问报名时间", "没有刚算过",
        "等级后问能否报某级", "没算过问能否报某级"])
def test_a_message_right_after_a_calculation_goes_on_with_it(calculated, message, intent):
    parse_data = {"text": message, "intent": {"name": "faq"}}
    result = asyncio.run(followup.resolve_calculation(message, parse_data, calculated, "上一个问题", _parse_as({})))
    assert (result["intent"]["name"] if result else None) == intent


@pytest.mark.parametrize("previous, message, intent", [
    ("我儿子想报人力资源管理师", "他在读大专", "ask_eligibility"),
    ("我想考企业人力资源管理师", "做了六年行政", "ask_eligibility"),
    ("我想考企业人力资源管理师", "报名网址是什么", None),
    ("以训兴业补贴怎么申请", "他在读大专", None),
    ("四级证书怎么领", "他在读大专", None),
], ids=["想报之后说学历", "想考之后说年限", "想考之后问别的", "补贴问题之后不算", "没有想报就不算"])
def test_a_situation_told_after_wanting_to_apply_goes_to_the_level(previous, message, intent):
    result = followup.situation(message, {"text": message, "intent": {"name": "faq"}}, previous)
    assert (result["intent"]["name"] if result else None) == intent


def test_a_follow_up_classified_as_conversation_control_is_still_read_with_the_previous_question():
    whole = "以训兴业点播的付费课每课时补多少？"
    result, asked = resolve("付费的呢", parsed("deny", "付费的呢"), "以训兴业点播的免费课每课时补多少？",
                            {whole: parsed("faq", whole)})
    assert asked == [whole] and result["text"] == whole


def test_a_short_question_answered_from_another_document_is_read_with_the_previous_one():
    whole = "从业人员考试多少分及格？ 没过怎么办"
    result, asked = resolve("没过怎么办", parsed("faq", "没过怎么办"), "从业人员考试多少分及格？",
                            {whole: parsed("faq", whole)}, left_document=lambda previous, text, parse: text == "没过怎么办")
    assert asked == [whole] and result["text"] == whole


def test_a_follow_up_whose_whole_question_also_leaves_the_document_keeps_its_own_meaning():
    whole = "港澳台的员工能导入京训钉吗 外籍"
    alone = parsed("faq", "外籍的呢")
    result, _ = resolve("外籍的呢", alone, "港澳台的员工能导入京训钉吗", {whole: parsed("faq", whole)},
                        left_document=lambda previous, text, parse: True)
    assert result == alone


def test_a_short_question_answered_from_the_same_document_keeps_its_own_meaning():
    alone = parsed("faq", "没过怎么办")
    result, asked = resolve("没过怎么办", alone, "从业人员考试多少分及格？", {})
    assert result is alone and asked == []


@pytest.mark.parametrize("message, new", [
    ("那驾照呢", True), ("积分落户呢", True), ("那上海呢", True),
    ("公示多久", False), ("要多久", False), ("那二级呢", False),
], ids=["驾照是新话题", "积分落户是新话题", "上海是新话题", "公示是文件里的词", "只是追问多久", "二级是文件里的词"])
def test_a_follow_up_names_a_new_subject_only_with_words_the_documents_never_use(message, new):
    from bot.knowledge import load_knowledge_base

    assert followup.new_subject(message, load_knowledge_base().mentions) is new


def test_an_out_of_scope_reading_of_an_ask_on_question_is_read_with_the_previous_one():
    alone = parsed("out_of_scope", "公示多久")
    table = {"企业人力资源管理师的成绩在哪儿看 公示多久": parsed("faq", "x")}
    parser = FakeParser(table)
    result = asyncio.run(followup.resolve("公示多久", alone, "企业人力资源管理师的成绩在哪儿看", parser, understood,
                                          mentioned=lambda words: words in "成绩公示"))
    assert parser.asked == ["企业人力资源管理师的成绩在哪儿看 公示多久"] and result["intent"]["name"] == "faq"


def test_a_level_follow_up_swaps_the_level_asked_not_the_certificate_held():
    rewritten = followup.rewrite("有企业人力资源管理师四级证，拿证后做人事干了4年，能报二级吗", "那三级呢？")
    assert rewritten.text == "有企业人力资源管理师四级证，拿证后做人事干了4年，能报三级吗"


@pytest.mark.parametrize("previous, message, whole", [
    ("我去年考的二级", "理论和技能都过了，就综合评审没过，今年补考交多少", "二级，理论和技能都过了，就综合评审没过，今年补考交多少"),
    ("考试报名费多少", "二级的，全部加起来", "考试报名费多少，二级的，全部加起来"),
    ("四级证书怎么领", "那三级呢", None),
    ("我去年考的二级", "四级补考多少钱", None),
    ("以训兴业补贴怎么申请", "理论没过补考交多少", None),
], ids=["上一句说了等级这一句问补考", "上一句问费用这一句说等级", "不是费用问题", "这一句有自己的等级",
        "上一句没有等级"])
def test_a_fee_question_told_in_two_messages_is_read_as_one(previous, message, whole):
    assert followup.fee_with_level_before(previous, message) == whole


def test_a_failed_subject_after_a_fee_is_read_with_it_even_when_classified_as_conversation_control():
    message = "我理论知识没过"
    parse_data = {"text": message, "intent": {"name": "deny"}}
    result = asyncio.run(followup.resolve_calculation(message, parse_data, "fee", "我二级没考过，想补考",
                                                      _parse_as({})))
    assert result["intent"]["name"] == "ask_fee" and "二级" in result["text"] and "理论知识" in result["text"]
