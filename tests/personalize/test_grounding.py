"""The grounding check: claims that trace to the context pass, planted ones are flagged in
every language, and the generated evaluation set meets its goal."""

from __future__ import annotations

import pytest

from dealflow.personalize.context import Fact
from dealflow.personalize.grounding import check_grounding
from dealflow.personalize.grounding_eval import evaluate, make_cases
from dealflow.personalize.phrasebook import boilerplate

FACTS = [
    Fact("contact.first_name", "Emily", "contacts", 1, "first_name"),
    Fact("contact.last_name", "Turner", "contacts", 1, "last_name"),
    Fact("company.name", "Summit Retail", "companies", 2, "name"),
    Fact("company.employees", "240", "companies", 2, "employees"),
    Fact("company.city", "London", "companies", 2, "city"),
    Fact("deal.close_date", "2026-03-05", "deals", 3, "close_date"),
]
ENTITIES = {"Summit Retail", "Oakridge Realty", "London", "Leeds"}


def unsupported(body: str, language: str = "en") -> list[tuple[str, str]]:
    report = check_grounding(
        "", body, FACTS, language, allowed=boilerplate(language), entities=ENTITIES
    )
    return [(claim.kind, claim.text) for claim in report.unsupported]


def test_statements_made_of_the_contexts_facts_pass() -> None:
    assert unsupported("Summit Retail in London has 240 people. We could start in March.") == []
    assert unsupported("Your 1,200 stores") == [("number", "1200")]


@pytest.mark.parametrize(
    ("body", "language", "expected"),
    [
        ("Your team of 900 people will love it.", "en", ("number", "900")),
        ("Your peers at Oakridge Realty use it.", "en", ("name", "Oakridge Realty")),
        ("I hear you are moving to Leeds.", "en", ("name", "Leeds")),
        ("Mr Hughes suggested I write.", "en", ("name", "Hughes")),
        ("As agreed in July, we start.", "en", ("date", "july")),
        ("Congratulations on the expansion.", "en", ("about_recipient", "congratulations")),
        ("従業員９００名の皆さまにも最適です。", "ja", ("number", "900")),
        ("山本様からご紹介いただきました。", "ja", ("name", "山本")),
        ("「来月契約します」とおっしゃっていました。", "ja", ("quote", "来月契約します")),
        ("최근 사업 확장을 축하드립니다.", "ko", ("about_recipient", "축하")),
        ("از سال ۱۳۹۰ رشد کرده‌اید.", "fa", ("number", "1390")),
        ("گسترش اخیر کسب‌وکارتان را تبریک می‌گویم.", "fa", ("about_recipient", "تبریک")),
    ],
)
def test_unsupported_statements_are_flagged_in_every_language(
    body: str, language: str, expected: tuple[str, str]
) -> None:
    assert expected in unsupported(body, language)


def test_the_generated_set_meets_the_goal_and_reports_both_numbers() -> None:
    result = evaluate(make_cases(120, seed=3))
    overall = result["all"]
    assert isinstance(overall, dict)
    assert overall["recall"] >= 0.95
    assert overall["precision"] >= 0.9
    for language in ("en", "ja", "ko", "fa"):
        assert f"language:{language}" in result
