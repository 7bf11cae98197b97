"""Another place's rules are not answered with Beijing's; a Beijing question that names a place is."""
import pytest

from bot.nlu.regions import other_place


@pytest.mark.parametrize("text, place", [
    ("天津那边有没有类似以训兴业的企业培训补贴？", "天津"),
    ("上海的企业人力资源管理师认定在哪里报名？", "上海"),
    ("天津的人力资源市场从业人员考试怎么报名？", "天津"),
    ("员工社保在上海交的能拿补贴不", None),
    ("我人在上海，能在网上参加从业人员考试吗", None),
    ("我在天津工作，能报北京的企业人力资源管理师吗", None),
    ("外地户口能参加从业人员考试吗", None),
    ("以训兴业补贴怎么申请", None),
], ids=["天津的补贴", "上海的认定报名", "天津的从业人员考试", "社保在上海交", "人在上海", "在天津工作报北京的",
        "外地户口", "没有别的地方"])
def test_another_place_whose_rules_are_asked(text, place):
    assert other_place(text) == place
