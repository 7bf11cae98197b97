import pytest

from bot.faq.decision import decide
from bot.knowledge import load_knowledge_base
from tests.unit.helpers import parse_data

THRESHOLD = 0.45
FLOOR = 0.05


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


def run(kb, data):
    return decide(data, kb, THRESHOLD, FLOOR)


def test_confident_retrieval_answers_that_item(kb):
    data = parse_data("一个班最多几个人", "faq", faq_ranking=[("jxd_q32_class_size_limit", 0.92),
                                                         ("jxd_q33_one_class_all_staff", 0.05)])
    decision = run(kb, data)
    assert decision.answer.key == "jxd_q32_class_size_limit"
    assert decision.suggestions == ()


@pytest.mark.parametrize(
    "confidence, answers",
    [(0.44, False), (0.45, True), (0.46, True)],
    ids=["置信度略低于阈值时不直接回答", "置信度等于阈值时回答", "置信度略高于阈值时回答"],
)
def test_answer_threshold_is_applied_to_retrieval_confidence(kb, confidence, answers):
    data = parse_data("班级人数", "faq", faq_ranking=[("jxd_q32_class_size_limit", confidence),
                                                    ("jxd_q33_one_class_all_staff", 0.3)])
    assert run(kb, data).is_answer is answers


def test_low_retrieval_confidence_offers_up_to_three_suggestions(kb):
    ranking = [("jxd_q32_class_size_limit", 0.30), ("jxd_q33_one_class_all_staff", 0.25),
               ("jxd_q53_one_learner_one_class", 0.20), ("jxd_q37_course_copies_per_learner", 0.15)]
    decision = run(kb, parse_data("一个班级最多多少人", "faq", faq_ranking=ranking))
    assert decision.answer is None
    assert [s.key for s in decision.suggestions] == [key for key, _ in ranking[:3]]
    assert decision.reason == "low retrieval confidence"


def test_suggestions_below_the_floor_are_not_offered(kb):
    ranking = [("jxd_q32_class_size_limit", 0.06), ("jxd_q33_one_class_all_staff", 0.04)]
    decision = run(kb, parse_data("班级那个", "faq", faq_ranking=ranking))
    assert [s.key for s in decision.suggestions] == ["jxd_q32_class_size_limit"]


@pytest.mark.parametrize(
    "confidence, offered",
    [(0.44, False), (0.45, True)],
    ids=["题外问题的猜测低于回答阈值时不推荐", "题外问题的猜测达到回答阈值时推荐"],
)
def test_out_of_scope_questions_only_get_plausible_suggestions(kb, confidence, offered):
    ranking = [("jxd_q69_daily_study_limit", confidence), ("jxd_q32_class_size_limit", 0.06)]
    decision = run(kb, parse_data("今天天气怎么样", "out_of_scope", faq_ranking=ranking))
    assert decision.reason == "out of scope"
    assert [s.key for s in decision.suggestions] == (["jxd_q69_daily_study_limit"] if offered else [])


def test_out_of_scope_is_never_answered_even_with_a_confident_faq(kb):
    data = parse_data("公积金怎么提取", "out_of_scope", faq_ranking=[("jxd_q09_subsidy_usage", 0.9)])
    assert run(kb, data).answer is None


def test_nlu_fallback_is_never_answered(kb):
    data = parse_data("嗯那个", "nlu_fallback", 0.3, faq_ranking=[("hrm_q1_exam_time", 0.8)])
    decision = run(kb, data)
    assert decision.answer is None
    assert decision.reason == "low intent confidence"


def test_a_clicked_suggestion_answers_its_item_whatever_the_classifier_says(kb):
    item = kb.get("jxd_q32_class_size_limit")
    data = parse_data(item.question, "nlu_fallback", 0.2, faq_ranking=[("jxd_q33_one_class_all_staff", 0.5)])
    assert run(kb, data).answer.key == item.key


def test_a_clicked_question_in_traditional_characters_still_matches(kb):
    item = kb.get("hrm_q1_exam_time")
    from opencc import OpenCC

    traditional = OpenCC("s2t").convert(item.question)
    assert run(kb, parse_data(traditional, "faq")).answer.key == item.key


def test_unknown_keys_in_the_ranking_are_ignored(kb):
    data = parse_data("从业人员考试什么时候考", "faq", faq_ranking=[("no_such_item", 0.99), ("hrm_q1_exam_time", 0.6)])
    assert run(kb, data).answer.key == "hrm_q1_exam_time"


def test_missing_response_selector_output_gives_the_honest_reply(kb):
    decision = run(kb, {"text": "你好呀", "intent": {"name": "faq", "confidence": 0.9}})
    assert decision.answer is None and decision.suggestions == ()


@pytest.mark.parametrize(
    "first, second, answers",
    [(0.50, 0.50, False), (0.69, 0.31, False), (0.70, 0.30, True), (0.71, 0.29, True)],
    ids=["两个候选打平时不直接回答", "领先份额略低于0.7时不直接回答", "领先份额等于0.7时回答", "领先份额略高于0.7时回答"],
)
def test_a_near_tie_between_two_faqs_is_not_answered(kb, first, second, answers):
    data = parse_data("课时数为什么有小数", "faq", faq_ranking=[("jxd_q38_decimal_class_hours", first),
                                                ("jxd_q06_valid_hours", second)])
    decision = decide(data, kb, THRESHOLD, FLOOR, min_top_share=0.7)
    assert decision.is_answer is answers
    if not answers:
        assert [s.key for s in decision.suggestions] == ["jxd_q38_decimal_class_hours", "jxd_q06_valid_hours"]


def test_a_lone_candidate_has_the_whole_share(kb):
    data = parse_data("课时数为什么有小数", "faq", faq_ranking=[("jxd_q38_decimal_class_hours", 0.5)])
    assert decide(data, kb, THRESHOLD, FLOOR, min_top_share=0.99).is_answer


@pytest.mark.parametrize("question, answers", [
    ("从业人员考试考过了，有纸质合格证吗？去哪里领？", False),
    ("人力资源管理师证书怎么领取", True),
    ("证书怎么领取", True),
    ("从业人员考试和企业人力资源管理师认定的证书领取一样吗", True),
], ids=["问从业人员考试却是ATA的答案：不直接回答", "问的就是ATA：回答", "没点名文件：回答", "点名两份文件：照常回答"])
def test_a_question_naming_one_document_is_not_answered_from_another(kb, question, answers):
    data = parse_data(question, "faq", faq_ranking=[("ata_certificate_collection", 0.9),
                                                    ("hrm_step8_result_and_pass", 0.05)])
    decision = run(kb, data)
    assert decision.is_answer is answers
    if not answers:
        assert decision.reason == "answer from another document"
        assert decision.suggestions[0].key == "hrm_step8_result_and_pass"  # its own document's guess first


def test_a_which_one_question_may_answer_a_question_naming_a_document(kb):
    data = parse_data("从业人员考试多少分及格", "faq", faq_ranking=[("ask_passing_score", 0.9)])
    assert run(kb, data).is_answer


@pytest.mark.parametrize("text, subject, key", [
    ("企业人力资源管理师考试能带计算器进考场吗", "计算器", "ata_subjects"),
    ("单位拿到的以训兴业补贴要不要交企业所得税", "所得税", "jxd_q32_class_size_limit"),
    ("北京积分落户今年分数线是多少", "落户", "ata_subjects"),
], ids=["计算器文件未提", "所得税文件未提", "积分落户文件未提"])
def test_a_subject_the_documents_never_speak_of_is_not_answered_with_a_neighbour(kb, text, subject, key):
    data = parse_data(text, "faq", faq_ranking=[(key, 0.9), ("ata_exam_months", 0.05)])
    decision = run(kb, data)
    assert decision.answer is None and decision.reason == "subject not covered"
    assert subject in decision.uncovered
    assert [item.key for item in decision.suggestions] == [key]


@pytest.mark.parametrize("text, subject, answers, key", [
    ("劳动关系协调员证书怎么报名考试", "劳动关系协调员", False, "ata_related_certificates"),
    ("育婴员四级认定费多少钱", "育婴员", False, "ata_related_certificates"),
    ("劳动关系协调员证书算相关证书吗", None, True, "ata_related_certificates"),
    ("考经济师在哪报名 是中国人事考试网吗", None, True, "cpta_login_url"),
    ("二级建造师的报考条件是什么", "二级建造师", False, "ata_eligibility_level2"),
    ("劳动关系协调员的职业技能等级认定收费标准是多少", "劳动关系协调员", False, "ata_fee_table"),
], ids=["别的职业的证书怎么报名", "别的职业的认定费", "别的证书算不算相关证书是本职业的问题", "经济师报名在人事考试网",
        "建造师的条件不是本职业二级的条件", "别的职业的认定收费标准"])
def test_another_occupation_s_certificate_is_not_answered_with_this_one_s_rules(kb, text, subject, answers, key):
    data = parse_data(text, "faq", faq_ranking=[(key, 0.9), ("ata_exam_months", 0.05)])
    decision = run(kb, data)
    assert decision.is_answer is answers
    assert (subject in decision.uncovered) if subject else not decision.uncovered


def test_an_unsure_classifier_still_names_a_subject_the_documents_never_speak_of(kb):
    data = parse_data("企业人力资源管理师考试能带计算器进考场吗", "nlu_fallback",
                      faq_ranking=[("ata_subjects", 0.3), ("ata_exam_months", 0.05)])
    decision = run(kb, data)
    assert decision.answer is None and "计算器" in decision.uncovered


@pytest.mark.parametrize("text, key", [
    ("公司有个德国籍的工程师，京训钉里怎么都导不进去，有办法吗", "jxd_q32_class_size_limit"),
    ("企业人力资圆管理师认定考哪几科", "ata_subjects"),
    ("人力资源管理师认定考哪几科", "ata_subjects"),
], ids=["前文的名词不是问题的主题", "错别字不算新主题", "文件里有的主题照常回答"])
def test_a_question_about_a_covered_subject_is_answered(kb, text, key):
    data = parse_data(text, "faq", faq_ranking=[(key, 0.9), ("ata_exam_months", 0.05)])
    assert run(kb, data).is_answer


@pytest.mark.parametrize("text, answers", [("补贴", False), ("准考证", False), ("补贴标准", True)],
                         ids=["一个词还没有问题", "三个字的一个词", "四个字有了所问"])
def test_a_bare_topic_word_gets_the_guesses_not_one_answer(kb, text, answers):
    decision = run(kb, parse_data(text, "faq", faq_ranking=[("jxd_q05_subsidy_standard", 0.9)]))
    assert decision.is_answer is answers
    assert answers or [item.key for item in decision.suggestions] == ["jxd_q05_subsidy_standard"]


def test_a_subject_the_documents_never_speak_of_is_named_whatever_intent_was_unsure(kb):
    data = parse_data("企业人力资源管理师考试能带计算器进考场吗", "inform", 0.3,
                      faq_ranking=[("ata_closed_book", 0.78), ("ata_exam_months", 0.05)])
    decision = run(kb, data)
    assert decision.answer is None and "计算器" in decision.uncovered


def test_an_out_of_scope_question_names_the_subject_the_documents_never_speak_of(kb):
    data = parse_data("企业人力资源管理师考试能带计算器进考场吗", "out_of_scope", 0.97,
                      faq_ranking=[("ata_closed_book", 0.78)])
    decision = run(kb, data)
    assert decision.answer is None and "计算器" in decision.uncovered
