"""How a draft says the CRM's fixed values in each draft language: the names of the forms
the website sends and the industries the demo's companies have. A value with no entry is
said as stored, in quotation marks, so it is still the fact's own text."""

from __future__ import annotations

from collections.abc import Iterable

from dealflow.personalize.context import Fact

Terms = dict[str, dict[str, str]]
"""Stored value -> language -> how a sentence says it."""

FORMS: Terms = {
    "contact": {"en": "contact", "ja": "お問い合わせ", "ko": "문의", "fa": "تماس با ما"},
    "contact_us": {"en": "contact", "ja": "お問い合わせ", "ko": "문의", "fa": "تماس با ما"},
    "demo_request": {
        "en": "demo request",
        "ja": "デモのお申し込み",
        "ko": "데모 신청",
        "fa": "درخواست دمو",
    },
    "whitepaper_download": {
        "en": "white paper download",
        "ja": "ホワイトペーパーのダウンロード",
        "ko": "백서 다운로드",
        "fa": "دریافت گزارش تخصصی",
    },
    "ebook_download": {
        "en": "e-book download",
        "ja": "電子書籍のダウンロード",
        "ko": "전자책 다운로드",
        "fa": "دریافت کتاب الکترونیکی",
    },
    "checklist_download": {
        "en": "checklist download",
        "ja": "チェックリストのダウンロード",
        "ko": "체크리스트 다운로드",
        "fa": "دریافت چک‌لیست",
    },
    "roi_calculator": {
        "en": "ROI calculator",
        "ja": "ROI試算",
        "ko": "ROI 계산기",
        "fa": "محاسبه بازگشت سرمایه",
    },
    "newsletter_signup": {
        "en": "newsletter sign-up",
        "ja": "ニュースレターのご登録",
        "ko": "뉴스레터 구독 신청",
        "fa": "عضویت در خبرنامه",
    },
    "webinar_registration": {
        "en": "webinar registration",
        "ja": "ウェビナーのお申し込み",
        "ko": "웨비나 참가 신청",
        "fa": "ثبت‌نام وبینار",
    },
}

INDUSTRIES: Terms = {
    "Manufacturing": {"en": "manufacturing", "ja": "製造", "ko": "제조", "fa": "تولید"},
    "Logistics": {"en": "logistics", "ja": "物流", "ko": "물류", "fa": "لجستیک"},
    "Real Estate": {"en": "real estate", "ja": "不動産", "ko": "부동산", "fa": "املاک و مستغلات"},
    "Healthcare": {"en": "healthcare", "ja": "医療", "ko": "의료", "fa": "بهداشت و درمان"},
    "Retail": {"en": "retail", "ja": "小売", "ko": "유통", "fa": "خرده‌فروشی"},
    "Software": {"en": "software", "ja": "ソフトウェア", "ko": "소프트웨어", "fa": "نرم‌افزار"},
    "Construction": {"en": "construction", "ja": "建設", "ko": "건설", "fa": "ساخت‌وساز"},
    "Food & Beverage": {
        "en": "food and beverage",
        "ja": "食品・飲料",
        "ko": "식음료",
        "fa": "غذا و نوشیدنی",
    },
    "Energy": {"en": "energy", "ja": "エネルギー", "ko": "에너지", "fa": "انرژی"},
    "Education": {"en": "education", "ja": "教育", "ko": "교육", "fa": "آموزش"},
    "Hospitality": {
        "en": "hospitality",
        "ja": "ホテル・観光",
        "ko": "호텔·관광",
        "fa": "هتلداری و گردشگری",
    },
}

VOCABULARY: dict[str, Terms] = {"behaviour.form_submit": FORMS, "company.industry": INDUSTRIES}
"""Which facts hold fixed values, and their terms."""

QUOTES = {"en": ("“", "”"), "ja": ("「", "」"), "ko": ("“", "”"), "fa": ("«", "»")}


def said_in(fact: Fact, language: str) -> str:
    """The fact's value as a sentence in ``language`` says it: its term when the value is
    one of the CRM's fixed values, else the stored text quoted as-is (other facts: as is)."""
    terms = VOCABULARY.get(fact.key)
    if terms is None:
        return fact.value
    term = terms.get(fact.value.strip(), {}).get(language)
    if term is not None:
        return term
    opening, closing = QUOTES.get(language, QUOTES["en"])
    return f"{opening}{fact.value}{closing}"


def renderings(facts: Iterable[Fact]) -> list[str]:
    """Every way a draft may say these facts' fixed values (for the grounding check)."""
    return [
        term
        for fact in facts
        for term in VOCABULARY.get(fact.key, {}).get(fact.value.strip(), {}).values()
    ]
