"""Questions about another place's rules: the documents are Beijing's (000, 001, 003) or national (002).

"天津那边有没有类似以训兴业的补贴", "上海的企业人力资源管理师认定在哪报名" ask about rules the documents do not
give, though every other word of them is the documents' own. Where the person or their social insurance is
("我人在上海", "社保在天津交的员工") is a fact of a Beijing question, not another place's rules.
"""

from __future__ import annotations

import re
from typing import Optional

OTHER_PLACE = re.compile(
    r"(天津|上海|河北|廊坊|石家庄|雄安|广州|深圳|广东|江苏|南京|苏州|浙江|杭州|成都|四川|重庆|武汉|湖北|"
    r"湖南|长沙|西安|陕西|山东|济南|青岛|河南|郑州|福建|厦门|其他城市|其他省份?|别的城市|别的省份?)"
)
# The person's or their insurance's place: a fact of a question about Beijing's rules.
WHERE_ONE_IS = re.compile(
    r"(我|本人|他|她|员工|职工|同事|孩子)?\s*(?:人|现在|目前|一直)?\s*(?:在|住在|身在|来自|去)\s*$|老家\s*$"
)
FACT_OF_A_BEIJING_QUESTION = re.compile(r"(社保|社会保险|缴纳|交的|缴的|户口|户籍|分公司|分部|子公司|居住证|北京)")


def other_place(text: str) -> Optional[str]:
    """The other place whose rules `text` asks about, if any."""
    text = text or ""
    if FACT_OF_A_BEIJING_QUESTION.search(text):
        return None
    for match in OTHER_PLACE.finditer(text):
        if not WHERE_ONE_IS.search(text[max(0, match.start() - 8) : match.start()]):
            return match.group(0)
    return None
