"""The offline composer says the CRM's fixed values (form names, industries) in the
contact's language, quotes an unknown one as stored, and the grounding check traces both."""

from __future__ import annotations

import pytest

from dealflow.personalize.context import Context, Fact
from dealflow.personalize.generators.base import DraftRequest
from dealflow.personalize.generators.offline import OfflineComposer
from dealflow.personalize.grounding import check_grounding
from dealflow.personalize.phrasebook import boilerplate
from dealflow.personalize.tone import ToneRules

NAMES = {
    "en": ("Emily", "Turner"),
    "ja": ("隆", "藤井"),
    "ko": ("다은", "양"),
    "fa": ("کامران", "امینی"),
}


def draft(language: str, industry: str, form: str) -> tuple[str, list[object]]:
    first, last = NAMES[language]
    values = {
        "contact.first_name": first,
        "contact.last_name": last,
        "contact.language": language,
        "company.name": "Summit Kogyo",
        "company.industry": industry,
        "sender.name": "Mai Suzuki",
        "sender.company": "Aster Systems",
        "behaviour.form_submit": form,
    }
    facts = [
        Fact(key, value, key.split(".")[0], number, key.split(".")[1])
        for number, (key, value) in enumerate(values.items(), start=1)
    ]
    generated = OfflineComposer().generate(DraftRequest(Context(None, facts), ToneRules()))
    report = check_grounding(
        generated.subject, generated.body, facts, language, allowed=boilerplate(language)
    )
    return generated.body, list(report.unsupported)


@pytest.mark.parametrize(
    ("language", "form", "industry"),
    [
        ("en", "our checklist download form", "in manufacturing"),
        ("ja", "フォーム（チェックリストのダウンロード）", "製造分野"),
        ("ko", "체크리스트 다운로드 양식", "제조 업무"),
        ("fa", "فرم دریافت چک‌لیست", "زمینه تولید"),
    ],
)
def test_known_values_are_said_in_the_contacts_language(
    language: str, form: str, industry: str
) -> None:
    body, unsupported = draft(language, "Manufacturing", "checklist_download")
    assert form in body
    assert industry in body
    assert "checklist_download" not in body
    if language != "en":
        assert "Manufacturing" not in body
        assert "checklist" not in body
    assert unsupported == []


@pytest.mark.parametrize(
    ("language", "form", "industry"),
    [
        ("en", "our “lead_magnet_v2” form", "in “Aerospace”"),
        ("ja", "フォーム（「lead_magnet_v2」）", "「Aerospace」分野"),
        ("ko", "“lead_magnet_v2” 양식", "“Aerospace” 업무"),
        ("fa", "فرم «lead_magnet_v2»", "زمینه «Aerospace»"),
    ],
)
def test_unknown_values_are_quoted_as_stored_and_still_grounded(
    language: str, form: str, industry: str
) -> None:
    body, unsupported = draft(language, "Aerospace", "lead_magnet_v2")
    assert form in body
    assert industry in body
    assert unsupported == []


def test_a_wrong_term_is_not_traced() -> None:
    body, _ = draft("ja", "Software", "roi_calculator")
    assert "ソフトウェア分野" in body
    facts = [Fact("company.industry", "Retail", "companies", 1, "industry")]
    report = check_grounding("", body, facts, "ja", allowed=boilerplate("ja"))
    assert any(claim.text == "ソフトウェア" for claim in report.unsupported)
