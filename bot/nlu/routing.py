"""Which calculator, if any, a message is for: facts a calculator can use, and a question it answers.

Pure: text and the classifier's intent in, an intent or None out. Used by the NLU component
`CalculatorIntent` and by the staff console's Ask, so both route a person's words the same way.
"""

from __future__ import annotations

import re
from typing import Optional

from bot.nlu.facts import read_facts, to_digits
from bot.nlu.qualifications import COUNTS_HERE, other_qualification

ASKS_LEVEL = re.compile(
    r"(几级|哪[个一]?级|哪个等级|什么等级|哪一级|能报|能不能报|可以报|可不可以报|能否报|可否报|够不够|够报|够格|符合|(?<!技)能考|"
    r"可以考|能不能考|能申报|可以申报|申报什么|报什么|报哪|有资格|有没有资格|行不行|行吗|可以吗|能吗|报得了|报不了|能不能申请|"
    r"可以申请|最高|升级|往上考|考哪(?!几科|些科|门|里)|考几级|报考|能参加|可以参加|条件够|达到.{0,4}条件|有戏|有希望|够吗|"
    r"够了吗|达标|符合吗|够条件)"
)
ASKS_AMOUNT = re.compile(
    r"(补多少|补贴多少|多少补贴|能补|能拿多少|多少钱|算.{0,6}补贴|补贴.{0,6}(算|多少|几)|领多少|拿多少|金额|申请多少|"
    r"能有多少|补助|给多少|补几|能不能补|可以补|有补贴|能领|可以领|能申请补贴|可以申请补贴|补贴吗|一共.{0,4}补|总共.{0,4}补)"
)
# "报二级三个科目一共多少": the sum of the subjects' fees, though a subject is named.
SUM_ASKED = re.compile(r"(一共|总共|合计|加起来|总计)\S{0,2}多少(?![分天年次个人门科道题])")
ASKS_FEE = re.compile(
    r"(多少钱|费用|收费|交多少|缴多少|贵|便宜|花多少|要多少|多少费|认定费|考试费|报名费|一样吗|相同吗|差多少|"
    r"交钱|缴费|钱|预算|budget|准备多少|经费|单科多少|" + SUM_ASKED.pattern + ")"
)
# A question about something else than the level: the FAQ answers it, whatever the person's facts.
OTHER_QUESTION = re.compile(
    r"(怎么|如何|什么材料|哪些材料|哪里|在哪|去哪|有效期|什么时候|何时|需要什么|需要哪些|流程|步骤|"
    r"怎样|几月|是什么|什么意思|要带|网址|电话|照片|领取|查询|打印|多长时间|多久|几天|哪些|有什么不同|"
    r"有何不同|指的是|材料|成绩|为什么|几次|多少次)"
)
# "四级和三级的认定月份一样吗": a comparison of something else than money, unless money is named.
NOT_MONEY = re.compile(r"(月份|时间|日期|几月|科目|条件|题型|题目|地点|考场|流程|材料|难度|及格|分数|证书|内容|方式)")
MONEY_WORDS = re.compile(r"(钱|费|价|元|贵|便宜|预算|budget|(?:要|交|缴|花)多少(?![分天年次个人门科道题]))")
# "做了五年人事，想跳去大厂还是留国企好？", "一个月工资多少": a question about something else than the level.
ASKS_NOT_THE_LEVEL = re.compile(r"(多少|建议|还是.{0,10}好|影响|[?？]|吗|(?<!什)么|嘛)")
# "能直接报三级吗", "can I apply 三级?": a question about a level, after the person's path.
NAMES_A_LEVEL = re.compile(
    r"((?:报|考|申报|apply)\s*(?:个|的)?\s*(?:企业)?(?:人力资源管理师)?\s*"
    r"(?:[1-5一二三四五]\s*级|高级技师|技师|高级工|中级工)|can i apply)"
)
# "能找政府领个人的技能提升补贴吗？能领多少钱": money received, not a fee paid.
RECEIVING = re.compile(r"((?<!带|本|引|占)领(?!导|域|队|班|会|先)|补贴|补助|失业金|工资)")
PAYING = re.compile(r"(认定费|报名费|考试费|费用|收费|交|缴|花|付)")
# "帮我算补贴", "我能报几级": a request for the calculator before any fact is given.
# Not "能算进补贴里吗": whether someone counts, not a request for the sum.
WANTS_SUBSIDY_SUM = re.compile(
    r"(算(?![进入在上])|测算|计算|估算|核算).{0,6}(补贴|补助|能补|补多少)|(补贴|补助).{0,4}(测算|计算|估算|怎么算出)"
)
WANTS_OWN_LEVEL = re.compile(
    r"(我|本人|自己|俺).{0,8}(能报几级|能报哪|可以报几级|可以报哪|报几级|能考几级|可以考几级|能申报什么|"
    r"能申报哪|符合几级|够几级|能报什么)|(帮我|帮忙|给我).{0,4}(算|看|测|评估).{0,6}(几级|等级|级别)"
)
# "两个台湾同事也想参加以训兴业的培训": whether people may take part (an FAQ), not an estimate without them.
ASKS_WHO_MAY_TAKE_PART = re.compile(r"(能|可以|能不能|可不可以|想|也想|是否).{0,6}(参加|参与|报名|享受|加入)")
RULE_QUESTION = re.compile(r"(条件是什么|有哪些条件|什么条件|条件有哪些|要求是什么|有什么要求|条件是啥|啥条件)")
SUBSIDY_WORDS = re.compile(r"(补贴|补助|以训兴业|补多少|能补)")
# "三级的教材多少钱一套": the price of something else than the certification.
PRICE_OF_OTHER = re.compile(r"(教材|教辅|辅导书|参考书|复习书|复习资料|学习资料|资料费|题库|真题|押题|课本)")


# "算了，等培训完了再来算吧", "算了算了，领导说今年先不报了": giving up, whatever follows, unless a new question does.
LEAVING = re.compile(
    r"^\s*(?:那|哎|唉|哦|噢|嗯|好吧)?[，,\s]*(?:算了(?:算了)?[吧啦]?|不算了|先不算了?|不用算了|不用了|不问了|取消吧?|"
    r"先这样吧?)(?=[，,。.!！~\s]|$)"
)
NOTHING_MORE = re.compile(
    r"^\s*(?:(?:没有了|没了|就这些了?|就这么多了?|没有别的了?|没别的了?|就这样|没有其他的?了?)"
    r"[，,。.!！~\s]*)+$"
)
NEW_QUESTION = re.compile(r"([?？吗]|多少|怎么|几级|能不能|可以|如何|哪|什么|啥|问|时间|流程|标准|条件|换个)")
# "算了，我回去把社保记录调出来再问", "不用了 我先问问财务": asking later or elsewhere is still leaving.
DEFERRING = re.compile(
    r"(再问|再来|再说|再找你|回头|以后|改天|下次|晚点|先问问|去问问|自己来问|自己问|自己来|自己查|"
    r"(?:让|叫)(?:他|她|孩子|儿子|女儿|同事|领导|老公|老婆)(?:自己)?(?:来|去)?(?:问|查|找)|问一下(?:财务|领导|老板|同事|人事|公司)|"
    r"问问(?:财务|领导|老板|同事|人事|公司)|回去)"
)


# "那如果全换成付费课呢", "不对，是付费课": the same 课时, of another type.
SWITCHING_TYPE = re.compile(r"(换成|改成|改为|变成|都是|全是|不对|错了|不是)")
# A message that goes on with a calculation just answered is short: "人数改成30", "不对，是六年".
MAX_CONTINUATION_CHARS = 30


# "那能补多少", "一共多少钱": the amount of the estimate just given, asked again without a new fact.
MAX_AGAIN_CHARS = 12


AMOUNT_AGAIN = re.compile(
    r"^\s*(?:那|那么|所以|这样|这样的话)?\s*(?:一共|总共|合计|每人|每个人|一个人|单位)?\s*(?:能|可以)?\s*"
    r"(?:补|拿|领|给|有|补贴)?\s*(?:多少钱?|几块钱?|多少补贴|补贴多少|多少元)\s*(?:呢|啊|呀)?\s*[？?]?\s*$"
)


# "课都看完了，考试也都过了，单位能拿到我多少补贴": what the estimate already assumed, told before the question.
ASSUMED_ALREADY = re.compile(
    r"^[^\d，,。；;]{0,10}(看完|学完|考过|考试(?:也)?(?:都)?过|都过|通过|合格|及格)[^\d，,。；;]{0,4}$"
)
AMOUNT_OF_IT = re.compile(
    r"^\s*(?:那|那么|所以)?\s*(?:单位|我们|公司)?\s*(?:一共|总共|每人)?\s*(?:能|可以)?\s*(?:拿到?|领到?|补|申请到?)\s*"
    r"(?:我|他|她|每人|每个人)?\s*(?:的)?\s*(?:多少钱?|多少补贴|几块钱?)\s*(?:补贴)?\s*(?:呢|啊|呀)?\s*[？?]?\s*$"
)


def asks_the_amount_again(text: str) -> bool:
    """Only the amount, and nothing else named: "认定费多少钱" after an estimate is a question of its own."""
    digits = to_digits(text or "")
    if len(digits) <= MAX_AGAIN_CHARS and AMOUNT_AGAIN.match(digits):
        return True
    clauses = [clause for clause in re.split(r"[，,。；;]", digits) if clause.strip()]
    return (
        len(clauses) > 1
        and all(ASSUMED_ALREADY.match(clause) for clause in clauses[:-1])
        and bool(AMOUNT_AGAIN.match(clauses[-1]) or AMOUNT_OF_IT.match(clauses[-1]))
    )


def calculator_continued(text: str, calculated: Optional[str]) -> Optional[str]:
    """The calculator a message goes on with right after that calculator's answer ("人数改成30" after a
    subsidy estimate, "哦还有之前做了五年行政" after a level); None if it is a question of its own."""
    if calculated not in ("subsidy", "eligibility") or len(text or "") > MAX_CONTINUATION_CHARS:
        return None
    digits = to_digits(text)
    if leaves(digits) or OTHER_QUESTION.search(digits):
        return None
    facts = read_facts(text)
    if calculated == "subsidy" and (
        facts.employees
        or facts.has_hours
        or facts.disqualifications
        or facts.named_types
        and SWITCHING_TYPE.search(digits)
        or asks_the_amount_again(text)
    ):
        return "ask_subsidy"
    if calculated == "eligibility" and (
        facts.has_eligibility_facts or facts.work_kind or facts.asked_level and ASKS_LEVEL.search(digits)
    ):
        return "ask_eligibility"  # "后来又做了2年人事", "一直做人事", or "能报三级吗" about the level just worked out
    return None


# A question about the 课时 themselves: whether they suffice, or what they come to.
ENOUGH = re.compile(
    r"(够吗|够不够|够了吗|达标吗|(?:达到|满足|符合).{0,6}吗|算不算|能不能算|可以算|算吗|有效吗|还差|差多少|还要学|"
    r"怎么算|如何算|咋算|每人多少|一个人多少|我呢|他呢|她呢|能申请|可以申请|能不能申请|可不可以申请|"
    r"能拿到|能领到|拿得到|领得到)"
)
ASKS_SOMETHING_ELSE = re.compile(r"(吗|能不能|可不可以)")


# "我儿子想报人力资源管理师" then "他在读大专": the situation of someone who wants to apply.
WANTS_TO_APPLY = re.compile(
    r"(想|要|打算|准备|计划|考虑)(?:去)?(?:报|考|申报|报名|报考|参加)|能报|能考|可以报|报几级|考几级|几级"
)


def situation_after_wish(previous: Optional[str], text: str) -> Optional[str]:
    """ask_eligibility for a message that only describes a person right after they said they want to apply
    for a level; None otherwise (a question of its own, or no such wish)."""
    if not previous or len(text or "") > MAX_CONTINUATION_CHARS:
        return None
    digits, before = to_digits(text), to_digits(previous)
    if (
        not WANTS_TO_APPLY.search(before)
        or SUBSIDY_WORDS.search(before)
        or leaves(digits)
        or OTHER_QUESTION.search(digits)
        or NEW_QUESTION.search(digits)
        and not ASKS_LEVEL.search(digits)
    ):
        return None
    facts = read_facts(text)
    if facts.has_hours or facts.fee_levels and not facts.certificate_explicit:
        return None
    return "ask_eligibility" if facts.has_eligibility_facts or facts.work_kind else None


GIVING_UP_MORE = re.compile(r"(不问了|不用问了|别问了|不算了|不用算了|太麻烦了?|好麻烦|麻烦死了|不弄了|不搞了)")


# "大概50课时吧……我得去查一下准确数，先不算了": a message that ends by giving up leaves as well.
LEAVING_LAST = re.compile(
    r"(先不算了|不算了|(?:回头|改天|下次|以后|回来)(?:自己)?再?(?:问|说|算)吧?|"
    r"(?:等|让)(?:她|他|孩子|同事|领导)[^，,。]{0,6}(?:自己)?(?:来)?问吧?[，,\s]*(?:先这样吧?)?)"
    r"[。.!！~\s]*(?:[，,]?\s*(?:谢谢|谢啦|多谢|拜拜)[了啊呀您你]*[。.!！~\s]*)?$"
)
# A question after the deferral is still a question: "算了，那以后再说，三级报名什么时候".
QUESTION_WORD = re.compile(r"([?？吗]|多少|怎么|几级|能不能|如何|哪|什么|啥)")
# A clause that ends in one of these names what is asked: "三级报名时间"; "拿证时间也记不清" does not.
ASKED_NOUN_LAST = re.compile(r"(时间|流程|标准|条件)\s*(?:呢|啊)?\s*$")
# "……能报几级。。。emmm 还是先不弄了，等我毕业再说", "其实不用了，单位报销": giving up after a question or a start.
GIVING_UP_LATER = re.compile(
    r"(?:^|[，,。.…~！!\s])(?:还是|哦|噢|呃|嗯|唉|哎|其实|等等|等一下|e+m+|[，,\s])*"
    r"(?:算了(?:算了)?[吧啦]?|先不算了|不算了|先不弄了|不弄了|不用了|不用算了|先不问了|不问了)(?=[，,。.!！~…\s]|$)"
)


def _asks_something(digits: str) -> bool:
    """Whether what is left still asks us something: "我去问问财务怎么报" asks someone else."""
    clauses = [clause for clause in re.split(r"[，,。.!！~…；;]", digits) if clause and not DEFERRING.search(clause)]
    return any(QUESTION_WORD.search(clause) or ASKED_NOUN_LAST.search(clause) for clause in clauses)


def leaves(digits: str) -> bool:
    if LEAVING_LAST.search(digits) and not _asks_something(digits):
        return True  # not "那让他去哪里问": a question, however it ends
    later = next(reversed(list(GIVING_UP_LATER.finditer(digits))), None)  # the last one
    if later is not None and not _asks_something(digits[later.end() :]):
        return True
    match = LEAVING.match(digits)
    if not match:
        return False
    # "算了算了，太麻烦了，不问了": more giving up, not a new question
    rest = GIVING_UP_MORE.sub("", digits[match.end() :])
    return not NEW_QUESTION.search(rest) or bool(DEFERRING.search(rest)) and not _asks_something(rest)


def for_another_qualification(text: str) -> bool:
    """ "劳动关系协调员四级认定费多少钱", "三级的教材多少钱一套": a fee or level question about something the
    calculators do not compute, however like one it reads."""
    digits = to_digits(text)
    return (
        other_qualification(digits) is not None
        and not COUNTS_HERE.search(digits)
        and read_facts(text).work_years is None
        or bool(PRICE_OF_OTHER.search(digits))
        and bool(MONEY_WORDS.search(digits))
    )


def calculator_for(text: str, predicted: Optional[str] = None) -> Optional[str]:
    """ask_eligibility, ask_subsidy or ask_fee when the message is for a calculator, stop when it gives one up;
    None otherwise."""
    digits = to_digits(text)
    if leaves(digits):
        return "stop"
    if NOTHING_MORE.match(digits):
        return "deny"  # "就这些" when asked for more 课时: however unsure the classifier, a plain "no more"
    facts = read_facts(text)
    personal = facts.has_eligibility_facts
    own_situation = bool(
        facts.work_years or facts.years_since_certificate or facts.education or facts.major_related is not None
    )
    # "外地交社保的员工能领补贴吗": whether such people count, an FAQ, unless there are people or 课时 to estimate.
    left_out = (
        bool(facts.disqualifications)
        and not ASKS_WHO_MAY_TAKE_PART.search(digits)
        and bool(facts.has_hours or facts.employees or facts.disqualified_people)
    )
    # "大部分员工都学够40课时了，补贴申请的流程是怎样的", "看了二十来分钟，还能删掉这个任务吗": 课时 told
    # as the setting of another question; bare 课时 ("免费课40课时") or whether they suffice are for the estimate.
    hours_for_estimate = (
        bool(ASKS_AMOUNT.search(digits))
        or bool(SUBSIDY_WORDS.search(digits))
        and not (OTHER_QUESTION.search(digits) and not WANTS_SUBSIDY_SUM.search(digits))
        or not personal
        and (
            not ASKS_SOMETHING_ELSE.search(digits) and not OTHER_QUESTION.search(digits) or bool(ENOUGH.search(digits))
        )
    )
    if (facts.has_hours or left_out and SUBSIDY_WORDS.search(digits)) and hours_for_estimate:
        return "ask_subsidy"
    about_else = (
        bool(NOT_MONEY.search(digits))
        and not MONEY_WORDS.search(digits)
        and not SUM_ASKED.search(digits)
        or bool(PRICE_OF_OTHER.search(digits))
        or bool(RECEIVING.search(digits))
        and not PAYING.search(digits)
    )
    about_another = other_qualification(digits) is not None
    asks_fee = not about_else and (
        bool(ASKS_FEE.search(digits)) or (facts.retake or facts.difference) and not OTHER_QUESTION.search(digits)
    )
    if (
        facts.fee_levels
        and asks_fee
        and (not own_situation or facts.retake and facts.fee_subjects)
        and not ASKS_LEVEL.search(digits)
        and not about_another
    ):
        return "ask_fee"  # "我去年考的二级，就综合评审没过，补考交多少": a retake, whatever was said of the sitting
    # Work years, or an education with its major, describe a person's own path; a lone education or
    # certificate word ("应届生参加就业见习…", "计算机二级…") is not enough without a question about the level.
    describes_career = (
        facts.work_years is not None
        or facts.years_since_certificate is not None
        or facts.certificate_explicit
        or bool(facts.education)
        and facts.major_related is not None
    )
    # "中级经济师人力资源管理专业的报考条件是什么": the rule itself, asked without a person's years or certificate.
    asks_the_rule = (
        (bool(RULE_QUESTION.search(digits)) or about_another)
        and facts.work_years is None
        and not facts.certificate_explicit
    )
    if (
        personal
        and not asks_the_rule
        and (
            ASKS_LEVEL.search(digits)
            or describes_career
            and not OTHER_QUESTION.search(digits)
            and (not ASKS_NOT_THE_LEVEL.search(digits) or NAMES_A_LEVEL.search(digits))
        )
    ):
        return "ask_eligibility"
    if facts.fee_levels and asks_fee and not facts.has_hours and not about_another:
        return "ask_fee"
    if (
        facts.disqualified_people
        and not ASKS_WHO_MAY_TAKE_PART.search(digits)
        and (ASKS_AMOUNT.search(digits) or not (OTHER_QUESTION.search(digits) or ASKS_SOMETHING_ELSE.search(digits)))
    ):
        # "其中有两个人社保在天津交的": people left out of the estimate just given; not "有两个香港同事，
        # 导入学员一直失败，怎么办", a question of its own
        return "ask_subsidy"
    if facts.unlikely_number:
        # "1e309课时": the calculator's form explains politely that it cannot use the figure and asks again.
        if re.search(r"(课时|学时|小时|分钟|补贴)", digits):
            return "ask_subsidy"
        if re.search(r"(年|级|证)", digits):
            return "ask_eligibility"
    if (
        facts.employees
        and SUBSIDY_WORDS.search(digits)
        and re.search(r"(申请|申报|算|领|拿)", digits)
        and not (
            OTHER_QUESTION.search(digits) or ASKS_WHO_MAY_TAKE_PART.search(digits) or ASKS_SOMETHING_ELSE.search(digits)
        )
    ):
        return "ask_subsidy"  # "我们部门有15个人要申请以训兴业补贴": the headcount first, the 课时 to follow
    if (
        WANTS_SUBSIDY_SUM.search(digits) or facts.asks_most and SUBSIDY_WORDS.search(digits)
    ) and not OTHER_QUESTION.search(digits):
        return "ask_subsidy"  # "帮我算补贴", "以训兴业一个员工最多能补多少钱"
    if WANTS_OWN_LEVEL.search(digits) and not OTHER_QUESTION.search(digits):
        return "ask_eligibility"
    return None
