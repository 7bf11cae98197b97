"""The document registry: one title and one citation per document, everywhere, and how long each lasts."""
import datetime as dt
import re
from pathlib import Path

import pytest

from bot.knowledge import load_knowledge_base
from bot.policy import load_parameters
from bot.policy.documents import RegistryError, document, documents
from bot.policy.validity import ended_line, ended_on, has_ended
from bot.settings import PROJECT_ROOT

D = dt.date.fromisoformat


def test_every_document_has_one_title_short_name_and_citation():
    assert set(documents()) == {"000", "001", "002", "003"}
    for doc in documents().values():
        assert doc.title and doc.short and doc.citation.startswith("《") and doc.label and doc.contact


def test_the_2024_notice_is_cited_under_its_own_title():
    notice = document("001")
    assert notice.title.startswith("关于开展2024年北京市社会化职业技能等级认定有关工作的通知")
    assert "全美在线发〔2024〕1号" in notice.citation


def test_no_module_writes_a_document_title_of_its_own():
    """Every 《…》 in the code comes from the registry, so that no copy can drift from it."""
    sources = [p for folder in ("bot", "actions") for p in (PROJECT_ROOT / folder).rglob("*.py")]
    written = {str(p.relative_to(PROJECT_ROOT)) for p in sources if "《" in p.read_text(encoding="utf-8")}
    assert written == set()


def test_every_answer_and_parameter_cites_a_registered_document():
    citations = tuple(f"来源：{doc.citation}" for doc in documents().values())
    kb = load_knowledge_base()
    for item in kb.items.values():
        for part in item.citation.removeprefix("来源：").split("；"):
            assert f"来源：{part}".startswith(citations) or not part.startswith("《"), (item.key, part)
    for name in ("ata_certification", "hrm_practitioner_exam", "training_subsidy"):
        for parameter in load_parameters(name).parameters.values():
            assert parameter.citation.startswith(document(parameter.document).citation)


def test_an_unknown_document_is_refused():
    with pytest.raises(RegistryError):
        document("004")


SUBSIDY_END_CASES = [
    ("2021年12月31日，受理最后一天，还没有截止", "2021-12-31", False),
    ("2022年1月1日，已经截止", "2022-01-01", True),
    ("2026年，早已截止", "2026-12-01", True),
]


@pytest.mark.parametrize("on, ended", [c[1:] for c in SUBSIDY_END_CASES], ids=[c[0] for c in SUBSIDY_END_CASES])
def test_the_subsidy_document_ends_where_question_11_says(on, ended):
    doc = document("003")
    assert ended_on(doc) == D("2021-12-31")
    assert has_ended(doc, D(on)) is ended
    assert bool(ended_line(doc, D(on))) is ended


def test_the_other_documents_do_not_end():
    for doc_id in ("000", "001", "002"):
        assert ended_line(document(doc_id), D("2030-01-01")) == ""


@pytest.mark.parametrize("key", ["jxd_q05_subsidy_standard", "jxd_q08_apply_subsidy", "jxd_q01_eligible_units",
                                 "jxd_q52_combined_subsidy"])
def test_an_answer_on_applying_or_amounts_says_first_that_the_policy_ended(key):
    first_line = load_knowledge_base().items[key].reply_text.splitlines()[0]
    assert "2021年12月31日" in first_line and "截止" in first_line


def test_a_platform_how_to_does_not_open_with_the_end():
    first_line = load_knowledge_base().items["jxd_q16_unit_password_reset"].reply_text.splitlines()[0]
    assert "截止" not in first_line


def test_the_registry_is_the_only_document_list():
    assert not (PROJECT_ROOT / "knowledge" / "documents.yml").exists()
    assert not re.search(r"DOCUMENT_NAMES|HRM_DOCUMENT|ATA_DOCUMENT",
                         "".join(p.read_text(encoding="utf-8") for p in Path(PROJECT_ROOT / "bot").rglob("*.py")))
