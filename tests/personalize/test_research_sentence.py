"""The offline composer mentions one research finding (the latest news, else a product)
with the page it was read on, only when the company was researched; grounded as written."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dealflow.personalize.context import Context, Fact
from dealflow.personalize.generators.base import DraftRequest
from dealflow.personalize.generators.offline import OfflineComposer
from dealflow.personalize.grounding import check_grounding
from dealflow.personalize.phrasebook import boilerplate
from dealflow.personalize.tone import ToneRules, check_tone

NAMES = {
    "en": ("Emily", "Turner"),
    "ja": ("隆", "藤井"),
    "ko": ("다은", "양"),
    "fa": ("کامران", "امینی"),
}
OLD_NEWS = "Opened a second plant in Osaka"
NEWS = "Opened a service centre in Busan"
PRODUCT = "AirSense 3 ventilation controller"


def finding(kind: str, statement: str, day: int, path: str) -> Fact:
    at = datetime(2026, 11, day, tzinfo=UTC)
    url = f"https://summit.example/{path}"
    return Fact(f"research.{kind}", statement, "companies", 7, f"research {kind}", url, at)


def compose(language: str, research: list[Fact]) -> tuple[str, Context]:
    first, last = NAMES[language]
    values = {
        "contact.first_name": first,
        "contact.last_name": last,
        "contact.language": language,
        "company.name": "Summit Kogyo",
        "sender.name": "Mai Suzuki",
        "sender.company": "Aster Systems",
    }
    facts = [
        Fact(key, value, key.split(".")[0], number, key.split(".")[1])
        for number, (key, value) in enumerate(values.items(), start=1)
    ]
    context = Context(None, [*facts, *research])
    generated = OfflineComposer().generate(DraftRequest(context, ToneRules()))
    report = check_grounding(
        generated.subject, generated.body, context.facts, language, allowed=boilerplate(language)
    )
    assert report.unsupported == []
    quoted = tuple(part for fact in context.facts for part in (fact.value, fact.detail) if part)
    assert check_tone(generated.subject, generated.body, language, ToneRules(), quoted=quoted) == []
    return generated.body, context


@pytest.mark.parametrize("language", ["en", "ja", "ko", "fa"])
def test_the_latest_news_is_mentioned_with_its_page(language: str) -> None:
    research = [
        finding("product", PRODUCT, 20, "products"),
        finding("news", OLD_NEWS, 2, "news/osaka"),
        finding("news", NEWS, 18, "news/busan"),
    ]
    body, _ = compose(language, research)
    assert NEWS in body
    assert "https://summit.example/news/busan" in body
    assert OLD_NEWS not in body
    assert PRODUCT not in body


@pytest.mark.parametrize("language", ["en", "ja", "ko", "fa"])
def test_a_product_is_mentioned_when_there_is_no_news(language: str) -> None:
    body, _ = compose(language, [finding("product", PRODUCT, 20, "products")])
    assert PRODUCT in body
    assert "https://summit.example/products" in body


@pytest.mark.parametrize("language", ["en", "ja", "ko", "fa"])
def test_no_research_no_sentence(language: str) -> None:
    body, _ = compose(language, [finding("location", "Offices in Osaka", 20, "about")])
    assert "summit.example" not in body
    assert "Osaka" not in body


def test_a_finding_is_left_out_rather_than_making_the_draft_too_long() -> None:
    first, last = NAMES["en"]
    facts = [
        Fact("contact.first_name", first, "contacts", 1, "first_name"),
        Fact("contact.last_name", last, "contacts", 1, "last_name"),
        Fact("sender.company", "Aster Systems", "workspaces", 1, "name"),
        finding("news", NEWS, 18, "news/busan"),
    ]
    composer, context = OfflineComposer(), Context(None, facts)
    roomy = composer.generate(DraftRequest(context, ToneRules(max_words=180))).body
    tight = ToneRules(max_words=len(roomy.split()) - 1)
    assert NEWS in roomy
    assert NEWS not in composer.generate(DraftRequest(context, tight)).body
