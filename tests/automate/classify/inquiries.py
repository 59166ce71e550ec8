"""Generated inquiries in English, Japanese, Korean and Persian, with known labels: a few
phrasings per label and language, filled with different products, numbers and cities."""

from __future__ import annotations

from itertools import product as combinations

PHRASINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "sales_inquiry": {
        "en": (
            "Could you send us a quote for {n} {item}? We are choosing a vendor this month.",
            "What does {item} cost for {n} sites in {city}, and is there a volume discount?",
        ),
        "ja": (
            "{item}を{n}台導入した場合の見積もりをいただけますか。今月中に業者を決めます。",
            "{city}の{n}拠点で{item}を使う場合の価格と、数量割引について教えてください。",
        ),
        "ko": (
            "{item} {n}대에 대한 견적을 보내주실 수 있나요? 이번 달에 업체를 선정합니다.",
            "{city} {n}개 지점에서 {item}를 쓰면 가격이 얼마인지, 대량 할인이 있는지 궁금합니다.",
        ),
        "fa": (
            "لطفاً برای {n} عدد {item} پیش‌فاکتور بفرستید. این ماه فروشنده را انتخاب می‌کنیم.",
            "قیمت {item} برای {n} شعبه در {city} چقدر است و آیا تخفیف حجمی دارید؟",
        ),
    },
    "support": {
        "en": (
            "Our {item} stopped working after {n} days and shows an error. How do we fix it?",
            "The {item} in our {city} office keeps disconnecting. Can a technician help us?",
        ),
        "ja": (
            "{item}が{n}日前から動かなくなり、エラーが表示されます。どう直せばよいですか。",
            "{city}オフィスの{item}の接続が何度も切れます。技術者に見てもらえますか。",
        ),
        "ko": (
            "{item}가 {n}일 전부터 작동하지 않고 오류가 뜹니다. 어떻게 고치나요?",
            "{city} 사무실의 {item} 연결이 계속 끊깁니다. 기술자가 도와줄 수 있나요?",
        ),
        "fa": (
            "{item} ما بعد از {n} روز از کار افتاده و خطا نشان می‌دهد. چطور درستش کنیم؟",
            "اتصال {item} در دفتر {city} مدام قطع می‌شود. آیا تکنسین می‌تواند کمک کند؟",
        ),
    },
    "billing": {
        "en": (
            "We were charged twice on invoice {n} for {item}. Please refund the extra payment.",
            "Can you change the billing address on our {item} subscription to {city}?",
        ),
        "ja": (
            "{item}の請求書{n}番で二重に請求されました。余分な支払いを返金してください。",
            "{item}の契約の請求先住所を{city}に変更できますか。",
        ),
        "ko": (
            "{item} 청구서 {n}번에서 두 번 결제되었습니다. 초과 금액을 환불해 주세요.",
            "{item} 구독의 청구지 주소를 {city}(으)로 변경할 수 있나요?",
        ),
        "fa": (
            "برای فاکتور شماره {n} مربوط به {item} دو بار از ما پول کسر شد. "
            "لطفاً مبلغ اضافه را برگردانید.",
            "می‌توانید آدرس صورتحساب اشتراک {item} ما را به {city} تغییر دهید؟",
        ),
    },
}
FILLINGS = (
    {"item": "SenseHub", "n": 12, "city": "Osaka"},
    {"item": "AirPanel", "n": 40, "city": "Busan"},
    {"item": "FlowMeter", "n": 7, "city": "Tehran"},
    {"item": "EdgeGateway", "n": 25, "city": "Berlin"},
)
LANGUAGES = ("en", "ja", "ko", "fa")


def inquiries(fillings: range = range(len(FILLINGS))) -> list[tuple[str, str, str]]:
    """(text, label, language) for each phrasing, language and chosen filling."""
    return [
        (phrasing.format(**FILLINGS[i]), label, language)
        for (label, by_language), i in combinations(PHRASINGS.items(), fillings)
        for language, phrasings in by_language.items()
        for phrasing in phrasings
    ]
